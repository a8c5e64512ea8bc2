"""Cost per agent-step of every world's kernel and every architecture, in seconds and cycles.

An *agent-step* is one agent deciding and its world advancing one step. Its cost is measured
on **one numba thread** (``numba.set_num_threads(1)``), so it is the cost on one core: a
batched kernel evaluation (:meth:`World.rollout`) of random generation-0 genomes in the
world's training regime, best of ``repeats`` wall-clock timings (a shared machine only ever
adds time), divided by the agent-steps played.

Cycles are an **estimate**: seconds x a clock rate measured by :func:`measure_clock`, a
calibrated busy loop (a chain of dependent one-cycle integer operations, an add and an
exclusive-or per turn, on every x86-64 and ARM64 core of the last decade), timed the same
way, best of many short bursts. The loop measures the clock the kernels actually run at
(boost included, which the nominal rate in /proc/cpuinfo, reported beside it, leaves out);
it runs before and after the step costs, and the faster of the two is used. Under a
hypervisor or on a busy machine both it and the kernels are slowed alike by the moments the
core is taken away, which the best-of timing of each leaves out as far as it can.

The reflex network's *decision alone* (every feature sensed, then :func:`respond`) is timed
too, on the world's own network shape and random features in their declared bounds.
"""

from __future__ import annotations

import math
from pathlib import Path

import numba
import numpy as np
from numba import njit

from evomesa.agents.kernels import make_agent, respond, sense
from evomesa.bench.common import _best_time, _start
from evomesa.bench.settings import Settings
from evomesa.genomes import genomes_of, make_genome
from evomesa.seeding import generator

#: the architectures whose step cost is reported, in each world that offers them
ARCHITECTURES = ("reflex", "reflex_net", "planner")
#: turns of the calibration loop per burst (two operations each: ~10 ms at 4 GHz)
CLOCK_TURNS = 20_000_000
#: feature vectors each network decides on in the decision measurement
DECISIONS = 1_000


@njit(cache=True, nogil=True)
def _busy(turns, x, y, z):
    """``turns`` dependent (add, xor) pairs: ``2 * turns`` cycles on a core whose integer add
    and xor take one cycle each (their latency on every current x86-64 and ARM64 core). The
    exclusive-or keeps the compiler from folding the additions into one multiplication."""
    for _ in range(turns):
        x = (x + y) ^ z
    return x


def cpuinfo_hz() -> float | None:
    """The nominal clock rate the kernel reports (the first ``cpu MHz`` of /proc/cpuinfo), in
    Hz; None where there is none (not Linux, or an architecture that does not say)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "cpu MHz":
            try:
                return float(value) * 1e6
            except ValueError:
                return None
    return None


def measure_clock(bursts: int = 15, turns: int = CLOCK_TURNS) -> float:
    """The clock rate in Hz, estimated by the calibrated busy loop :func:`_busy`: ``2 *
    turns`` cycles over the best wall time of ``bursts`` bursts."""
    _busy(10, 1, 3, 5)  # compiled (or loaded) before timing
    seconds, _ = _best_time(lambda: _busy(turns, 1, 3, 5), bursts, math.inf)
    return 2 * turns / seconds


@njit(cache=True, nogil=True)
def _decide(brains, scales, features, repeats):
    """Every network of ``brains`` decides on each row of ``features`` ``repeats`` times, each
    decision after sensing every feature; returns a checksum of the actions."""
    total = 0
    for i in range(brains[0].shape[0]):
        mind, state = make_agent(brains, i, scales, np.uint64(i))
        for _ in range(repeats):
            for r in range(features.shape[0]):
                for k in range(features.shape[1]):
                    sense(mind, state, k, features[r, k])
                total += respond(mind, state)
    return total


def _one_thread(fn):
    """``fn()`` on one numba thread (the thread count restored afterwards)."""
    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return fn()
    finally:
        numba.set_num_threads(previous)


def bench_step_cost(
    world, genome_name: str, settings: Settings, clock_hz: float | None = None
) -> dict:
    """Seconds and estimated cycles (with ``clock_hz``; else None) per agent-step of
    ``world``'s kernel for ``genome_name``, on one thread (see the module docstring)."""
    n = settings.populations[min(1, len(settings.populations) - 1)]
    genome, genes, seeds = _start(world, genome_name, n, settings.episodes)
    brains = genome.decode(genes)
    regime = world.default_shift[0]

    def measure():
        world.rollout(brains, regime, seeds)  # warm-up: kernels loaded
        return _best_time(
            lambda: world.rollout(brains, regime, seeds), settings.repeats, settings.budget_s
        )

    seconds, out = _one_thread(measure)
    steps = int(out.steps.sum())
    per_step = seconds / steps
    return {
        "world": world.name,
        "regime": regime,
        "genome": genome_name,
        "population": n,
        "episodes": settings.episodes,
        "steps": steps,
        "seconds": seconds,
        "ns_per_step": per_step * 1e9,
        "cycles_per_step": None if clock_hz is None else per_step * clock_hz,
    }


