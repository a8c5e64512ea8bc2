"""Where an evolution starts: its arguments checked, its initial population, its tracked
regimes, and how it reports progress.

Genes from the toolbox's ``population`` (which a user may have replaced) and from ``init``
are checked before any kernel sees them: real, finite, in [0, 1], of the right shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from deap import base

from evomesa.errors import ConfigError, shown
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.result import EvolutionResult
from evomesa.genomes.base import check_genes
from evomesa.seeding import generator
from evomesa.worlds.base import World


def random_population(tb: base.Toolbox, config: EvolutionConfig, length: int) -> np.ndarray:
    """Generation 0 drawn by ``tb.population`` from the run's ``init`` stream, checked."""
    n = config.population
    genes = tb.population(generator(config.seed, "evolve", "init"), n)
    return check_genes(genes, length, name="toolbox.population", rows=n)


def initial_genes(world: World, config: EvolutionConfig, init, length: int):
    """The (population, length) starting genes given as ``init``, and the result's origin."""
    origin: dict[str, Any] = {"init": "genes"}
    if isinstance(init, EvolutionResult):
        if init.genome != config.genome or init.world != world.name:
            raise ConfigError(
                f"init must be a result of the {config.genome!r} genome in the {world.name!r} "
                f"world; got the {init.genome!r} genome in {init.world!r}"
            )
        changed = sorted(k for k, v in init.world_params.items() if world.params.get(k) != v)
        if changed:
            # the same genes decode and behave differently under other parameters
            raise ConfigError(
                f"init must be a result evolved with this world's parameters; {changed[0]} was "
                f"{init.world_params[changed[0]]!r}, here {world.params.get(changed[0])!r}"
            )
        origin = {
            "init": "result",
            "world": init.world,
            "regime": init.config.regime,
            "seed": init.config.seed,
            "generations": init.config.generations,
        }
        init = init.genes
    genes = check_genes(init, length, name="init", genome=config.genome, rows=config.population)
    return genes, origin


def tracked_regimes(world: World, track) -> tuple[str, ...]:
    """The ``track`` argument as checked regime names."""
    if track is None:
        return ()
    if isinstance(track, str):
        track = (track,)
    if isinstance(track, Mapping):
        raise ConfigError(
            f"track must be a sequence of regime names; got the mapping {shown(track)}"
        )
    try:
        names = tuple(track)
    except TypeError:
        raise ConfigError(
            f"track must be a sequence of regime names; got {shown(track)}"
        ) from None
    return tuple(dict.fromkeys(world.check_regime(r, "track") for r in names))


def check_islands_arguments(config: EvolutionConfig, **given) -> None:
    """Refuse the arguments of :func:`evomesa.evolve` that islands do not support yet."""
    unsupported = [k for k, v in given.items() if v not in (None, ())]
    if unsupported:
        raise ConfigError(
            f"{unsupported[0]} must be None with islands > 1 (not supported yet); got "
            f"islands={config.islands}"
        )


def check_progress(progress) -> None:
    """Refuse a ``progress`` that is neither a bool nor a callable."""
    if not (isinstance(progress, bool) or callable(progress)):
        raise ConfigError(
            f"progress must be True, False or a callable(gen, record); got {shown(progress)}"
        )


def progress_reporter(progress, total: int):
    """(tqdm bar or None, per-generation callback) for the ``progress`` argument."""
    if callable(progress):
        return None, progress
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="evolving", unit="gen", leave=False)

        def tick(gen: int, record: dict) -> None:
            bar.set_postfix(best=f"{record['max']:.2f}", avg=f"{record['avg']:.2f}")
            bar.update(1)

        return bar, tick
    return None, lambda gen, record: None
