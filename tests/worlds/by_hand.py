"""Stepping a world's simulator by hand (``reset``/``step``) and checking what it adds up to:
the world tests' one loop, their sums of the steps, and their comparison with the kernel."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from evomesa.agents.reference import Agent
from evomesa.worlds.simulator import Simulator, Step, Totals, View


class Stepped(NamedTuple):
    """One episode stepped by hand: the simulator's totals, every step and every view shown."""

    totals: Totals
    steps: list[Step]
    views: list[View]


def step_by_hand(
    sim: Simulator,
    seed: int,
    choose: Callable[[View], int],
    brain_load: int = 0,
    after: Callable[[Step], None] | None = None,
) -> Stepped:
    """Play one episode of ``sim`` from ``seed``, each action ``choose(view)``; ``after(step)``
    runs after every step (to note the simulator's state there)."""
    view = sim.reset(seed, brain_load=brain_load)
    steps, views = [], [view]
    while True:
        step = sim.step(choose(view))
        steps.append(step)
        if after is not None:
            after(step)
        if step.done:
            assert step.view is None and sim.done
            return Stepped(sim.totals(), steps, views)
        view = step.view
        views.append(view)


def play_by_hand(
    world, regime: str, seed: int, choose: Callable[[View], int], brain_load: int = 0
) -> tuple[Simulator, list[Step]]:
    """:func:`step_by_hand` on a new ``world.simulator(regime)``, where every view must hold
    both a reflex observation and a planner's menu, whoever decides. Returns the simulator
    (for its totals) and every step, in order."""

    def checked(view: View) -> int:
        assert 0 <= view.observation < world.n_observations and view.menu and view.fallback
        return choose(view)

    sim = world.simulator(regime)
    return sim, step_by_hand(sim, seed, checked, brain_load).steps


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


def assert_steps_add_up(totals, steps: list[Step], rounded: tuple[str, ...] = ()) -> None:
    """The steps' increments add up to the totals: signals and events exactly, fitness and
    performance exactly unless named in ``rounded`` (a world that adds to that channel more
    than once a step), then to 1e-12; one step and one action per step taken, and only the
    last step done."""
    signals = np.zeros_like(totals.signals)
    for step in steps:
        signals += step.signals
    for channel in ("fitness", "performance"):
        total = 0.0
        for step in steps:
            total += getattr(step, channel)
        if channel in rounded:
            assert abs(total - getattr(totals, channel)) <= 1e-12, channel
        else:
            assert total == getattr(totals, channel), channel
    np.testing.assert_array_equal(signals, totals.signals)
    np.testing.assert_array_equal(sum(s.events for s in steps), totals.events)
    assert totals.steps == len(steps) == totals.actions.sum()
    assert [s.done for s in steps] == [False] * (len(steps) - 1) + [True]
