"""Playing one episode of a world's step-wise rules with one of evomesa's decoded genomes:
what the ``python`` backend of :meth:`evomesa.worlds.base.World.rollout` runs."""

from __future__ import annotations

from evomesa.agents.reference import Agent
from evomesa.worlds.simulator import Simulator, Totals

__all__ = ["play"]


def play(sim: Simulator, agent: Agent, seed: int, visits: list[int] | None = None) -> Totals:
    """Play one episode of ``sim`` from ``seed`` with one of evomesa's decoded genomes.

    ``visits`` (n_observations ints, or None) counts the observations a reflex decided on.
    """
    view = sim.reset(seed, brain_load=agent.brain_load)
    while True:
        step = sim.step(agent.decide(view, visits))
        if step.done:
            return sim.totals()
        view = step.view
