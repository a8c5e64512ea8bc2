"""Knock-outs: is a part of the evolved brains under selection?

A *knock-out* removes one part of every brain of a population and replays it on the same
episodes: if training fitness falls, the part is under selection (DESIGN section 0: every
drive a story names must be). What can be knocked out depends on the architecture (parts are
named ``"KIND:NAME"``, see :mod:`evomesa.metrics.knockouts`):

* a planner's **drives**: that drive's weight set to 0 (``drive:NAME``);
* a reflex network's perceived **features**: that feature's input weights set to 0, so the
  network acts as if it were never sensed (``feature:NAME``);
* a lookup table's observation **factors**: every entry reads the entry with that factor at
  its first level, so the table acts as if the factor never changed (``factor:NAME``);
* a hybrid's: its planner's drives, and its reflex half's features or factors.

Every variant meets the same episodes: those of ``episode_seeds(generator(seed,
"knock_out", regime), n, episodes)``, common to all individuals, so :func:`knock_out_drives`,
:func:`knock_out_features` and the knock-outs of :func:`evomesa.measure_drift` (same seed,
episodes and regime) give the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from evomesa.errors import ConfigError, check_choice, check_int
from evomesa.genomes import Genome, HybridGenome, ReflexGenome, ReflexNetGenome, make_genome
from evomesa.genomes.base import as_genes
from evomesa.measure.evaluate import play
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import World, require_world

__all__ = [
    "knock_out",
    "knock_out_drives",
    "knock_out_features",
    "knock_out_fitness",
    "knockable",
    "knocked_genome",
]


def knockable(genome: Genome, world: World) -> tuple[str, ...]:
    """The parts of ``genome``'s brains that can be knocked out in ``world``, as
    ``"KIND:NAME"``: drives, then features or factors."""

    def reflex_parts(reflex: Genome) -> list[str]:
        if isinstance(reflex, ReflexNetGenome):
            return [f"feature:{f}" for f in reflex.features]
        if isinstance(reflex, ReflexGenome):
            return [f"factor:{f.name}" for f in world.factors]
        return []

    drives = [f"drive:{d}" for d in world.drives]
    if isinstance(genome, HybridGenome):
        return tuple(drives + reflex_parts(genome.reflex))
    if genome.kind == "planner":
        return tuple(drives)
    return tuple(reflex_parts(genome))


def knock_out(genome: Genome, world: World, genes: np.ndarray, part: str) -> np.ndarray:
    """A copy of checked (n, length) ``genes`` with ``part`` (one of :func:`knockable`)
    knocked out of every brain: genes of :func:`knocked_genome` (``genome`` itself, but for a
    feature of a network tied across turns, whose knock-out unties it)."""
    kind, _, name = part.partition(":")
    if kind == "drive":  # the genome says whether it has drive weights, and that drive
        return genome.knock_out(genes, name)
    check_choice("part", part, knockable(genome, world))
    if not isinstance(genome, HybridGenome):
        return _knock_out_reflex(genome, world, genes, kind, name)
    genes = np.asarray(genes, dtype=np.float64)
    r = 1 + genome.reflex.length
    reflex = _knock_out_reflex(genome.reflex, world, genes[:, 1:r], kind, name)
    return np.concatenate([genes[:, :1], reflex, genes[:, r:]], axis=1)


def knocked_genome(genome: Genome, part: str) -> Genome:
    """The genome :func:`knock_out` of ``part`` returns genes of: ``genome``, untied where a
    feature's knock-out breaks a network's tie across turns."""
    if not part.startswith("feature:"):
        return genome
    if isinstance(genome, ReflexNetGenome):
        return genome.untied()
    if isinstance(genome, HybridGenome) and isinstance(genome.reflex, ReflexNetGenome):
        if genome.reflex.tied:
            return HybridGenome(genome.reflex.untied(), genome.planner)
    return genome


def _knock_out_reflex(
    reflex: Genome, world: World, genes: np.ndarray, kind: str, name: str
) -> np.ndarray:
    """A reflex's genes with a feature (network) or a factor (table) knocked out."""
    if kind == "feature":
        return reflex.knock_out_feature(genes, name)
    # a table: every entry reads the entry with this factor at its first level
    levels = tuple(len(f.levels) for f in world.factors)
    k = [f.name for f in world.factors].index(name)
    index = np.arange(math.prod(levels)).reshape(levels)  # first factor most significant
    source = np.broadcast_to(np.take(index, [0], axis=k), levels).ravel()
    return np.array(genes, dtype=np.float64)[:, source]


