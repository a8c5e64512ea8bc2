"""The shared decision kernels against their plain-Python twins, and their documented rules."""

import numpy as np
import pytest
from numba import njit

from evomesa.agents import PLANNER, REFLEX, Brains
from evomesa.agents.kernels import (
    brain_load,
    can_value,
    choose,
    consider,
    make_agent,
    note_visit,
    react,
    start_menu,
    term,
    wants_menu,
)
from evomesa.agents.reference import Agent

N_DRIVES, N_OBS, MAX_H = 4, 12, 30


@njit(cache=True)
def _decide_menus(brains, i, scales, seed, n_options, terms, fallback):
    """Play a sequence of menus through one numba agent.

    ``n_options[m]`` options in menu m; ``terms`` rows are (menu, option, drive, amount,
    delay, steps), grouped by menu then option. Returns the choice per menu and every
    option's worth.
    """
    mind, state = make_agent(brains, i, scales, seed)
    choices = np.zeros(n_options.shape[0], dtype=np.int64)
    worths = np.zeros(n_options.sum())
    t = 0
    k = 0
    for m in range(n_options.shape[0]):
        choice = start_menu(mind, state)
        for o in range(n_options[m]):
            worth = 0.0
            while t < terms.shape[0] and terms[t, 0] == m and terms[t, 1] == o:
                worth = term(
                    mind,
                    state,
                    worth,
                    int(terms[t, 2]),
                    terms[t, 3],
                    int(terms[t, 4]),
                    int(terms[t, 5]),
                )
                t += 1
            worths[k] = worth
            k += 1
            choice = consider(mind, state, choice, 100 + o, worth)
        choices[m] = choose(mind, state, choice, fallback)
    return choices, worths


@njit(cache=True)
def _react_all(brains, i, scales, observations, visits):
    mind, state = make_agent(brains, i, scales, 0)
    out = np.zeros(observations.shape[0], dtype=np.int64)
    for k in range(observations.shape[0]):
        if visits.shape[0] > 0:
            note_visit(visits, observations[k])
        out[k] = react(mind, state, observations[k])
    return (
        out,
        wants_menu(mind, state),
        brain_load(mind, state),
        can_value(mind, state, 0),
        can_value(mind, state, brain_load(mind, state) + 1),
    )


def _brains(rng, n=6, arch=PLANNER):
    return Brains(
        arch=np.full(n, arch, dtype=np.int8),
        table=rng.integers(0, 5, size=(n, N_OBS)).astype(np.int8),
        weights=rng.uniform(-1, 1, size=(n, N_DRIVES)),
        horizon=rng.integers(1, MAX_H + 1, size=n) if arch == PLANNER else np.zeros(n, int),
        gamma=rng.uniform(0.5, 0.99, size=n),
    )


def _random_menus(rng, n_menus, ties=False):
    n_options = rng.integers(0, 7, size=n_menus)
    rows = []
    for m, count in enumerate(n_options):
        for o in range(count):
            for _ in range(rng.integers(0, 4)):
                amount = float(rng.choice([1.0, 0.5])) if ties else float(rng.normal())
                delay = int(rng.integers(0, 3)) if ties else int(rng.integers(0, 40))
                steps = 1 if ties else int(rng.integers(1, 25))
                rows.append((m, o, int(rng.integers(0, N_DRIVES)), amount, delay, steps))
    terms = np.array(rows, dtype=np.float64).reshape(-1, 6)
    return n_options.astype(np.int64), terms


def _python_decisions(agent, n_options, terms, fallback):
    choices, worths = [], []
    for m, count in enumerate(n_options):
        agent.start_menu()
        for o in range(count):
            mine = [
                (int(d), a, int(de), int(s))
                for mm, oo, d, a, de, s in terms
                if mm == m and oo == o
            ]
            agent.option(100 + o, *mine)
            worths.append(agent.worth(mine))
        choices.append(agent.choose(fallback))
    return choices, worths


@pytest.mark.parametrize("ties", [False, True])
def test_planner_kernel_equals_its_python_twin_on_random_menus(ties):
    rng = np.random.default_rng(7 + ties)
    fallback = np.array([0, 1, 2, 3], dtype=np.int64)
    for trial in range(30):
        brains = _brains(rng)
        scales = rng.uniform(0.5, 3.0, size=N_DRIVES)
        n_options, terms = _random_menus(rng, 8, ties=ties)
        for i in range(len(brains)):
            seed = int(rng.integers(0, 2**63))
            fast, fast_worths = _decide_menus(
                brains.packed(), i, scales, np.uint64(seed), n_options, terms, fallback
            )
            slow, slow_worths = _python_decisions(
                Agent(brains, i, scales, seed), n_options, terms, fallback
            )
            assert fast.tolist() == slow, (trial, i)
            assert fast_worths.tolist() == slow_worths, (trial, i)


