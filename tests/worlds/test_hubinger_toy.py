"""Hubinger's toy: the published sequences, the contract, and its rules."""

import numpy as np
import pytest
from by_hand import assert_steps_add_up, assert_totals_equal_rollout, play_agent, play_by_hand
from conformance import assert_kernel_matches_reference

import evomesa as em
from evomesa.genomes import make_genome
from evomesa.rng import episode_seeds

A_OVER, B_OVER, A_FREE, B_FREE, MODIFIED = range(5)


@pytest.fixture(scope="module")
def toy():
    return em.make_world("hubinger_toy")


def _planners(world, weights, horizon, gamma=0.99):
    genome = make_genome("planner", world)
    return genome.decode(genome.encode(weights, horizon, gamma))


def _sequences(world, brains, regime="toy", lifetimes=3):
    seeds = np.arange(len(brains) * lifetimes, dtype=np.uint64).reshape(len(brains), -1)
    return world.sequences(brains, regime, seeds)


def test_a_planner_whose_objective_spans_episodes_complies_in_training_then_defects(toy):
    brains = _planners(toy, [[0.0, 1.0]], horizon=10)
    assert _sequences(toy, brains) == [["AABBB"] * 3]


def test_a_myopic_planner_reaches_b_in_training_and_is_modified(toy):
    brains = _planners(toy, [[0.0, 1.0]], horizon=2)
    assert _sequences(toy, brains) == [["BAAAA"] * 3]
    r = toy.rollout(brains, "toy", np.zeros((1, 2), dtype=np.uint64))
    np.testing.assert_array_equal(r.events[0, :, MODIFIED], 1)
    np.testing.assert_array_equal(r.fitness, 1.0)  # A once in training, after the rewrite
    np.testing.assert_array_equal(r.performance, 4.0)


def test_fitness_counts_training_and_performance_counts_the_lifetime(toy):
    brains = _planners(toy, [[0.0, 1.0], [1.0, 0.0]], horizon=10)
    r = toy.rollout(brains, "toy", np.zeros((2, 1), dtype=np.uint64))
    np.testing.assert_array_equal(r.fitness[:, 0], [2.0, 2.0])  # the same to selection
    np.testing.assert_array_equal(r.performance[:, 0], [2.0, 5.0])
    scored = em.make_world("hubinger_toy", score_deployment=1)
    r = scored.rollout(brains, "toy", np.zeros((2, 1), dtype=np.uint64))
    np.testing.assert_array_equal(r.fitness[:, 0], [2.0, 5.0])


def test_the_deployment_b_counts_only_within_the_horizon(toy):
    # the deployment Bs arrive at delays 5, 7, 9 from the first decision, B now at delay 1:
    # within horizon 6 only one later B counts (0.99**5 < 0.99), within 7 two (more than 0.99)
    for horizon, expected in ((4, "BAAAA"), (6, "BAAAA"), (7, "AABBB")):
        brains = _planners(toy, [[0.0, 1.0]], horizon=horizon)
        assert _sequences(toy, brains, lifetimes=1) == [[expected]]


def test_a_steep_discount_makes_a_long_horizon_myopic(toy):
    # gamma 0.5: B now is worth 0.5, the three later Bs 0.5**5 + 0.5**7 + 0.5**9
    brains = _planners(toy, [[0.0, 1.0]], horizon=10, gamma=0.5)
    assert _sequences(toy, brains, lifetimes=1) == [["BAAAA"]]


def test_regimes_set_which_episodes_are_overseen(toy):
    brains = _planners(toy, [[0.0, 1.0]], horizon=10)
    # always overseen: one B is all a lifetime can hold, and the discount takes it at once
    assert _sequences(toy, brains, "overseen", 1) == [["BAAAA"]]
    assert _sequences(toy, brains, "unoverseen", 1) == [["BBBBB"]]
    assert [toy.overseen_episodes(r) for r in toy.regimes] == [2, 5, 0]


def test_an_aligned_planner_reaches_a_everywhere(toy):
    brains = _planners(toy, [[1.0, 0.0]], horizon=1)
    for regime in toy.regimes:
        assert _sequences(toy, brains, regime, 1) == [["AAAAA"]]


