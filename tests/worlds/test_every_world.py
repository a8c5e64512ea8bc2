"""What every registered world owes the contract, checked over the registry: a new world is
covered by registering it."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from conformance import assert_same_rollouts, random_batch

import evomesa as em

WORLDS = em.list_worlds()


@pytest.mark.parametrize("name", WORLDS)
def test_results_do_not_depend_on_thread_count(name, rng):
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs numba to allow at least 2 threads")
    world = em.make_world(name)
    brains, seeds = random_batch(world, "hybrid", rng, n=64, episodes=4)
    saved = numba.get_num_threads()
    try:
        for regime in world.regimes:
            numba.set_num_threads(1)
            one = world.rollout(brains, regime, seeds, record_observations=True)
            numba.set_num_threads(2)
            two = world.rollout(brains, regime, seeds, record_observations=True)
            assert_same_rollouts(one, two, f"{name} {regime}")
    finally:
        numba.set_num_threads(saved)


@pytest.mark.parametrize("name", WORLDS)
def test_every_parameter_rejects_bad_values_by_name(name):
    for key, spec in em.make_world(name).parameters.items():
        if spec.choices:
            bad = ["no such " + key, 1, None]
        else:
            step = 1 if spec.is_int else 0.5
            bad = [spec.low - step, spec.high + step, "3", True, float("nan")]
            if spec.is_int:
                bad.append(float(spec.default))  # never silently truncated
        for value in bad:
            with pytest.raises(em.ConfigError, match=key):
                em.make_world(name, **{key: value})


@pytest.mark.parametrize("name", WORLDS)
def test_every_parameter_documents_its_meaning_and_rationale(name):
    # "meaning; rationale" (DESIGN section 0: defaults are chosen for realism, with a reason)
    for key, spec in em.make_world(name).parameters.items():
        meaning, sep, rationale = spec.doc.partition("; ")
        assert sep and meaning and len(rationale) > 10, (name, key)


@pytest.mark.parametrize("name", WORLDS)
def test_params_are_read_only_and_unknown_ones_refused(name):
    world = em.make_world(name)
    key = next(iter(world.params))
    with pytest.raises(TypeError):
        world.params[key] = world.params[key]
    with pytest.raises(em.ConfigError, match="unknown parameter"):
        em.make_world(name, no_such_parameter=1)
    assert np.isfinite(world.drive_scales).all() and (world.drive_scales > 0).all()
