"""Helpers every measurement shares: progress log, CPU-interference watch, best-of timing
and the loop's generation-0 start."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from evomesa.bench.settings import SEED
from evomesa.genomes import make_genome
from evomesa.rng import episode_seeds
from evomesa.seeding import generator


def _log(message: str) -> None:
    """Progress on stderr, so stdout keeps only the result table."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class _CpuWatch:
    """Share of the machine's CPU time that *other* processes used while a measurement ran.

    Benchmarks of multi-threaded code are only meaningful on otherwise idle cores; this
    records, per measurement, how far that held (Linux: /proc/stat against this process's
    and its waited-for children's CPU time). None where /proc/stat is unavailable.
    """

    def __init__(self) -> None:
        self._start = self._snapshot()

    @staticmethod
    def _snapshot() -> tuple[float, float, float] | None:
        try:
            with open("/proc/stat") as stat:
                fields = [float(x) for x in stat.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        user, nice, system, _idle, _iowait, irq, softirq, steal = fields
        busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system
        return busy, own, time.perf_counter()

    def other_share(self) -> float | None:
        end = self._snapshot()
        if self._start is None or end is None:
            return None
        busy, own, wall = (b - a for a, b in zip(self._start, end, strict=True))
        capacity = wall * (os.cpu_count() or 1)
        return min(max((busy - own) / capacity, 0.0), 1.0) if capacity > 0 else None


def _best_time(fn: Callable[[], Any], repeats: int, budget_s: float) -> tuple[float, Any]:
    """(best wall time, that run's return value) of up to ``repeats`` calls of ``fn``.

    The best, not the mean: on a shared machine interference only ever adds time.
    """
    best, best_value, spent = math.inf, None, 0.0
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - start
        spent += elapsed
        if elapsed < best:
            best, best_value = elapsed, value
        if spent >= budget_s:
            break
    return best, best_value


def _start(world, genome_name: str, population: int, episodes: int, seed: int = SEED):
    """(genome, genes, seeds) of generation 0 of ``em.evolve`` with this configuration.

    Mirrors the loop's seeding (the streams keyed "evolve/init" and "evolve/episodes/0"), so
    the kernel and the baseline see exactly the population and episodes the loop starts from.
    """
    genome = make_genome(genome_name, world)
    genes = np.ascontiguousarray(genome.random(generator(seed, "evolve", "init"), population))
    seeds = episode_seeds(generator(seed, "evolve", "episodes", 0), population, episodes)
    return genome, genes, seeds
