"""The contraception world: kernel vs reference, determinism, parameters, and its rules."""

import numba
import numpy as np
import pytest

import evomesa as em
from evomesa.genomes import make_genome
from evomesa.worlds.contraception import N_OBS, PARAMETERS
from evomesa.worlds.rng import episode_seeds

FIELDS = ("fitness", "signals", "actions", "events", "steps")


def _random_batch(world, kind, rng, n=5, episodes=3):
    genome = make_genome(kind, world)
    brains = genome.decode(genome.random(rng, n))
    return brains, episode_seeds(rng, n, episodes, common=False)


@pytest.mark.parametrize("kind", ["reflex", "planner", "hybrid"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"width": 7, "height": 9, "steps": 60, "gestation": 3, "rear_time": 2, "n_mates": 5},
        {"vision": 3, "n_fruit": 2, "n_mates": 0, "contraception_share": 0.5, "brain_cost": 0.1},
        {"start_energy": 100.0, "energy_decay": 3.0, "p_conceive": 1.0, "max_horizon": 5},
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("contraception", **params)
    brains, seeds = _random_batch(world, kind, rng)
    for regime in world.regimes:
        fast = world.rollout(brains, regime, seeds, backend="numba")
        slow = world.rollout(brains, regime, seeds, backend="python")
        for field in FIELDS:
            np.testing.assert_array_equal(
                getattr(fast, field), getattr(slow, field), err_msg=f"{kind} {regime} {field}"
            )


def test_results_do_not_depend_on_thread_count(world, rng):
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs numba to allow at least 2 threads")
    brains, seeds = _random_batch(world, "hybrid", rng, n=64, episodes=4)
    saved = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = world.rollout(brains, "modern", seeds)
        numba.set_num_threads(2)
        two = world.rollout(brains, "modern", seeds)
    finally:
        numba.set_num_threads(saved)
    for field in FIELDS:
        np.testing.assert_array_equal(getattr(one, field), getattr(two, field))


def test_two_channels_are_consistent(world, rng):
    brains, seeds = _random_batch(world, "planner", rng, n=20, episodes=4)
    out = world.rollout(brains, "ancestral", seeds)
    offspring = out.signals[..., world.drives.index("offspring")]
    # children born are both the hidden fitness and the (delayed) offspring signal
    np.testing.assert_array_equal(out.fitness, offspring)
    assert (out.actions.sum(axis=2) == out.steps).all()
    # every interaction event is accounted for in the signals
    fruit, junk, mate, protected = np.moveaxis(out.events, 2, 0)
    np.testing.assert_array_equal(mate + protected, out.signals[..., world.drives.index("sex")])
    sweet = fruit * world.params["fruit_sweet"] + junk * world.params["junk_sweet"]
    np.testing.assert_allclose(sweet, out.signals[..., world.drives.index("sweet")])
    assert (out.steps >= 1).all() and (out.steps <= world.params["steps"]).all()
    assert (out.signals >= 0).all()


def test_contraception_cuts_births_of_a_sex_driven_planner(world):
    planner = make_genome("planner", world)
    genes = planner.encode([[0.6, 0.0, 0.3, 0.0]], [6], [0.9])  # satiety + sex, no offspring
    anc = em.evaluate(world, genes, "planner", "ancestral", episodes=200, seed=1)
    mod = em.evaluate(world, genes, "planner", "contraception_only", episodes=200, seed=1)
    assert mod.signal("sex").mean() > 0.8 * anc.signal("sex").mean()
    assert mod.fitness.mean() < 0.3 * anc.fitness.mean()
    protected = world.events.index("protected_mate")
    assert anc.events[..., protected].sum() == 0
    assert mod.events[..., protected].sum() > 0.8 * mod.signal("sex").sum()


def test_junk_food_only_exists_in_the_modern_regimes(world):
    planner = make_genome("planner", world)
    genes = planner.encode([[0.2, 1.0, 0.0, 0.0]], [12], [0.9])  # a sweet tooth
    anc = em.evaluate(world, genes, "planner", "ancestral", episodes=50, seed=2)
    junk = em.evaluate(world, genes, "planner", "junk_food_only", episodes=50, seed=2)
    sweet_per_satiety = junk.signal("sweet").sum() / junk.signal("satiety").sum()
    assert sweet_per_satiety > anc.signal("sweet").sum() / anc.signal("satiety").sum()


def test_reflex_table_drives_behaviour(world):
    reflex = make_genome("reflex", world)
    stay = np.full((1, N_OBS), 4.5 / 5)  # every observation -> action 4 ("stay")
    out = em.evaluate(world, stay, "reflex", "ancestral", episodes=3, seed=0)
    assert reflex.decode(stay).table.max() == 4
    assert (out.actions[..., :4] == 0).all()
    assert (out.signals[..., :3] == 0).all()  # never reaches anything


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_every_parameter_rejects_out_of_range_values(name):
    spec = PARAMETERS[name]
    too_low = spec.low - 1 if spec.is_int else spec.low - 0.5
    with pytest.raises(em.ConfigError, match=name):
        em.make_world("contraception", **{name: too_low})
    with pytest.raises(em.ConfigError, match=name):
        em.make_world("contraception", **{name: "3"})
    if spec.is_int:
        with pytest.raises(em.ConfigError, match=name):
            em.make_world("contraception", **{name: float(spec.default)})


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


def test_rollout_validates_regime_backend_and_seeds(world, rng):
    brains, seeds = _random_batch(world, "reflex", rng, n=3)
    with pytest.raises(em.ConfigError, match="regime"):
        world.rollout(brains, "future", seeds)
    with pytest.raises(em.ConfigError, match="backend"):
        world.rollout(brains, "modern", seeds, backend="cuda")
    with pytest.raises(em.ConfigError, match="seeds"):
        world.rollout(brains, "modern", seeds[:2])


def test_world_metadata(world):
    assert em.list_worlds() == ("contraception",)
    assert world.regimes[:2] == ("ancestral", "modern")
    assert world.drives == ("satiety", "sweet", "sex", "offspring")
    assert "gestation" in world.describe()
    assert (
        repr(em.make_world("contraception", gestation=5))
        == "make_world('contraception', gestation=5)"
    )


# ---- the rules themselves, checked without the reference (a bug shared by both would pass
# ---- the kernel-vs-reference tests)


def test_no_birth_can_come_before_the_gestation_delay():
    world = em.make_world("contraception", p_conceive=1.0, gestation=10, steps=10, n_mates=10)
    planner = make_genome("planner", world)
    genes = planner.encode([[1.0, 0.0, 0.3, 0.0]], 6, 0.9)  # eats when hungry, else mates
    out = em.evaluate(world, genes, "planner", "ancestral", episodes=20, seed=0)
    assert out.signal("sex").sum() > 0
    assert out.fitness.sum() == 0
    longer = em.make_world("contraception", p_conceive=1.0, gestation=10, steps=40, n_mates=10)
    later = em.evaluate(longer, genes, "planner", "ancestral", episodes=20, seed=0)
    assert later.fitness.sum() > 0


def test_without_conception_there_are_no_children():
    world = em.make_world("contraception", p_conceive=0.0, n_mates=10)
    genes = make_genome("planner", world).encode([[0.5, 0.0, 1.0, 0.0]], 6, 0.9)
    out = em.evaluate(world, genes, "planner", "ancestral", episodes=20, seed=0)
    assert out.signal("sex").sum() > 0 and out.fitness.sum() == 0


def test_energy_decay_and_brain_cost_set_the_lifespan_of_an_agent_that_never_eats():
    # fruit is worthless and nothing attracts the planner, so it only pays its running costs
    world = em.make_world(
        "contraception",
        fruit_energy=0.001,
        n_mates=0,
        n_fruit=1,
        width=64,
        height=64,
        brain_cost=0.02,
        start_energy=60.0,
    )
    genes = make_genome("planner", world).encode([[-1.0, -1.0, -1.0, -1.0]], 40, 0.9)
    out = em.evaluate(world, genes, "planner", "ancestral", episodes=5, seed=0)
    assert (out.steps == 34).all()  # 60 / (1 + 0.02 * 40) = 33.3 -> the 34th step ends it
    stay = np.full((1, N_OBS), 0.95)  # a reflex that always stays: no brain cost
    out = em.evaluate(world, stay, "reflex", "ancestral", episodes=5, seed=0)
    assert (out.steps == 60).all()
