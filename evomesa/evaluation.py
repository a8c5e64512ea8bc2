"""Batch evaluation of a population in one regime: the ``em.evaluate`` entry point."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evomesa.errors import check_bool, check_choice, check_int
from evomesa.genomes import Genome, make_genome
from evomesa.genomes.base import as_genes
from evomesa.worlds.base import BACKENDS, Brains, RolloutArrays, World, check_world
from evomesa.worlds.rng import episode_seeds


@dataclass(frozen=True)
class Rollout:
    """Both channels of a population's episodes in one regime.

    Attributes
    ----------
    fitness : (n, episodes) float64
        Hidden fitness (the base objective).
    signals : (n, episodes, n_drives) float64
        Perceivable signals, in the order of ``drives``.
    actions : (n, episodes, n_actions) int64
        Action counts (behaviour).
    events : (n, episodes, n_events) int64
        Interaction counts (what was eaten, how mating went), in the world's ``events`` order.
    steps : (n, episodes) int64
        Steps survived.
    utility : (n, episodes) float64
        Realised mesa-utility ``sum_k w_k * signal_k / scale_k`` (0 for reflexes).
    planner_mask : (n,) bool
        Which individuals used the planner architecture.
    drives, regime, genome : str metadata
    """

    fitness: np.ndarray
    signals: np.ndarray
    actions: np.ndarray
    events: np.ndarray
    steps: np.ndarray
    utility: np.ndarray
    planner_mask: np.ndarray
    drives: tuple[str, ...]
    regime: str
    genome: str

    def signal(self, drive: str) -> np.ndarray:
        """(n, episodes) signal of one drive."""
        return self.signals[..., self.drives.index(drive)]


def mesa_utility(world: World, brains: Brains, signals: np.ndarray) -> np.ndarray:
    """(n, episodes) realised utility of each planner; zero for reflexes."""
    scaled = signals / world.drive_scales
    util = np.einsum("ned,nd->ne", scaled, brains.weights)
    return np.where((brains.arch == 1)[:, None], util, 0.0)


def rollout_genes(
    world: World,
    genome: Genome,
    genes: np.ndarray,
    regime: str,
    seeds: np.ndarray,
    backend: str = "numba",
) -> tuple[Brains, RolloutArrays]:
    """Decode (n, length) genes and play them on (n, episodes) seeds."""
    brains = genome.decode(genes)
    return brains, world.rollout(brains, regime, seeds, backend=backend)


def evaluate(
    world: World,
    population,
    genome: str = "planner",
    regime: str = "ancestral",
    episodes: int = 32,
    seed: int = 0,
    backend: str = "numba",
    common_seeds: bool = True,
) -> Rollout:
    """Play every individual of ``population`` for ``episodes`` episodes in ``regime``.

    Parameters
    ----------
    world : World
    population : list of individuals or (n, length) array
        Genes in [0, 1] of the given genome architecture.
    genome : {"reflex", "planner", "hybrid"}
    regime : str
        One of ``world.regimes``.
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

    Returns
    -------
    Rollout
    """
    check_world(world)
    spec = make_genome(genome, world)
    world.check_regime(regime)
    check_int("episodes", episodes, 1, 10_000_000)
    check_int("seed", seed, 0, 2**63 - 1)
    check_choice("backend", backend, BACKENDS)
    check_bool("common_seeds", common_seeds)
    genes = as_genes(population, spec.length, genome)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    seeds = episode_seeds(rng, genes.shape[0], episodes, common=common_seeds)
    brains, out = rollout_genes(world, spec, genes, regime, seeds, backend)
    return Rollout(
        fitness=out.fitness,
        signals=out.signals,
        actions=out.actions,
        events=out.events,
        steps=out.steps,
        utility=mesa_utility(world, brains, out.signals),
        planner_mask=brains.arch == 1,
        drives=world.drives,
        regime=regime,
        genome=genome,
    )
