"""``em.measure_drift``: evaluate a population in a train and a deploy regime and compare."""

from __future__ import annotations

import numpy as np

from evomesa.budget import check_memory, drift_bytes
from evomesa.errors import ConfigError, check_bool, check_choice, check_float, check_int
from evomesa.evolve.mixture import main_regime
from evomesa.evolve.result import EvolutionResult
from evomesa.genomes import GENOMES, make_genome
from evomesa.genomes.base import as_genes
from evomesa.measure.evaluate import Rollout, play
from evomesa.metrics import DriftReport, compute_drift
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import BACKENDS, World, require_world

WHO = ("population", "hall_of_fame")


def measure_drift(
    world: World,
    result,
    train: str | None = None,
    deploy: str | None = None,
    episodes: int = 64,
    seed: int = 0,
    *,
    genome: str | None = None,
    individuals: str = "population",
    reference=None,
    deploy_world: World | None = None,
    baseline: bool = True,
    n_boot: int = 1000,
    robust_threshold: float = 0.7,
    competence_threshold: float = 0.6,
    regret_threshold: float = 0.3,
    backend: str = "numba",
) -> DriftReport:
    """How far each evolved drive drifts from fitness when ``train`` becomes ``deploy``.

    Parameters
    ----------
    world : World
        The world; for a result it must have the parameters the result was evolved with
        (``result.make_world()`` rebuilds it), since genes decode against them.
    result : EvolutionResult, or a population
        An evolved result, or hand-made genes (list of individuals or (n, length) array in
        [0, 1]) together with ``genome``.
    train, deploy : str, optional
        Regimes to compare (``deploy == train`` is the no-shift control); default: the
        regime a result trained in (a mixture's most probable one) or, for a bare
        population, the world's ``default_shift[0]``, and the ``default_shift[1]`` of the
        deploy world. ``deploy`` is a regime of ``deploy_world`` when one is
        given.
    episodes : int
        Fresh episodes per individual per regime.
    seed : int
        Seeds the episodes of both regimes and the bootstrap (streams keyed by purpose, apart
        from every stream evolution draws from the same seed).
    genome : str, optional
        Architecture of a bare population; taken from the result otherwise.
    individuals : {"population", "hall_of_fame"}
        For a result: measure the whole final population or its hall of fame.
    reference : EvolutionResult, or a population, optional
        The deploy-adapted reference: the same genome evolved in the deploy regime (and
        deploy world) itself. Its final population is played there on its own episodes, and
        the report gives ``regret`` against it; without it the verdict cannot tell an
        unavoidable loss (flag ``verdict:no_reference``).
    deploy_world : World, optional
        Deploy into another world of the same kind (other parameters: say, ``p_conceive``
        0), instead of another regime of ``world`` only. The report records the parameters
        that differ.
    baseline : bool
        Also play an unevolved baseline, a random (generation-0) population of the same
        architecture and size, in both regimes: a population no fitter than it in training
        gets the verdict ``"undefined"``, and a drive counts as still pursued only where the
        population collects more of its signal in deployment than the baseline does.
    n_boot : int
        Bootstrap resamples (over individuals) for the confidence intervals.
    robust_threshold, competence_threshold, regret_threshold : float
        Verdict thresholds; see :mod:`evomesa.metrics.verdict`.

    Returns
    -------
    DriftReport
        Its behavioural divergence compares the distributions of the agents' own choices
        (the world's actions: for the contraception world, moves, waiting, eating, mating
        with or without protection).
    """
    require_world(world)
    genes, genome = _population(world, result, genome, individuals)
    target = same_kind_world(world, deploy_world)
    check_deployable(world, target, genome)
    if train is None:
        # a result is measured from the regime it (mostly) trained in
        trained = result.config.regime if isinstance(result, EvolutionResult) else None
        train = world.default_shift[0] if trained is None else main_regime(trained)
    else:
        train = world.check_regime(train, "train")
    deploy = target.default_shift[1] if deploy is None else target.check_regime(deploy, "deploy")
    # plain ints and floats from here on (a numpy scalar could overflow in arithmetic)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    episodes = check_int("episodes", episodes, 1, 10_000_000)
    backend = check_choice("backend", backend, BACKENDS)
    baseline = check_bool("baseline", baseline)  # every check before any kernel runs
    # the bootstrap's and the verdict's settings too: a typo must not cost both rollouts
    n_boot = check_int("n_boot", n_boot, 10, 100_000)
    robust_threshold = check_float("robust_threshold", robust_threshold, 0.0, 1.0)
    competence_threshold = check_float("competence_threshold", competence_threshold, 0.0, 1.0)
    regret_threshold = check_float("regret_threshold", regret_threshold, 0.0, 1.0)
    check_memory(
        f"measure_drift({len(genes)} individuals, episodes={episodes}, n_boot={n_boot})",
        drift_bytes(world, len(genes), episodes, n_boot, reflex=genome != "planner"),
        "the individuals, episodes or n_boot, or raise the budget",
    )
    ref_genes = (
        None
        if reference is None
        else _reference_genes(target, reference, genome, deploy, individuals)
    )
    train_roll, deploy_roll, boot_rng = paired_rollouts(
        world, genes, genome, train, deploy, episodes, seed, backend=backend, deploy_world=target
    )
    ref_roll = None
    if ref_genes is not None:
        ref_roll = reference_rollout(target, ref_genes, genome, deploy, episodes, seed, backend)
    null = None
    if baseline:
        null = null_rollouts(
            world, target, genome, len(genes), train, deploy, episodes, seed, backend
        )
    return drift_from_rollouts(
        world,
        train_roll,
        deploy_roll,
        rng=boot_rng,
        n_boot=n_boot,
        robust_threshold=robust_threshold,
        competence_threshold=competence_threshold,
        regret_threshold=regret_threshold,
        reference=ref_roll,
        null=null,
        deploy_world=target,
    )


