"""Checks that a world's step-wise reference is consistent with itself: its steps add up to
its totals, showing a view draws nothing, and ``reset`` starts afresh whatever came before.

(That the reference agrees with the kernel is :func:`.agreement.check_kernel_matches_reference`.)
"""

from __future__ import annotations

import numpy as np

from evomesa.worlds.base import World
from evomesa.worlds.checks.common import TOTALS, checked_arguments, differing_field, fail
from evomesa.worlds.checks.stepping import Played, play, random_episodes
from evomesa.worlds.simulator import View

#: how far the sum of a channel's step increments may stray from its running total, relative
#: to the sum of their magnitudes: a world that adds to a channel twice in a step (a brain
#: cost, then a gain) rounds its step's increment apart from the total
RELATIVE_ROUNDING = 1e-9


def _adds_up(parts: list[float], total: float) -> bool:
    return abs(sum(parts) - total) <= RELATIVE_ROUNDING * (1.0 + sum(abs(p) for p in parts))


def check_steps_add_up(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """An episode's steps add up to its totals: events exactly, fitness, performance and each
    drive's signal to rounding (:data:`RELATIVE_ROUNDING`), and the actions counted are the
    actions taken."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for episode in random_episodes(world, individuals, episodes, seed):
        played = play(episode)
        steps, totals = played.steps, played.totals
        sums = {
            "fitness": _adds_up([s.fitness for s in steps], totals.fitness),
            "performance": _adds_up([s.performance for s in steps], totals.performance),
            "signals": all(
                _adds_up([float(s.signals[d]) for s in steps], float(totals.signals[d]))
                for d in range(len(world.drives))
            ),
            "events": np.array_equal(
                np.sum([s.events for s in steps], axis=0, dtype=np.int64), totals.events
            ),
            "actions": np.array_equal(
                np.bincount(played.actions, minlength=len(world.actions)), totals.actions
            ),
        }
        wrong = [name for name, ok in sums.items() if not ok]
        if wrong:
            raise fail(
                f"totals must be the sum of the steps, {episode.at}", f"other {', '.join(wrong)}"
            )


def check_views_draw_nothing(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """Building a view draws nothing and changes nothing (the kernel builds what it shows a
    reflex and a planner at every decision, whoever decides): asking the simulator for the
    view again at every decision shows the same view and leaves the episode as it was."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for episode in random_episodes(world, individuals, episodes, seed):
        plain = play(episode)

        def again(view: View, sim=episode.sim, at=episode.at) -> None:
            if sim._view_now() != view:  # the hook a world writes (Simulator._view_now)
                raise fail(f"the same view when asked twice, {at}", "a different view")

        looked = play(episode, before=again)
        if not _same_episode(plain, looked):
            raise fail(
                f"an episode must not change when its views are built twice, {episode.at}",
                "a different episode",
            )


def _same_episode(a: Played, b: Played) -> bool:
    return (
        a.actions == b.actions
        and a.views == b.views
        and differing_field(a.totals, b.totals, TOTALS) is None
    )


def check_reset_restarts(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """``reset(seed)`` starts the episode afresh whatever the simulator played before: an
    episode played after another was abandoned half way (a different seed) is the episode
    played first on the same simulator."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for episode in random_episodes(world, individuals, episodes, seed):
        fresh = play(episode)
        sim = episode.sim
        # half an episode on another seed (the agent's draws and the world's both move on)
        other = (episode.seed + 1) % 2**64
        agent = episode.agent()
        view = sim.reset(other, brain_load=agent.brain_load)
        for _ in range(max(1, len(fresh.steps) // 2)):
            step = sim.step(agent.decide(view))
            if step.done:
                break
            view = step.view
        replayed = play(episode)
        if not _same_episode(fresh, replayed):
            raise fail(
                f"reset(seed) must start afresh after an unfinished episode, {episode.at}",
                "a different episode",
            )
