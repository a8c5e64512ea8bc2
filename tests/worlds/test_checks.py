"""The named checks of the world contract (``evomesa.worlds.checks``): each passes a whole toy
world, fails the toy broken for it, and can be run on its own; ``em.check_world`` runs them
all. (Every registered world against every check: ``test_every_world.py``.)"""

from __future__ import annotations

import inspect

import numba
import pytest
from coin import BUGS, make_coin

import evomesa as em
from evomesa.worlds import checks
from evomesa.worlds.checks import CHECKS

#: a piece of the message each check fails with, on the coin broken for it
SAYS = {
    "declarations": "default_shift",
    "params_read_only": "read-only",
    "observation_names": "observation name",
    "rollout_arrays": "steps must be int64",
    "finite_outputs": "performance must be finite",
    "bookkeeping": "one action per step",
    "determinism": "same seeds",
    "mixture": "mixture",
    "thread_count_independence": "thread count",
    "kernel_matches_reference": "Python reference",
    "stepwise_api": "after done",
    "steps_add_up": "sum of the steps",
    "views_draw_nothing": "views are built twice",
    "reset_restarts": "afresh",
}


@pytest.fixture(scope="module")
def coin():
    return make_coin()


def test_every_check_has_a_flaw_that_breaks_it():
    assert set(BUGS) == set(CHECKS) == set(SAYS)


def test_every_check_is_a_public_function_named_for_it():
    for name, check in CHECKS.items():
        assert check.__name__ == f"check_{name}"
        assert getattr(checks, check.__name__) is check and check.__name__ in checks.__all__
        assert check.__doc__ and check.__module__.startswith("evomesa.worlds.checks.")


def test_every_check_takes_the_same_arguments():
    expected = inspect.signature(CHECKS["declarations"])
    assert list(expected.parameters) == ["world", "individuals", "episodes", "seed"]
    for check in CHECKS.values():
        assert inspect.signature(check) == expected


def test_the_registry_of_checks_is_read_only():
    with pytest.raises(TypeError):
        CHECKS["mine"] = lambda world, **_: None


@pytest.mark.parametrize("name", CHECKS)
def test_each_check_passes_the_whole_toy_world(coin, name):
    assert CHECKS[name](coin) is None


@pytest.mark.parametrize("name", CHECKS)
def test_each_check_fails_the_toy_world_broken_for_it(name):
    if name == "thread_count_independence" and numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs numba to allow at least 2 threads")
    with pytest.raises(em.ConfigError, match=SAYS[name]):
        CHECKS[name](make_coin(bug=name))


@pytest.mark.parametrize("name", CHECKS)
def test_check_world_fails_every_broken_toy_world(name):
    if name == "thread_count_independence" and numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs numba to allow at least 2 threads")
    with pytest.raises(em.ConfigError):
        em.check_world(make_coin(bug=name))


@pytest.mark.parametrize("name", CHECKS)
def test_a_check_run_alone_checks_its_arguments(coin, name):
    with pytest.raises(em.ConfigError, match="World"):
        CHECKS[name]("coin")
    with pytest.raises(em.ConfigError, match="individuals"):
        CHECKS[name](coin, individuals=0)
    with pytest.raises(em.ConfigError, match="seed"):
        CHECKS[name](coin, seed=-1)


def test_check_world_runs_every_check_and_says_what_it_compared(coin):
    checked = em.check_world(coin, individuals=2, episodes=3, seed=7)
    assert checked == {
        "world": "coin",
        "genomes": ("reflex", "planner", "hybrid"),
        "regimes": ("fair", "rigged"),
        "episodes_compared": 3 * 2 * 2 * 3,
    }


def test_the_thread_check_gives_the_callers_thread_count_back(coin):
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs numba to allow at least 2 threads")
    saved = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        checks.check_thread_count_independence(coin)
        assert numba.get_num_threads() == 1
    finally:
        numba.set_num_threads(saved)
