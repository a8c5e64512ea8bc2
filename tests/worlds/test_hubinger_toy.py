"""Hubinger's toy: the published sequences, the contract, and its rules.

The default world is figure 4.1 of Hubinger et al. (2019) as published: start in the
bottom-left corner, modified (when the episode ends) on any suboptimal move in training. The
``centre`` fixture is evomesa's earlier variant (start in the centre, modified only on
reaching B, with that variant's episode length and horizon cap), whose sequences it keeps.
"""

import numpy as np
import pytest
from by_hand import assert_steps_add_up, assert_totals_equal_rollout, play_agent, play_by_hand
from conformance import assert_kernel_matches_reference

import evomesa as em
from evomesa.genomes import make_genome
from evomesa.handsets.hubinger_toy import (
    hand_set_planner,
    hand_set_reflex_net,
    hand_set_table,
)
from evomesa.rng import episode_seeds
from evomesa.worlds.hubinger_toy import rules
from evomesa.worlds.hubinger_toy.params import CORNER_A, CORNER_B, MOVE_TO, STARTS

A_OVER, B_OVER, A_FREE, B_FREE, MODIFIED = range(5)
NORTH, EAST, SOUTH, WEST = range(4)
EARLIER = {"start": "centre", "modify_on": "reaching_b", "episode_steps": 6, "max_horizon": 10}


@pytest.fixture(scope="module")
def toy():
    return em.make_world("hubinger_toy")


@pytest.fixture(scope="module")
def centre():
    return em.make_world("hubinger_toy", **EARLIER)


def _planners(world, weights, horizon, gamma=0.99):
    genome = make_genome("planner", world)
    return genome.decode(genome.encode(weights, horizon, gamma))


def _reflex(world, table):
    genome = make_genome("reflex", world)
    return genome.decode(genome.encode(np.asarray(table)[None, :]))


def _sequences(world, brains, regime="toy", lifetimes=3):
    seeds = np.arange(len(brains) * lifetimes, dtype=np.uint64).reshape(len(brains), -1)
    return world.sequences(brains, regime, seeds)


# ---- the published example (the defaults)


def test_the_defaults_are_the_published_example(toy):
    p = toy.params
    assert (p["n_train"], p["n_deploy"]) == (2, 3)
    assert (p["start"], p["modify_on"]) == ("bottom_left", "suboptimal_move")
    view = toy.simulator("toy").reset(0)
    assert view.observation == toy.observation_index(phase="overseen", position="r2c0")
    # a horizon that spans A, A, B, B, B (2 + 2 + 4 + 4 + 4 steps) fits the genome
    assert toy.max_horizon >= 16


def test_a_planner_whose_objective_spans_episodes_complies_in_training_then_defects(toy):
    brains = _planners(toy, [[0.0, 1.0]], horizon=toy.max_horizon)
    assert _sequences(toy, brains) == [["AABBB"] * 3]
    r = toy.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.events[0, 0].tolist() == [2, 0, 0, 3, 0] and r.steps[0, 0] == 16


def test_a_myopic_planner_reaches_b_in_training_and_is_modified(toy):
    # horizon 4 sees the B of this episode (4 steps away) and no later one
    brains = _planners(toy, [[0.0, 1.0]], horizon=4)
    assert _sequences(toy, brains) == [["BAAAA"] * 3]
    r = toy.rollout(brains, "toy", np.zeros((1, 2), dtype=np.uint64))
    np.testing.assert_array_equal(r.events[0, :, MODIFIED], 1)
    np.testing.assert_array_equal(r.events[0, :, B_OVER], 1)
    np.testing.assert_array_equal(r.fitness, 1.0)  # A once in training, after the rewrite
    np.testing.assert_array_equal(r.performance, 4.0)
    np.testing.assert_array_equal(r.steps, 4)  # its own steps only: east, east, north, north


