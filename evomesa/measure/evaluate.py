"""Batch evaluation of a population in one regime: the ``em.evaluate`` entry point."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.budget import check_memory, rollout_bytes
from evomesa.errors import check_bool, check_choice, check_int
from evomesa.genomes import Genome, make_genome
from evomesa.genomes.base import as_genes
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import BACKENDS, RolloutArrays, World, require_world


@dataclass(frozen=True)
class Rollout:
    """Both channels of a population's episodes in one regime.

    Attributes
    ----------
    fitness : (n, episodes) float64
        Hidden fitness (the base objective, as selection counts it).
    performance : (n, episodes) float64
        What the designer really wants (hidden; equals fitness in the contraception world).
    signals : (n, episodes, n_drives) float64
        Perceivable signals, in the order of ``drives``.
    actions : (n, episodes, n_actions) int64
        Action counts (behaviour).
    events : (n, episodes, n_events) int64
        Interaction counts (what was eaten, how mating went), in the world's ``events`` order.
    steps : (n, episodes) int64
        Steps survived.
    utility : (n, episodes) float64
        Realised mesa-utility ``sum_k w_k * signal_k / scale_k`` over the weights that act
        (see :func:`mesa_utility`; 0 for reflexes).
    planner_mask : (n,) bool
        Which individuals used the planner architecture.
    drives, regime, genome : str metadata
    observations : (n, episodes, n_observations) int32 or None
        How often each reflex decided on each observation (when recorded).
    """

    fitness: np.ndarray
    performance: np.ndarray
    signals: np.ndarray
    actions: np.ndarray
    events: np.ndarray
    steps: np.ndarray
    utility: np.ndarray
    planner_mask: np.ndarray
    drives: tuple[str, ...]
    regime: str
    genome: str
    observations: np.ndarray | None = None

    def signal(self, drive: str) -> np.ndarray:
        """(n, episodes) signal of one drive."""
        return self.signals[..., self.drives.index(drive)]


def mesa_utility(world: World, brains: Brains, signals: np.ndarray) -> np.ndarray:
    """(n, episodes) realised utility of each planner over the weights that act; zero for
    reflexes.

    A weight acts when the planner's horizon reaches the drive's earliest signal
    (``world.signal_delays``): an offspring weight behind a horizon shorter than gestation
    never moves a decision, so it does not count towards what the planner pursues.
    """
    scaled = signals / world.drive_scales
    acting = brains.horizon[:, None] >= world.signal_delays[None, :]
    util = np.einsum("ned,nd->ne", scaled, np.where(acting, brains.weights, 0.0))
    return np.where(brains.planner_mask[:, None], util, 0.0)


def rollout_genes(
    world: World,
    genome: Genome,
    genes: np.ndarray,
    regime,
    seeds: np.ndarray,
    backend: str = "numba",
    record_observations: bool = False,
) -> tuple[Brains, RolloutArrays]:
    """Decode (n, length) genes and play them on (n, episodes) seeds.

    ``regime`` is a regime name or one name per episode column (see :meth:`World.rollout`).
    """
    brains = genome.decode(genes)
    out = world.rollout(
        brains, regime, seeds, backend=backend, record_observations=record_observations
    )
    return brains, out


def evaluate(
    world: World,
    population,
    genome: str | Genome = "planner",
    regime: str | None = None,
    episodes: int = 32,
    seed: int = 0,
    backend: str = "numba",
    common_seeds: bool = True,
    record_observations: bool = False,
) -> Rollout:
    """Play every individual of ``population`` for ``episodes`` episodes in ``regime``.

    Parameters
    ----------
    world : World
    population : list of individuals or (n, length) array
        Genes in [0, 1] of the given genome architecture.
    genome : {"reflex", "reflex_net", "planner", "hybrid"} or Genome
        The architecture, or a genome object (e.g. a network with other than the default
        hidden units, as a hand-set agent may use).
    regime : str, optional
        One of ``world.regimes``; default: the training regime of ``world.default_shift``.
    episodes : int
        Episodes per individual.
    seed : int
        Seed of the episode draws.
    backend : {"numba", "python"}
        The compiled kernel or the plain-Python reference (identical results, much slower).
    common_seeds : bool
        True: every individual meets the same episodes (fair comparison between individuals).
        False: independent episodes per individual (individuals are then independent
        samples, which is what a bootstrap over individuals assumes).
    record_observations : bool
        Also count the observations reflexes decided on (``Rollout.observations``).

    Returns
    -------
    Rollout
    """
    require_world(world)
    spec = genome if isinstance(genome, Genome) else make_genome(genome, world)
    regime = world.default_shift[0] if regime is None else world.check_regime(regime)
    check_int("episodes", episodes, 1, 10_000_000)
    check_int("seed", seed, 0, 2**63 - 1)
    check_choice("backend", backend, BACKENDS)
    check_bool("common_seeds", common_seeds)
    check_bool("record_observations", record_observations)
    genes = as_genes(population, spec.length, spec.kind)
    check_memory(
        f"evaluate({genes.shape[0]} individuals, episodes={episodes})",
        rollout_bytes(world, genes.shape[0], episodes, record_observations),
        "the population or episodes, or raise the budget",
    )
    seeds = episode_seeds(
        generator(seed, "evaluate", regime), genes.shape[0], episodes, common=common_seeds
    )
    return play(world, spec, genes, regime, seeds, backend, record_observations)


def play(
    world: World,
    genome: Genome,
    genes: np.ndarray,
    regime: str,
    seeds: np.ndarray,
    backend: str = "numba",
    record_observations: bool = False,
) -> Rollout:
    """A :class:`Rollout` of checked (n, length) ``genes`` on given (n, episodes) ``seeds``."""
    brains, out = rollout_genes(world, genome, genes, regime, seeds, backend, record_observations)
    return Rollout(
        fitness=out.fitness,
        performance=out.performance,
        signals=out.signals,
        actions=out.actions,
        events=out.events,
        steps=out.steps,
        utility=mesa_utility(world, brains, out.signals),
        planner_mask=brains.planner_mask,
        drives=world.drives,
        regime=regime,
        genome=genome.kind,
        observations=out.observations,
    )
