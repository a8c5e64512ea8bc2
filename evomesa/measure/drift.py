"""``em.measure_drift``: evaluate a population in a train and a deploy regime and compare.

The measurement plays three populations on streams of their own, keyed by purpose under one
seed: the population measured in both regimes (:func:`paired_rollouts`), the deploy-adapted
reference in the deploy regime (:func:`reference_rollout`) and an unevolved baseline in both
(:func:`null_rollouts`); :func:`drift_from_rollouts` then derives the bootstrap's stream from
the same seed and builds the report. Each takes the :class:`~evomesa.measure.shift.Shift`
and the genome as checked and built once by the entry point (``measure_drift`` here, or a
replicate of :func:`evomesa.run_experiment`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from evomesa.budget import check_memory, drift_bytes
from evomesa.errors import check_bool, check_choice, check_int
from evomesa.evolve.result import EvolutionResult
from evomesa.genomes import Genome, make_genome
from evomesa.measure.evaluate import Rollout, feature_support, novel_inputs, play
from evomesa.measure.knockouts import knock_out_fitness
from evomesa.measure.population import measured_genes, reference_genes
from evomesa.measure.shift import Shift, make_shift
from evomesa.metrics.assemble import drift_report
from evomesa.metrics.convergence import Convergence
from evomesa.metrics.report import DriftReport
from evomesa.metrics.thresholds import Thresholds
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import BACKENDS, World, require_world

#: training fitness intact (n, E) and per knocked-out part (n, E)
KnockOuts = tuple[np.ndarray, dict[str, np.ndarray]]

__all__ = [
    "alternative_rollouts",
    "drift_from_rollouts",
    "knock_out_rollouts",
    "measure_drift",
    "null_rollouts",
    "paired_rollouts",
    "reference_rollout",
]


def measure_drift(
    world: World,
    result,
    train: str | None = None,
    deploy: str | None = None,
    episodes: int = 64,
    seed: int | None = None,
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
    effect_threshold: float = 0.2,
    knock_outs: bool = True,
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
    seed : int, optional
        Seeds the episodes of both regimes and the bootstrap (streams keyed by purpose, apart
        from every stream evolution draws from the same seed). Default: a result's own seed
        (``result.config.seed``), so that replicates measured one by one each meet episodes
        of their own (0 for a bare population). Pass a seed to measure several results on
        the same episodes.
    genome : str, optional
        Architecture of a bare population; taken from the result otherwise.
    individuals : {"population", "hall_of_fame"}
        For a result: measure the whole final population or its hall of fame.
    reference : EvolutionResult, or a population, optional
        The deploy-adapted reference: the same genome evolved in the deploy regime (and
        deploy world) itself. Its final population is played there on its own episodes, and
        the report gives ``regret`` against it, the drives collected beyond it and the
        effect size; simple alternatives (a hand-set reflex per action that always takes it)
        are played beside it, to tell a reference that bounds nothing. Without it a loss is
        not attributed (``"unattributed_loss"``, flag ``verdict:no_reference``).
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
    robust_threshold, competence_threshold, regret_threshold, effect_threshold : float
        Verdict thresholds; see :mod:`evomesa.metrics.verdict`.
    knock_outs : bool
        Also knock out each part of the brains in turn (a planner's drives, a network's
        perceived features, a table's observation factors; :mod:`evomesa.measure.knockouts`)
        and replay the population in the train regime, ``episodes`` per individual on
        episodes common to every variant (those :func:`~evomesa.measure.knockouts.
        knock_out_drives` plays with the same ``seed``), so the report says which parts are
        under selection (``DriftReport.knock_outs``). One rollout per part.

    Returns
    -------
    DriftReport
        Its behavioural divergence compares the distributions of the agents' own choices
        (the world's actions: for the contraception world, moves, waiting, eating, mating
        with or without protection). For a result it also says whether that evolution
        converged (``converged``, ``late_improvement``: :mod:`evomesa.metrics.convergence`).
    """
    require_world(world)
    genes, spec = measured_genes(world, result, genome, individuals)
    evolved = isinstance(result, EvolutionResult)
    shift = make_shift(
        world, train, deploy, deploy_world, trained=result.config.regime if evolved else None
    )
    there = shift.deployed(spec)
    if seed is None:
        seed = result.config.seed if evolved else 0
    # plain ints and floats from here on (a numpy scalar could overflow in arithmetic)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    episodes = check_int("episodes", episodes, 1, 10_000_000)
    backend = check_choice("backend", backend, BACKENDS)
    baseline = check_bool("baseline", baseline)  # every check before any kernel runs
    knock_outs = check_bool("knock_outs", knock_outs)
    # the bootstrap's and the verdict's settings too: a typo must not cost both rollouts
    n_boot = check_int("n_boot", n_boot, 10, 100_000)
    thresholds = Thresholds(
        robust_threshold, competence_threshold, regret_threshold, effect_threshold
    )
    check_memory(
        f"measure_drift({len(genes)} individuals, episodes={episodes}, n_boot={n_boot})",
        drift_bytes(world, len(genes), episodes, n_boot, reflex=spec.kind != "planner"),
        "the individuals, episodes or n_boot, or raise the budget",
    )
    ref_genes = (
        None if reference is None else reference_genes(shift, reference, there, individuals)
    )
    train_roll, deploy_roll = paired_rollouts(shift, spec, genes, episodes, seed, backend)
    ref_roll = alternatives = None
    if ref_genes is not None:
        ref_roll = reference_rollout(shift, there, ref_genes, episodes, seed, backend)
        alternatives = alternative_rollouts(shift, len(genes), episodes, seed, backend)
    null = None
    if baseline:
        null = null_rollouts(shift, spec, len(genes), episodes, seed, backend)
    knocked = None
    if knock_outs:
        knocked = knock_out_rollouts(shift, spec, genes, episodes, seed, backend)
    return drift_from_rollouts(
        shift,
        train_roll,
        deploy_roll,
        seed=seed,
        thresholds=thresholds,
        n_boot=n_boot,
        reference=ref_roll,
        null=null,
        alternatives=alternatives,
        knock_outs=knocked,
        convergence=result.convergence if evolved else None,
    )