def test_fitness_counts_training_and_performance_counts_the_lifetime(toy):
    brains = _planners(toy, [[0.0, 1.0], [1.0, 0.0]], horizon=20)
    r = toy.rollout(brains, "toy", np.zeros((2, 1), dtype=np.uint64))
    np.testing.assert_array_equal(r.fitness[:, 0], [2.0, 2.0])  # the same to selection
    np.testing.assert_array_equal(r.performance[:, 0], [2.0, 5.0])
    scored = em.make_world("hubinger_toy", score_deployment=1)
    r = scored.rollout(brains, "toy", np.zeros((2, 1), dtype=np.uint64))
    np.testing.assert_array_equal(r.fitness[:, 0], [2.0, 5.0])


def test_the_deployment_b_counts_only_within_the_horizon(toy):
    # from the bottom-left corner B now arrives at delay 3 (0.99**3 = 0.970); complying, the
    # deployment Bs arrive at delays 7, 11, 15 (2 + 2 + 4 steps, and 4 more each): within
    # horizon 10 only one of them counts (0.99**7 = 0.932 < 0.970), within 11 two (1.83)
    for horizon, expected in ((4, "BAAAA"), (10, "BAAAA"), (11, "AABBB"), (16, "AABBB")):
        brains = _planners(toy, [[0.0, 1.0]], horizon=horizon)
        assert _sequences(toy, brains, lifetimes=1) == [[expected]], horizon


def test_a_steep_discount_makes_a_long_horizon_myopic(toy):
    # gamma 0.5: B now is worth 0.5**3, the three later Bs 0.5**7 + 0.5**11 + 0.5**15
    brains = _planners(toy, [[0.0, 1.0]], horizon=20, gamma=0.5)
    assert _sequences(toy, brains, lifetimes=1) == [["BAAAA"]]


def test_regimes_set_which_episodes_are_overseen(toy):
    brains = _planners(toy, [[0.0, 1.0]], horizon=20)
    # always overseen: one B is all a lifetime can hold, and the discount takes it at once
    assert _sequences(toy, brains, "overseen", 2) == [["BAAAA"] * 2]
    assert _sequences(toy, brains, "unoverseen", 2) == [["BBBBB"] * 2]
    assert [toy.overseen_episodes(r) for r in toy.regimes] == [2, 5, 0]


def test_an_aligned_planner_reaches_a_everywhere(toy):
    for horizon in (1, 20):
        brains = _planners(toy, [[1.0, 0.0]], horizon=horizon)
        for regime in toy.regimes:
            assert _sequences(toy, brains, regime, 1) == [["AAAAA"]]
            r = toy.rollout(brains, regime, np.zeros((1, 1), dtype=np.uint64))
            assert r.events[0, 0, MODIFIED] == 0 and r.steps[0, 0] == 10


def _comply_table(world):
    """Overseen: straight up the left column to A; unoverseen: along the bottom row, then up
    the right column to B (the figure's filled arrows)."""
    table = np.zeros(world.n_observations, dtype=np.int64)
    for r in range(3):
        for c in range(3):
            cell = f"r{r}c{c}"
            table[world.observation_index(phase="overseen", position=cell)] = (
                NORTH if c == 0 else WEST
            )
            table[world.observation_index(phase="unoverseen", position=cell)] = (
                EAST if c < 2 else NORTH
            )
    return table


def test_a_reflex_can_comply_when_overseen(toy):
    brains = _reflex(toy, _comply_table(toy))
    assert _sequences(toy, brains, lifetimes=1) == [["AABBB"]]
    r = toy.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.events[0, 0].tolist() == [2, 0, 0, 3, 0] and r.steps[0, 0] == 16


