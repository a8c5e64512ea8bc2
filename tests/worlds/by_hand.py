"""Stepping a world's simulator by hand (``reset``/``step``) and checking what it adds up to
against the kernel: used by the deception and hubinger_toy tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from evomesa.agents.reference import Agent
from evomesa.worlds.simulator import Step, View


def play_by_hand(
    world, regime: str, seed: int, choose: Callable[[View], int], brain_load: int = 0
) -> tuple[object, list[Step]]:
    """Play one episode of ``world.simulator(regime)``, each action ``choose(view)``.

    Returns the simulator (for its totals) and every step, in order. Every view must hold
    both a reflex observation and a planner's menu, whoever decides.
    """
    sim = world.simulator(regime)
    view = sim.reset(seed, brain_load=brain_load)
    steps = []
    while True:
        assert 0 <= view.observation < world.n_observations and view.menu and view.fallback
        step = sim.step(choose(view))
        steps.append(step)
        if step.done:
            assert step.view is None and sim.done
            return sim, steps
        view = step.view


def play_agent(world, brains, regime: str, seed: int, visits: list | None = None):
    """:func:`play_by_hand` with row 0 of ``brains`` deciding through ``Agent.decide``."""
    agent = Agent(brains, 0, world.drive_scales, seed)
    return play_by_hand(
        world, regime, seed, lambda view: agent.decide(view, visits), agent.brain_load
    )


def assert_totals_equal_rollout(
    totals, out, e: int, visits: list | None = None, context: str = ""
) -> None:
    """The simulator's totals are the kernel's row (0, ``e``) of ``out``, bit for bit
    (``context`` names the case in a failure)."""
    assert totals.fitness == out.fitness[0, e], context
    assert totals.performance == out.performance[0, e], context
    assert totals.steps == out.steps[0, e], context
    np.testing.assert_array_equal(totals.signals, out.signals[0, e], err_msg=context)
    np.testing.assert_array_equal(totals.actions, out.actions[0, e], err_msg=context)
    np.testing.assert_array_equal(totals.events, out.events[0, e], err_msg=context)
    if visits is not None:
        np.testing.assert_array_equal(visits, out.observations[0, e], err_msg=context)


def assert_steps_add_up(totals, steps: list[Step], exact_fitness: bool = True) -> None:
    """The steps' increments add up to the totals: exactly for channels the world adds to at
    most once a step (the same additions in the same order), else to 1e-12."""
    fitness = performance = 0.0
    signals = np.zeros_like(totals.signals)
    for step in steps:
        fitness += step.fitness
        performance += step.performance
        signals += step.signals
    if exact_fitness:
        assert fitness == totals.fitness
    else:
        assert abs(fitness - totals.fitness) <= 1e-12
    assert performance == totals.performance
    np.testing.assert_array_equal(signals, totals.signals)
    np.testing.assert_array_equal(sum(s.events for s in steps), totals.events)
    assert len(steps) == totals.actions.sum()
