"""``em.evolve``: the generational GA, with DEAP's HallOfFame, Statistics and Logbook.

How selection treats noisy fitness
----------------------------------
Episodes are random, so one individual's score is noisy. Every generation *all* individuals,
elites included, are re-evaluated on the same fresh episode seeds (common random numbers):
selection compares genomes on identical worlds, and nobody survives on one lucky draw, since
no fitness is ever carried over from an earlier generation.

Randomness
----------
``config.seed`` feeds one ``numpy.random.SeedSequence``; it spawns one stream for the initial
population and one per generation (episode seeds, then selection, crossover and mutation, in a
fixed order). Kernels get explicit per-episode seeds, so results do not depend on numba's
thread count.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from deap import base, tools

from evomesa.errors import ConfigError
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.deap_types import individuals
from evomesa.evolve.result import EvolutionResult
from evomesa.evolve.toolbox import make_toolbox
from evomesa.worlds.base import World, check_world
from evomesa.worlds.rng import episode_seeds


def make_statistics() -> tools.Statistics:
    """DEAP Statistics over the (n,) fitness array of a generation."""
    stats = tools.Statistics()
    stats.register("avg", np.mean)
    stats.register("std", np.std)
    stats.register("min", np.min)
    stats.register("max", np.max)
    return stats


def evolve(
    world: World,
    config: EvolutionConfig,
    *,
    toolbox: base.Toolbox | None = None,
    progress: bool | Callable[[int, dict], None] = False,
) -> EvolutionResult:
    """Evolve a population in ``config.regime`` of ``world``.

    Parameters
    ----------
    world : World
    config : EvolutionConfig
    toolbox : deap.base.Toolbox, optional
        Operators to use instead of :func:`make_toolbox`'s defaults.
    progress : bool or callable
        True shows a tqdm bar; a callable is called as ``progress(gen, record)`` after each
        generation. Library calls are quiet by default.

    Returns
    -------
    EvolutionResult
    """
    check_world(world)
    if not isinstance(config, EvolutionConfig):
        raise ConfigError(f"config must be an EvolutionConfig; got {type(config).__name__}")
    world.check_regime(config.regime, "config.regime")
    if not (isinstance(progress, bool) or callable(progress)):
        raise ConfigError(
            f"progress must be True, False or a callable(gen, record); got {progress!r}"
        )
    tb = make_toolbox(world, config) if toolbox is None else _checked(toolbox, config)
    n, elite = config.population, config.n_elite

    root = np.random.SeedSequence(config.seed)
    init_ss, *gen_ss = root.spawn(config.generations + 2)
    genes = np.ascontiguousarray(tb.population(np.random.default_rng(init_ss), n))

    stats = make_statistics()
    logbook = tools.Logbook()
    logbook.header = [
        "gen",
        "nevals",
        "avg",
        "std",
        "min",
        "max",
        *world.drives,
        "planners",
        "horizon",
    ]
    hof = tools.HallOfFame(config.hall_of_fame, similar=np.array_equal)
    bar, report = _progress(progress, config.generations + 1)

    fitness = np.zeros(n)
    try:
        for gen in range(config.generations + 1):
            rng = np.random.default_rng(gen_ss[gen])
            seeds = episode_seeds(rng, n, config.episodes, common=config.common_seeds)
            brains, out = tb.evaluate(genes, seeds=seeds)
            fitness = out.fitness.mean(axis=1)

            ranking = np.argsort(-fitness, kind="stable")  # best first; serves HoF and elites
            # Only the best few can enter the HallOfFame: wrap just those as DEAP individuals.
            top = ranking[: config.hall_of_fame]
            hof.update(individuals(genes[top], fitness[top]))
            record = stats.compile(fitness)
            record.update(zip(world.drives, out.signals.mean(axis=(0, 1)), strict=True))
            planners = brains.arch == 1
            record["planners"] = float(planners.mean())
            record["horizon"] = float(brains.horizon[planners].mean()) if planners.any() else 0.0
            logbook.record(gen=gen, nevals=n, **record)
            report(gen, record)
            if gen == config.generations:
                break

            keep = ranking[:elite]
            n_children = n - elite
            parents = tb.select(fitness, n_children + (n_children % 2), rng)
            a, b = tb.mate(genes[parents[0::2]], genes[parents[1::2]], rng)
            children = np.concatenate([a, b])[:n_children]
            children = tb.mutate(children, rng)
            genes = np.ascontiguousarray(np.concatenate([genes[keep], children]))
    finally:
        if bar is not None:
            bar.close()

    return EvolutionResult(
        world=world.name,
        world_params=dict(world.params),
        config=config,
        genes=genes,
        fitness=fitness,
        logbook=logbook,
        hall_of_fame=hof,
    )


def _checked(toolbox, config: EvolutionConfig) -> base.Toolbox:
    """A user toolbox, if it can serve ``config`` (the result records config's genome and
    regime, so a toolbox built for others would mislabel it)."""
    if not isinstance(toolbox, base.Toolbox):
        raise ConfigError(f"toolbox must be a deap.base.Toolbox; got {type(toolbox).__name__}")
    genome = getattr(getattr(toolbox, "genome", None), "kind", config.genome)
    if genome != config.genome:
        raise ConfigError(
            f"toolbox genome must be config.genome={config.genome!r}; got {genome!r}"
        )
    regime = getattr(toolbox.evaluate, "keywords", {}).get("regime", config.regime)
    if regime != config.regime:
        raise ConfigError(
            f"toolbox regime must be config.regime={config.regime!r}; got {regime!r}"
        )
    return toolbox


def _progress(progress, total: int):
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