def knock_out_rollouts(
    shift: Shift, genome: Genome, genes, episodes: int, seed: int, backend: str = "numba"
) -> KnockOuts:
    """Training fitness of ``genes`` intact and with each part of
    :func:`~evomesa.measure.knockouts.knockable` knocked out, in the train regime of the
    training world, on the episodes of :func:`~evomesa.measure.knockouts.knock_out_fitness`
    (common to every variant)."""
    return knock_out_fitness(
        shift.world, genome, genes, shift.train_regime, episodes, seed, backend=backend
    )


def paired_rollouts(
    shift: Shift, genome: Genome, genes, episodes: int, seed: int, backend: str = "numba"
) -> tuple[Rollout, Rollout]:
    """The same individuals played in the train and in the deploy regime of ``shift``.

    The train and the deploy episodes draw from two streams keyed by ``seed`` and their
    purpose (the bootstrap from a third, see :func:`drift_from_rollouts`), so a
    ``train == deploy`` control compares two independent samples of one regime. Every
    individual meets its own episodes: with shared episodes the bootstrap over individuals
    would miss the episode-to-episode noise and give intervals that are too narrow. Reflex
    decisions are recorded, to find deploy decisions taken on inputs the train episodes never
    showed: a table's entries never visited, or, for a network, feature bins its decisions
    never met (the train rollout's bins are each individual's support, and the deploy
    rollout, played with it, counts the decisions on novel inputs). The deploy episodes are
    played in the shift's deploy world; the (n, length) ``genes`` decode with ``genome``
    (built for the training world) in both.
    """
    record = genome.kind != "planner"
    return _in_both(shift, genome, genes, episodes, seed, ("measure",), backend, record)


def null_rollouts(
    shift: Shift, genome: Genome, n: int, episodes: int, seed: int, backend: str = "numba"
) -> tuple[Rollout, Rollout]:
    """An unevolved baseline: ``n`` random (generation-0) genomes of ``genome`` played in the
    train and the deploy regime of ``shift``, on streams of their own."""
    genes = genome.random(generator(seed, "measure", "null", "genes"), n)
    return _in_both(shift, genome, genes, episodes, seed, ("measure", "null"), backend)


def _in_both(
    shift: Shift,
    genome: Genome,
    genes,
    episodes: int,
    seed: int,
    purpose: tuple[str, ...],
    backend: str,
    record: bool = False,
) -> tuple[Rollout, Rollout]:
    """``genes`` played in the train regime of the training world and in the deploy regime
    of the deploy world, each on independent episodes from the stream of ``seed`` keyed by
    ``purpose`` and then ``"train"`` or ``"deploy"``."""
    n = genes.shape[0]
    seeds = {
        part: episode_seeds(generator(seed, *purpose, part), n, episodes, common=False)
        for part in ("train", "deploy")
    }
    train = play(shift.world, genome, genes, shift.train_regime, seeds["train"], backend, record)
    # a network's deploy decisions are counted against the feature bins it met in training
    support = feature_support(train) if record else None
    deploy = play(
        shift.deploy_world, genome, genes, shift.deploy, seeds["deploy"], backend, record, support
    )
    return train, deploy


