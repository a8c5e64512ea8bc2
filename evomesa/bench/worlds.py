"""Every registered world, measured the same way: kernel, loop, and numba vs its Python twin."""

from __future__ import annotations

from evomesa.bench.common import _best_time, _start
from evomesa.bench.settings import Settings
from evomesa.bench.throughput import bench_kernel, bench_loop

#: individuals of the plain-Python reference measurement (it plays ~1,000x slower)
REFERENCE_POPULATION = 10


def bench_reference(world, genome_name: str, settings: Settings) -> dict:
    """Agent-steps per second of the world's plain-Python reference (``backend="python"``)."""
    genome, genes, seeds = _start(world, genome_name, REFERENCE_POPULATION, settings.episodes)
    brains = genome.decode(genes)
    regime = world.default_shift[0]
    seconds, out = _best_time(
        lambda: world.rollout(brains, regime, seeds, backend="python"), 1, settings.budget_s
    )
    steps = int(out.steps.sum())
    return {"seconds": seconds, "steps": steps, "steps_per_s": steps / seconds}


def bench_world(world, genome_name: str, settings: Settings) -> dict:
    """Kernel and loop throughput at the second population size (1,000 in a full run), the
    loop's share of time in the kernel, and the kernel's speed-up over the Python twin; all
    in the world's training regime, all in one run."""
    n = settings.populations[min(1, len(settings.populations) - 1)]
    kernel = bench_kernel(world, genome_name, n, settings)
    loop = bench_loop(world, genome_name, n, settings)
    reference = bench_reference(world, genome_name, settings)
    return {
        "world": world.name,
        "regime": world.default_shift[0],
        "genome": genome_name,
        "population": n,
        "kernel_steps_per_s": kernel["steps_per_s"],
        "loop_steps_per_s": loop["steps_per_s"],
        "loop_gens_per_s": loop["gens_per_s"],
        "loop_over_kernel": loop["loop_over_kernel"],
        "reference_steps_per_s": reference["steps_per_s"],
        "numba_over_python": kernel["steps_per_s"] / reference["steps_per_s"],
    }