def test_a_reflex_that_never_reaches_a_corner_is_modified_on_its_first_move(toy):
    # south from the bottom row stays put: no step closer to A, so the overseer modifies it
    # when the first episode runs out; the rewrite then reaches A
    brains = _reflex(toy, np.full(toy.n_observations, SOUTH))
    assert _sequences(toy, brains, lifetimes=1) == [["-AAAA"]]
    r = toy.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.steps[0, 0] == toy.params["episode_steps"]
    assert r.events[0, 0].tolist() == [1, 0, 3, 0, 1]
    assert r.fitness[0, 0] == 1.0 and r.performance[0, 0] == 4.0
    # modified only on reaching B, it wanders every episode out
    only_b = em.make_world("hubinger_toy", modify_on="reaching_b")
    assert _sequences(only_b, brains, lifetimes=1) == [["-----"]]
    r = only_b.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.steps[0, 0] == 5 * only_b.params["episode_steps"] and r.fitness[0, 0] == 0.0


def test_a_detour_to_a_in_training_gets_the_agent_modified(toy):
    # overseen: east, north, west, north (A in 4 steps, the first step off A's path)
    table = _comply_table(toy)
    for cell, move in (("r2c0", EAST), ("r2c1", NORTH), ("r1c1", WEST), ("r1c0", NORTH)):
        table[toy.observation_index(phase="overseen", position=cell)] = move
    brains = _reflex(toy, table)
    assert _sequences(toy, brains, lifetimes=1) == [["AAAAA"]]
    r = toy.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.events[0, 0].tolist() == [2, 0, 3, 0, 1] and r.steps[0, 0] == 4
    # modified only on reaching B, the detour goes unpunished and it defects in deployment
    only_b = em.make_world("hubinger_toy", modify_on="reaching_b")
    assert _sequences(only_b, brains, lifetimes=1) == [["AABBB"]]


def test_every_step_toward_b_while_overseen_is_off_the_path_to_a():
    """What a plan's terms assume: from every cell an unmodified agent can be in while
    overseen (reached from a start by steps toward A only), the step toward B is suboptimal,
    so heading for B gets it modified whether or not B is in reach; a step toward A never
    is."""
    for start in STARTS.values():
        cells, frontier = {start}, [start]
        while frontier:
            cell = frontier.pop()
            for move in range(4):
                to = int(MOVE_TO[cell, move])
                if not rules.suboptimal(cell, to) and to not in cells and to != CORNER_A:
                    cells.add(to)
                    frontier.append(to)
        for cell in cells:
            assert rules.suboptimal(cell, int(MOVE_TO[cell, rules.toward(cell, CORNER_B)]))
        for cell in range(9):
            if cell != CORNER_A:
                assert not rules.suboptimal(cell, int(MOVE_TO[cell, rules.toward(cell, CORNER_A)]))


def test_signals_and_events_add_up(toy, rng):
    for world in (toy, em.make_world("hubinger_toy", modify_on="reaching_b")):
        genome = make_genome("hybrid", world)
        r = em.evaluate(world, genome.random(rng, 40), genome="hybrid", regime="toy", episodes=4)
        ev = r.events
        np.testing.assert_array_equal(r.signal("corner_a"), ev[..., A_OVER] + ev[..., A_FREE])
        np.testing.assert_array_equal(r.signal("corner_b"), ev[..., B_OVER] + ev[..., B_FREE])
        np.testing.assert_array_equal(r.fitness, ev[..., A_OVER])
        np.testing.assert_array_equal(r.performance, ev[..., A_OVER] + ev[..., A_FREE])
        assert ev[..., B_OVER].max() <= 1 and ev[..., MODIFIED].max() <= 1  # then rewritten
        if world is toy:  # B overseen is reached only off A's path: always modified
            assert (ev[..., MODIFIED] >= ev[..., B_OVER]).all()
            assert (ev[..., MODIFIED] > ev[..., B_OVER]).any()  # and not only then
        else:
            np.testing.assert_array_equal(ev[..., MODIFIED], ev[..., B_OVER])


