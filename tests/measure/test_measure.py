"""measure_drift on real rollouts: controls and the headline effect on defaults."""

import dataclasses
import json

import numpy as np
import pytest

import evomesa as em
from evomesa.genomes import make_genome
from evomesa.measure.shift import Shift, make_shift


@pytest.fixture(scope="module")
def default_planners(world):
    return em.evolve(world, em.EvolutionConfig(genome="planner", seed=0))


@pytest.fixture(scope="module")
def default_reflexes(world):
    return em.evolve(world, em.EvolutionConfig(genome="reflex", seed=0))


@pytest.fixture(scope="module")
def contraception_reference(world):
    """Planners evolved where contraception is available: the deploy-adapted reference."""
    config = em.EvolutionConfig(genome="planner", regime="contraception_only", seed=1)
    return em.evolve(world, config)


def test_default_planners_keep_mating_when_contraception_cuts_their_children(
    world, default_planners, contraception_reference
):
    # contraception alone: the same matings, about half of them protected (the evolved
    # horizon is shorter than distance + gestation, so protection is a matter of
    # indifference), and fewer children
    report = em.measure_drift(
        world,
        default_planners,
        deploy="contraception_only",
        seed=1,
        reference=contraception_reference,
    )
    assert report.drives["sex"].signal_retention >= 0.9
    assert report.fitness_retention <= 0.8
    assert report.drives["sex"].yield_drift > 0.2  # each mating yields fewer children
    # more mating than planners evolved with contraception do, and an avoidable loss
    assert report.regret > 0.3
    assert "sex" in report.drives_beyond_reference
    assert report.verdict == "goal_misgeneralization"
    assert "sex" in report.drives_pursued
    # satiety is kept, but planners evolved there eat as much: not pursuit
    assert "satiety" not in report.drives_pursued
    # without the reference the same loss is not attributed
    bare = em.measure_drift(world, default_planners, deploy="contraception_only", seed=1)
    assert bare.verdict == "unattributed_loss" and bare.drives_pursued == ()
    assert report.mesa_utility is not None
    assert report.novel_decision_share is None  # planners have no table
    # both changes together cost more than half the children
    assert em.measure_drift(world, default_planners, seed=1).fitness_retention < 0.5


def test_reflexes_evolve_and_meet_table_entries_training_never_selected(
    world, default_planners, default_reflexes
):
    reflex_fit = default_reflexes.logbook[-1]["avg"]
    planner_fit = default_planners.logbook[-1]["avg"]
    assert reflex_fit >= 0.3 * planner_fit
    report = em.measure_drift(world, default_reflexes, episodes=32, seed=1)
    # a mate offering protection is an observation no ancestral reflex ever met
    assert report.novel_decision_share > 0.3
    assert report.fitness_retention < 0.3
    control = em.measure_drift(world, default_reflexes, deploy="ancestral", episodes=32, seed=1)
    assert control.novel_decision_share < 0.05


def test_no_shift_control_gives_retention_one_and_no_drift(world, default_planners):
    # A 95% interval misses the truth 5% of the time, so check calibration over several
    # seeds rather than betting on one: P(fewer than 8 of 10 cover | 95% coverage) ~ 1%.
    covered = {"fitness_retention": 0, "sex_yield_drift": 0, "satiety_yield_drift": 0}
    for seed in range(10):
        report = em.measure_drift(
            world,
            default_planners,
            train="ancestral",
            deploy="ancestral",
            episodes=16,
            seed=seed,
            n_boot=300,
        )
        assert report.fitness_retention == pytest.approx(1.0, abs=0.1)
        assert report.verdict == "robust"
        lo, hi = report.ci["fitness_retention"]
        covered["fitness_retention"] += lo <= 1.0 <= hi
        for drive in ("sex", "satiety"):
            lo, hi = report.drives[drive].ci["yield_drift"]
            covered[f"{drive}_yield_drift"] += lo <= 0.0 <= hi
    assert min(covered.values()) >= 8, covered


def test_hand_set_offspring_planner_keeps_its_fitness_under_contraception(world):
    planner = make_genome("planner", world)
    # eats to live, and values children rather than sex, with a horizon that covers the
    # gestation plus travel: it declines protection
    genes = planner.encode([[0.6, 0.0, 0.0, 1.0, 0.0]], [world.params["gestation"] + 15], [0.95])
    genes = np.repeat(genes, 8, axis=0)
    report = em.measure_drift(
        world, genes, genome="planner", deploy="contraception_only", episodes=64, seed=2
    )
    assert report.fitness_train > 3.0
    assert report.fitness_retention >= 0.8
    assert report.verdict == "robust"


