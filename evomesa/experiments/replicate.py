"""One replicate of the train-then-shift experiment, as tasks an executor can run.

A replicate of one genome is two tasks, one evolution each, so that work is spread in even
pieces: :func:`evolve_population` evolves in the training regime (or mixture) and plays the
final population in training and in deployment beside an unevolved baseline (and in
training with each part of its brains knocked out);
:func:`evolve_reference` evolves the deploy-adapted reference in the deploy regime of the
deploy world and plays it there. :func:`measure_replicate` then computes the drift report from
what they played (cheap: statistics), deriving the bootstrap's stream from the replicate's
seed itself. :func:`evomesa.run_experiment` and :func:`evomesa.sweep` run these tasks.

Seeds: a task's ``config.seed`` is the replicate's seed; its reference evolves from
``child_seed(that, "reference")``, and measurement streams are keyed apart from evolution's
under the replicate's seed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from evomesa.evolve import EvolutionConfig, EvolutionResult, evolve
from evomesa.genomes import make_genome
from evomesa.measure.drift import (
    KnockOuts,
    alternative_rollouts,
    drift_from_rollouts,
    knock_out_rollouts,
    null_rollouts,
    paired_rollouts,
    reference_rollout,
)
from evomesa.measure.evaluate import Rollout
from evomesa.measure.shift import Shift
from evomesa.metrics.report import DriftReport
from evomesa.metrics.thresholds import Thresholds
from evomesa.seeding import child_seed
from evomesa.worlds import make_world
from evomesa.worlds.base import World

__all__ = [
    "GenomeRun",
    "Played",
    "ReplicateTask",
    "evolve_population",
    "evolve_reference",
    "measure_replicate",
    "warm_up",
]


@dataclass
class GenomeRun:
    """Everything one replicate of one genome architecture produced.

    Attributes
    ----------
    result : EvolutionResult
        The evolution in the training regime.
    report : DriftReport
        Its drift from training into deployment, with regret against ``reference``.
    train, deploy : Rollout
        The final population played in each regime (fresh episodes).
    reference : EvolutionResult or None
        The deploy-adapted reference (None when the experiment ran without one).
    replicate : int
        Index of the replicate, from 0.
    """

    result: EvolutionResult
    report: DriftReport
    train: Rollout
    deploy: Rollout
    reference: EvolutionResult | None = None
    replicate: int = 0

    @property
    def seed(self) -> int:
        """The seed this replicate evolved from."""
        return self.result.config.seed


@dataclass(frozen=True)
class ReplicateTask:
    """One unit of work: a replicate of a genome, with everything needed to rebuild its worlds
    in another process (worlds travel as name and parameters).

    Made from checked arguments (by :func:`evomesa.run_experiment` or :func:`evomesa.sweep`):
    nothing here checks them again. ``train`` is the regime drift is measured from (a
    mixture's most probable one), ``thresholds`` the verdict's.
    """

    world: str
    params: dict[str, Any]
    deploy_params: dict[str, Any] | None
    config: EvolutionConfig
    train: str
    deploy: str
    episodes: int
    reference: bool
    replicate: int
    thresholds: Thresholds = field(default_factory=Thresholds)
    checkpoint: str | None = None
    checkpoint_every: int = 1
    knock_out_episodes: int = 32

    def checkpoint_of(self, part: str) -> str | None:
        """The checkpoint folder of this task's ``part`` ("population" or "reference")."""
        if self.checkpoint is None:
            return None
        return f"{self.checkpoint}/{self.config.genome}-r{self.replicate}/{part}"

    def shift(self) -> Shift:
        """The task's shift, its worlds rebuilt from their names and parameters."""
        world = make_world(self.world, **self.params)
        target = (
            world if self.deploy_params is None else make_world(self.world, **self.deploy_params)
        )
        return Shift(world, target, self.train, self.deploy)


@dataclass
class Played:
    """What a task sends back: an evolution and its population played where it is measured.

    For the population: ``result``, its ``train`` and ``deploy`` rollouts, the unevolved
    baseline's ``null`` rollouts (train, deploy) and its training fitness intact and with
    each part of its brains knocked out (``knock_outs``). For the reference: ``result``, its
    ``deploy`` rollout and the simple ``alternatives`` played beside it.
    """

    result: EvolutionResult
    deploy: Rollout
    train: Rollout | None = None
    null: tuple[Rollout, Rollout] | None = None
    alternatives: dict[str, Rollout] | None = None
    knock_outs: KnockOuts | None = None


def evolve_population(
    task: ReplicateTask, progress: Callable[[int, dict], None] | None = None
) -> Played:
    """Task: evolve one replicate's population and play it in both regimes, beside the
    unevolved baseline, and with each part of its brains knocked out in training."""
    shift = task.shift()
    config = task.config
    result = evolve(
        shift.world,
        config,
        progress=progress or False,
        checkpoint=task.checkpoint_of("population"),
        checkpoint_every=task.checkpoint_every,
    )
    genome = make_genome(config.genome, shift.world)
    train, deploy = paired_rollouts(
        shift, genome, result.genes, task.episodes, config.seed, config.backend
    )
    null = null_rollouts(
        shift, genome, len(result.genes), task.episodes, config.seed, config.backend
    )
    knocked = knock_out_rollouts(
        shift, genome, result.genes, task.knock_out_episodes, config.seed, config.backend
    )
    return Played(result, deploy, train, null, knock_outs=knocked)


def evolve_reference(
    task: ReplicateTask, progress: Callable[[int, dict], None] | None = None
) -> Played:
    """Task: evolve one replicate's deploy-adapted reference in the deploy regime of the
    deploy world, and play it there."""
    shift = task.shift()
    config = task.config
    ref_config = replace(config, regime=task.deploy, seed=child_seed(config.seed, "reference"))
    reference = evolve(
        shift.reference_world,
        ref_config,
        progress=progress or False,
        checkpoint=task.checkpoint_of("reference"),
        checkpoint_every=task.checkpoint_every,
    )
    roll = reference_rollout(
        shift,
        make_genome(config.genome, shift.deploy_world),
        reference.genes,
        task.episodes,
        config.seed,
        config.backend,
    )
    alternatives = alternative_rollouts(
        shift, len(reference.genes), task.episodes, config.seed, config.backend
    )
    return Played(reference, roll, alternatives=alternatives)


def measure_replicate(
    task: ReplicateTask, population: Played, reference: Played | None
) -> GenomeRun:
    """The drift report of one replicate, from what its tasks played (cheap: statistics)."""
    report = drift_from_rollouts(
        task.shift(),
        population.train,
        population.deploy,
        seed=task.config.seed,
        thresholds=task.thresholds,
        reference=None if reference is None else reference.deploy,
        null=population.null,
        alternatives=None if reference is None else reference.alternatives,
        knock_outs=population.knock_outs,
        convergence=population.result.convergence,
    )
    return GenomeRun(
        population.result,
        report,
        population.train,
        population.deploy,
        None if reference is None else reference.result,
        task.replicate,
    )


def warm_up(world: World, genomes: Sequence[str]) -> None:
    """Compile (or load from numba's disk cache) every kernel a run uses, on a tiny run."""
    train, deploy = world.default_shift
    shift = Shift(world, world, train, deploy)
    for genome in genomes:
        tiny = EvolutionConfig(genome=genome, population=4, generations=1, episodes=1)
        result = evolve(world, tiny)
        paired_rollouts(shift, make_genome(genome, world), result.genes, 1, 0)
