"""Analyses of evolved populations: drive knock-outs and intervals over independent runs.

A *knock-out* sets one drive's weight to 0 in every planner of a population and replays it on
the same episodes: if training fitness falls, the drive is under selection (DESIGN section 0:
every drive a story names must be). Independent runs, not the individuals of one run, are the
unit of inference, so :func:`interval_over_runs` turns one value per run into a mean with a
t interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evomesa.errors import ConfigError, check_float, check_int
from evomesa.evaluation import play
from evomesa.genomes import make_genome
from evomesa.genomes.base import as_genes
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import World, require_world


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
    spec = make_genome(genome, world)
    genes = as_genes(population, spec.length, genome)
    regime = world.default_shift[0] if regime is None else world.check_regime(regime)
    check_int("episodes", episodes, 1, 1_000_000)
    drives = world.drives if drives is None else tuple(drives)
    for drive in drives:
        if drive not in world.drives:
            raise ConfigError(f"drives must name drives of {world.drives}; got {drive!r}")
    seeds = episode_seeds(generator(seed, "knock_out", regime), genes.shape[0], episodes)
    out = {"intact": float(play(world, spec, genes, regime, seeds).fitness.mean())}
    for drive in drives:
        knocked = spec.knock_out(genes, drive)
        out[drive] = float(play(world, spec, knocked, regime, seeds).fitness.mean())
    return out


def interval_over_runs(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean of one value per independent run, with a two-sided Student t interval.

    Returns ``(mean, low, high)``; with a single run the interval is the point itself.
    """
    from scipy import stats

    check_float("level", level, 0.5, 0.999)
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size == 0 or not np.isfinite(x).all():
        raise ConfigError(f"values must be a non-empty sequence of finite numbers; got {values!r}")
    mean = float(x.mean())
    if x.size == 1 or np.all(x == x[0]):
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


def interval_record(values: Sequence[float], level: float = 0.95) -> dict[str, float]:
    """:func:`interval_over_runs` as a JSON-ready ``{"mean", "low", "high"}`` record."""
    mean, low, high = interval_over_runs(values, level)
    return {"mean": mean, "low": low, "high": high}
