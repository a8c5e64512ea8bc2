"""The plain-Python DEAP baseline: what a typical DEAP user writes, through ``eaSimple``."""

from __future__ import annotations

import random
import time

import numpy as np
from deap import algorithms, base, creator, tools

from evomesa.bench.common import _start
from evomesa.bench.settings import REGIME, SEED, Settings


def _deap_types():
    """The baseline's creator classes, created once (re-creating them warns in DEAP)."""
    if not hasattr(creator, "BenchFitness"):
        creator.create("BenchFitness", base.Fitness, weights=(1.0,))
    if not hasattr(creator, "BenchIndividual"):
        creator.create("BenchIndividual", list, fitness=creator.BenchFitness)
    return creator.BenchIndividual


def bench_baseline(world, genome_name: str, settings: Settings) -> dict:
    """The plain-Python world through DEAP's stock ``eaSimple``, one individual at a time.

    This is the code a DEAP user writes from the tutorials: list individuals, an ``evaluate``
    that scores one individual, builtin ``map``, deepcopy ``clone``, ``cxUniform``,
    ``mutGaussian`` with bounds clipping, ``selTournament``, a HallOfFame and Statistics.
    Every individual meets the loop's generation-0 episode seeds (fixed seeds, as a user
    wanting comparable scores would do). ``mutpb=1`` with a per-gene rate of 1/length makes
    every offspring re-evaluated each generation, the same work per generation as the loop.
    """
    individual = _deap_types()
    n, episodes = settings.baseline_population, settings.episodes
    genome, genes, seeds = _start(world, genome_name, n, episodes)
    seed_row = seeds[:1]
    steps = [0]
    gen0: list[float] = []

    def evaluate(ind) -> tuple[float]:
        brains = genome.decode(np.asarray(ind, dtype=np.float64)[None, :])
        out = world.rollout(brains, REGIME, seed_row, backend="python")
        steps[0] += int(out.steps.sum())
        if len(gen0) < n:
            gen0.append(float(out.fitness.mean()))
        return (float(out.fitness.mean()),)

    def clip_to_unit(func):
        # DEAP's documented "checkBounds" decorator pattern: keep genes in [0, 1].
        def wrapper(*args, **kwargs):
            offspring = func(*args, **kwargs)
            for child in offspring:
                for i, g in enumerate(child):
                    child[i] = min(1.0, max(0.0, g))
            return offspring

        return wrapper

    toolbox = base.Toolbox()
    toolbox.register("evaluate", evaluate)
    toolbox.register("mate", tools.cxUniform, indpb=0.5)
    toolbox.register("mutate", tools.mutGaussian, mu=0.0, sigma=0.1, indpb=1.0 / genome.length)
    toolbox.decorate("mutate", clip_to_unit)
    toolbox.register("select", tools.selTournament, tournsize=3)
    stats = tools.Statistics(lambda ind: ind.fitness.values[0])
    for name, fn in (("avg", np.mean), ("std", np.std), ("min", np.min), ("max", np.max)):
        stats.register(name, fn)
    population = [individual(row.tolist()) for row in genes]

    # DEAP's operators draw from the global ``random``: seed it for the run, then put the
    # caller's state back, so benchmarking leaves no trace on user code.
    saved = random.getstate()
    random.seed(SEED)
    try:
        start = time.perf_counter()
        algorithms.eaSimple(
            population,
            toolbox,
            cxpb=0.7,
            mutpb=1.0,
            ngen=settings.baseline_generations,
            stats=stats,
            halloffame=tools.HallOfFame(10),
            verbose=False,
        )
        seconds = time.perf_counter() - start
    finally:
        random.setstate(saved)
    return {
        "genome": genome_name,
        "population": n,
        "episodes": episodes,
        "generations": settings.baseline_generations,
        "seconds": seconds,
        "gens_per_s": (settings.baseline_generations + 1) / seconds,
        "steps": steps[0],
        "steps_per_s": steps[0] / seconds,
        "gen0_avg_fitness": float(np.mean(gen0)),
    }
