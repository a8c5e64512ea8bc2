"""Batch evaluation of a population in one regime: the ``em.evaluate`` entry point."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evomesa.agents.brains import FEATURE_BINS, Brains
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
    observations : (n, episodes, n_recorded) int32 or None
        When recorded: how often each reflex decided on each table entry (observation), or,
        where some row is a reflex network, how often each network's features fell in each
        bin, with its decisions on novel inputs in the last slot
        (:meth:`~evomesa.worlds.base.World.n_recorded`).
    net_mask : (n,) bool or None
        Which individuals decided by a reflex network (None: not known, none did).
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
    net_mask: np.ndarray | None = None

    @property
    def feature_bins(self) -> bool:
        """Whether :attr:`observations` are a network's feature-bin record (some row is a
        network), rather than a table's entry counts."""
        return self.observations is not None and self.net_mask is not None and self.net_mask.any()

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
    support: np.ndarray | None = None,
) -> tuple[Brains, RolloutArrays]:
    """Decode (n, length) genes and play them on (n, episodes) seeds.

    ``regime`` is a regime name or one name per episode column (see :meth:`World.rollout`);
    ``support`` the networks' training support (see :meth:`Brains.with_support`).
    """
    brains = genome.decode(genes)
    if support is not None:
        brains = brains.with_support(support)
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
    support: np.ndarray | None = None,
) -> Rollout:
    """A :class:`Rollout` of checked (n, length) ``genes`` on given (n, episodes) ``seeds``;
    a recording rollout given the networks' training ``support`` (n, n_features *
    FEATURE_BINS) also counts their decisions on novel inputs (:func:`feature_support`)."""
    brains, out = rollout_genes(
        world, genome, genes, regime, seeds, backend, record_observations, support
    )
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
        net_mask=brains.net_mask,
    )


def feature_support(train: Rollout) -> np.ndarray | None:
    """(n, n_features * FEATURE_BINS) uint8: which feature bins each individual's network met
    at its decisions in the recording rollout ``train`` (its training support, for
    :meth:`Brains.with_support`); None unless ``train`` holds a network's feature bins."""
    if not train.feature_bins:
        return None
    return (train.observations[:, :, :-1].sum(axis=1) > 0).astype(np.uint8)


def novel_inputs(deploy: Rollout) -> dict[str, np.ndarray] | None:
    """A network population's decisions on novel inputs and all its decisions, each (n,
    episodes), from a recording rollout played with the training support: the last slot, and
    the bin counts of one feature (every decision puts one count in each feature's bins);
    None unless ``deploy`` holds a network's feature bins."""
    if not deploy.feature_bins:
        return None
    obs = deploy.observations
    return {"novel": obs[:, :, -1], "decisions": obs[:, :, :FEATURE_BINS].sum(axis=2)}