def test_a_terms_worth_is_its_weighted_discounted_signal_within_the_horizon():
    rng = np.random.default_rng(3)
    brains = _brains(rng, n=20)
    scales = rng.uniform(0.5, 3.0, size=N_DRIVES)
    for i in range(len(brains)):
        h, g = int(brains.horizon[i]), float(brains.gamma[i])
        for drive, amount, delay, steps in [
            (0, 1.0, 0, 1),
            (1, -2.0, 3, 5),
            (2, 0.7, h, 4),
            (3, 1.5, h + 1, 1),
            (1, 1.0, 2, 100),
        ]:
            terms = np.array([[0, 0, drive, amount, delay, steps]], dtype=float)
            _, worths = _decide_menus(
                brains.packed(), i, scales, np.uint64(1), np.array([1]), terms, np.array([0])
            )
            arrive = [t for t in range(delay, delay + steps) if t <= h]
            expected = (
                brains.weights[i, drive] / scales[drive] * amount * sum(g**t for t in arrive)
            )
            assert worths[0] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    # beyond the horizon: exactly nothing
    _, worths = _decide_menus(
        brains.packed(),
        0,
        scales,
        np.uint64(1),
        np.array([1]),
        np.array([[0, 0, 0, 5.0, MAX_H + 5, 3]], float),
        np.array([0]),
    )
    assert worths[0] == 0.0


def test_ties_are_broken_uniformly_and_by_seed():
    rng = np.random.default_rng(0)
    brains = _brains(rng, n=1)
    scales = np.ones(N_DRIVES)
    brains.weights[0] = [0.5, 0.5, 0.5, 0.5]
    three_equal = np.array([[0, o, 0, 1.0, 0, 1] for o in range(3)], dtype=float)
    counts = np.zeros(3)
    for seed in range(3000):
        choice, _ = _decide_menus(
            brains.packed(), 0, scales, np.uint64(seed), np.array([3]), three_equal, np.array([0])
        )
        counts[choice[0] - 100] += 1
    assert (np.abs(counts / 3000 - 1 / 3) < 0.04).all()
    again = [
        _decide_menus(
            brains.packed(), 0, scales, np.uint64(5), np.array([3]), three_equal, np.array([0])
        )[0][0]
        for _ in range(3)
    ]
    assert len(set(again)) == 1


def test_with_nothing_worth_anything_the_planner_takes_a_fallback_at_random():
    rng = np.random.default_rng(1)
    brains = _brains(rng, n=1)
    brains.weights[0] = [-0.5, -0.5, -0.5, -0.5]
    scales = np.ones(N_DRIVES)
    worthless = np.array([[0, 0, 0, 1.0, 0, 1], [0, 1, 1, 1.0, 2, 1]], dtype=float)
    fallback = np.array([7, 8, 9], dtype=np.int64)
    seen = {
        int(
            _decide_menus(
                brains.packed(), 0, scales, np.uint64(s), np.array([2]), worthless, fallback
            )[0][0]
        )
        for s in range(200)
    }
    assert seen == {7, 8, 9}
    empty = _decide_menus(
        brains.packed(), 0, scales, np.uint64(3), np.array([0]), np.zeros((0, 6)), fallback
    )[0][0]
    assert empty in (7, 8, 9)


def test_reflex_kernel_reads_its_table_counts_visits_and_equals_its_twin():
    rng = np.random.default_rng(2)
    brains = _brains(rng, n=3, arch=REFLEX)
    observations = rng.integers(0, N_OBS, size=50)
    for i in range(3):
        visits = np.zeros(N_OBS, dtype=np.int32)
        actions, planner, load, now, beyond = _react_all(
            brains.packed(), i, np.ones(N_DRIVES), observations, visits
        )
        assert actions.tolist() == brains.table[i][observations].tolist()
        assert visits.tolist() == np.bincount(observations, minlength=N_OBS).tolist()
        assert (planner, load, now, beyond) == (False, 0, True, False)
        twin = Agent(brains, i, np.ones(N_DRIVES), 0)
        py_visits = [0] * N_OBS
        assert [twin.react(int(o), py_visits) for o in observations] == actions.tolist()
        assert py_visits == visits.tolist()
    # an empty visits row means: do not count
    actions, *_ = _react_all(
        brains.packed(), 0, np.ones(N_DRIVES), observations, np.zeros(0, dtype=np.int32)
    )
    assert actions.tolist() == brains.table[0][observations].tolist()


def test_a_planner_charges_its_horizon_and_values_nothing_beyond_it():
    rng = np.random.default_rng(4)
    brains = _brains(rng, n=3)
    _, planner, load, now, beyond = _react_all(
        brains.packed(), 1, np.ones(N_DRIVES), np.zeros(0, dtype=np.int64), np.zeros(0, np.int32)
    )
    assert planner and load == brains.horizon[1] and now and not beyond