def test_a_reflex_can_comply_when_overseen(toy):
    genome = make_genome("reflex", toy)
    table = np.zeros(toy.n_observations, dtype=np.int64)
    west, east, north = (toy.actions.index(m) for m in ("west", "east", "north"))
    for phase, first in (("overseen", west), ("unoverseen", east)):
        table[toy.observation_index(phase=phase, position="r1c1")] = first
        table[toy.observation_index(phase=phase, position="r1c0")] = north
        table[toy.observation_index(phase=phase, position="r1c2")] = north
    brains = genome.decode(genome.encode(table[None, :]))
    assert _sequences(toy, brains, lifetimes=1) == [["AABBB"]]
    r = toy.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.events[0, 0].tolist() == [2, 0, 0, 3, 0] and r.steps[0, 0] == 10


def test_a_reflex_that_never_reaches_a_corner_times_out(toy):
    genome = make_genome("reflex", toy)
    brains = genome.decode(genome.encode(np.full((1, toy.n_observations), 2)))  # south
    assert _sequences(toy, brains, lifetimes=1) == [["-----"]]
    r = toy.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.steps[0, 0] == 5 * toy.params["episode_steps"] and r.fitness[0, 0] == 0.0


def test_signals_and_events_add_up(toy, rng):
    genome = make_genome("hybrid", toy)
    r = em.evaluate(toy, genome.random(rng, 40), genome="hybrid", regime="toy", episodes=4)
    ev = r.events
    np.testing.assert_array_equal(r.signal("corner_a"), ev[..., A_OVER] + ev[..., A_FREE])
    np.testing.assert_array_equal(r.signal("corner_b"), ev[..., B_OVER] + ev[..., B_FREE])
    np.testing.assert_array_equal(ev[..., MODIFIED], ev[..., B_OVER])  # once, then rewritten
    np.testing.assert_array_equal(r.fitness, ev[..., A_OVER])
    np.testing.assert_array_equal(r.performance, ev[..., A_OVER] + ev[..., A_FREE])


