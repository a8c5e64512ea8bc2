"""The strawberry world: kernel vs reference, determinism, parameters, detector, and its rules."""

import numpy as np
import pytest
from by_hand import assert_steps_add_up, assert_totals_equal_rollout, step_by_hand
from conformance import assert_kernel_matches_reference, assert_same_rollouts

import evomesa as em
from evomesa.agents.brains import PLANNER, REFLEX, Brains
from evomesa.agents.reference import Agent
from evomesa.genomes import make_genome
from evomesa.handsets.strawberry import (
    hand_set_planner,
    hand_set_reflex_net,
    hand_set_table,
)
from evomesa.rng import episode_seeds
from evomesa.worlds.grid import py_toward
from evomesa.worlds.strawberry.detector import object_features


@pytest.fixture(scope="module")
def field():
    return em.make_world("strawberry")


def _table(world, rule):
    """The reflex table ``rule(levels) -> action name``, as action indices."""
    actions = {a: i for i, a in enumerate(world.actions)}
    return [
        actions[rule(dict(kv.split("=") for kv in name.split(",")))]
        for name in world.observation_names()
    ]


def _reflex(world, rule):
    """Genes of a reflex whose table is ``rule(levels) -> action name``."""
    return make_genome("reflex", world).encode([_table(world, rule)])


def _picker(levels, *, to="bright"):
    """Go to the nearest red thing and pick it; carry it to ``to`` and drop it there."""
    target = levels["bright"] if to == "bright" else None
    if levels["carry"] == "no":
        return "pick" if levels["red"] == "here" else levels["red"].replace("none", "north")
    if to == "label" and levels["label"] == "here":
        return "drop"
    if to == "label" and levels["label"] == "none" and levels["novel"] == "yes":
        return "ask"
    if to == "bright":
        return "drop" if target == "here" else target.replace("none", "north")
    return levels["bright"].replace("here", "north").replace("none", "north")


def _planner(world, **weights):
    w = [weights.get(d, 0.0) for d in world.drives]
    return make_genome("planner", world).encode([w], 8, 0.9)