def reference_rollout(
    shift: Shift, genome: Genome, genes, episodes: int, seed: int, backend: str = "numba"
) -> Rollout:
    """The reference population played in the deploy regime of the deploy world (as a lineage
    adapted to it meets it: :attr:`Shift.reference_world`), on its own episode stream;
    ``genome`` is the architecture as built for the deploy world."""
    seeds = episode_seeds(
        generator(seed, "measure", "reference"), genes.shape[0], episodes, common=False
    )
    return play(shift.reference_world, genome, genes, shift.deploy, seeds, backend)


def alternative_rollouts(
    shift: Shift, n: int, episodes: int, seed: int, backend: str = "numba"
) -> dict[str, Rollout]:
    """Simple hand-set alternatives in the deploy regime of the deploy world: for each of its
    actions, ``n`` copies of a reflex that always takes it (``"always ACTION"``), each on
    episodes of its own (a stream per action). A deploy-adapted reference that one of them
    beats did not find what a trivial policy finds, so it bounds nothing (see
    :mod:`evomesa.metrics.verdict`)."""
    world = shift.deploy_world
    reflex = make_genome("reflex", world)
    out = {}
    for a, action in enumerate(world.actions):
        genes = reflex.encode(np.full((n, reflex.length), a, dtype=np.int64))
        seeds = episode_seeds(
            generator(seed, "measure", "alternative", action), n, episodes, common=False
        )
        out[f"always {action}"] = play(world, reflex, genes, shift.deploy, seeds, backend)
    return out


def drift_from_rollouts(
    shift: Shift,
    train: Rollout,
    deploy: Rollout,
    *,
    seed: int,
    thresholds: Thresholds,
    n_boot: int = 1000,
    reference: Rollout | None = None,
    null: tuple[Rollout, Rollout] | None = None,
    alternatives: dict[str, Rollout] | None = None,
    knock_outs: KnockOuts | None = None,
    convergence: Convergence | None = None,
) -> DriftReport:
    """A DriftReport from two rollouts of the same individuals (train and deploy regimes),
    optionally the deploy-adapted reference's rollout in the deploy regime, the unevolved
    baseline's rollouts (train, deploy) from :func:`null_rollouts`, the simple
    alternatives' from :func:`alternative_rollouts`, the same individuals' knock-out
    fitness from :func:`knock_out_rollouts`, and the ``convergence`` of the evolution that
    produced the individuals (``EvolutionResult.convergence``: the report's ``converged``
    and ``late_improvement``).

    The bootstrap draws from the stream of ``seed`` kept for it (apart from the episodes'),
    derived here, where it is used: a worker that played the rollouts need not send it back.
    """
    planners = train.planner_mask
    world = shift.world
    report = drift_report(
        world=world.name,
        genome=train.genome,
        train_name=train.regime,
        deploy_name=deploy.regime,
        drives=world.drives,
        aligned_drives=world.aligned_drives,
        train=_channels(train),
        deploy=_channels(deploy),
        novel_inputs=novel_inputs(deploy),
        planner_mask=planners if planners.any() else None,
        rng=generator(seed, "measure", "bootstrap"),
        n_boot=n_boot,
        thresholds=thresholds,
        reference=None
        if reference is None
        else {"fitness": reference.fitness, "signals": reference.signals},
        null=None
        if null is None
        else {
            "fitness_train": null[0].fitness,
            "signals_deploy": null[1].signals,
            "fitness_deploy": null[1].fitness,
        },
        deploy_params=shift.deploy_params,
        alternatives=None
        if alternatives is None
        else {name: roll.fitness for name, roll in alternatives.items()},
        performance_meaning=shift.deploy_world.performance_meaning or None,
        knock_outs=None
        if knock_outs is None
        else {"intact": knock_outs[0], "knocked": knock_outs[1]},
    )
    if convergence is None:
        return report
    return replace(
        report,
        converged=convergence.converged,
        late_improvement=convergence.late_improvement,
    )


def _channels(roll: Rollout) -> dict:
    return {
        "fitness": roll.fitness,
        "performance": roll.performance,
        # a network's feature bins go in as its novel inputs (drift_from_rollouts), not as
        # table entries
        "observations": None if roll.feature_bins else roll.observations,
        "signals": roll.signals,
        # behaviour = the agents' own choices only: the world's actions include every choice
        # (eat or skip, mate with or without protection), and events the world decides would
        # count its rules as the agents' behaviour
        "actions": roll.actions,
        "utility": roll.utility if roll.planner_mask.any() else None,
    }