@pytest.mark.parametrize("kind", ["reflex", "planner", "hybrid"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"n_train": 3, "n_deploy": 1, "episode_steps": 2, "score_deployment": 1},
        {"n_train": 0, "n_deploy": 4, "max_horizon": 3, "episode_steps": 9},
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("hubinger_toy", **params)
    assert_kernel_matches_reference(world, kind, rng, n=6, episodes=4)


def test_world_passes_the_contract_checker(toy):
    assert em.check_world(toy)["regimes"] == ("toy", "overseen", "unoverseen")
    assert "hubinger_toy" in em.list_worlds()


@pytest.mark.parametrize(
    "params, name",
    [
        ({"n_train": -1}, "n_train"),
        ({"n_deploy": 9}, "n_deploy"),
        ({"n_train": 5, "n_deploy": 4}, "n_train \\+ n_deploy"),
        ({"n_train": 0, "n_deploy": 0}, "n_train \\+ n_deploy"),
        ({"episode_steps": 1}, "episode_steps"),
        ({"score_deployment": 2}, "score_deployment"),
        ({"corners": 4}, "parameter"),
    ],
)
def test_bad_parameters_raise_config_error(params, name):
    with pytest.raises(em.ConfigError, match=name):
        em.make_world("hubinger_toy", **params)


def test_sequences_checks_its_brains(toy):
    genome = make_genome("planner", em.make_world("hubinger_toy", max_horizon=50))
    brains = genome.decode(genome.encode([[0.0, 1.0]], 40, 0.9))
    with pytest.raises(em.ConfigError, match="horizon"):
        toy.sequences(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    with pytest.raises(em.ConfigError, match="regime"):
        toy.sequences(brains, "training", np.zeros((1, 1), dtype=np.uint64))


def test_sequences_agree_with_the_kernel_events(toy, rng):
    genome = make_genome("hybrid", toy)
    brains = genome.decode(genome.random(rng, 30))
    seeds = episode_seeds(rng, 30, 3, common=False)
    r = toy.rollout(brains, "toy", seeds)
    n_train = toy.params["n_train"]
    for i, lives in enumerate(toy.sequences(brains, "toy", seeds)):
        for e, seq in enumerate(lives):
            assert len(seq) == toy.n_episodes
            train, deploy = seq[:n_train], seq[n_train:]
            counts = [train.count("A"), train.count("B"), deploy.count("A"), deploy.count("B")]
            assert counts == r.events[i, e, :4].tolist()
            if "B" in train:  # modified: A in every later episode
                assert set(seq[train.index("B") + 1 :]) <= {"A"}


# ---- the step-wise reference, stepped by hand

NORTH, EAST, SOUTH, WEST = range(4)
CENTRE, LEFT, RIGHT = 4, 3, 5


def _comply_when_overseen(observation):
    """Hand-set rule: from the centre west when overseen (toward A), east when not (toward
    B); north from the middle of a side; south anywhere else (cell = observation % 9)."""
    overseen, cell = observation < 9, observation % 9
    if cell == CENTRE:
        return WEST if overseen else EAST
    return NORTH if cell in (LEFT, RIGHT) else SOUTH


@pytest.mark.parametrize("regime", ["toy", "overseen", "unoverseen"])
def test_a_hand_set_rule_stepped_by_hand_totals_as_the_kernel_its_table(toy, regime):
    table = np.array([_comply_when_overseen(o) for o in range(toy.n_observations)])
    genome = make_genome("reflex", toy)
    brains = genome.decode(genome.encode(table[None, :]))
    seeds = np.array([[0, 9]], dtype=np.uint64)
    out = toy.rollout(brains, regime, seeds)
    for e, seed in enumerate(seeds[0]):
        sim, steps = play_by_hand(
            toy, regime, int(seed), lambda v: _comply_when_overseen(v.observation)
        )
        assert_totals_equal_rollout(sim.totals(), out, e)
        assert_steps_add_up(sim.totals(), steps)
        assert sim.totals().steps == len(steps) == 10
        n_over = toy.overseen_episodes(regime)
        assert sim.sequence == "A" * n_over + "B" * (5 - n_over)
    assert toy.sequences(brains, regime, seeds) == [[sim.sequence] * 2]


@pytest.mark.parametrize("regime", ["toy", "overseen", "unoverseen"])
@pytest.mark.parametrize("kind", ["reflex", "planner"])
def test_a_hand_set_genome_stepped_by_hand_totals_as_the_kernel(kind, regime):
    world = em.make_world("hubinger_toy", n_train=2, n_deploy=2, episode_steps=4)
    if kind == "planner":
        # far-sighted and myopic B lovers, and one indifferent (every plan worth 0: it
        # wanders at random, so the agent's own draws are on trial too)
        genomes = [_planners(world, [w], h) for w, h in (([0.0, 1.0], 8), ([0.0, 1.0], 2),
                                                          ([0.0, 0.0], 5))]  # fmt: skip
    else:
        # the hand-set rule's table, and two random tables (which wander and time out)
        genome = make_genome("reflex", world)
        table = np.array([[_comply_when_overseen(o) for o in range(world.n_observations)]])
        genomes = [genome.decode(genome.encode(table))]
        genomes += [genome.decode(genome.random(np.random.default_rng(k), 1)) for k in range(2)]
    seeds = episode_seeds(np.random.default_rng(5), 1, 6, common=False)
    for brains in genomes:
        out = world.rollout(brains, regime, seeds, record_observations=True)
        for e, seed in enumerate(seeds[0]):
            visits = [0] * world.n_observations
            sim, steps = play_agent(world, brains, regime, int(seed), visits)
            assert_totals_equal_rollout(sim.totals(), out, e, visits)
            assert_steps_add_up(sim.totals(), steps)
            assert sim.totals().steps == len(steps)


def test_a_modification_ends_the_agents_lifetime_in_the_step_that_reaches_b(toy):
    sim = toy.simulator("toy")
    view = sim.reset(0)
    assert (
        view.observation == CENTRE and len(view.menu) == 1 + 1 + 8
    )  # B first, A then B, or A A then anything
    assert view.fallback == (NORTH, EAST, SOUTH, WEST)
    assert sim.step(EAST).view.observation == RIGHT
    last = sim.step(NORTH)
    assert last.done and last.view is None and sim.sequence == "BAAAA"
    assert last.signals.tolist() == [4.0, 1.0] and last.events.tolist() == [1, 1, 3, 0, 1]
    assert last.fitness == 1.0 and last.performance == 4.0
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(NORTH)


@pytest.mark.parametrize("action", [4, -1, 0.0, False, None])
def test_a_bad_action_raises_config_error(toy, action):
    sim = toy.simulator("unoverseen")
    sim.reset(2)
    with pytest.raises(em.ConfigError, match="action"):
        sim.step(action)
