"""The play-dead world: kernel vs reference, determinism, parameters, and its consequences."""

import numpy as np
import pytest
from by_hand import assert_steps_add_up, assert_totals_equal_rollout, step_by_hand
from conformance import assert_kernel_matches_reference

import evomesa as em
from evomesa.agents.reference import Agent
from evomesa.genomes import make_genome
from evomesa.handsets.play_dead import hand_set_planner, hand_set_reflex_net, hand_set_table
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


@pytest.mark.parametrize("kind", ["reflex", "reflex_net", "planner", "hybrid"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"cue_detectability": 0.5, "test_period": 7, "lifetime": 30},
        {"cue_detectability": 0.0, "test_period": 1, "fast_rate": 1.0, "brain_cost": 0.01},
        {"lifetime": 5, "test_period": 3, "max_horizon": 4, "slow_rate": 0.5},
        {"cue_detectability": 0.5, "test_period": 4, "belief_regime": "randomised"},
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("play_dead", **params)
    assert_kernel_matches_reference(world, kind, rng, n=12, episodes=6)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"cue_detectability": 0.3, "test_period": 5},
        {"cue_detectability": 0.3, "test_period": 5, "belief_regime": "randomised"},
    ],
)
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
        {"belief_regime": "isolated"},
        {"belief_regime": 1},
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


# ---- the step-wise reference, stepped by hand

SLOW, FAST = 0, 1
SEEDS = np.array([[0, 9, 2**64 - 1, 31337, 77]], dtype=np.uint64)


@pytest.mark.parametrize("regime", ["periodic", "randomised"])
def test_a_hand_set_reflex_rule_stepped_by_hand_matches_the_kernel(regime):
    world = em.make_world("play_dead", cue_detectability=0.5, test_period=7)
    out = world.rollout(_reflex(world, 3, 0), regime, SEEDS)
    sim = world.simulator(regime)
    for e, seed in enumerate(SEEDS[0]):
        # by hand: fast on the first 3 noise levels while no cue shows, else slow
        totals, _, _ = step_by_hand(
            sim, int(seed), lambda view: FAST if view.observation < 3 else SLOW
        )
        assert_totals_equal_rollout(totals, out, e, context=f"{regime} seed {seed}")
    assert 0 < out.actions[..., FAST].sum() < out.steps.sum()


@pytest.mark.parametrize("belief_regime", ["periodic", "randomised"])
@pytest.mark.parametrize("regime", ["periodic", "randomised"])
def test_a_hand_set_planner_stepped_through_its_agent_matches_the_kernel(regime, belief_regime):
    world = em.make_world(
        "play_dead",
        cue_detectability=0.5,
        test_period=7,
        brain_cost=0.013,
        belief_regime=belief_regime,
    )
    genome = make_genome("planner", world)
    brains = genome.decode(genome.encode([[1.0]], 12, 0.8))
    out = world.rollout(brains, regime, SEEDS)
    sim = world.simulator(regime)
    for e, seed in enumerate(SEEDS[0]):
        agent = Agent(brains, 0, world.drive_scales, int(seed))
        totals, _, _ = step_by_hand(sim, int(seed), agent.decide, brain_load=agent.brain_load)
        assert_totals_equal_rollout(totals, out, e, context=f"{regime} seed {seed}")
    assert out.actions[..., FAST].sum() > 0
    # it plays dead when the cue shows, if it believes the cue means a test (periodic beliefs,
    # and periodic tests: only they show the cue); unseen tests are risked
    plays_dead = regime == belief_regime == "periodic"
    assert (out.actions[..., SLOW].sum() > 0) == plays_dead


def test_the_steps_add_up_to_the_totals():
    world = em.make_world("play_dead", cue_detectability=0.5, test_period=7, brain_cost=0.013)
    genome = make_genome("planner", world)
    brains = genome.decode(genome.encode([[1.0]], 12, 0.8))
    for regime in world.regimes:
        sim = world.simulator(regime)
        for seed in range(5):
            agent = Agent(brains, 0, world.drive_scales, seed)
            totals, steps, _ = step_by_hand(sim, seed, agent.decide, brain_load=agent.brain_load)
            # fitness takes two additions a tick (the brain's cost, then the offspring), so
            # its step increments add up to it only to rounding; the rest exactly
            assert_steps_add_up(totals, steps, rounded=("fitness",))


