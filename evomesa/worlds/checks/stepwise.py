"""The check of the step-wise API itself (DESIGN section 6): ``sim = world.simulator(regime)``,
``view = sim.reset(seed)``, ``step = sim.step(action)``, ``sim.totals()``, with every field of
every view, step and total as :mod:`evomesa.worlds.simulator` documents it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from evomesa.errors import ConfigError
from evomesa.worlds.base import World
from evomesa.worlds.checks.common import checked_arguments, fail
from evomesa.worlds.checks.stepping import Episode, play, random_episodes
from evomesa.worlds.simulator import Option, Step, Totals, View


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _is_real(x: Any) -> bool:
    return _is_int(x) or (isinstance(x, (float, np.floating)) and math.isfinite(x))


def _array(x: Any, length: int, kind: str) -> bool:
    """``x`` is a 1-D array of ``length`` of dtype kind ``kind`` ("f" finite float64, "i"
    non-negative int64)."""
    if not isinstance(x, np.ndarray) or x.shape != (length,):
        return False
    if kind == "f":
        return x.dtype == np.float64 and bool(np.isfinite(x).all())
    return x.dtype == np.int64 and bool((x >= 0).all())


def _refused(call: Callable[[], Any]) -> bool:
    """``call`` raised ConfigError: refused as the API promises (anything else it raises,
    or nothing, is not a refusal)."""
    try:
        call()
    except ConfigError:
        return True
    except Exception:  # noqa: BLE001 - a world's crash on bad input fails the check
        return False
    return False


def _is_term(term: Any, n_drives: int) -> bool:
    """``term`` is ``(drive, amount, delay, steps)``: a drive index, a finite amount, and
    non-negative int delay and steps."""
    if not (isinstance(term, tuple) and len(term) == 4):
        return False
    drive, amount, delay, steps = term
    return (
        _is_int(drive)
        and 0 <= drive < n_drives
        and _is_real(amount)
        and _is_int(delay)
        and delay >= 0
        and _is_int(steps)
        and steps >= 0
    )


def _is_option(option: Any, n_actions: int, n_drives: int) -> bool:
    return (
        isinstance(option, Option)
        and _is_int(option.action)
        and 0 <= option.action < n_actions
        and isinstance(option.terms, tuple)
        and all(_is_term(term, n_drives) for term in option.terms)
    )


def _check_view(world: World, view: View, at: str) -> None:
    n_actions, n_drives, n_obs = len(world.actions), len(world.drives), world.n_observations
    if not (_is_int(view.observation) and 0 <= view.observation < n_obs):
        raise fail(f"view.observation must be in [0, {n_obs}), {at}", view.observation)
    features = view.features
    if not (
        isinstance(features, np.ndarray)
        and features.ndim == 1
        and features.dtype == np.float64
        and np.isfinite(features).all()
    ):
        raise fail(f"view.features must be a 1-D array of finite float64, {at}", repr(features))
    declared = world.features
    if declared and (
        features.shape != (len(declared),)
        or any(not f.low <= x <= f.high for f, x in zip(declared, features, strict=True))
    ):
        raise fail(
            f"view.features must hold one value per declared feature within its bounds, {at}",
            repr(features),
        )
    fallback = view.fallback
    if not (
        isinstance(fallback, tuple)
        and fallback
        and all(_is_int(a) and 0 <= a < n_actions for a in fallback)
    ):
        raise fail(f"view.fallback must be a non-empty tuple of actions, {at}", fallback)
    if not isinstance(view.menu, tuple):
        raise fail(f"view.menu must be a tuple of Option, {at}", type(view.menu).__name__)
    for option in view.menu:
        if not _is_option(option, n_actions, n_drives):
            raise fail(
                f"every menu entry must be an Option(action, terms) with terms (drive, amount, "
                f"delay >= 0, steps >= 0), {at}",
                repr(option),
            )


def _check_step(world: World, step: Step, at: str) -> None:
    n_drives, n_events = len(world.drives), len(world.events)
    if not isinstance(step, Step):
        raise fail(f"step must return a Step, {at}", type(step).__name__)
    if not _array(step.signals, n_drives, "f"):
        raise fail(f"step.signals must be {n_drives} finite float64, {at}", step.signals)
    if not (_is_real(step.fitness) and _is_real(step.performance)):
        got = (step.fitness, step.performance)
        raise fail(f"step.fitness and performance must be finite numbers, {at}", got)
    if not _array(step.events, n_events, "i"):
        raise fail(f"step.events must be {n_events} non-negative int64, {at}", step.events)
    if not isinstance(step.done, bool) or (step.view is None) != step.done:
        got = (step.done, step.view)
        raise fail(f"step.done must be a bool, and step.view None exactly when done, {at}", got)


def _check_totals(world: World, totals: Totals, n_steps: int, at: str) -> None:
    if not isinstance(totals, Totals):
        raise fail(f"totals must return a Totals, {at}", type(totals).__name__)
    if not (
        _is_real(totals.fitness)
        and _is_real(totals.performance)
        and _array(totals.signals, len(world.drives), "f")
        and _array(totals.actions, len(world.actions), "i")
        and _array(totals.events, len(world.events), "i")
    ):
        raise fail(f"totals must hold finite channels and non-negative counts, {at}", totals)
    if not (_is_int(totals.steps) and totals.steps == totals.actions.sum() == n_steps):
        got = (totals.steps, int(totals.actions.sum()))
        what = f"totals must count one step and one action per step taken ({n_steps})"
        raise fail(f"{what}, {at}", got)


def _check_episode(world: World, episode: Episode, first: bool) -> None:
    sim, at = episode.sim, episode.at
    if first:  # a fresh simulator: nothing in play yet, and bad input refused
        if not sim.done or sim.view is not None or not _refused(lambda: sim.step(0)):
            raise fail(f"a simulator must refuse to step before reset, {at}", "a step")
        if not _refused(lambda: sim.reset(-1)):
            raise fail(f"reset must refuse a negative seed, {at}", "no ConfigError")

    def before(view: View) -> None:
        _check_view(world, view, f"{at}, step {sim.steps}")
        if sim.view != view or sim.done:
            raise fail(f"sim.view must be the view shown and sim.done False, {at}", sim.view)
        if first and not _refused(lambda: sim.step(len(world.actions))):
            raise fail(f"step must refuse an action out of range, {at}", "no ConfigError")

    def after(step: Step) -> None:
        _check_step(world, step, f"{at}, step {sim.steps}")
        if sim.done != step.done or sim.view != step.view:
            raise fail(f"sim.done and sim.view must follow the last step, {at}", sim.done)

    played = play(episode, before, after)
    last = played.views[-1].fallback[0]
    if not sim.done or sim.view is not None or not _refused(lambda: sim.step(last)):
        raise fail(f"a step after done must be refused until reset, {at}", "a step")
    _check_totals(world, played.totals, len(played.steps), at)


def check_stepwise_api(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """The step-wise reference keeps its API, for random genomes of every architecture in every
    regime: ``reset`` shows a :class:`View` (an observation in range, finite float64
    features (one per declared feature, within its bounds), a tuple of :class:`Option` with
    actions in range and well-formed terms, a non-empty fallback), every ``step`` returns a
    :class:`Step` (finite float64 signals per drive, finite fitness and performance, non-
    negative int64 events per event, ``done``, and the next view exactly when not done),
    ``sim.view`` and ``sim.done`` follow, a step before ``reset``, after ``done`` or with an
    action out of range is refused with ConfigError, and ``totals()`` counts one step and
    one action per step taken."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    last = None
    for episode in random_episodes(world, individuals, episodes, seed):
        _check_episode(world, episode, first=episode.sim is not last)
        last = episode.sim
