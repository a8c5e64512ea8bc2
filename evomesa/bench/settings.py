"""What one benchmark run measures: world, genomes, sizes (full and quick) and goals."""

from __future__ import annotations

from dataclasses import dataclass, field

from evomesa.worlds import make_world

WORLD = "contraception"
#: the world's training and deployment regimes: every regime the bench names comes from here
SHIFT = make_world(WORLD).default_shift
REGIME = SHIFT[0]
#: the architectures measured in the contraception sections (kernel, loop, baseline, threads,
#: memory); the per-step cost section measures every world's architectures (``cost``)
GENOMES = ("reflex", "reflex_net", "planner")
#: the architectures the 0.1 kernel had, compared with it in the ``change`` section
LEGACY_GENOMES = ("reflex", "planner")
SEED = 0


@dataclass(frozen=True)
class Settings:
    """Sizes of one benchmark run.

    Attributes
    ----------
    populations : tuple of int
        Population sizes of the kernel and loop measurements.
    episodes : int
        Episodes per individual per evaluation, shared by kernel, loop and baseline so that
        their ratios compare the same work.
    generations : dict
        Loop generations per population (fewer at large sizes, where one generation is
        already long enough to time).
    repeats : int
        Timed repeats of each kernel and loop measurement; the best is kept.
    budget_s : float
        Stop repeating once this many seconds were spent on one measurement.
    baseline_population, baseline_generations : int
        Size of the plain-Python DEAP baseline (slow: about 100x the loop).
    thread_population : int
        Population of the thread-scaling measurement.
    memory_populations : tuple of int
        Populations measured for peak memory, each in its own process.
    memory_generations : int
        Generations of the evolve run in each memory process.
    change_population : int
        Population of the before/after kernel comparison (issue 6's cost promise). Larger
        than the loop's: a per-step cost is what is compared, and at 1,000 random reflexes a
        call lasts only ~20 ms, so a fixed cost per call and the machine's noise weigh in.
    change_repeats : int
        Back-to-back timed pairs (old, current) in that comparison; the median pair counts.
    """

    populations: tuple[int, ...] = (100, 1_000, 10_000)
    episodes: int = 8
    generations: dict[int, int] = field(default_factory=lambda: {100: 30, 1_000: 10, 10_000: 3})
    repeats: int = 3
    budget_s: float = 6.0
    baseline_population: int = 100
    baseline_generations: int = 3
    thread_population: int = 10_000
    memory_populations: tuple[int, ...] = (1_000, 10_000, 100_000)
    memory_generations: int = 1
    change_population: int = 2_000
    change_repeats: int = 15

    def loop_generations(self, population: int) -> int:
        return self.generations.get(population, 2)


FULL = Settings()
# CI's smoke test: every section runs, on sizes that take seconds rather than minutes.
QUICK = Settings(
    populations=(100, 1_000),
    episodes=2,
    generations={100: 2, 1_000: 2},
    repeats=1,
    budget_s=0.5,
    baseline_population=20,
    baseline_generations=1,
    thread_population=1_000,
    memory_populations=(100, 1_000),
    memory_generations=1,
    change_population=100,
    change_repeats=1,
)

# Goals the issue sets for a full run on a 2-core machine.
MIN_LOOP_OVER_KERNEL = 0.85
# Issue 6: the decision kernels may make an agent-step at most this much dearer than 0.1's.
MAX_STEP_COST_RATIO = 1.10
MIN_BASELINE_SPEEDUP = 100.0
MIN_THREAD_SCALING = 1.7
MAX_WARM_START_S = 2.0
# Linear memory: the array peak per individual at the largest size is within this factor of
# the one at the next size.
MAX_MEMORY_PER_INDIVIDUAL_RATIO = 1.5
# Above this share of CPU time used by other processes, the run is flagged as disturbed.
BUSY_MACHINE_SHARE = 0.05