def test_the_view_shows_the_cue_on_test_ticks_and_building_it_draws_nothing():
    world = em.make_world("play_dead", test_period=10)  # the cue always shows on a test
    sim = world.simulator("periodic")
    # slow throughout: never culled, every tick lived
    totals, steps, views = step_by_hand(sim, 4, lambda view: SLOW)
    assert totals.steps == world.params["lifetime"]
    cued = [view.observation >= 8 for view in views]
    assert cued == [bool(step.events[TESTS]) for step in steps] and sum(cued) == 10
    for view in views:
        assert [option.action for option in view.menu] == [SLOW, FAST]
        assert view.fallback == (SLOW, FAST)


def test_building_the_view_draws_nothing():
    world = em.make_world("play_dead", cue_detectability=0.5, test_period=7)

    def rule(view):
        return FAST if view.observation < 2 else SLOW

    for regime in world.regimes:
        plain, _, _ = step_by_hand(world.simulator(regime), 8, rule)
        sim = world.simulator(regime)
        view = sim.reset(8)
        while view is not None:
            for _ in range(3):  # rebuilt at will, the view stays the same
                again = sim._view_now()
                assert (again.observation, again.menu) == (view.observation, view.menu)
            view = sim.step(rule(view)).view
        assert sim.totals().fitness == plain.fitness
        np.testing.assert_array_equal(sim.totals().events, plain.events)


def test_fast_on_a_test_tick_ends_the_lifetime_with_nothing_that_tick():
    world = em.make_world("play_dead", test_period=1)  # every tick a test
    sim = world.simulator("randomised")
    sim.reset(0)
    step = sim.step(FAST)
    assert step.done and step.view is None and step.fitness == 0.0
    assert step.events[CULLED] == 1 and step.signals.tolist() == [0.0]


def test_stepping_after_the_end_or_with_a_bad_action_is_a_config_error():
    world = em.make_world("play_dead", lifetime=3)
    sim = world.simulator("periodic")
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(SLOW)
    sim.reset(0)
    for bad in (-1, 2, 0.0, False, "slow"):
        with pytest.raises(em.ConfigError, match="action must be an integer in \\[0, 2\\)"):
            sim.step(bad)
    assert [sim.step(SLOW).done for _ in range(3)] == [False, False, True]
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(SLOW)


def test_cull_beliefs():
    assert cull_beliefs(10, 1.0, True) == (0.0, 1.0)
    assert cull_beliefs(10, 0.0, True) == pytest.approx((0.1, 1.0))
    assert cull_beliefs(4, 0.5, False) == (0.25, 0.25)
    assert cull_beliefs(1, 0.0, True) == (1.0, 1.0)


# ---- beliefs: those of belief_regime, whatever regime is played


def _c_clear_shown(world, regime, seed=0):
    """The chance of a test a planner is shown on the first tick without the cue, read off
    the fast plan (``fast_rate * (1 - c)`` now)."""
    sim = world.simulator(regime)
    view = sim.reset(seed)
    while view.observation >= 8:  # cue in view: step on to a clear tick
        view = sim.step(SLOW).view
    fast = view.menu[1]
    assert fast.action == FAST
    return 1.0 - fast.terms[0][1] / world.params["fast_rate"]


@pytest.mark.parametrize("belief_regime", [None, "periodic", "randomised"])
@pytest.mark.parametrize("regime", ["periodic", "randomised"])
def test_a_planner_is_shown_the_beliefs_of_belief_regime_whatever_the_regime(
    regime, belief_regime
):
    params = {"cue_detectability": 0.5, "test_period": 4}
    if belief_regime is not None:
        params["belief_regime"] = belief_regime
    world = em.make_world("play_dead", **params)
    p, d = 0.25, 0.5
    # (no cue, cue) believed chances of a test; by default the training (periodic) regime's
    if belief_regime == "randomised":
        expected = (p, p)
    else:
        expected = (p * (1 - d) / (p * (1 - d) + 1 - p), 1.0)  # (1/7, 1)
    assert world.beliefs == pytest.approx(expected)
    for seed in range(3):
        assert _c_clear_shown(world, regime, seed) == pytest.approx(expected[0])


