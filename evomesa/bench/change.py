"""Per-step cost of the kernel before and after issue 6, on the same work, in one run.

The 0.1 kernel (:mod:`evomesa.bench.legacy`) and the current one play the same number of
random generation-0 individuals of each architecture on the same episode seeds and regime.
They are timed in pairs, back to back, alternating which goes first; each pair gives a ratio of
time per agent-step (current over old), and ``cost_ratio`` is the median over
``change_repeats`` pairs, with the quartiles beside it. 1.10 means 10 % dearer.

Why pairs and a median, not the best time of each: on a shared 2-core machine the speed of
the same code drifts by 10-30 % within a minute, and a best-of-n compares each kernel's luckiest
moment, which can be minutes apart. A pair sees the same moment, and the median of pairs is
stable where a best-of-three swung by 0.2 between runs.
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
    ratios, old_rates, new_rates = [], [], []
    steps_old = steps_new = 0
    for k in range(max(1, settings.change_repeats)):
        seconds = {}
        for fn in (before, current) if k % 2 == 0 else (current, before):
            start = time.perf_counter()
            steps = fn()
            seconds[fn] = time.perf_counter() - start
            if fn is before:
                steps_old = steps
            else:
                steps_new = steps
        old_rates.append(steps_old / seconds[before])
        new_rates.append(steps_new / seconds[current])
        ratios.append(old_rates[-1] / new_rates[-1])
    low, median, high = np.percentile(ratios, [25, 50, 75])
    return {
        "genome": genome_name,
        "regime": regime,
        "population": population,
        "episodes": settings.episodes,
        "pairs": len(ratios),
        "legacy_steps_per_s": float(np.median(old_rates)),
        "steps_per_s": float(np.median(new_rates)),
        "legacy_steps": steps_old,
        "steps": steps_new,
        "cost_ratio": float(median),
        "cost_ratio_quartiles": [float(low), float(high)],
    }