def knock_out_fitness(
    world: World,
    genome: Genome,
    genes: np.ndarray,
    regime: str,
    episodes: int,
    seed: int,
    parts: Sequence[str] | None = None,
    backend: str = "numba",
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Training fitness of checked (n, length) ``genes`` intact and with each of ``parts``
    (default: every one of :func:`knockable`) knocked out, all on the same episodes.

    Returns
    -------
    intact : (n, episodes) float64
    knocked : dict of part -> (n, episodes) float64
    """
    parts = knockable(genome, world) if parts is None else tuple(parts)
    seeds = episode_seeds(generator(seed, "knock_out", regime), genes.shape[0], episodes)
    intact = play(world, genome, genes, regime, seeds, backend).fitness
    knocked = {
        part: play(
            world,
            knocked_genome(genome, part),
            knock_out(genome, world, genes, part),
            regime,
            seeds,
            backend,
        ).fitness
        for part in parts
    }
    return intact, knocked


def _mean_fitness(
    world: World,
    population,
    genome: str,
    regime: str | None,
    episodes: int,
    seed: int,
    kind: str,
    names: Sequence[str] | None,
    allowed: Sequence[str],
) -> dict[str, float]:
    """``"intact"`` and one mean fitness per knocked-out ``kind:name``, keyed by ``name``."""
    spec = make_genome(genome, world)
    genes = as_genes(population, spec.length, genome)
    regime = world.default_shift[0] if regime is None else world.check_regime(regime)
    check_int("episodes", episodes, 1, 1_000_000)
    names = tuple(allowed) if names is None else tuple(names)
    for name in names:
        if name not in allowed:
            raise ConfigError(f"{kind}s must name {kind}s of {tuple(allowed)}; got {name!r}")
    names = tuple(allowed[list(allowed).index(name)] for name in names)  # plain strings
    parts = [f"{kind}:{name}" for name in names]
    intact, knocked = knock_out_fitness(world, spec, genes, regime, episodes, seed, parts)
    return {"intact": float(intact.mean())} | {
        name: float(knocked[part].mean()) for name, part in zip(names, parts, strict=True)
    }


def knock_out_drives(
    world: World,
    population,
    genome: str = "planner",
    regime: str | None = None,
    episodes: int = 64,
    seed: int = 0,
    drives: Sequence[str] | None = None,
) -> dict[str, float]:
    """Mean fitness of a population with each drive's weight knocked out to 0.

    Parameters
    ----------
    world : World
    population : list of individuals or (n, length) array
        Genes of a genome with drive weights (planner or hybrid).
    genome : {"planner", "hybrid"}
    regime : str, optional
        Where to play; default: the world's training regime (``default_shift[0]``).
    episodes : int
        Episodes per individual; every variant meets the same episodes (paired).
    seed : int
        Seed of the episodes.
    drives : sequence of str, optional
        Drives to knock out, one at a time; default: all of the world's.

    Returns
    -------
    dict
        ``"intact"`` and one entry per drive: mean fitness over individuals and episodes.
    """
    require_world(world)
    return _mean_fitness(
        world, population, genome, regime, episodes, seed, "drive", drives, world.drives
    )


def knock_out_features(
    world: World,
    population,
    genome: str = "reflex_net",
    regime: str | None = None,
    episodes: int = 64,
    seed: int = 0,
    features: Sequence[str] | None = None,
) -> dict[str, float]:
    """Mean fitness of a population of reflex networks with each perceived feature knocked
    out (its input weights set to 0: the network acts as if it never sensed it).

    Parameters are those of :func:`knock_out_drives`, with ``features`` (default: all of the
    world's) in place of ``drives``; ``genome`` must be ``"reflex_net"``.

    Returns
    -------
    dict
        ``"intact"`` and one entry per feature: mean fitness over individuals and episodes.
    """
    require_world(world)
    check_choice("genome", genome, ("reflex_net",))
    names = tuple(f.name for f in world.features)
    return _mean_fitness(
        world, population, genome, regime, episodes, seed, "feature", features, names
    )
