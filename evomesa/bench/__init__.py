"""Evolution-speed benchmarks: ``evomesa bench [--quick] [--out DIR]``.

One run measures, for the contraception world with table-reflex, reflex-network and planner
genomes (the ``change`` section: tables and planners, the architectures the 0.1 kernel had):

kernel
    Agent-steps per second of one batched numba evaluation (:meth:`World.rollout`) of a
    pre-decoded population, compile time excluded.
loop
    The whole :func:`evomesa.evolve` loop: generations per second and agent-steps per second
    (steps counted by wrapping the toolbox's ``evaluate``), and its ratio to the kernel alone.
baseline
    What a typical DEAP user writes: list individuals made with ``creator``, the world's
    plain-Python reference implementation evaluated one individual at a time through DEAP's
    stock ``eaSimple`` (builtin ``map``, deepcopy ``clone``), on the same initial population,
    episodes and seeds as the loop. Compared with the loop in agent-steps per second.
threads
    The kernel on one numba thread against all of them.
cost
    Every registered world, every architecture it offers: the kernel's cost per agent-step on
    one thread (per core) in seconds and estimated CPU cycles (a clock rate measured by a
    calibrated busy loop), its ratio to the table reflex's, and the reflex network's decision
    alone (:mod:`evomesa.bench.cost`).
startup
    Fresh processes from launch to the first evaluated generation, with an empty numba cache
    (cold: kernels compiled) and again with that cache filled (warm).
memory
    Peak resident memory of one process per (genome, population): a kernel evaluation plus a
    one-generation evolve, so sizes do not contaminate each other.

An *agent-step* is one step an agent survived: the sum of ``steps`` over every evaluated
(individual, episode). It is the unit of work of every world, so it compares runs whose
episodes end at different times. These are measurements, not tests: nothing here fails
when a number is low; the ``targets`` section only records which goals a run met.

Modules, one job each: ``settings`` (sizes, world, goals), ``common`` (timing and
interference helpers), ``throughput`` (kernel, loop, threads), ``baseline`` (plain-Python
DEAP), ``change`` (per-step cost against the 0.1 kernel kept in ``legacy``), ``worlds``
(every registered world), ``cost`` (per-step cost on one core, seconds and cycles),
``processes`` (start-up and memory, in child processes), ``targets``, ``report``
(markdown), ``plot`` and ``run`` (:func:`run_benchmarks`).
"""

from evomesa.bench.baseline import bench_baseline
from evomesa.bench.cost import ARCHITECTURES, bench_costs, measure_clock
from evomesa.bench.plot import plot_throughput
from evomesa.bench.processes import bench_memory, bench_startup
from evomesa.bench.report import format_markdown
from evomesa.bench.run import run_benchmarks
from evomesa.bench.settings import (
    BUSY_MACHINE_SHARE,
    FULL,
    GENOMES,
    MAX_MEMORY_PER_INDIVIDUAL_RATIO,
    MAX_WARM_START_S,
    MIN_BASELINE_SPEEDUP,
    MIN_LOOP_OVER_KERNEL,
    MIN_THREAD_SCALING,
    QUICK,
    REGIME,
    SEED,
    WORLD,
    Settings,
)
from evomesa.bench.throughput import bench_kernel, bench_loop, bench_threads

__all__ = [
    "ARCHITECTURES",
    "BUSY_MACHINE_SHARE",
    "FULL",
    "GENOMES",
    "MAX_MEMORY_PER_INDIVIDUAL_RATIO",
    "MAX_WARM_START_S",
    "MIN_BASELINE_SPEEDUP",
    "MIN_LOOP_OVER_KERNEL",
    "MIN_THREAD_SCALING",
    "QUICK",
    "REGIME",
    "SEED",
    "Settings",
    "WORLD",
    "bench_baseline",
    "bench_costs",
    "bench_kernel",
    "bench_loop",
    "bench_memory",
    "bench_startup",
    "bench_threads",
    "format_markdown",
    "measure_clock",
    "plot_throughput",
    "run_benchmarks",
]