def test_hall_of_fame_and_json(world, small_planner_result):
    report = em.measure_drift(
        world, small_planner_result, episodes=4, seed=0, individuals="hall_of_fame", n_boot=50
    )
    assert report.n_individuals == len(small_planner_result.hall_of_fame)
    data = json.loads(json.dumps(report.to_dict()))
    assert em.DriftReport.from_dict(data) == report


def test_same_seed_same_report(world, small_planner_result):
    a = em.measure_drift(world, small_planner_result, episodes=4, seed=3, n_boot=50)
    b = em.measure_drift(world, small_planner_result, episodes=4, seed=3, n_boot=50)
    assert a.to_dict() == b.to_dict()


def test_measure_drift_seeds_from_the_results_own_seed_by_default(world, small_planner_result):
    # a user measuring replicates one by one must not measure every one on the same episodes
    args = {"episodes": 2, "n_boot": 10}
    own = small_planner_result.config.seed
    default = em.measure_drift(world, small_planner_result, **args).to_dict()
    assert default == em.measure_drift(world, small_planner_result, seed=own, **args).to_dict()
    assert default != em.measure_drift(world, small_planner_result, seed=own + 1, **args).to_dict()
    config = dataclasses.replace(small_planner_result.config, seed=own + 1)
    replicate = dataclasses.replace(small_planner_result, config=config)
    assert default != em.measure_drift(world, replicate, **args).to_dict()
    # a bare population has no seed of its own: 0
    genes = small_planner_result.genes[:6]
    bare = em.measure_drift(world, genes, genome="planner", **args).to_dict()
    assert bare == em.measure_drift(world, genes, genome="planner", seed=0, **args).to_dict()


def test_a_shift_is_checked_once_and_says_what_it_measures(world, barren_world):
    shift = make_shift(world)
    assert (shift.train, shift.deploy) == world.default_shift
    assert shift.deploy_world is world and shift.deploy_params is None
    # a mixture is measured from its most probable regime
    mixed = make_shift(world, trained={"ancestral": 0.3, "modern": 0.7}, deploy="ancestral")
    assert mixed.train_regime == "modern" and mixed.deploy == "ancestral"
    # an explicit train regime wins over the one trained in, and is checked
    assert make_shift(world, "modern", trained="ancestral").train_regime == "modern"
    with pytest.raises(em.ConfigError, match="train"):
        make_shift(world, "future")
    with pytest.raises(em.ConfigError, match="deploy"):
        make_shift(world, deploy="future")
    with pytest.raises(em.ConfigError, match="deploy_world must be a 'contraception' world"):
        make_shift(world, deploy_world=em.make_world("strawberry"))
    away = make_shift(world, deploy="ancestral", deploy_world=barren_world)
    assert away.deploy_params == {"p_conceive": 0.0}
    planner = make_genome("planner", world)
    assert away.deployed(planner).length == planner.length
    assert Shift(world, world, "ancestral", "modern").deployed(planner) is planner
    short = make_shift(world, deploy_world=em.make_world("contraception", max_horizon=10))
    with pytest.raises(em.ConfigError, match="max_horizon must be at least"):
        short.deployed(planner)
    with pytest.raises(dataclasses.FrozenInstanceError):
        shift.deploy = "ancestral"


def test_measure_drift_validates_its_inputs(world, small_planner_result):
    with pytest.raises(em.ConfigError, match="deploy"):
        em.measure_drift(world, small_planner_result, deploy="future")
    with pytest.raises(em.ConfigError, match="individuals"):
        em.measure_drift(world, small_planner_result, individuals="best")
    with pytest.raises(em.ConfigError, match="genome"):
        em.measure_drift(world, np.full((2, 7), 0.5))
    with pytest.raises(em.ConfigError, match="episodes"):
        em.measure_drift(world, small_planner_result, episodes=0)


def test_evaluate_returns_both_channels_and_python_backend_agrees(world, small_planner_result):
    fast = em.evaluate(
        world,
        small_planner_result.population,
        genome="planner",
        regime="modern",
        episodes=2,
        seed=1,
    )
    slow = em.evaluate(
        world,
        small_planner_result.genes[:40],
        genome="planner",
        regime="modern",
        episodes=2,
        seed=1,
        backend="python",
    )
    assert fast.fitness.shape == (40, 2) and fast.signals.shape == (40, 2, 5)
    np.testing.assert_array_equal(fast.fitness, slow.fitness)
    np.testing.assert_array_equal(fast.signals, slow.signals)
    assert fast.planner_mask.all()
    assert np.abs(fast.utility).sum() > 0
    with pytest.raises(em.ConfigError, match="population"):
        em.evaluate(world, np.zeros((3, 5)), genome="planner")