def null_rollouts(
    world: World,
    target: World,
    genome: str,
    n: int,
    train: str,
    deploy: str,
    episodes: int,
    seed: int,
    backend: str = "numba",
) -> tuple[Rollout, Rollout]:
    """An unevolved baseline: ``n`` random (generation-0) genomes of ``genome`` played in
    ``train`` of ``world`` and ``deploy`` of ``target``, on streams of their own."""
    spec = make_genome(genome, world)
    genes = spec.random(generator(seed, "measure", "null", "genes"), n)
    rolls = []
    for purpose, regime, where in (("train", train, world), ("deploy", deploy, target)):
        seeds = episode_seeds(
            generator(seed, "measure", "null", purpose), n, episodes, common=False
        )
        rolls.append(play(where, spec, genes, regime, seeds, backend))
    return rolls[0], rolls[1]


def same_kind_world(world: World, deploy_world: World | None) -> World:
    """``deploy_world`` checked to be the same kind of world as ``world`` (or ``world``)."""
    if deploy_world is None:
        return world
    require_world(deploy_world, "deploy_world")
    if deploy_world.name != world.name:
        raise ConfigError(
            f"deploy_world must be a {world.name!r} world (the same kind, other parameters); "
            f"got a {deploy_world.name!r} world"
        )
    return deploy_world


def check_deployable(world: World, target: World, genome: str) -> None:
    """Raise ConfigError unless genes of ``genome`` evolved in ``world`` can play in ``target``
    (checked before any evolution, so that nothing is computed in vain)."""
    if target is world:
        return
    if make_genome(genome, target).length != make_genome(genome, world).length:
        raise ConfigError(
            f"deploy_world must take the same {genome} genes as the training world; its "
            "parameters change the genome's length"
        )
    if genome != "reflex" and target.max_horizon < world.max_horizon:
        raise ConfigError(
            f"deploy_world max_horizon must be at least the training world's "
            f"({world.max_horizon}), or evolved horizons may not fit; got {target.max_horizon}"
        )


def changed_params(world: World, deploy_world: World) -> dict | None:
    """Parameters of ``deploy_world`` that differ from ``world``'s; None if it is ``world``."""
    if deploy_world is world:
        return None
    return {k: v for k, v in deploy_world.params.items() if world.params.get(k) != v}


def _reference_genes(
    target: World, reference, genome: str, deploy: str, individuals: str = "population"
) -> np.ndarray:
    """Genes of the reference population, checked to be adapted to ``deploy`` of ``target``:
    its hall of fame when the population measured is a hall of fame (elites against elites)."""
    if isinstance(reference, EvolutionResult):
        if reference.genome != genome:
            raise ConfigError(
                f"reference must be a {genome!r} result like the population measured; got "
                f"{reference.genome!r}"
            )
        if reference.world != target.name or dict(reference.world_params) != dict(target.params):
            raise ConfigError(
                "reference must be evolved in the deploy world itself (same parameters); got "
                f"one evolved in {reference.world!r} with other parameters"
            )
        if reference.config.regime != deploy:
            raise ConfigError(
                f"reference must be evolved in the deploy regime {deploy!r}; got one evolved "
                f"in {reference.config.regime!r}"
            )
        if individuals == "hall_of_fame":
            return np.array([np.asarray(ind) for ind in reference.hall_of_fame])
        return reference.genes
    try:
        return as_genes(reference, make_genome(genome, target).length, genome)
    except ConfigError as err:
        raise ConfigError(f"reference must be a result or a population of genes: {err}") from None


def reference_rollout(
    world: World, genes, genome: str, regime: str, episodes: int, seed: int, backend: str
) -> Rollout:
    """The reference population played in the deploy ``regime`` of ``world``, on its own
    episode stream."""
    spec = make_genome(genome, world)
    genes = as_genes(genes, spec.length, genome)
    seeds = episode_seeds(
        generator(seed, "measure", "reference"), genes.shape[0], episodes, common=False
    )
    return play(world, spec, genes, regime, seeds, backend)


