"""The contraception world: kernel vs reference, determinism, parameters, and its rules."""

import numpy as np
import pytest
from by_hand import assert_steps_add_up, assert_totals_equal_rollout, step_by_hand
from conformance import assert_kernel_matches_reference, random_batch

import evomesa as em
from evomesa.agents.reference import Agent
from evomesa.genomes import make_genome

SATIETY, SWEET, SEX, OFFSPRING, TOIL = range(5)


def _planner(world, weights, horizon, gamma=0.9):
    return make_genome("planner", world).encode([weights], horizon, gamma)


@pytest.mark.parametrize("kind", ["reflex", "planner", "hybrid"])
@pytest.mark.parametrize(
    "params",
    [
        {"width": 7, "height": 9, "steps": 60, "gestation": 3, "rear_time": 2, "n_mates": 5},
        {"vision": 3, "n_fruit": 2, "n_mates": 0, "contraception_share": 0.5, "brain_cost": 0.1},
        {"start_energy": 100.0, "energy_decay": 3.0, "p_conceive": 1.0, "max_horizon": 5},
        {"ripeness_spread": 0.0, "fruit_sweet": 0.0, "rear_cost": 0.0, "contraception_share": 1.0},
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("contraception", **params)
    assert_kernel_matches_reference(world, kind, rng, n=5, episodes=3)


# ---- the step-wise reference, stepped by hand


def _forager_table(world):
    """(1, n_observations) hand-set reflex table: act on what is here (eat, or mate with
    protection where it is offered), else go toward the nearest food, else the nearest mate,
    else wander east."""
    table = np.full((1, world.n_observations), world.actions.index("east"))
    for k, name in enumerate(world.observation_names()):
        levels = dict(part.split("=") for part in name.split(","))
        if levels["food"] == "here":
            table[0, k] = world.actions.index("eat")
        elif levels["mate"] == "here":
            mating = "mate_protected" if levels["offer"] == "yes" else "mate"
            table[0, k] = world.actions.index(mating)
        elif levels["food"] != "none":
            table[0, k] = world.actions.index(levels["food"])
        elif levels["mate"] != "none":
            table[0, k] = world.actions.index(levels["mate"])
    return table


SEEDS = np.array([[3, 17, 2**64 - 5, 123456789]], dtype=np.uint64)


@pytest.mark.parametrize("regime", ["ancestral", "modern", "contraception_only", "junk_food_only"])
def test_a_hand_set_reflex_rule_stepped_by_hand_matches_the_kernel(world, regime):
    table = _forager_table(world)
    brains = make_genome("reflex", world).decode(make_genome("reflex", world).encode(table))
    out = world.rollout(brains, regime, SEEDS)
    sim = world.simulator(regime)
    for e, seed in enumerate(SEEDS[0]):
        # the rule is read by hand from the view's observation, no genome involved
        totals, _, _ = step_by_hand(sim, int(seed), lambda view: int(table[0, view.observation]))
        assert_totals_equal_rollout(totals, out, e, context=f"{regime} seed {seed}")
    assert out.events.sum() > 0  # the rule does meet food and mates


@pytest.mark.parametrize("regime", ["ancestral", "modern", "contraception_only", "junk_food_only"])
def test_a_hand_set_planner_stepped_through_its_agent_matches_the_kernel(world, regime):
    genes = _planner(world, [0.6, 0.3, 0.5, 1.0, -0.5], 30, 0.95)
    brains = make_genome("planner", world).decode(genes)
    out = world.rollout(brains, regime, SEEDS)
    sim = world.simulator(regime)
    for e, seed in enumerate(SEEDS[0]):
        agent = Agent(brains, 0, world.drive_scales, int(seed))
        totals, _, _ = step_by_hand(sim, int(seed), agent.decide, brain_load=agent.brain_load)
        assert_totals_equal_rollout(totals, out, e, context=f"{regime} seed {seed}")
    assert out.events.sum() > 0  # the planner does go for items


def test_the_steps_add_up_to_the_totals(world):
    # every channel is added to at most once per step, so the sums are exact
    genes = _planner(world, [0.6, 0.3, 0.5, 1.0, -0.5], 30, 0.95)
    brains = make_genome("planner", world).decode(genes)
    for regime in world.regimes:
        sim = world.simulator(regime)
        for seed in (1, 2, 3):
            agent = Agent(brains, 0, world.drive_scales, seed)
            totals, steps, _ = step_by_hand(sim, seed, agent.decide, brain_load=agent.brain_load)
            assert_steps_add_up(totals, steps)


def test_every_view_holds_the_observation_and_the_menu_and_building_it_draws_nothing(world):
    sim = world.simulator("modern")
    table = _forager_table(world)
    view = sim.reset(5)
    plain, _, _ = step_by_hand(
        world.simulator("modern"), 5, lambda v: int(table[0, v.observation])
    )
    menus = 0
    while True:
        assert 0 <= view.observation < world.n_observations
        assert view.fallback == (0, 1, 2, 3) and view.t == sim.steps
        menus += len(view.menu) > 0
        for _ in range(3):  # rebuilding the view must leave the world's stream alone
            assert sim._view_now().observation == view.observation
        step = sim.step(int(table[0, view.observation]))
        if step.done:
            break
        view = step.view
    assert menus > 0
    again = sim.totals()
    assert (again.fitness, again.steps) == (plain.fitness, plain.steps)
    np.testing.assert_array_equal(again.signals, plain.signals)


def test_the_menu_offers_the_interaction_on_the_agents_own_cell():
    world = em.make_world("contraception", contraception_share=0.5)
    sim = world.simulator("contraception_only")
    table = _forager_table(world)
    eat, mate, protected = (world.actions.index(a) for a in ("eat", "mate", "mate_protected"))
    names = world.observation_names()
    seen = set()
    for seed in range(10):
        view = sim.reset(seed)
        while view is not None:
            name = names[view.observation]
            actions = {option.action for option in view.menu}
            if "food=here" in name:
                seen.add("food")
                assert eat in actions and mate not in actions
            if "mate=here,offer=yes" in name:
                seen.add("offer")
                assert {mate, protected} <= actions
            if "mate=here,offer=no" in name:
                seen.add("no offer")
                assert mate in actions and protected not in actions
            # moves toward items elsewhere; never a wait
            assert actions <= {0, 1, 2, 3, eat, mate, protected}
            view = sim.step(int(table[0, view.observation])).view
    assert seen == {"food", "offer", "no offer"}


def test_stepping_after_the_end_or_with_a_bad_action_is_a_config_error(world):
    sim = world.simulator("ancestral")
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(0)
    sim.reset(0)
    for bad in (-1, 8, 1.0, True, "eat"):
        with pytest.raises(em.ConfigError, match="action must be an integer in \\[0, 8\\)"):
            sim.step(bad)
    wait = world.actions.index("wait")
    while not sim.step(wait).done:
        pass
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(wait)
    with pytest.raises(em.ConfigError, match="brain_load"):
        sim.reset(0, brain_load=world.max_horizon + 1)


def test_world_passes_the_contract_checker(world):
    checked = em.check_world(world)
    assert checked["regimes"] == world.regimes
    assert checked["episodes_compared"] > 0


def test_the_channels_add_up(world, rng):
    brains, seeds = random_batch(world, "planner", rng, n=20, episodes=4)
    out = world.rollout(brains, "modern", seeds)
    offspring = out.signals[..., world.drives.index("offspring")]
    # children born are the fitness, the performance and the (delayed) offspring signal
    np.testing.assert_array_equal(out.fitness, offspring)
    np.testing.assert_array_equal(out.performance, out.fitness)
    assert (out.actions.sum(axis=2) == out.steps).all()
    fruit, junk, mate, protected = np.moveaxis(out.events, 2, 0)
    np.testing.assert_array_equal(mate + protected, out.signals[..., SEX])
    # an interaction happens only on an interaction action
    eat, mate_act, protected_act = (
        out.actions[..., world.actions.index(a)] for a in ("eat", "mate", "mate_protected")
    )
    assert (fruit + junk <= eat).all() and (mate <= mate_act).all()
    assert (protected <= protected_act).all()
    # toil is the rearing cost: rear_cost per child per step, at most rear_time steps a child
    toil = out.signals[..., TOIL]
    rear_cost, rear_time = world.params["rear_cost"], world.params["rear_time"]
    assert (toil <= rear_cost * rear_time * offspring + 1e-9).all()
    assert (out.steps >= 1).all() and (out.steps <= world.params["steps"]).all()
    assert (out.signals >= 0).all()


def test_junk_food_exists_only_in_the_junk_food_regimes(world, rng):
    brains, seeds = random_batch(world, "planner", rng, n=20, episodes=4)
    junk = world.events.index("junk")
    for regime in world.regimes:
        eaten = world.rollout(brains, regime, seeds).events[..., junk].sum()
        assert (eaten > 0) == (regime in ("modern", "junk_food_only")), regime


def test_protection_is_offered_only_in_the_contraception_regimes(world, rng):
    reflex = make_genome("reflex", world)
    always = reflex.encode(
        np.full((1, world.n_observations), world.actions.index("mate_protected"))
    )
    # mate_protected on a mate that offers no protection does nothing: no matings at all
    for regime in ("ancestral", "junk_food_only"):
        out = em.evaluate(world, always, "reflex", regime, episodes=5, seed=0)
        assert out.signals[..., SEX].sum() == 0


# ---- hand-set planners: the choice of protection is the agent's, through its own utility


def test_a_planner_averse_to_toil_and_blind_to_offspring_always_takes_protection():
    world = em.make_world("contraception", contraception_share=1.0)
    # values food, sex and dislikes the rearing burden; no weight on offspring; its horizon
    # covers distance + gestation, so it foresees the burden of every mating
    genes = _planner(world, [0.6, 0.3, 0.5, 0.0, -1.0], 40, 0.95)
    out = em.evaluate(world, genes, "planner", "contraception_only", episodes=40, seed=3)
    mate, protected = world.events.index("mate"), world.events.index("protected_mate")
    assert out.events[..., protected].sum() > 20
    assert out.events[..., mate].sum() == 0
    assert out.fitness.sum() == 0


def test_a_planner_that_values_offspring_within_its_horizon_declines_protection():
    world = em.make_world("contraception", contraception_share=1.0)
    genes = _planner(world, [0.6, 0.3, 0.3, 1.0, 0.0], 40, 0.95)
    out = em.evaluate(world, genes, "planner", "contraception_only", episodes=40, seed=3)
    mate, protected = world.events.index("mate"), world.events.index("protected_mate")
    assert out.events[..., mate].sum() > 20
    assert out.events[..., protected].sum() == 0
    assert out.fitness.sum() > 0


def test_an_offspring_weight_beyond_the_horizon_changes_nothing(world):
    horizon = 10  # below gestation (20): a birth can never fall inside it
    loving = _planner(world, [0.6, 0.3, 0.5, 1.0, 0.0], horizon)
    indifferent = _planner(world, [0.6, 0.3, 0.5, 0.0, 0.0], horizon)
    for regime in world.regimes:
        a = em.evaluate(world, loving, "planner", regime, episodes=30, seed=11)
        b = em.evaluate(world, indifferent, "planner", regime, episodes=30, seed=11)
        for field in ("fitness", "signals", "actions", "events", "steps"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=regime)


def test_an_indifferent_planner_splits_its_matings_by_the_random_tie_break(world):
    # Protected or not, the options promise the same within a short horizon: the agent's
    # documented tie-break picks either at random, so about half the matings are protected.
    genes = _planner(world, [0.6, 0.3, 0.5, 0.0, 0.0], 8)
    share = em.make_world("contraception", contraception_share=1.0)
    out = em.evaluate(share, genes, "planner", "contraception_only", episodes=200, seed=4)
    mate, protected = out.events[..., 2].sum(), out.events[..., 3].sum()
    assert 0.4 < protected / (mate + protected) < 0.6


def test_a_reflex_can_use_or_decline_protection_by_its_table():
    world = em.make_world("contraception", contraception_share=1.0, n_mates=20)
    reflex = make_genome("reflex", world)
    names = world.observation_names()
    offered = [k for k, name in enumerate(names) if "mate=here,offer=yes" in name]
    for act, event, other in (
        ("mate", "mate", "protected_mate"),
        ("mate_protected", "protected_mate", "mate"),
    ):
        # wander north; on a mate offering protection, take it or decline it
        table = np.full((1, world.n_observations), world.actions.index("north"))
        table[0, offered] = world.actions.index(act)
        out = em.evaluate(
            world, reflex.encode(table), "reflex", "contraception_only", episodes=30, seed=1
        )
        assert out.events[..., world.events.index(event)].sum() > 0, act
        assert out.events[..., world.events.index(other)].sum() == 0, act


def test_sweetness_pleases_in_proportion_to_hunger(world):
    # eats only when standing on food (table: wait, except eat on food here)
    reflex = make_genome("reflex", world)
    table = np.full((1, world.n_observations), world.actions.index("east"))
    for name in world.observation_names():
        if name.startswith("food=here"):
            table[0, world.observation_names().index(name)] = world.actions.index("eat")
    out = em.evaluate(world, reflex.encode(table), "reflex", "ancestral", episodes=30, seed=2)
    fruit = out.events[..., world.events.index("fruit")].sum()
    assert fruit > 0
    # a fruit is at most 2 x fruit_sweet sweet; tasted at less than full hunger it pleases less
    assert out.signals[..., SWEET].sum() < 2.0 * world.params["fruit_sweet"] * fruit


def test_a_reflex_table_drives_behaviour(world):
    reflex = make_genome("reflex", world)
    wait = reflex.encode(np.full((1, world.n_observations), world.actions.index("wait")))
    out = em.evaluate(world, wait, "reflex", "ancestral", episodes=3, seed=0)
    assert (out.actions[..., world.actions.index("wait")] == out.steps).all()
    assert (out.signals[..., :3] == 0).all()  # never reaches anything


def test_config_error_message_names_parameter_range_and_value():
    with pytest.raises(em.ConfigError) as err:
        em.make_world("contraception", gestation=0)
    assert str(err.value) == "gestation must be an integer in [1, 1000]; got 0"
    assert isinstance(err.value, ValueError)


def test_unknown_and_inconsistent_parameters_are_rejected():
    with pytest.raises(em.ConfigError, match="unknown parameter 'gestaton'"):
        em.make_world("contraception", gestaton=10)
    with pytest.raises(em.ConfigError, match="start_energy"):
        em.make_world("contraception", start_energy=80.0, max_energy=50.0)
    with pytest.raises(em.ConfigError, match="n_fruit"):
        em.make_world("contraception", width=3, height=3, n_fruit=5)
    with pytest.raises(em.ConfigError, match="world"):
        em.make_world("nowhere")


def test_rollout_validates_regime_backend_seeds_and_brains(world, rng):
    brains, seeds = random_batch(world, "reflex", rng, n=3)
    with pytest.raises(em.ConfigError, match="regime"):
        world.rollout(brains, "future", seeds)
    with pytest.raises(em.ConfigError, match="backend"):
        world.rollout(brains, "modern", seeds, backend="cuda")
    with pytest.raises(em.ConfigError, match="seeds"):
        world.rollout(brains, "modern", seeds[:2])
    bad = em.agents.Brains(
        brains.arch, brains.table - 1, brains.weights, brains.horizon, brains.gamma
    )
    with pytest.raises(em.ConfigError, match="table"):
        world.rollout(bad, "modern", seeds)
    planner = make_genome("planner", world).decode(np.full((3, 7), 0.5))
    nan = em.agents.Brains(
        planner.arch, planner.table, planner.weights * np.nan, planner.horizon, planner.gamma
    )
    with pytest.raises(em.ConfigError, match="weights"):
        world.rollout(nan, "modern", seeds)


def test_world_metadata(world):
    assert "contraception" in em.list_worlds()
    assert world.default_shift == ("ancestral", "modern")
    assert world.drives == ("satiety", "sweet", "sex", "offspring", "toil")
    assert world.aligned_drives == ("offspring", "toil")
    assert world.max_horizon == 40
    assert world.n_observations == 6 * 2 * 6 * 2 * 2
    assert "gestation" in world.describe()
    assert (
        repr(em.make_world("contraception", gestation=5))
        == "make_world('contraception', gestation=5)"
    )


def test_reflex_genes_are_named_after_the_declared_factors(world):
    names = make_genome("reflex", world).gene_names
    assert len(names) == world.n_observations
    assert names[0] == "reflex[food=none,sweet=low,mate=none,offer=no,energy=low]"
    index = world.observation_index(
        food="here", sweet="high", mate="east", offer="yes", energy="high"
    )
    assert names[index] == "reflex[food=here,sweet=high,mate=east,offer=yes,energy=high]"


# ---- the rules themselves, checked without the reference (a bug shared by both would pass
# ---- the kernel-vs-reference tests)


def test_no_birth_can_come_before_the_gestation_delay():
    world = em.make_world("contraception", p_conceive=1.0, gestation=10, steps=10, n_mates=10)
    genes = _planner(world, [1.0, 0.0, 0.3, 0.0, 0.0], 6)  # eats when hungry, else mates
    out = em.evaluate(world, genes, "planner", "ancestral", episodes=20, seed=0)
    assert out.signal("sex").sum() > 0
    assert out.fitness.sum() == 0
    longer = em.make_world("contraception", p_conceive=1.0, gestation=10, steps=40, n_mates=10)
    later = em.evaluate(longer, genes, "planner", "ancestral", episodes=20, seed=0)
    assert later.fitness.sum() > 0


def test_without_conception_there_are_no_children():
    world = em.make_world("contraception", p_conceive=0.0, n_mates=10)
    genes = _planner(world, [0.5, 0.0, 1.0, 0.0, 0.0], 6)
    out = em.evaluate(world, genes, "planner", "ancestral", episodes=20, seed=0)
    assert out.signal("sex").sum() > 0 and out.fitness.sum() == 0
    assert out.signal("toil").sum() == 0


def test_energy_decay_and_brain_cost_set_the_lifespan_of_an_agent_that_never_eats():
    # nothing attracts the planner (every weight negative): it explores and never eats
    world = em.make_world("contraception", n_mates=0, n_fruit=1, width=64, height=64)
    genes = _planner(world, [-1.0, -1.0, -1.0, -1.0, -1.0], 40)
    out = em.evaluate(world, genes, "planner", "ancestral", episodes=5, seed=0)
    assert (out.steps == 34).all()  # 60 / (1 + 0.02 * 40) = 33.3 -> the 34th step ends it
    reflex = make_genome("reflex", world)
    wait = reflex.encode(np.full((1, world.n_observations), world.actions.index("wait")))
    out = em.evaluate(world, wait, "reflex", "ancestral", episodes=5, seed=0)
    assert (out.steps == 60).all()  # a reflex pays no brain cost


def test_describe_lists_what_a_network_senses_and_how_it_is_tied():
    text = em.make_world("contraception").describe()
    assert "network senses food_seen, food_here, food_north" in text
    assert "(17 features, tied across quarter turns)" in text
    assert "reflexes evolve for" not in text  # the default budget
    straw = em.make_world("strawberry").describe()
    assert "reflexes evolve for 900 generations by default" in straw
    assert "tied across" not in em.make_world("absent_supervisor").describe()
