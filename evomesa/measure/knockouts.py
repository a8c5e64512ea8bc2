"""Drive knock-outs: is a drive under selection?

A *knock-out* sets one drive's weight to 0 in every planner of a population and replays it on
the same episodes: if training fitness falls, the drive is under selection (DESIGN section 0:
every drive a story names must be).
"""

from __future__ import annotations

from collections.abc import Sequence

from evomesa.errors import ConfigError, check_int
from evomesa.genomes import make_genome
from evomesa.genomes.base import as_genes
from evomesa.measure.evaluate import play
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
