"""Checks of what a world's rollouts report (:meth:`World.rollout`, its default backend):
shapes and dtypes, finite channels, bookkeeping that adds up, the same output for the same
seeds, and training mixtures played episode by episode in their own regimes.

Each plays random genomes of every architecture in every regime (:func:`random_batches`).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from evomesa.worlds.base import RolloutArrays, World
from evomesa.worlds.checks.common import (
    FIELDS,
    checked_arguments,
    differing_field,
    fail,
    random_batches,
    where,
)


def _shapes(
    world: World, n: int, episodes: int, recorded: int
) -> dict[str, tuple[tuple[int, ...], type]]:
    return {
        "fitness": ((n, episodes), np.float64),
        "performance": ((n, episodes), np.float64),
        "signals": ((n, episodes, len(world.drives)), np.float64),
        "actions": ((n, episodes, len(world.actions)), np.int64),
        "events": ((n, episodes, len(world.events)), np.int64),
        "steps": ((n, episodes), np.int64),
        "observations": ((n, episodes, recorded), np.int32),
    }


def _rollouts(
    world: World, individuals: int, episodes: int, seed: int
) -> Iterator[tuple[str, np.ndarray, RolloutArrays]]:
    """``(where, brains, rollout)`` of every architecture in every regime, observations
    recorded."""
    for kind, brains, seeds in random_batches(world, individuals, episodes, seed):
        for regime in world.regimes:
            out = world.rollout(brains, regime, seeds, record_observations=True)
            yield where(kind, regime), brains, out


def check_rollout_arrays(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """Every channel of a rollout has its declared shape and dtype (``RolloutArrays``)."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for at, brains, out in _rollouts(world, individuals, episodes, seed):
        shapes = _shapes(world, individuals, episodes, world.n_recorded(brains))
        for field, (shape, dtype) in shapes.items():
            arr = getattr(out, field)
            if not isinstance(arr, np.ndarray) or arr.shape != shape or arr.dtype != dtype:
                got = f"{getattr(arr, 'dtype', type(arr).__name__)} of shape {np.shape(arr)}"
                raise fail(f"{field} must be {np.dtype(dtype)} of shape {shape}, {at}", got)


def check_finite_outputs(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """Fitness, performance and signals are finite (no NaN, no infinity)."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for at, _, out in _rollouts(world, individuals, episodes, seed):
        for field in ("fitness", "performance", "signals"):
            if not np.isfinite(getattr(out, field)).all():
                raise fail(f"{field} must be finite, {at}", "NaN or infinity")


def check_bookkeeping(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """The counts add up: steps and events are non-negative, one action per step survived,
    and a reflex's recorded observations count its decisions (a planner records none; a reflex
    network records one bin per feature per decision, and no novel input without a training
    support)."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for at, brains, out in _rollouts(world, individuals, episodes, seed):
        planners = brains.planner_mask
        if (out.steps < 0).any():
            raise fail(f"steps must be non-negative, {at}", int(out.steps.min()))
        if not np.array_equal(out.actions.sum(axis=2), out.steps):
            raise fail(f"one action per step survived, {at}", "action counts != steps")
        if (out.events < 0).any():
            raise fail(f"event counts must be non-negative, {at}", int(out.events.min()))
        decided = out.observations.sum(axis=2)
        if brains.net_mask.any():
            bins = out.observations[:, :, :-1].reshape(individuals, episodes, world.n_features, -1)
            if (bins.sum(axis=3) != bins.sum(axis=3)[:, :, :1]).any() or out.observations[
                :, :, -1
            ].any():
                raise fail(
                    f"a reflex network records one bin per feature per decision, {at}",
                    "other counts",
                )
            decided = bins[:, :, 0].sum(axis=2)
        if not np.array_equal(decided, np.where(~planners[:, None], out.steps, 0)):
            raise fail(
                f"a reflex's observations count its decisions and a planner records none, {at}",
                "other counts",
            )


def check_determinism(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """The same genomes on the same seeds give the same output, channel for channel."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for kind, brains, seeds in random_batches(world, individuals, episodes, seed):
        for regime in world.regimes:
            first = world.rollout(brains, regime, seeds, record_observations=True)
            again = world.rollout(brains, regime, seeds, record_observations=True)
            field = differing_field(first, again)
            if field is not None:
                raise fail(
                    f"the same seeds must give the same output, {where(kind, regime)}",
                    f"different {field}",
                )


def check_mixture(world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0) -> None:
    """A training mixture plays episode column ``e`` in ``regime[e]``, exactly as a rollout in
    that regime alone plays it."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for kind, brains, seeds in random_batches(world, individuals, episodes, seed):
        mixture = [world.regimes[e % len(world.regimes)] for e in range(episodes)]
        mixed = world.rollout(brains, mixture, seeds, record_observations=True)
        for e, regime in enumerate(mixture):
            pure = world.rollout(brains, regime, seeds[:, e : e + 1], record_observations=True)
            column = RolloutArrays(**{f: getattr(mixed, f)[:, e : e + 1] for f in FIELDS})
            field = differing_field(column, pure)
            if field is not None:
                raise fail(
                    f"a mixture's episode {e} must equal the same episode played in {regime!r}, "
                    f"{kind} genomes",
                    f"different {field}",
                )
