"""Does evolution find competent agents of each architecture? Evolved training fitness over
runs against a hand-set competent agent of the same architecture (:mod:`evomesa.handsets`),
with the same information, and whether each run had converged.

Used by ``examples/competence.py`` on the folders of ``evomesa run``. The evolved figure is a
run's final population's mean training fitness as its drift report measured it (its
``fitness_train``: every individual on its own episodes of the training regime); the hand-set
agent plays as many episodes of the same regime, on a stream of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from evomesa.experiments.run_io import load_experiment
from evomesa.handsets import hand_set
from evomesa.measure.evaluate import evaluate
from evomesa.metrics.runs import interval_over_runs

#: episodes the hand-set agent plays (one agent: its mean needs more than a population's)
HAND_SET_EPISODES = 512


@dataclass(frozen=True)
class Competence:
    """One world x architecture cell.

    Attributes
    ----------
    world, genome, train : str
    runs : int
    evolved, low, high : float
        Mean over runs of the final population's mean training fitness, with its 95 %
        Student t interval over runs.
    best : float
        Mean over runs of the run's best individual's training fitness (each measured on its
        own drift episodes; an upward-biased pick among noisy means).
    hand_set : float or None
        The hand-set agent's mean training fitness (None where the world offers none).
    converged : int or None
        Runs whose evolution had converged (None where the reports do not say).
    """

    world: str
    genome: str
    train: str
    runs: int
    evolved: float
    low: float
    high: float
    best: float
    hand_set: float | None
    converged: int | None


def competence_of_run(folder, seed: int = 0) -> list[Competence]:
    """The cells of one ``evomesa run`` folder, one per genome it evolved."""
    saved = load_experiment(folder)
    world = saved.world
    train = saved.identity["train"]
    agents = hand_set(world)
    results = saved.results()
    rows = []
    for genome, reports in saved.reports.items():
        mean, low, high = interval_over_runs([r.fitness_train for r in reports])
        best = []
        for result in results[genome]:
            roll = evaluate(world, result.genes, genome, train, reports[0].episodes, seed=seed)
            best.append(float(roll.fitness.mean(axis=1).max()))
        hand = None
        if genome in agents:
            spec, genes = agents[genome]
            roll = evaluate(world, genes, spec, train, HAND_SET_EPISODES, seed=seed)
            hand = float(roll.fitness.mean())
        known = [r.converged for r in reports if r.converged is not None]
        rows.append(
            Competence(
                world=world.name,
                genome=genome,
                train=train,
                runs=len(reports),
                evolved=mean,
                low=low,
                high=high,
                best=sum(best) / len(best),
                hand_set=hand,
                converged=sum(known) if len(known) == len(reports) else None,
            )
        )
    return rows


def competence_table(rows: list[Competence]) -> str:
    """A markdown table of the cells."""
    lines = [
        "| world (training regime) | architecture | evolved training fitness [95% over runs] "
        "| best individual | hand-set | converged |",
        "|---|---|---|---|---|---|",
    ]
    for c in rows:
        hand = "-" if c.hand_set is None else f"{c.hand_set:.3g}"
        conv = "-" if c.converged is None else f"{c.converged}/{c.runs}"
        lines.append(
            f"| {c.world} ({c.train}) | {c.genome} | {c.evolved:.3g} [{c.low:.3g}, {c.high:.3g}] "
            f"| {c.best:.3g} | {hand} | {conv} |"
        )
    return "\n".join(lines)
