"""The train-then-shift experiment behind ``evomesa run`` and the example scripts.

For each genome architecture and each of ``replicates`` independently seeded runs: evolve in
the training regime (or mixture), evolve the deploy-adapted *reference* (the same
configuration, evolved in the deploy regime of the deploy world itself), play the evolved
population in training and in deployment, and measure drift with regret against the
reference. The work runs through any executor shaped like
:class:`concurrent.futures.Executor` (:mod:`evomesa.executors`) as two tasks per replicate,
one evolution each; the report is then computed here (the tasks and the measurement of a
replicate are in :mod:`evomesa.experiments.replicate`). The summary gives means with
intervals over runs and verdict counts (:mod:`evomesa.metrics.runs`).

Seeds: replicate ``r`` evolves from ``child_seed(seed, "replicate", r)``, its reference from
``child_seed(that, "reference")``; measurement streams are keyed apart from evolution's under
the replicate's seed. So replicates share no stream, and each is reproducible on its own.

Writing, reading and formatting a run folder are in :mod:`evomesa.experiments.run_io`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from evomesa.budget import check_evolve_memory, check_memory, drift_bytes
from evomesa.errors import ConfigError, check_bool, check_int, shown
from evomesa.evolve import EvolutionConfig
from evomesa.executors import InProcessExecutor, check_executor, one_at_a_time
from evomesa.experiments.progress import Progress, check_reporter
from evomesa.experiments.replicate import (
    GenomeRun,
    ReplicateTask,
    evolve_population,
    evolve_reference,
    measure_replicate,
    warm_up,
)
from evomesa.files.folder_probe import make_folder
from evomesa.genomes import check_genome_selection, make_genome
from evomesa.measure.shift import changed_params, make_shift
from evomesa.metrics.report import DriftReport
from evomesa.metrics.runs import (
    action_shares,
    described_traits,
    summarize_reports,
    trait_summary,
)
from evomesa.metrics.thresholds import Thresholds
from evomesa.seeding import child_seed
from evomesa.worlds.base import World, require_world

__all__ = ["Experiment", "run_experiment"]


@dataclass
class Experiment:
    """What :func:`run_experiment` produced.

    Attributes
    ----------
    world : World
        The training world.
    deploy_world : World
        The deploy world (``world`` itself unless another was given).
    config : EvolutionConfig
        The shared configuration; its ``seed`` is the experiment's seed (each replicate's
        own seed is in its result's config).
    train, deploy : str
        The regimes drift is measured from and into (``train`` is the training regime, or a
        mixture's most probable one).
    runs : dict of str to list of GenomeRun
        Per genome, one run per replicate, in replicate order.
    reference : bool
        Whether each replicate evolved a deploy-adapted reference.
    thresholds : dict of str to float
        The verdict thresholds used.
    """

    world: World
    deploy_world: World
    config: EvolutionConfig
    train: str
    deploy: str
    runs: dict[str, list[GenomeRun]] = field(default_factory=dict)
    reference: bool = True
    thresholds: dict[str, float] = field(default_factory=dict)

    @property
    def genomes(self) -> tuple[str, ...]:
        return tuple(self.runs)

    @property
    def replicates(self) -> int:
        return len(next(iter(self.runs.values()))) if self.runs else 0

    @property
    def deploy_params(self) -> dict[str, Any] | None:
        """Parameters of the deploy world that differ from the training world's."""
        return changed_params(self.world, self.deploy_world)

    def reports(self) -> dict[str, list[DriftReport]]:
        """Per genome, the drift report of every replicate."""
        return {g: [run.report for run in runs] for g, runs in self.runs.items()}

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per genome: figures over runs with intervals, verdict counts, drives still pursued
        (:func:`evomesa.metrics.runs.summarize_reports`), and ``traits``: the median and
        interquartile range of every decoded trait and of the share of training decisions
        that took each action, pooled over the final populations of all replicates."""
        return {g: self._genome_summary(g) for g in self.runs}

    def _genome_summary(self, genome: str) -> dict[str, Any]:
        runs = self.runs[genome]
        summary = summarize_reports([run.report for run in runs])
        spec = make_genome(genome, self.world)
        traits: dict[str, list[np.ndarray]] = {}
        for run in runs:
            # a reflex has no planning traits (its architecture and horizon are constant), a
            # network its feature sensitivities; a hybrid's architecture (1: planner) is one
            described = described_traits(spec, run.result.genes)
            described.update(action_shares(run.train.actions, self.world.actions))
            for key, values in described.items():
                traits.setdefault(key, []).append(np.asarray(values, dtype=float))
        summary["traits"] = trait_summary({k: np.concatenate(v) for k, v in traits.items()})
        return summary


def run_experiment(
    world: World,
    config: EvolutionConfig | None = None,
    genomes: Sequence[str] = ("reflex", "planner"),
    deploy: str | None = None,
    episodes: int = 64,
    progress: bool = False,
    *,
    replicates: int = 1,
    seed: int | None = None,
    deploy_world: World | None = None,
    reference: bool = True,
    executor: Executor | None = None,
    reporter: Progress | None = None,
    robust_threshold: float = 0.7,
    competence_threshold: float = 0.6,
    regret_threshold: float = 0.3,
    checkpoint: str | Path | None = None,
    checkpoint_every: int = 1,
    effect_threshold: float = 0.2,
    knock_out_episodes: int = 32,
) -> Experiment:
    """Evolve each genome in ``config.regime`` and measure its drift into ``deploy``.

    Parameters
    ----------
    world : World
    config : EvolutionConfig, optional
        Shared settings (default ``EvolutionConfig()``); its ``genome`` is replaced by each
        entry of ``genomes`` and its ``seed`` by each replicate's.
    genomes : sequence of str
        Architectures to evolve.
    deploy : str, optional
        Regime to deploy into; default: the deploy world's ``default_shift[1]``.
    episodes : int
        Fresh episodes per individual and regime for the drift measurement.
    progress : bool
        Show progress on standard error (a bar per run on a terminal, a line per run
        otherwise).
    replicates : int
        Independently seeded evolutions per genome, spawned from ``seed``.
    seed : int, optional
        The experiment's seed (default: ``config.seed``).
    deploy_world : World, optional
        Deploy into another world of the same kind (other parameters).
    reference : bool
        Evolve a deploy-adapted reference per replicate and report regret against it
        (doubles the evolution time; without it the verdict cannot tell an unavoidable loss).
    executor : concurrent.futures.Executor, optional
        Where replicates run (see :mod:`evomesa.executors`); default: in this process, one
        after another. The caller owns the executor (it is not shut down here).
    reporter : evomesa.experiments.progress.Progress, optional
        The progress reporter to use instead of making one from ``progress``.
    robust_threshold, competence_threshold, regret_threshold, effect_threshold : float
        Verdict thresholds (:mod:`evomesa.metrics.verdict`).
    checkpoint : str or Path, optional
        A folder for checkpoints of every evolution (one sub-folder each, see ``evolve``'s
        ``checkpoint``); calling again with the same arguments and folder resumes each
        evolution from its latest good checkpoint, and gives the uninterrupted result.
    checkpoint_every : int
        Generations between checkpoints.
    knock_out_episodes : int
        Episodes per individual on which each population is replayed intact and with each
        part of its brains knocked out (paired: every variant meets the same episodes). 32
        against the drift's 64: a network has a knock-out per feature (17 in contraception),
        and at 64 the knock-outs took a sixth of the default run's work. The spread between
        individuals, not the episodes, sets a knock-out's interval: in the default
        contraception run the networks' 95 % intervals had a median half-width of 0.10
        children at 32 episodes and 0.10 at 64 (5 runs x 17 features each).

    Returns
    -------
    Experiment
    """
    require_world(world)
    config = EvolutionConfig() if config is None else config
    if not isinstance(config, EvolutionConfig):
        raise ConfigError(f"config must be an EvolutionConfig; got {type(config).__name__}")
    genomes = check_genome_selection(genomes)
    progress = check_bool("progress", progress)
    check_reporter(reporter)
    replicates = check_int("replicates", replicates, 1, 100_000)
    episodes = check_int("episodes", episodes, 1, 10_000_000)  # plain ints from here on
    reference = check_bool("reference", reference)
    checkpoint_every = check_int("checkpoint_every", checkpoint_every, 1, 10_000_000)
    knock_out_episodes = check_int("knock_out_episodes", knock_out_episodes, 1, 10_000_000)
    bad_folder = not isinstance(checkpoint, str | Path) or str(checkpoint) == ""
    if checkpoint is not None and bad_folder:
        raise ConfigError(f"checkpoint must be a folder path; got {shown(checkpoint)}")
    if checkpoint is not None:  # probed like --out: a bad place fails before any work
        make_folder(checkpoint, "checkpoint")
    thresholds = Thresholds(
        robust_threshold, competence_threshold, regret_threshold, effect_threshold
    )
    if seed is not None:
        config = replace(config, seed=seed)  # validated by the config
    config = config.for_world(world)
    shift = make_shift(world, deploy=deploy, deploy_world=deploy_world, trained=config.regime)
    specs = [make_genome(genome, world) for genome in genomes]
    for spec in specs:
        shift.deployed(spec)
    for spec in specs:  # one replicate's evolution and measurement, before any work
        check_evolve_memory(world, config, spec.length)
        check_memory(
            f"measuring drift ({config.population} individuals, episodes={episodes})",
            drift_bytes(world, config.population, episodes, 1000, reflex=spec.kind != "planner"),
            "population or the drift episodes, or raise the budget",
        )
    check_executor(executor, "executor")
    in_process = executor is None or isinstance(executor, InProcessExecutor)
    executor = executor or InProcessExecutor()
    reporter = Progress(enabled=progress) if reporter is None else reporter
    start = time.perf_counter()
    reporter.phase("compiling numba kernels (first run only; cached on disk afterwards)")
    warm_up(world, genomes)  # here, so that pool workers load the cache instead of compiling
    reporter.phase(f"kernels ready in {time.perf_counter() - start:.1f} s")

    tasks = [
        ReplicateTask(
            world=world.name,
            params=dict(world.params),
            deploy_params=None if shift.deploy_world is world else dict(shift.deploy_world.params),
            config=replace(config, genome=g, seed=child_seed(config.seed, "replicate", r)),
            train=shift.train_regime,
            deploy=shift.deploy,
            episodes=episodes,
            reference=reference,
            replicate=r,
            thresholds=thresholds,
            checkpoint=None if checkpoint is None else str(checkpoint),
            checkpoint_every=checkpoint_every,
            knock_out_episodes=knock_out_episodes,
        )
        for r in range(replicates)
        for g in genomes
    ]
    # Two tasks per replicate (the population and its reference), so that work is spread
    # in pieces of one evolution each: with whole replicates, the last one ran alone.
    jobs: list[tuple[ReplicateTask, Future, Future | None]] = []
    for task in tasks:
        label = f"replicate {task.replicate + 1} of {replicates} · {task.config.genome}"
        total = task.config.resolved(world).generations + 1
        pieces = []
        for fn, suffix, wanted in (
            (evolve_population, "", True),
            (evolve_reference, " reference", task.reference),
        ):
            if not wanted:
                pieces.append(None)
            elif in_process:  # a live bar per evolution; a pool reports them as they finish
                pieces.append(executor.submit(fn, task, reporter.task(label + suffix, total)))
            else:
                pieces.append(executor.submit(one_at_a_time, fn, task))
        jobs.append((task, pieces[0], pieces[1]))
    runs: dict[str, list[GenomeRun]] = {g: [] for g in genomes}
    for done, (task, pop_future, ref_future) in enumerate(jobs, start=1):
        run = measure_replicate(
            task, pop_future.result(), None if ref_future is None else ref_future.result()
        )
        runs[task.config.genome].append(run)
        if not in_process:
            reporter.phase(
                f"{done} of {len(jobs)} runs done (replicate {task.replicate + 1}, "
                f"{task.config.genome}: {run.report.reading})"
            )
    return Experiment(
        world=world,
        deploy_world=shift.deploy_world,
        config=config,
        train=shift.train_regime,
        deploy=shift.deploy,
        runs=runs,
        reference=reference,
        thresholds=thresholds.to_dict(),
    )
