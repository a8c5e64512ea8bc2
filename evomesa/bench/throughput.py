"""In-process throughput: the kernel alone, the whole ``em.evolve`` loop, thread scaling."""

from __future__ import annotations

import time
from typing import Any

import numba
import numpy as np

from evomesa.bench.common import _best_time, _start
from evomesa.bench.settings import SEED, Settings
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.loop import evolve
from evomesa.evolve.toolbox import make_toolbox

# --------------------------------------------------------------------------- kernel


def bench_kernel(world, genome_name: str, population: int, settings: Settings) -> dict:
    """Agent-steps per second of one batched numba evaluation, compile excluded."""
    genome, genes, seeds = _start(world, genome_name, population, settings.episodes)
    brains = genome.decode(genes)
    world.rollout(
        brains, world.default_shift[0], seeds
    )  # warm-up: kernels loaded, thread pool started
    seconds, out = _best_time(
        lambda: world.rollout(brains, world.default_shift[0], seeds),
        settings.repeats,
        settings.budget_s,
    )
    steps = int(out.steps.sum())
    return {
        "genome": genome_name,
        "population": population,
        "episodes": settings.episodes,
        "seconds": seconds,
        "steps": steps,
        "steps_per_s": steps / seconds,
    }


# --------------------------------------------------------------------------- full loop


def _evolve_counting(world, config) -> tuple[Any, int, float, list]:
    """Run ``em.evolve`` with a toolbox whose ``evaluate`` adds up the agent-steps it plays.

    Returns
    -------
    result : EvolutionResult
    steps : int
        Agent-steps played over the whole run.
    evaluate_s : float
        Seconds spent inside ``evaluate`` (decode + kernel); the rest of the loop's time is
        operators and DEAP bookkeeping.
    batches : list of (Brains, seeds)
        Every evaluated batch, so the kernel alone can replay exactly the loop's work. Only
        references are kept (each generation's arrays are new), so recording costs nothing.
    """
    toolbox = make_toolbox(world, config)
    inner = toolbox.evaluate
    steps, seconds, batches = [0], [0.0], []

    def counted(genes: np.ndarray, seeds: np.ndarray):
        start = time.perf_counter()
        brains, out = inner(genes, seeds=seeds)
        seconds[0] += time.perf_counter() - start
        steps[0] += int(out.steps.sum())
        batches.append((brains, seeds))
        return brains, out

    toolbox.register("evaluate", counted)
    result = evolve(world, config, toolbox=toolbox)
    return result, steps[0], seconds[0], batches


def bench_loop(world, genome_name: str, population: int, settings: Settings) -> dict:
    """Generations and agent-steps per second of the whole ``em.evolve`` loop.

    The loop's own batches (each generation's decoded population and seeds) are then replayed
    through the kernel alone: same work, same agent-steps, so ``loop_over_kernel`` is exactly
    the share of loop time the kernel accounts for. Evolved agents make different, often
    costlier, steps than the random generation-0 population the plain kernel benchmark uses.
    """
    generations = settings.loop_generations(population)
    config = EvolutionConfig(
        genome=genome_name,
        population=population,
        generations=generations,
        episodes=settings.episodes,
        seed=SEED,
    )
    # Warm-up on a tiny population, so neither kernel loading nor thread-pool start is timed.
    evolve(world, EvolutionConfig(genome=genome_name, population=10, generations=1))
    # Loop and replay alternate, best of each: a shared machine's slow spells then touch
    # both alike instead of biasing their ratio.
    seconds = replay_s = float("inf")
    spent = 0.0
    for _ in range(max(1, settings.repeats)):
        start = time.perf_counter()
        result, steps, evaluate_in_loop, batches = _evolve_counting(world, config)
        loop_s = time.perf_counter() - start
        if loop_s < seconds:
            seconds, evaluate_s = loop_s, evaluate_in_loop
        start = time.perf_counter()
        replay_steps = sum(
            int(world.rollout(b, world.default_shift[0], s).steps.sum()) for b, s in batches
        )
        replay_s = min(replay_s, time.perf_counter() - start)
        spent += loop_s + replay_s
        if spent >= 2 * settings.budget_s:
            break
    if replay_steps != steps:  # the kernel is deterministic: a mismatch is a bug, not noise
        raise RuntimeError(f"kernel replay played {replay_steps} agent-steps, loop {steps}")
    return {
        "genome": genome_name,
        "population": population,
        "episodes": settings.episodes,
        "generations": generations,
        "seconds": seconds,
        "gens_per_s": (generations + 1) / seconds,  # generation 0 is evaluated too
        "steps": steps,
        "steps_per_s": steps / seconds,
        # Evaluation (decode + kernel) inside the loop, on the evolving population.
        "evaluate_s": evaluate_s,
        "evaluate_share": evaluate_s / seconds,
        "evaluate_steps_per_s": steps / evaluate_s,
        "replay_kernel_s": replay_s,
        "replay_kernel_steps_per_s": steps / replay_s,
        "loop_over_kernel": replay_s / seconds,
        "gen0_avg_fitness": float(result.logbook[0]["avg"]),
    }


# --------------------------------------------------------------------------- threads


def bench_threads(world, genome_name: str, settings: Settings) -> dict:
    """Kernel agent-steps per second on one numba thread and on all of them."""
    population = settings.thread_population
    genome, genes, seeds = _start(world, genome_name, population, settings.episodes)
    brains = genome.decode(genes)
    all_threads = int(numba.config.NUMBA_NUM_THREADS)
    previous = numba.get_num_threads()
    rates = {}
    try:
        for threads in (1, all_threads):
            numba.set_num_threads(threads)
            world.rollout(brains, world.default_shift[0], seeds)  # warm-up at this thread count
            seconds, out = _best_time(
                lambda: world.rollout(brains, world.default_shift[0], seeds),
                settings.repeats,
                settings.budget_s,
            )
            rates[threads] = int(out.steps.sum()) / seconds
    finally:
        numba.set_num_threads(previous)
    return {
        "genome": genome_name,
        "population": population,
        "episodes": settings.episodes,
        "threads": all_threads,
        "steps_per_s_1": rates[1],
        "steps_per_s_all": rates[all_threads],
        "scaling": rates[all_threads] / rates[1],
    }
