"""Measurements in fresh processes: start-up time (cold and warm numba cache) and peak
memory per population, with the code those child processes run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence

from evomesa.bench.common import _start
from evomesa.bench.settings import REGIME, SEED, WORLD, Settings
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.loop import evolve
from evomesa.worlds import make_world


def _peak_rss_kib() -> float:
    """This process's peak resident memory in KiB.

    Linux: ``VmHWM`` of /proc/self/status. Not ``ru_maxrss``, which a child started with
    fork/exec inherits from its parent's size at the fork, so a benchmark child would report
    at least the parent's memory. Elsewhere ``ru_maxrss`` (bytes on macOS, KiB otherwise).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    import resource  # here: Unix only, and needed only where /proc is not

    peak = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak / 1024.0 if sys.platform == "darwin" else peak


def _run_child(code: str, args: Sequence[str], env: dict[str, str] | None = None) -> dict:
    """Run ``python -c code args`` and parse the JSON its last stdout line prints."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- startup

# What a user's script does: import, build a world, evolve. Times are absolute (time.time)
# so the parent can measure from the moment it launched the process.
_STARTUP_CHILD = """
import json, sys, time
import evomesa as em
imported = time.time()
stamps = []
world = em.make_world("contraception")
config = em.EvolutionConfig(genome=sys.argv[1], population=100, generations=0,
                            episodes=int(sys.argv[2]), seed=0)
em.evolve(world, config, progress=lambda gen, record: stamps.append(time.time()))
print(json.dumps({"imported": imported, "first_generation": stamps[0]}))
"""


def _startup_once(genome_name: str, episodes: int, cache_dir: str) -> dict:
    launched = time.time()
    stamps = _run_child(
        _STARTUP_CHILD, [genome_name, str(episodes)], env={"NUMBA_CACHE_DIR": cache_dir}
    )
    exited = time.time()
    return {
        "import_s": stamps["imported"] - launched,
        "first_generation_s": stamps["first_generation"] - launched,
        "process_s": exited - launched,
    }


def bench_startup(settings: Settings, genome_name: str = "planner") -> dict:
    """Process launch to first evaluated generation, numba cache empty (cold) then filled.

    The cache lives in a fresh temporary folder (``NUMBA_CACHE_DIR``), so the cold start
    compiles whatever caches the checkout already holds. The warm start is the better of two
    launches: the first warm launch would recompile if a kernel's source changed meanwhile.
    """
    with tempfile.TemporaryDirectory(prefix="evomesa-numba-cache-") as cache_dir:
        cold = _startup_once(genome_name, settings.episodes, cache_dir)
        warm = min(
            (_startup_once(genome_name, settings.episodes, cache_dir) for _ in range(2)),
            key=lambda row: row["first_generation_s"],
        )
    return {
        "genome": genome_name,
        "population": 100,
        "episodes": settings.episodes,
        "cold": cold,
        "warm": warm,
        # Compile time is what the cold start spends beyond the warm one.
        "compile_s": max(cold["first_generation_s"] - warm["first_generation_s"], 0.0),
    }


# --------------------------------------------------------------------------- memory

_MEMORY_CHILD = (
    "import sys; from evomesa.bench.processes import _memory_child; "
    "_memory_child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))"
)


def _memory_child(genome_name: str, population: int, episodes: int, generations: int) -> None:
    """Body of a memory subprocess: print its memory figures as one JSON line.

    The peak resident memory (:func:`_peak_rss_kib`) is what a user must have. It is a
    high-water mark, so it hides a workload smaller than the libraries' own start-up peak;
    ``tracemalloc`` (which numpy reports its arrays to) gives the workload's own peak, the
    figure that shows how memory grows with population.
    """
    world = make_world(WORLD)
    # Load kernels and start the thread pool first: that memory is fixed, not per individual.
    evolve(world, EvolutionConfig(genome=genome_name, population=10, generations=1))
    before = _peak_rss_kib()
    tracemalloc.start()
    start = time.perf_counter()
    genome, genes, seeds = _start(world, genome_name, population, episodes)
    world.rollout(genome.decode(genes), REGIME, seeds)
    del genes, seeds
    evolve(
        world,
        EvolutionConfig(
            genome=genome_name,
            population=population,
            generations=generations,
            episodes=episodes,
            seed=SEED,
        ),
    )
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = _peak_rss_kib()
    print(json.dumps({"before": before, "after": after, "traced": traced, "seconds": seconds}))


def bench_memory(genome_name: str, population: int, settings: Settings) -> dict:
    """Peak memory of a kernel evaluation plus an evolve run, in a process of its own."""
    raw = _run_child(
        _MEMORY_CHILD,
        [genome_name, str(population), str(settings.episodes), str(settings.memory_generations)],
    )
    traced = raw["traced"] / 2**20
    return {
        "genome": genome_name,
        "population": population,
        "episodes": settings.episodes,
        "generations": settings.memory_generations,
        "seconds": raw["seconds"],
        "peak_mib": raw["after"] / 1024.0,
        "startup_peak_mib": raw["before"] / 1024.0,
        "arrays_peak_mib": traced,
        "mib_per_1000": traced / (population / 1000.0),
    }
