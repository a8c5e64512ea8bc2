"""What a generation leaves behind: its logbook record and its hall-of-fame entries.

One population (:func:`evomesa.evolve`) and several islands (:mod:`evomesa.evolve.islands`)
log the same columns: each population of a generation is summarised as a
:class:`Generation` (sums, enough to build the joint record), and :func:`generation_record`
turns the summaries of all populations of one generation into the one logbook record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from deap import tools

from evomesa.agents.brains import Brains
from evomesa.evolve.deap_types import individuals
from evomesa.metrics.stats import retention
from evomesa.worlds.base import RolloutArrays, World


def make_statistics() -> tools.Statistics:
    """DEAP Statistics over the (n,) fitness array of a generation."""
    stats = tools.Statistics()
    stats.register("avg", np.mean)
    stats.register("std", np.std)
    stats.register("min", np.min)
    stats.register("max", np.max)
    return stats


def new_logbook(world: World, mixture, tracked: Sequence[str] = ()) -> tools.Logbook:
    """A logbook whose header lists the columns a run prints (every key is still logged)."""
    logbook = tools.Logbook()
    logbook.header = [
        "gen",
        "nevals",
        "avg",
        "std",
        "min",
        "max",
        *world.drives,
        "planners",
        "horizon",
        *(f"w_{d}" for d in world.drives),
        *(f"{r}:{what}" for r in tracked for what in ("fitness", "retention")),
        *(f"episodes:{r}" for r in (mixture or ())),
    ]
    return logbook


@dataclass
class Generation:
    """What one population (or island) reports of one generation (enough to build the joint
    logbook)."""

    fitness: np.ndarray  # (n_i,)
    signal_sums: np.ndarray  # (drives,) sums over individuals and episodes
    cells: int  # individuals x episodes
    planners: int
    horizon_sum: float
    weight_sums: np.ndarray  # (drives,) sums over planners
    realised: dict[str, int]
    top_genes: np.ndarray  # (h, length) best first
    top_fitness: np.ndarray  # (h,)
    performance_sum: float = 0.0  # over individuals and episodes
    event_sums: np.ndarray | None = None  # (events,) over individuals and episodes


def summarise(
    genes: np.ndarray,
    brains: Brains,
    roll: RolloutArrays,
    realised: dict[str, int],
    hall_of_fame: int,
) -> Generation:
    """The :class:`Generation` of a population ``genes``, decoded as ``brains``, whose
    evaluation was ``roll`` (in the episodes each regime of a mixture drew, ``realised``);
    its ``hall_of_fame`` best are kept to enter the hall of fame."""
    fitness = roll.fitness.mean(axis=1)
    planners = brains.arch == 1
    top = np.argsort(-fitness, kind="stable")[:hall_of_fame]
    return Generation(
        fitness=fitness,
        signal_sums=roll.signals.sum(axis=(0, 1)),
        cells=int(roll.signals.shape[0] * roll.signals.shape[1]),
        planners=int(planners.sum()),
        horizon_sum=float(brains.horizon[planners].sum()),
        weight_sums=brains.weights[planners].sum(axis=0),
        realised=realised,
        top_genes=np.array(genes[top]),
        top_fitness=fitness[top],
        performance_sum=float(roll.performance.sum()),
        event_sums=roll.events.sum(axis=(0, 1)),
    )


def _total(values: list):
    """The sum of one figure over populations. A single population's is its own value, not
    ``0 + value``, which would turn a sum of -0.0 into 0.0 (and change the logged text)."""
    return values[0] if len(values) == 1 else sum(values)


def generation_record(
    world: World,
    gens: Sequence[Generation],
    stats: tools.Statistics,
    tracked: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The logbook record of one generation over all populations ``gens`` (one, or every
    island).

    Parameters
    ----------
    tracked : mapping of str to float, optional
        Each tracked regime's mean fitness this generation: logged with its retention (that
        fitness over the generation's training fitness).
    """
    fitness = gens[0].fitness if len(gens) == 1 else np.concatenate([g.fitness for g in gens])
    # Statistics.compile applies its key to every element in Python; handing it the whole
    # array as one element gives the same figures without a loop over individuals
    record = stats.compile((fitness,))
    cells = _total([g.cells for g in gens])
    signals = _total([g.signal_sums for g in gens]) / cells
    # (one population logs these as numpy floats, islands as Python floats: equal numbers,
    # the same JSON, and each kept as it was)
    drives = signals if len(gens) == 1 else (float(s) for s in signals)
    record.update(zip(world.drives, drives, strict=True))
    # what the designer wants, beside what selection counts (they part under Goodharting),
    # and how often each event happened per episode
    record["performance"] = _total([g.performance_sum for g in gens]) / cells
    events = _total([g.event_sums for g in gens]) / cells
    record.update({f"event:{e}": float(events[k]) for k, e in enumerate(world.events)})
    planners = _total([g.planners for g in gens])
    record["planners"] = planners / fitness.size
    horizon = _total([g.horizon_sum for g in gens])
    record["horizon"] = horizon / planners if planners else 0.0
    weights = _total([g.weight_sums for g in gens])
    for d, drive in enumerate(world.drives):
        record[f"w_{drive}"] = float(weights[d] / planners) if planners else 0.0
    for regime, score in (tracked or {}).items():
        kept, _ = retention(record["avg"], score)
        record.update({f"{regime}:fitness": score, f"{regime}:retention": kept})
    # the dose actually drawn, which at small shares is far from its expectation
    for g in gens:
        for regime, count in g.realised.items():
            key = f"episodes:{regime}"
            record[key] = record.get(key, 0) + count
    return record


def enter_hall_of_fame(hof: tools.HallOfFame, gens: Sequence[Generation]) -> None:
    """Offer the hall of fame the best of this generation over all populations ``gens``.

    Only the best few can enter it: just those are wrapped as DEAP individuals.
    """
    tops = sorted(
        ((f, i, j) for i, g in enumerate(gens) for j, f in enumerate(g.top_fitness)),
        key=lambda t: -t[0],
    )[: hof.maxsize]
    best = np.array([gens[i].top_genes[j] for _, i, j in tops])
    hof.update(individuals(best, np.array([f for f, _, _ in tops])))