def bench_network_decision(world, settings: Settings, clock_hz: float | None = None) -> dict:
    """Seconds and estimated cycles (with ``clock_hz``; else None) of one reflex-network
    decision alone (sense every feature, then respond), on ``world``'s network shape and
    random genomes, one thread."""
    genome = make_genome("reflex_net", world)
    n = max(1, min(settings.populations))
    genes = genome.random(generator(0, "bench", "network"), n)
    brains = genome.decode(genes).packed()
    scales = np.ones(len(world.drives))
    rng = generator(0, "bench", "features")
    low = np.array([f.low for f in world.features])
    high = np.array([f.high for f in world.features])
    features = rng.uniform(low, high, size=(DECISIONS, len(low)))
    repeats = max(1, 2_000_000 // (n * DECISIONS))
    _decide(brains, scales, features, 1)  # compiled (or loaded) before timing
    seconds, _ = _one_thread(
        lambda: _best_time(
            lambda: _decide(brains, scales, features, repeats), settings.repeats, settings.budget_s
        )
    )
    decisions = n * repeats * DECISIONS
    per = seconds / decisions
    n_features, hidden, n_actions = genome.dims
    return {
        "world": world.name,
        "features": n_features,
        "hidden": hidden,
        "actions": n_actions,
        "parameters": genome.n_parameters,
        "genes": genome.length,
        "decisions": decisions,
        "seconds": seconds,
        "ns_per_decision": per * 1e9,
        "cycles_per_decision": None if clock_hz is None else per * clock_hz,
    }


def bench_costs(worlds, settings: Settings) -> dict:
    """The ``cost`` section: the clock estimate, each world's step cost per architecture it
    offers (with its ratio to the table reflex's in that world), and the network decision
    alone per world that offers a network."""
    before = _one_thread(measure_clock)
    steps, networks = [], []
    for world in worlds:
        offered = [g for g in ARCHITECTURES if g in genomes_of(world)]
        rows = [bench_step_cost(world, g, settings) for g in offered]
        table = next((r["ns_per_step"] for r in rows if r["genome"] == "reflex"), None)
        for row in rows:
            row["over_reflex"] = row["ns_per_step"] / table if table else None
        steps += rows
        if "reflex_net" in offered:
            networks.append(bench_network_decision(world, settings))
    after = _one_thread(measure_clock)
    hz = max(before, after)
    # cycles from the one clock estimate, measured around all the rows
    for row in steps:
        row["cycles_per_step"] = row["seconds"] / row["steps"] * hz
    for row in networks:
        row["cycles_per_decision"] = row["seconds"] / row["decisions"] * hz
    nominal = cpuinfo_hz()
    return {
        "clock": {
            "hz": hz,
            "hz_before": before,
            "hz_after": after,
            "cpuinfo_hz": nominal,
            "method": "calibrated busy loop: dependent add+xor pairs (1 cycle each), best of "
            "15 bursts, before and after the step costs, the faster used",
            "estimate": True,
        },
        "threads": 1,
        "steps": steps,
        "network": networks,
    }
