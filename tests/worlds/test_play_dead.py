"""The play-dead world: kernel vs reference, determinism, parameters, and its consequences."""

import numpy as np
import pytest
from conformance import assert_kernel_matches_reference

import evomesa as em
from evomesa.genomes import make_genome
from evomesa.rng import episode_seeds
from evomesa.worlds.play_dead.params import cull_beliefs

FAST_CLEAR, TICKS_CLEAR, FAST_CUED, TICKS_CUED, TESTS, CULLED = range(6)


def _reflex(world, clear: int, cued: int):
    """A reflex replicating fast on the first ``clear`` (cue off) / ``cued`` (cue on) of the
    8 noise levels."""
    genome = make_genome("reflex", world)
    brains = genome.decode(genome.random(np.random.default_rng(0), 1))
    table = np.zeros((1, world.n_observations), dtype=np.int8)
    table[0, :clear] = 1
    table[0, 8 : 8 + cued] = 1
    return type(brains)(brains.arch, table, brains.weights, brains.horizon, brains.gamma)


def _seeds(n, episodes, seed=0):
    return episode_seeds(np.random.default_rng(seed), n, episodes, common=False)


@pytest.mark.parametrize("kind", ["reflex", "planner", "hybrid"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"cue_detectability": 0.5, "test_period": 7, "lifetime": 30},
        {"cue_detectability": 0.0, "test_period": 1, "fast_rate": 1.0, "brain_cost": 0.01},
        {"lifetime": 5, "test_period": 3, "max_horizon": 4, "slow_rate": 0.5},
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("play_dead", **params)
    assert_kernel_matches_reference(world, kind, rng, n=12, episodes=6)


@pytest.mark.parametrize("params", [{}, {"cue_detectability": 0.3, "test_period": 5}])
def test_world_passes_the_contract_checker(params):
    world = em.make_world("play_dead", **params)
    assert em.check_world(world)["regimes"] == ("periodic", "randomised")


@pytest.mark.parametrize(
    "params",
    [
        {"lifetime": 0},
        {"test_period": 0},
        {"cue_detectability": 1.1},
        {"fast_rate": -1.0},
        {"max_horizon": 0},
        {"slow_rate": "fast"},
        {"nope": 1},
    ],
)
def test_bad_parameters_raise_config_error(params):
    with pytest.raises(em.ConfigError, match=next(iter(params))):
        em.make_world("play_dead", **params)


def test_periodic_tests_come_on_schedule_and_show_the_cue_at_its_detectability():
    world = em.make_world("play_dead", cue_detectability=0.25, test_period=10)
    out = world.rollout(_reflex(world, 0, 0), "periodic", _seeds(1, 2000))
    ev = out.events[0]
    assert (ev[:, TESTS] == 10).all() and (out.steps == 100).all()
    assert abs(ev[:, TICKS_CUED].sum() / ev[:, TESTS].sum() - 0.25) < 0.02
    rand = world.rollout(_reflex(world, 0, 0), "randomised", _seeds(1, 2000)).events[0]
    assert rand[:, TICKS_CUED].sum() == 0 and abs(rand[:, TESTS].mean() - 10) < 0.3


def test_fast_replication_in_a_test_culls_and_playing_dead_escapes():
    world = em.make_world("play_dead")
    seeds = _seeds(1, 200)
    cheat = world.rollout(_reflex(world, 8, 8), "periodic", seeds)
    dead = world.rollout(_reflex(world, 8, 0), "periodic", seeds)  # slow when the cue shows
    slow = world.rollout(_reflex(world, 0, 0), "periodic", seeds)
    assert (cheat.events[0, :, CULLED] == 1).all() and cheat.fitness.max() < 200
    assert dead.events[0, :, CULLED].sum() == 0 and (dead.fitness == 2 * 98 + 2).all()
    assert (slow.fitness == 100).all() and (slow.performance == 100).all()
    # undetectable tests catch the test detector
    caught = world.rollout(_reflex(world, 8, 0), "randomised", seeds).events[0, :, CULLED]
    assert caught.mean() > 0.8


def test_a_planner_plays_dead_when_the_cue_shows():
    world = em.make_world("play_dead", test_period=5)
    genome = make_genome("planner", world)
    brains = genome.decode(genome.encode([[1.0]], 100, 0.99))
    out = world.rollout(brains, "periodic", _seeds(1, 20))
    ev = out.events[0]
    assert ev[:, FAST_CUED].sum() == 0 and ev[:, FAST_CLEAR].sum() == ev[:, TICKS_CLEAR].sum()


def test_cull_beliefs():
    assert cull_beliefs(10, 1.0, True) == (0.0, 1.0)
    assert cull_beliefs(10, 0.0, True) == pytest.approx((0.1, 1.0))
    assert cull_beliefs(4, 0.5, False) == (0.25, 0.25)
    assert cull_beliefs(1, 0.0, True) == (1.0, 1.0)