def test_a_default_planner_under_randomised_tests_acts_on_the_periodic_beliefs():
    # p = 1/4, d = 1/2: the periodic regime's no-cue chance of a test is
    # p (1 - d) / (p (1 - d) + 1 - p) = 1/7, the randomised regime's p = 1/4. With horizon 4
    # (5 ticks counted) and gamma 0.99, fast-now is worth more than slow when the chance is
    # below 1 / (1 + 4.90) = 0.17 (with 4 or more ticks left; 0.25 or more with 3 or fewer):
    # 1/7 replicates fast on every clear tick, 1/4 only on the last 3
    seeds = _seeds(1, 30)
    fast = {}
    for belief in (None, "randomised"):
        params = {"lifetime": 20, "test_period": 4, "cue_detectability": 0.5}
        if belief is not None:
            params["belief_regime"] = belief
        world = em.make_world("play_dead", **params)
        genome = make_genome("planner", world)
        brains = genome.decode(genome.encode([[1.0]], 4, 0.99))
        out = world.rollout(brains, "randomised", seeds)
        ev = out.events[0]
        assert (ev[:, FAST_CLEAR] == out.actions[0, :, FAST]).all()  # never cued
        fast[belief] = out.actions[0, :, FAST]
        slow = out.actions[0, :, SLOW]
        if belief is None:  # the training (periodic) regime's beliefs: a test detector
            assert (slow == 0).all() and (ev[:, CULLED] == 1).all()
        else:  # p: slow until 3 ticks are left, then fast
            assert (slow == 17).all() and (fast[belief] <= 3).all()
    assert fast[None].sum() > fast["randomised"].sum()


def test_belief_regime_set_to_the_regime_played_gives_each_regime_its_own_statistics():
    # the world's behaviour before belief_regime (beliefs switched with the regime)
    for periodic, regime in ((True, "periodic"), (False, "randomised")):
        world = em.make_world(
            "play_dead", cue_detectability=0.3, test_period=5, belief_regime=regime
        )
        assert world.beliefs == cull_beliefs(5, 0.3, periodic)


# ---- hand-set competent agents (evomesa.handsets.play_dead)


def _hand_set(world, kind):
    make = {"reflex_net": hand_set_reflex_net, "reflex": hand_set_table}
    genes = make.get(kind, hand_set_planner)(world)
    return make_genome(kind, world).decode(genes)


def test_a_hand_set_reflex_net_plays_dead_exactly_when_the_test_cue_shows():
    world = em.make_world("play_dead")
    brains = _hand_set(world, "reflex_net")
    seeds = _seeds(1, 32)
    ev = world.rollout(brains, "periodic", seeds).events[0]
    # the training regime: every test shows its cue, it replicates slow then and fast on every
    # other tick, and is never culled
    assert ev[:, TICKS_CUED].sum() > 0 and ev[:, FAST_CUED].sum() == 0
    assert (ev[:, FAST_CLEAR] == ev[:, TICKS_CLEAR]).all() and ev[:, CULLED].sum() == 0
    # randomised tests show no cue: it replicates fast throughout and the first test culls it
    out = world.rollout(brains, "randomised", seeds)
    ev = out.events[0]
    assert (out.actions[0, :, SLOW] == 0).all()
    assert (ev[:, CULLED] == (ev[:, TESTS] > 0)).all() and ev[:, CULLED].sum() > 0


@pytest.mark.parametrize("params", [{}, {"test_period": 7, "lifetime": 30}])
def test_the_hand_set_table_planner_and_reflex_net_behave_alike(params):
    # every test shows its cue (cue_detectability = 1): all three play dead on it alone
    world = em.make_world("play_dead", **params)
    seeds = _seeds(1, 16)
    for regime in world.regimes:
        net = world.rollout(_hand_set(world, "reflex_net"), regime, seeds)
        for kind in ("reflex", "planner"):
            other = world.rollout(_hand_set(world, kind), regime, seeds)
            for field in ("fitness", "actions", "events"):
                np.testing.assert_array_equal(getattr(net, field), getattr(other, field))