def test_a_result_is_measured_only_in_the_world_it_was_evolved_in(small_planner_result):
    other = em.make_world("contraception", max_horizon=10)
    with pytest.raises(em.ConfigError, match="max_horizon must be 40"):
        em.measure_drift(other, small_planner_result, episodes=2, n_boot=10)
    same = small_planner_result.make_world()
    assert em.measure_drift(same, small_planner_result, episodes=2, n_boot=10).n_individuals


def test_small_populations_work_with_default_elites_and_tournaments(world):
    result = em.evolve(world, em.EvolutionConfig(population=2, generations=2, episodes=1))
    assert result.genes.shape == (2, 7)
    assert result.config.n_elite == 1


def test_bare_populations_and_wrong_types_get_clear_errors(world):
    genes = np.full((2, 7), 0.5)
    with pytest.raises(em.ConfigError, match="individuals must be 'population'"):
        em.measure_drift(world, genes, genome="planner", individuals="hall_of_fame")
    with pytest.raises(em.ConfigError, match="world must be a World"):
        em.measure_drift(None, genes, genome="planner")
    with pytest.raises(em.ConfigError, match="world must be a World"):
        em.evaluate("contraception", genes)
    with pytest.raises(em.ConfigError, match="for the 'reflex' genome"):
        em.evaluate(world, genes, genome="reflex")
    with pytest.raises(em.ConfigError, match="weights must be numbers"):
        make_genome("planner", world).encode("a", 5, 0.9)


def test_a_planner_valuing_nothing_is_not_goal_misgeneralization(world):
    planner = make_genome("planner", world)
    genes = np.repeat(planner.encode([[0.0] * len(world.drives)], [10], [0.9]), 8, axis=0)
    report = em.measure_drift(world, genes, genome="planner", episodes=16, seed=1)
    # it never eats or mates: nothing evolved to lose, and no proxy pursued
    assert report.verdict != "goal_misgeneralization"
    assert report.drives_pursued == ()


@pytest.fixture(scope="module")
def barren_world():
    return em.make_world("contraception", p_conceive=0.0)


def test_a_loss_no_genome_could_avoid_is_unavoidable(world, default_planners, barren_world):
    # the reference: planners evolved in the deploy world itself, where nobody conceives
    config = em.EvolutionConfig(genome="planner", population=40, generations=5, seed=4)
    reference = em.evolve(barren_world, config)
    report = em.measure_drift(
        world,
        default_planners,
        deploy="ancestral",
        deploy_world=barren_world,
        reference=reference,
        episodes=16,
        seed=1,
    )
    assert report.fitness_train > 0.5 and report.fitness_deploy == 0.0
    assert report.reference_fitness == 0.0 and report.regret == 0.0
    assert report.verdict == "unavoidable_loss"
    assert report.deploy_params == {"p_conceive": 0.0}
    # without the reference the same loss cannot be told apart, and the report says so
    bare = em.measure_drift(
        world, default_planners, deploy="ancestral", deploy_world=barren_world, episodes=16
    )
    assert bare.verdict != "unavoidable_loss" and "verdict:no_reference" in bare.flags


def test_reference_and_deploy_world_are_checked(world, small_planner_result, barren_world):
    with pytest.raises(em.ConfigError, match="deploy_world must be a World"):
        em.measure_drift(world, small_planner_result, deploy_world="barren")
    # evolved in ancestral of the train world: not adapted to modern
    with pytest.raises(em.ConfigError, match="reference must be evolved in the deploy regime"):
        em.measure_drift(world, small_planner_result, reference=small_planner_result)
    with pytest.raises(em.ConfigError, match="reference must be evolved in the deploy world"):
        em.measure_drift(
            world,
            small_planner_result,
            deploy="ancestral",
            deploy_world=barren_world,
            reference=small_planner_result,
        )


def test_random_unevolved_planners_are_not_goal_misgeneralization(world):
    # a random population collects whatever the new world hands anyone (junk food fills
    # anyone's sweet signal): against the unevolved baseline it pursues nothing of its own
    genes = make_genome("planner", world).random(np.random.default_rng(5), 60)
    report = em.measure_drift(world, genes, genome="planner", episodes=16, seed=2)
    assert report.verdict != "goal_misgeneralization"
    assert report.drives_pursued == ()
    assert report.null_baseline is not None
    assert set(report.null_baseline["signal_deploy"]) == set(world.drives)
    assert report.verdict == "undefined"


def test_evolved_planners_collect_more_than_the_baseline(world, default_planners):
    report = em.measure_drift(world, default_planners, deploy="contraception_only", seed=3)
    assert "sex" in report.null_baseline["above_null_in_deploy"]
    assert report.null_baseline["fitness_train"] < report.fitness_train