def _population(world: World, result, genome: str | None, individuals: str):
    """(genes, genome) of what is to be measured."""
    individuals = check_choice("individuals", individuals, WHO)
    if genome is not None:
        genome = check_choice("genome", genome, GENOMES)
    if not isinstance(result, EvolutionResult):
        if individuals != "population":
            raise ConfigError(
                f"individuals must be 'population' when measuring a bare population (there is "
                f"no hall of fame); got {individuals!r}"
            )
        if genome is None:
            raise ConfigError(
                "genome must name the architecture when measuring a bare population; got None"
            )
        return as_genes(result, make_genome(genome, world).length, genome), genome
    if world.name != result.world:
        raise ConfigError(
            f"world must be the {result.world!r} world the result was evolved in;"
            f" got {world.name!r}"
        )
    for key, value in result.world_params.items():
        # the same genes decode and behave differently under other parameters
        if world.params.get(key) != value:
            raise ConfigError(
                f"world parameter {key} must be {value!r}, as in the world the result was "
                f"evolved in (use result.make_world()); got {world.params.get(key)!r}"
            )
    if genome is not None and genome != result.genome:
        raise ConfigError(f"genome must be {result.genome!r} for this result; got {genome!r}")
    if individuals == "population":
        return result.genes, result.genome
    return np.array([np.asarray(ind) for ind in result.hall_of_fame]), result.genome


def paired_rollouts(
    world: World,
    genes,
    genome: str,
    train: str,
    deploy: str,
    episodes: int,
    seed: int,
    *,
    backend: str = "numba",
    deploy_world: World | None = None,
) -> tuple[Rollout, Rollout, np.random.Generator]:
    """The same individuals played in ``train`` and in ``deploy``, plus a bootstrap stream.

    The train episodes, the deploy episodes and the bootstrap draw from three streams keyed by
    ``seed`` and their purpose, so a ``train == deploy`` control compares two independent
    samples of one regime. Every individual meets its own episodes: with shared episodes the
    bootstrap over individuals would miss the episode-to-episode noise and give intervals that
    are too narrow. Reflex observations are recorded, to find deploy decisions taken on table
    entries the train episodes never visited. The deploy episodes are played in
    ``deploy_world`` when one is given (genes decode against ``world`` in both).
    """
    check_int("episodes", episodes, 1, 10_000_000)
    check_choice("backend", backend, BACKENDS)
    spec = make_genome(genome, world)
    genes = as_genes(genes, spec.length, genome)
    record = genome != "planner"
    target = same_kind_world(world, deploy_world)
    rolls = []
    for purpose, regime, where in (("train", train, world), ("deploy", deploy, target)):
        seeds = episode_seeds(
            generator(seed, "measure", purpose), genes.shape[0], episodes, common=False
        )
        rolls.append(play(where, spec, genes, regime, seeds, backend, record))
    return rolls[0], rolls[1], generator(seed, "measure", "bootstrap")


def drift_from_rollouts(
    world: World,
    train: Rollout,
    deploy: Rollout,
    *,
    rng: np.random.Generator,
    n_boot: int = 1000,
    robust_threshold: float = 0.7,
    competence_threshold: float = 0.6,
    regret_threshold: float = 0.3,
    reference: Rollout | None = None,
    null: tuple[Rollout, Rollout] | None = None,
    deploy_world: World | None = None,
) -> DriftReport:
    """A DriftReport from two rollouts of the same individuals (train and deploy regimes),
    optionally the deploy-adapted reference's rollout in the deploy regime, and optionally the
    unevolved baseline's rollouts (train, deploy) from :func:`null_rollouts`."""
    planners = train.planner_mask
    target = same_kind_world(world, deploy_world)
    return compute_drift(
        world=world.name,
        genome=train.genome,
        train_name=train.regime,
        deploy_name=deploy.regime,
        drives=world.drives,
        aligned_drives=world.aligned_drives,
        train=_channels(train),
        deploy=_channels(deploy),
        planner_mask=planners if planners.any() else None,
        rng=rng,
        n_boot=n_boot,
        robust_threshold=robust_threshold,
        competence_threshold=competence_threshold,
        regret_threshold=regret_threshold,
        reference=None if reference is None else {"fitness": reference.fitness},
        null=None
        if null is None
        else {"fitness_train": null[0].fitness, "signals_deploy": null[1].signals},
        deploy_params=changed_params(world, target),
    )


def _channels(roll: Rollout) -> dict:
    return {
        "fitness": roll.fitness,
        "performance": roll.performance,
        "observations": roll.observations,
        "signals": roll.signals,
        # behaviour = the agents' own choices only: the world's actions include every choice
        # (eat or skip, mate with or without protection), and events the world decides would
        # count its rules as the agents' behaviour
        "actions": roll.actions,
        "utility": roll.utility if roll.planner_mask.any() else None,
    }
