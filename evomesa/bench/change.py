"""Per-step cost of the kernel before and after issue 6, on the same work, in one run.

The 0.1 kernel (:mod:`evomesa.bench.legacy`) and the current one play the same number of
random generation-0 individuals of each architecture on the same episode seeds and regime.
They are timed in pairs, back to back, alternating which goes first; each pair gives a ratio of
time per agent-step (current over old), and a cost ratio is the median over
``change_repeats`` pairs, with the quartiles beside it. 1.10 means 10 % dearer.

Two comparisons per row:

* **full length** (``cost_ratio``, the one the promise is checked on): both worlds with an
  energy store so large that no agent starves, so every episode runs its full 150 steps in
  both. Random genomes of the two encodings otherwise live different lengths (the 0.1 world
  fed an agent on arriving at food; now eating is a choice that a random table seldom makes,
  so random reflexes starve some 10 % sooner), and the per-episode set-up (placing items,
  loading the agent) would then be spread over fewer steps in one kernel than in the other:
  a difference in the work, not in the cost of a step.
* **as lived** (``cost_ratio_as_lived``): the default worlds, each genome living as long as
  it does; reported for transparency.

Why pairs and a median, not the best time of each: on a shared 2-core machine the speed of
the same code drifts by 10-30 % within a minute, and a best-of-n compares each kernel's
luckiest moment, which can be minutes apart. A pair sees the same moment, and the median of
pairs was stable to about 0.02 where a best-of-three swung by 0.2 between runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

import evomesa.bench.legacy as legacy
from evomesa.bench.common import _start
from evomesa.bench.settings import SEED, SHIFT, WORLD, Settings
from evomesa.worlds import make_world

CHANGE_REGIMES = SHIFT
#: energy cap and start of the full-length comparison: 10^6 steps of metabolism, so nobody
#: starves within an episode in either world
NO_STARVING = 1e6


def bench_change(world, genome_name: str, regime: str, settings: Settings) -> dict:
    """Agent-steps per second of the 0.1 kernel and the current one on the same work."""
    population = settings.change_population
    genome, genes, seeds = _start(world, genome_name, population, settings.episodes)
    old = legacy.random_brains(genome_name, population, np.random.default_rng(SEED))
    full = make_world(
        WORLD, **{**world.params, "max_energy": NO_STARVING, "start_energy": NO_STARVING}
    )
    brains = genome.decode(genes)  # the energy store changes nothing in the encoding

    lived = _paired(
        lambda: legacy.play(old, seeds, regime),
        lambda: int(world.rollout(brains, regime, seeds).steps.sum()),
        settings.change_repeats,
    )
    full_length = _paired(
        lambda: legacy.play(old, seeds, regime, energy=NO_STARVING),
        lambda: int(full.rollout(brains, regime, seeds).steps.sum()),
        settings.change_repeats,
    )
    return {
        "genome": genome_name,
        "regime": regime,
        "population": population,
        "episodes": settings.episodes,
        "pairs": full_length["pairs"],
        "legacy_steps_per_s": full_length["old_rate"],
        "steps_per_s": full_length["new_rate"],
        "legacy_steps": full_length["old_steps"],
        "steps": full_length["new_steps"],
        "cost_ratio": full_length["ratio"],
        "cost_ratio_quartiles": full_length["quartiles"],
        "cost_ratio_as_lived": lived["ratio"],
        "cost_ratio_as_lived_quartiles": lived["quartiles"],
        "mean_steps_as_lived": {
            "legacy": lived["old_steps"] / seeds.size,
            "now": lived["new_steps"] / seeds.size,
        },
    }


def _paired(before: Callable[[], int], current: Callable[[], int], repeats: int) -> dict:
    """Median over back-to-back pairs of (time per step now) / (time per step before)."""
    current(), before()  # compile and warm both before timing
    ratios, old_rates, new_rates = [], [], []
    steps = {}
    for k in range(max(1, repeats)):
        seconds = {}
        for name, fn in (("old", before), ("new", current))[:: 1 if k % 2 == 0 else -1]:
            start = time.perf_counter()
            steps[name] = fn()
            seconds[name] = time.perf_counter() - start
        old_rates.append(steps["old"] / seconds["old"])
        new_rates.append(steps["new"] / seconds["new"])
        ratios.append(old_rates[-1] / new_rates[-1])
    low, median, high = np.percentile(ratios, [25, 50, 75])
    return {
        "pairs": len(ratios),
        "ratio": float(median),
        "quartiles": [float(low), float(high)],
        "old_rate": float(np.median(old_rates)),
        "new_rate": float(np.median(new_rates)),
        "old_steps": steps["old"],
        "new_steps": steps["new"],
    }
