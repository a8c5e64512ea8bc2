"""The kernel random stream and its Python twin must agree bit for bit."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evomesa.rng import PyStream, episode_seeds, next_u64, randint, uniform


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), n=st.integers(1, 1000))
def test_kernel_stream_matches_python_twin(seed, n):
    state = np.array([seed], dtype=np.uint64)
    twin = PyStream(seed)
    for _ in range(5):
        assert int(next_u64(state)) == twin.next_u64()
        assert uniform(state) == twin.uniform()
        assert randint(state, n) == twin.randint(n)


def test_uniform_is_in_unit_interval_and_roughly_uniform():
    state = np.array([7], dtype=np.uint64)
    draws = np.array([uniform(state) for _ in range(20_000)])
    assert draws.min() >= 0.0 and draws.max() < 1.0
    assert abs(draws.mean() - 0.5) < 0.01


def test_common_episode_seeds_are_shared_across_individuals():
    seeds = episode_seeds(np.random.default_rng(0), 5, 3, common=True)
    assert seeds.shape == (5, 3) and seeds.dtype == np.uint64
    assert (seeds == seeds[0]).all()
    assert len(set(seeds[0].tolist())) == 3
    own = episode_seeds(np.random.default_rng(0), 5, 3, common=False)
    assert len(set(own.ravel().tolist())) == 15