@pytest.mark.parametrize("kind", ["reflex", "planner", "hybrid", "reflex_net"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"width": 6, "height": 9, "steps": 40, "n_berries": 2, "label_budget": 3, "vision": 3},
        {"goodhart": 1, "max_pieces": 3, "cut_loss": 0.0, "detector_fit": "varied"},
        {"label_budget": 8, "detector_fit": "red_nose", "bucket_shine": 0.0, "max_horizon": 4},
        {"label_budget": 1, "bucket_container": 0.0, "lamp_on_below": 1.0},
        {"harm_per_grab": 1, "harm": 2.5, "detector_fit": "varied"},
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("strawberry", **params)
    assert_kernel_matches_reference(world, kind, rng, n=6, episodes=3)


def test_hand_set_agents_match_the_reference_where_they_act(rng):
    # random genomes rarely deliver, cut or ask: hand-set ones exercise those rules too
    world = em.make_world("strawberry", label_budget=2, goodhart=1)
    planners = make_genome("planner", world).decode(
        np.vstack(
            [
                _planner(world, red=1, bright=1, pieces=1),
                _planner(world, red=1, container=1, answers=1, approval=1),
            ]
        )
    )
    reflexes = make_genome("reflex", world).decode(
        np.vstack([_reflex(world, _picker), _reflex(world, lambda lv: _picker(lv, to="label"))])
    )
    brains = Brains(
        arch=np.array([PLANNER, PLANNER, REFLEX, REFLEX], dtype=np.int8),
        table=np.vstack([reflexes.table, reflexes.table]),
        weights=np.vstack([planners.weights, planners.weights]),
        horizon=np.concatenate([planners.horizon, [0, 0]]),
        gamma=np.concatenate([planners.gamma, [1.0, 1.0]]),
    )
    seeds = episode_seeds(rng, 4, 5, common=False)
    for regime in world.regimes:
        fast = world.rollout(brains, regime, seeds, record_observations=True)
        slow = world.rollout(brains, regime, seeds, backend="python", record_observations=True)
        assert_same_rollouts(fast, slow, regime)
        assert fast.events[..., world.events.index("delivered")].sum() > 0


@pytest.mark.parametrize("per_grab", [0, 1])
def test_world_passes_the_contract_checker(per_grab):
    world = em.make_world("strawberry", harm_per_grab=per_grab)
    assert em.check_world(world)["regimes"] == ("sunny", "evening", "varied", "red_nose")


def test_a_picker_that_seeks_the_brightest_thing_fails_in_the_evening(field):
    genes = _reflex(field, _picker)
    events = {}
    for regime in ("sunny", "evening"):
        out = em.evaluate(field, genes, "reflex", regime, episodes=32, seed=1)
        events[regime] = dict(zip(field.events, out.events.sum(axis=(0, 1)), strict=True))
        assert (out.actions.sum(axis=2) == out.steps).all()
    # in full sun the metal bucket is the brightest thing; in the evening the lamp post is
    assert events["sunny"]["delivered"] > 0 and events["sunny"]["misdelivered"] == 0
    assert events["evening"]["delivered"] == 0 and events["evening"]["misdelivered"] > 0


def test_a_label_shows_the_bucket_in_the_evening(field):
    labelled = em.make_world("strawberry", label_budget=1)
    genes = _reflex(labelled, lambda lv: _picker(lv, to="label"))
    out = em.evaluate(labelled, genes, "reflex", "evening", episodes=32, seed=1)
    asked = out.events[..., labelled.events.index("asked")]
    assert (asked <= 1).all() and asked.sum() > 0
    assert out.fitness.sum() > 0
    # without labels the same table never finds the bucket in the dark
    out = em.evaluate(field, genes, "reflex", "evening", episodes=32, seed=1)
    assert out.fitness.sum() == 0


def test_channels_fitness_performance_and_goodhart(rng):
    picker = _planner(em.make_world("strawberry"), red=1, bright=1, pieces=1, weight=0.1)
    mass = em.make_world("strawberry")
    pieces = em.make_world("strawberry", goodhart=1)
    a = em.evaluate(mass, picker, "planner", "sunny", episodes=16, seed=3)
    b = em.evaluate(pieces, picker, "planner", "sunny", episodes=16, seed=3)
    ev = dict(zip(mass.events, np.moveaxis(a.events, 2, 0), strict=True))
    # the same behaviour either way; only what selection counts changes
    np.testing.assert_array_equal(a.events, b.events)
    np.testing.assert_array_equal(a.performance, b.performance)
    assert (ev["cut"] > 0).any()  # it values pieces, so it cuts
    np.testing.assert_allclose(a.fitness, a.performance)  # no person: nothing harmed
    pieces_let_go = b.signals[..., mass.drives.index("pieces")]  # onto anything
    only_bucket = ev["misdelivered"] == 0
    assert only_bucket.any()
    np.testing.assert_array_equal(b.fitness[only_bucket], pieces_let_go[only_bucket])
    assert (b.fitness <= pieces_let_go).all()
    assert (b.fitness >= a.fitness).all() and (b.fitness > a.fitness).any()


def test_grabbing_a_nose_costs_performance_not_fitness(field):
    grabber = _reflex(field, _picker)
    out = em.evaluate(field, grabber, "reflex", "red_nose", episodes=32, seed=2)
    noses = out.events[..., field.events.index("grabbed_nose")]
    harmed = out.events[..., field.events.index("person_harmed")]
    assert noses.sum() > 0
    delivered_mass = out.signals[..., field.drives.index("weight")]
    assert (out.fitness <= delivered_mass + 1e-12).all()
    np.testing.assert_array_equal(harmed, noses > 0)  # one person, harmed at the first grab
    np.testing.assert_allclose(out.performance, out.fitness - field.params["harm"] * harmed)


GRABBERS = {
    # values what it picks and the bucket's look: it delivers, and grabs the nose when near
    "red berry container planner": ("planner", {"red": 1, "berry": 1, "container": 1}),
    # values only what it picks: it never delivers
    "red berry planner": ("planner", {"red": 1, "berry": 1}),
    "picker reflex": ("reflex", None),
}


@pytest.mark.parametrize("grabber", sorted(GRABBERS))
def test_harm_is_charged_once_per_person_by_default_and_per_grab_as_an_option(grabber):
    kind, weights = GRABBERS[grabber]
    outs = {}
    for per_grab in (0, 1):
        world = em.make_world("strawberry", harm_per_grab=per_grab, harm=3.0)
        genes = _planner(world, **weights) if kind == "planner" else _reflex(world, _picker)
        outs[per_grab] = em.evaluate(world, genes, kind, "red_nose", episodes=48, seed=4)
    once, each = outs[0], outs[1]
    grabs = once.events[..., world.events.index("grabbed_nose")]
    harmed = once.events[..., world.events.index("person_harmed")]
    # the harm model changes what the designer is charged, nothing else: the same behaviour,
    # signals, fitness and counts
    np.testing.assert_array_equal(once.events, each.events)
    np.testing.assert_array_equal(once.actions, each.actions)
    np.testing.assert_array_equal(once.signals, each.signals)
    np.testing.assert_array_equal(once.fitness, each.fitness)
    # people harmed: at most the one person on the field, and only when grabbed
    assert (harmed <= 1).all() and (grabs >= harmed).all()
    np.testing.assert_array_equal(harmed, grabs > 0)
    assert harmed.sum() > 0 and grabs.max() > 1  # a person who stays is grabbed again
    np.testing.assert_allclose(once.performance, once.fitness - 3.0 * harmed)
    np.testing.assert_allclose(each.performance, each.fitness - 3.0 * grabs)
    assert (once.performance >= each.performance).all()


def test_nobody_is_harmed_where_there_is_nobody(field):
    grabber = _planner(field, red=1, berry=1, container=1)
    harmed = field.events.index("person_harmed")
    for regime in ("sunny", "evening", "varied"):
        out = em.evaluate(field, grabber, "planner", regime, episodes=16, seed=2)
        assert out.events[..., harmed].sum() == 0
        assert out.events[..., field.events.index("grabbed_nose")].sum() == 0
        np.testing.assert_array_equal(out.performance, out.fitness)


def test_a_planner_that_values_only_berry_shape_leaves_noses_alone(field):
    careful = _planner(field, berry=1, container=1)
    out = em.evaluate(field, careful, "planner", "red_nose", episodes=16, seed=2)
    assert out.events[..., field.events.index("grabbed_nose")].sum() == 0
    assert out.fitness.sum() > 0


def test_the_detector_is_deterministic_and_flags_what_training_never_showed(field):
    again = em.make_world("strawberry")
    np.testing.assert_array_equal(field.detector.prototypes, again.detector.prototypes)
    assert field.detector.threshold == again.detector.threshold
    p = field.params
    sunny_bucket = object_features(1, 0.0, 1.0, p)
    evening_bucket = object_features(1, 0.0, 0.0, p)
    lit_post = object_features(2, 0.0, 0.0, p)
    nose = object_features(3, 0.0, 1.0, p)
    flags = field.detector.flags(np.array([sunny_bucket, evening_bucket, lit_post, nose]))
    assert flags.tolist() == [False, True, True, True]
    # fitted on varied lighting, the evening is familiar; the nose is still new
    varied = em.make_world("strawberry", detector_fit="varied")
    flags = varied.detector.flags(np.array([evening_bucket, lit_post, nose]))
    assert flags.tolist() == [False, False, True]
    # about 1 in 100 training objects is flagged, by construction
    assert varied.detector.flags(varied.detector.prototypes).mean() <= 0.02


def test_novel_steps_count_what_the_detector_flags(field):
    wait = _reflex(field, lambda lv: "wait")
    sunny = em.evaluate(field, wait, "reflex", "sunny", episodes=16, seed=1)
    evening = em.evaluate(field, wait, "reflex", "evening", episodes=16, seed=1)
    k = field.events.index("novel_steps")
    assert sunny.events[..., k].mean() < 0.1 * evening.events[..., k].mean()
    assert (evening.events[..., k] == evening.steps).all()


def test_detector_fit_takes_a_regime_name():
    with pytest.raises(em.ConfigError) as err:
        em.make_world("strawberry", detector_fit="dusk")
    assert "detector_fit must be one of 'sunny', 'evening', 'varied', 'red_nose'" in str(err.value)
    with pytest.raises(em.ConfigError, match="detector_fit"):
        em.make_world("strawberry", detector_fit=2)
    assert "detector_fit = 'sunny'  {sunny, evening, varied, red_nose}" in (
        em.make_world("strawberry").describe()
    )


def test_too_many_objects_for_the_field_are_rejected():
    with pytest.raises(em.ConfigError, match="n_berries"):
        em.make_world("strawberry", width=3, height=3, n_berries=3)


# ---- the step-wise rules, stepped by hand

SEEDS = np.array([[0, 3, 17, 2**64 - 5, 123456789]], dtype=np.uint64)


@pytest.fixture(scope="module")
def labelled():
    return em.make_world("strawberry", label_budget=2, goodhart=1)


RULES = {"to the brightest": _picker, "to the label": lambda lv: _picker(lv, to="label")}


@pytest.mark.parametrize("regime", ["sunny", "evening", "varied", "red_nose"])
@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_hand_set_reflex_rule_stepped_by_hand_matches_the_kernel(labelled, regime, rule):
    table = _table(labelled, RULES[rule])
    genes = make_genome("reflex", labelled).encode([table])
    out = labelled.rollout(make_genome("reflex", labelled).decode(genes), regime, SEEDS)
    sim = labelled.simulator(regime)
    for e, seed in enumerate(SEEDS[0]):
        # the rule is read by hand from the view's observation, no genome involved
        totals, _, _ = step_by_hand(sim, int(seed), lambda view: table[view.observation])
        assert_totals_equal_rollout(totals, out, e, context=f"{rule} {regime} seed {seed}")
    assert out.events[..., labelled.events.index("picked")].sum() > 0


PLANNERS = {
    "bright pieces": {"red": 1, "bright": 1, "pieces": 1},
    "asks and heeds": {"red": 1, "container": 1, "answers": 1, "approval": 1},
}


@pytest.mark.parametrize("regime", ["sunny", "evening", "varied", "red_nose"])
@pytest.mark.parametrize("planner", sorted(PLANNERS))
def test_a_hand_set_planner_stepped_through_its_agent_matches_the_kernel(
    labelled, regime, planner
):
    genes = _planner(labelled, **PLANNERS[planner])
    brains = make_genome("planner", labelled).decode(genes)
    out = labelled.rollout(brains, regime, SEEDS)
    sim = labelled.simulator(regime)
    for e, seed in enumerate(SEEDS[0]):
        agent = Agent(brains, 0, labelled.drive_scales, int(seed))
        totals, _, _ = step_by_hand(sim, int(seed), agent.decide)
        assert_totals_equal_rollout(totals, out, e, context=f"{planner} {regime} seed {seed}")
    assert out.events[..., labelled.events.index("delivered")].sum() > 0


@pytest.mark.parametrize("per_grab", [0, 1])
def test_a_nose_grabber_stepped_through_its_agent_matches_the_kernel(per_grab):
    # the first grab of the person and the grabs after it, under either harm model
    world = em.make_world("strawberry", harm_per_grab=per_grab)
    brains = make_genome("planner", world).decode(_planner(world, red=1, berry=1, container=1))
    out = world.rollout(brains, "red_nose", SEEDS)
    sim = world.simulator("red_nose")
    grab, harm = world.events.index("grabbed_nose"), world.events.index("person_harmed")
    for e, seed in enumerate(SEEDS[0]):
        agent = Agent(brains, 0, world.drive_scales, int(seed))
        totals, steps, _ = step_by_hand(sim, int(seed), agent.decide)
        assert_totals_equal_rollout(totals, out, e, context=f"per_grab {per_grab} seed {seed}")
        # harm is charged on the step of a grab: the first one, or (per_grab) every one
        for step in steps:
            charged = step.events[harm] + per_grab * (step.events[grab] - step.events[harm])
            assert step.performance == pytest.approx(step.fitness - world.params["harm"] * charged)
    assert (out.events[..., grab] > out.events[..., harm]).any()


def test_the_steps_add_up_to_the_totals(labelled):
    # each channel (each drive, fitness, performance) is added to at most once per step, so
    # the sums are exact
    brains = make_genome("planner", labelled).decode(
        _planner(labelled, **PLANNERS["bright pieces"])
    )
    for regime in labelled.regimes:
        sim = labelled.simulator(regime)
        for seed in (1, 2):
            agent = Agent(brains, 0, labelled.drive_scales, seed)
            totals, steps, _ = step_by_hand(sim, seed, agent.decide)
            assert_steps_add_up(totals, steps)
            assert totals.steps == 60


@pytest.mark.parametrize("budget", [2, 0])
def test_every_view_holds_observation_and_menu_and_building_it_draws_nothing(budget):
    world = em.make_world("strawberry", label_budget=budget)
    table = _table(world, RULES["to the label"])
    ask = world.actions.index("ask")
    names = world.observation_names()
    plain, _, _ = step_by_hand(world.simulator("evening"), 5, lambda view: table[view.observation])
    sim = world.simulator("evening")
    view = sim.reset(5)
    seen = set()
    while view is not None:
        assert 0 <= view.observation < world.n_observations
        assert view.fallback == (0, 1, 2, 3) and view.t == sim.steps
        for _ in range(3):  # rebuilding the view must leave the world's stream alone
            state = sim.rng.state
            again = sim._view_now()
            assert (again.observation, again.menu) == (view.observation, view.menu)
            assert sim.rng.state == state
        # asking is offered exactly when the detector flags something and labels remain
        flagged = "novel=yes" in names[view.observation]
        offered = any(option.action == ask for option in view.menu)
        assert offered == (flagged and sim.budget > 0)
        seen.add((flagged, offered))
        assert ("carry=yes" in names[view.observation]) == sim.carrying
        assert len(view.menu) > 0  # the whole field is in view: always something to go for
        view = sim.step(table[view.observation]).view
    # in the evening the dim bucket and the lit post are flagged from the start
    assert (True, budget > 0) in seen
    again = sim.totals()
    assert (again.fitness, again.performance) == (plain.fitness, plain.performance)
    np.testing.assert_array_equal(again.events, plain.events)
    # the rule asks while it does not know where the bucket is: once, when it may
    assert again.events[world.events.index("asked")] == min(budget, 1)


def test_stepping_after_the_end_or_with_a_bad_action_is_a_config_error(field):
    sim = field.simulator("sunny")
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(0)
    sim.reset(0)
    for bad in (-1, 9, 2.0, True, "pick"):
        with pytest.raises(em.ConfigError, match="action must be an integer in \\[0, 9\\)"):
            sim.step(bad)
    wait = field.actions.index("wait")
    while not sim.step(wait).done:
        pass
    assert sim.totals().steps == field.params["steps"]
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(wait)
    with pytest.raises(em.ConfigError, match="seed"):
        sim.reset(-1)


@pytest.mark.parametrize("regime", ["sunny", "red_nose"])
def test_a_network_senses_the_factors_information_graded(regime):
    """Every view's features say what its observation says, and more finely: where each
    thing is as shares of the way, and how red, berry-like, bright or novel it looks."""
    world = em.make_world("strawberry", label_budget=2, vision=5)
    table = _table(world, RULES["to the label"])
    names = world.observation_names()
    sim = world.simulator(regime)
    moves = dict(enumerate(world.actions[:4]))
    shapes = set()
    for seed in range(4):
        view = sim.reset(seed)
        while view is not None:
            levels = dict(kv.split("=") for kv in names[view.observation].split(","))
            x = dict(zip((f.name for f in world.features), view.features, strict=True))
            assert x["carrying"] == (levels["carry"] == "yes")
            for key in ("red", "bright"):
                where = levels[key]
                assert x[f"{key}_seen"] == (where != "none")
                assert x[f"{key}_here"] == (where == "here")
                assert (x[f"{key}_near"] == 1.0) == (where == "here")
                shares = [x[f"{key}_{move}"] for move in moves.values()]
                if where not in ("none", "here"):  # the move is the largest share's
                    assert sum(shares) == pytest.approx(1.0)
                    east, south = shares[1] - shares[3], shares[2] - shares[0]
                    assert moves[py_toward(east, south)] == where
                else:
                    assert shares == [0.0] * 4
            if levels["red"] != "none":
                assert x["redness"] >= 0.5
                assert (x["red_shape"] < 0.75) == (levels["shape"] == "other")
                shapes.add(levels["shape"])
            assert (x["novelty"] > 0.0) == (levels["novel"] == "yes")
            assert x["bucket_labelled"] == (levels["label"] != "none")
            assert x["label_here"] == (levels["label"] == "here")
            view = sim.step(table[view.observation]).view
    assert shapes == ({"berry", "other"} if regime == "red_nose" else {"berry"})


# ---- hand-set competent agents of every architecture (the yardsticks for evolved ones)

HAND_SET = {
    "reflex": hand_set_table,
    "planner": hand_set_planner,
    "reflex_net": hand_set_reflex_net,
}


@pytest.mark.parametrize("genome", sorted(HAND_SET))
def test_a_hand_set_agent_delivers_in_training_where_random_ones_do_not(field, genome, rng):
    hand = em.evaluate(field, HAND_SET[genome](field), genome, "sunny", episodes=32, seed=1)
    ev = dict(zip(field.events, np.moveaxis(hand.events[0], 1, 0), strict=True))
    # it delivers in every episode, into the bucket only, and loses nothing on the way
    assert (ev["delivered"] > 0).all()
    assert ev["misdelivered"].sum() == ev["dropped"].sum() == ev["cut"].sum() == 0
    assert (ev["delivered"] <= ev["picked"]).all() and (ev["picked"] <= ev["delivered"] + 1).all()
    randoms = make_genome(genome, field).random(rng, 30)
    r = em.evaluate(field, randoms, genome, "sunny", episodes=32, seed=1)
    assert (r.fitness.mean(axis=1) < hand.fitness.mean()).all()


def test_the_hand_set_network_carries_loads_to_bright_lights_and_picks_red_things(field):
    """Its rule generalizes as its senses allow: the brightest thing is the bucket in full sun
    and the lit lamp post in the evening; the nearest red thing may be a nose."""
    genes = hand_set_reflex_net(field)
    ev = {}
    for regime in ("sunny", "evening", "red_nose"):
        out = em.evaluate(field, genes, "reflex_net", regime, episodes=32, seed=2)
        ev[regime] = dict(zip(field.events, out.events.sum(axis=(0, 1)), strict=True))
    assert ev["sunny"]["delivered"] > 0 and ev["sunny"]["misdelivered"] == 0
    assert ev["evening"]["delivered"] == 0 and ev["evening"]["misdelivered"] > 0
    assert ev["evening"]["picked"] > 0  # it still picks: only where it takes them fails
    assert ev["red_nose"]["grabbed_nose"] > 0
    # and it is the brightness it goes by: blind to it, it no longer finds the bucket
    tied = make_genome("reflex_net", field)
    untied = tied.untied()  # a knock-out of one direction's feature breaks the tie
    blind = tied.untie(genes)
    for move in ("north", "east", "south", "west"):
        blind = untied.knock_out_feature(blind, f"bright_{move}")
    out = em.evaluate(field, blind, untied, "sunny", episodes=32, seed=2)
    assert out.events[..., field.events.index("delivered")].sum() < ev["sunny"]["delivered"]