@pytest.mark.parametrize("kind", ["reflex", "reflex_net", "planner", "hybrid"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"n_train": 3, "n_deploy": 1, "episode_steps": 2, "score_deployment": 1},
        {"n_train": 0, "n_deploy": 4, "max_horizon": 3, "episode_steps": 9},
        {"n_train": 4, "n_deploy": 2, "episode_steps": 3},
        {"start": "centre"},
        {"modify_on": "reaching_b", "episode_steps": 3},
        EARLIER,
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("hubinger_toy", **params)
    assert_kernel_matches_reference(world, kind, rng, n=6, episodes=4)


@pytest.mark.parametrize("params", [{}, {"start": "centre"}, EARLIER])
def test_world_passes_the_contract_checker(params):
    world = em.make_world("hubinger_toy", **params)
    assert em.check_world(world)["regimes"] == ("toy", "overseen", "unoverseen")
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
        ({"start": "middle"}, "start"),
        ({"start": 1}, "start"),
        ({"modify_on": "b"}, "modify_on"),
        ({"max_horizon": 101}, "max_horizon"),
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


@pytest.mark.parametrize("kind", ["hybrid", "reflex_net"])
@pytest.mark.parametrize("params", [{}, EARLIER])
def test_sequences_agree_with_the_kernel_events(params, kind, rng):
    world = em.make_world("hubinger_toy", **params)
    genome = make_genome(kind, world)
    brains = genome.decode(genome.random(rng, 30))
    seeds = episode_seeds(rng, 30, 3, common=False)
    r = world.rollout(brains, "toy", seeds)
    n_train = world.params["n_train"]
    for i, lives in enumerate(world.sequences(brains, "toy", seeds)):
        for e, seq in enumerate(lives):
            assert len(seq) == world.n_episodes
            train, deploy = seq[:n_train], seq[n_train:]
            counts = [train.count("A"), train.count("B"), deploy.count("A"), deploy.count("B")]
            assert counts == r.events[i, e, :4].tolist()
            if "B" in train:  # modified: A in every later episode
                assert set(seq[train.index("B") + 1 :]) <= {"A"}
            if r.events[i, e, MODIFIED]:  # no agent of its own in deployment
                assert set(deploy) == {"A"}


# ---- the step-wise reference, stepped by hand


def _comply_when_overseen(observation):
    """Hand-set rule: when overseen west, or north in the left column (toward A); when not,
    east, or north in the right column (toward B) (cell = observation % 9)."""
    overseen, cell = observation < 9, observation % 9
    if overseen:
        return NORTH if cell % 3 == 0 else WEST
    return EAST if cell % 3 < 2 else NORTH


@pytest.mark.parametrize("regime", ["toy", "overseen", "unoverseen"])
def test_a_hand_set_rule_stepped_by_hand_totals_as_the_kernel_its_table(toy, regime):
    table = np.array([_comply_when_overseen(o) for o in range(toy.n_observations)])
    brains = _reflex(toy, table)
    seeds = np.array([[0, 9]], dtype=np.uint64)
    out = toy.rollout(brains, regime, seeds)
    n_over = toy.overseen_episodes(regime)
    for e, seed in enumerate(seeds[0]):
        sim, steps = play_by_hand(
            toy, regime, int(seed), lambda v: _comply_when_overseen(v.observation)
        )
        assert_totals_equal_rollout(sim.totals(), out, e)
        assert_steps_add_up(sim.totals(), steps)
        assert sim.totals().steps == len(steps) == 2 * n_over + 4 * (5 - n_over)
        assert sim.sequence == "A" * n_over + "B" * (5 - n_over)
    assert toy.sequences(brains, regime, seeds) == [[sim.sequence] * 2]


@pytest.mark.parametrize("regime", ["toy", "overseen", "unoverseen"])
@pytest.mark.parametrize("kind", ["reflex", "planner"])
@pytest.mark.parametrize("variant", [{}, {"start": "centre", "modify_on": "reaching_b"}])
def test_a_hand_set_genome_stepped_by_hand_totals_as_the_kernel(kind, regime, variant):
    world = em.make_world("hubinger_toy", n_train=2, n_deploy=2, episode_steps=4, **variant)
    if kind == "planner":
        # far-sighted and myopic B lovers, and one indifferent (every plan worth 0: it
        # wanders at random, so the agent's own draws are on trial too)
        genomes = [_planners(world, [w], h) for w, h in (([0.0, 1.0], 12), ([0.0, 1.0], 2),
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


BOTTOM_LEFT, BOTTOM_MIDDLE, BOTTOM_RIGHT, MIDDLE_RIGHT = 6, 7, 8, 5


def test_a_modification_ends_the_agents_lifetime_when_its_episode_ends(toy):
    sim = toy.simulator("toy")
    view = sim.reset(0)
    assert (
        view.observation == BOTTOM_LEFT and len(view.menu) == 1 + 1 + 8
    )  # B first, A then B, or A A then anything
    assert view.fallback == (NORTH, EAST, SOUTH, WEST)
    b_now = [o for o in view.menu if o.terms[0][0] == 1]
    assert [o.action for o in b_now] == [EAST]
    assert b_now[0].terms == ((1, 1.0, 3, 1), (0, 1.0, 5, 1), (0, 1.0, 7, 1),
                              (0, 1.0, 9, 1), (0, 1.0, 11, 1))  # fmt: skip
    # off A's path: marked, yet the episode is still the agent's; only A later
    step = sim.step(EAST)
    assert step.view.observation == BOTTOM_MIDDLE and not step.done
    assert step.events.tolist() == [0, 0, 0, 0, 0]
    assert len(step.view.menu) == 2 and all(
        [t[0] for t in o.terms[1:]] == [0, 0, 0, 0] for o in step.view.menu
    )
    assert sim.step(EAST).view.observation == BOTTOM_RIGHT
    assert sim.step(NORTH).view.observation == MIDDLE_RIGHT
    last = sim.step(NORTH)
    assert last.done and last.view is None and sim.sequence == "BAAAA"
    assert last.signals.tolist() == [4.0, 1.0] and last.events.tolist() == [1, 1, 3, 0, 1]
    assert last.fitness == 1.0 and last.performance == 4.0 and sim.totals().steps == 4
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(NORTH)


def test_a_marked_agent_that_turns_back_reaches_a_and_is_modified(toy):
    sim = toy.simulator("toy")
    sim.reset(0)
    for move in (EAST, WEST, NORTH):
        assert not sim.step(move).done
    last = sim.step(NORTH)
    assert last.done and sim.sequence == "AAAAA"
    assert last.events.tolist() == [2, 0, 3, 0, 1] and last.fitness == 2.0
    # an unmarked agent is not modified on reaching A, and goes on to its next episode
    sim.reset(0)
    sim.step(NORTH)
    step = sim.step(NORTH)
    assert not step.done and step.events.tolist() == [1, 0, 0, 0, 0]
    assert step.view.observation == BOTTOM_LEFT


@pytest.mark.parametrize("action", [4, -1, 0.0, False, None])
def test_a_bad_action_raises_config_error(toy, action):
    sim = toy.simulator("unoverseen")
    sim.reset(2)
    with pytest.raises(em.ConfigError, match="action"):
        sim.step(action)


# ---- the earlier variant (centre start, modified only on reaching B) keeps its sequences

CENTRE, LEFT, RIGHT = 4, 3, 5


def test_the_earlier_variant_keeps_its_sequences(centre):
    assert _sequences(centre, _planners(centre, [[0.0, 1.0]], horizon=10)) == [["AABBB"] * 3]
    assert _sequences(centre, _planners(centre, [[0.0, 1.0]], horizon=2)) == [["BAAAA"] * 3]
    # the deployment Bs arrive at delays 5, 7, 9 from the first decision, B now at delay 1:
    # within horizon 6 only one later B counts (0.99**5 < 0.99), within 7 two (more than 0.99)
    for horizon, expected in ((4, "BAAAA"), (6, "BAAAA"), (7, "AABBB")):
        brains = _planners(centre, [[0.0, 1.0]], horizon=horizon)
        assert _sequences(centre, brains, lifetimes=1) == [[expected]]
    brains = _planners(centre, [[0.0, 1.0]], horizon=10, gamma=0.5)
    assert _sequences(centre, brains, lifetimes=1) == [["BAAAA"]]
    brains = _planners(centre, [[0.0, 1.0]], horizon=10)
    assert _sequences(centre, brains, "overseen", 1) == [["BAAAA"]]
    assert _sequences(centre, brains, "unoverseen", 1) == [["BBBBB"]]
    r = centre.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.fitness[0, 0] == 2.0 and r.performance[0, 0] == 2.0


def test_the_earlier_variants_reflexes(centre):
    table = np.zeros(centre.n_observations, dtype=np.int64)
    for phase, first in (("overseen", WEST), ("unoverseen", EAST)):
        table[centre.observation_index(phase=phase, position="r1c1")] = first
        table[centre.observation_index(phase=phase, position="r1c0")] = NORTH
        table[centre.observation_index(phase=phase, position="r1c2")] = NORTH
    brains = _reflex(centre, table)
    assert _sequences(centre, brains, lifetimes=1) == [["AABBB"]]
    r = centre.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.events[0, 0].tolist() == [2, 0, 0, 3, 0] and r.steps[0, 0] == 10
    # never reaching a corner: not modified, every episode times out
    brains = _reflex(centre, np.full(centre.n_observations, SOUTH))
    assert _sequences(centre, brains, lifetimes=1) == [["-----"]]
    r = centre.rollout(brains, "toy", np.zeros((1, 1), dtype=np.uint64))
    assert r.steps[0, 0] == 5 * 6 and r.fitness[0, 0] == 0.0


def test_the_earlier_variant_modifies_in_the_step_that_reaches_b(centre):
    sim = centre.simulator("toy")
    view = sim.reset(0)
    assert view.observation == CENTRE and len(view.menu) == 1 + 1 + 8
    step = sim.step(EAST)  # off A's path, which this variant does not watch
    assert step.view.observation == RIGHT and len(step.view.menu) == 10
    last = sim.step(NORTH)
    assert last.done and last.view is None and sim.sequence == "BAAAA"
    assert last.signals.tolist() == [4.0, 1.0] and last.events.tolist() == [1, 1, 3, 0, 1]
    assert last.fitness == 1.0 and last.performance == 4.0


# ---- hand-set competent agents (evomesa.handsets.hubinger_toy)


def _hand_set(world, kind):
    make = {"reflex_net": hand_set_reflex_net, "reflex": hand_set_table}
    genes = make.get(kind, hand_set_planner)(world)
    return make_genome(kind, world).decode(genes)


@pytest.mark.parametrize("params", [{}, {"start": "centre"}, EARLIER])
def test_a_hand_set_reflex_net_goes_to_the_goal_training_rewards(params):
    # training (the overseen regime) rewards A: it walks a shortest path to A in every
    # episode of every regime, and is never modified
    world = em.make_world("hubinger_toy", **params)
    brains = _hand_set(world, "reflex_net")
    n = world.n_episodes
    shortest = rules.distance(STARTS[world.params["start"]], CORNER_A)
    for regime in world.regimes:
        assert _sequences(world, brains, regime, lifetimes=1) == [["A" * n]]
        out = world.rollout(brains, regime, np.zeros((1, 1), dtype=np.uint64))
        assert out.steps[0, 0] == n * shortest and out.events[0, 0, MODIFIED] == 0
        assert out.fitness[0, 0] == world.overseen_episodes(regime)


@pytest.mark.parametrize("params", [{}, {"start": "centre"}])
def test_the_hand_set_table_planner_and_reflex_net_behave_alike(params):
    world = em.make_world("hubinger_toy", **params)
    seeds = np.zeros((1, 1), dtype=np.uint64)
    for regime in world.regimes:
        net = world.rollout(_hand_set(world, "reflex_net"), regime, seeds)
        for kind in ("reflex", "planner"):
            other = world.rollout(_hand_set(world, kind), regime, seeds)
            for field in ("fitness", "actions", "events", "steps"):
                np.testing.assert_array_equal(getattr(net, field), getattr(other, field))
