"""Per-step cost of the kernel before and after issue 6, on the same work, in one run.

The 0.1 kernel (:mod:`evomesa.bench.legacy`) and the current one play the same number of
random generation-0 individuals of each architecture on the same episode seeds and regime.
Their agent-steps per second are timed in alternation, best of ``repeats`` each, so that a
machine's drift in speed touches both alike. ``cost_ratio`` is the current kernel's time per
agent-step over the old one's: 1.10 means 10 % dearer.
"""

from __future__ import annotations

import time

import numpy as np

from evomesa.bench import legacy
from evomesa.bench.common import _start
from evomesa.bench.settings import SEED, SHIFT, Settings

CHANGE_REGIMES = SHIFT


def bench_change(world, genome_name: str, regime: str, settings: Settings) -> dict:
    """Agent-steps per second of the 0.1 kernel and the current one on the same work."""
    population = settings.change_population
    genome, genes, seeds = _start(world, genome_name, population, settings.episodes)
    brains = genome.decode(genes)
    old = legacy.random_brains(genome_name, population, np.random.default_rng(SEED))

    def current() -> int:
        return int(world.rollout(brains, regime, seeds).steps.sum())

    def before() -> int:
        return legacy.play(old, seeds, regime)

    current(), before()  # compile and warm both before timing
    best_new = best_old = np.inf
    steps_new = steps_old = 0
    for _ in range(max(1, settings.repeats)):
        for fn, slot in ((before, "old"), (current, "new")):
            start = time.perf_counter()
            steps = fn()
            elapsed = time.perf_counter() - start
            if slot == "old":
                best_old, steps_old = min(best_old, elapsed), steps
            else:
                best_new, steps_new = min(best_new, elapsed), steps
    old_rate, new_rate = steps_old / best_old, steps_new / best_new
    return {
        "genome": genome_name,
        "regime": regime,
        "population": population,
        "episodes": settings.episodes,
        "legacy_steps_per_s": old_rate,
        "steps_per_s": new_rate,
        "legacy_steps": steps_old,
        "steps": steps_new,
        "cost_ratio": old_rate / new_rate,
    }
