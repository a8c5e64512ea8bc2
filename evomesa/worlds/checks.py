"""``em.check_world``: the public checker of the world contract (DESIGN section 3).

A world passes when its declarations are consistent and, for random genomes of every
architecture in every regime, its numba kernel and its plain-Python reference produce exactly
the same output, the same seed gives the same output, every array has its declared shape and
dtype, nothing is NaN, and the bookkeeping adds up (one action per step survived; a reflex's
recorded observations count its decisions).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evomesa.errors import ConfigError, check_int
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import RolloutArrays, World, require_world
from evomesa.worlds.registry import _check_declarations

_FIELDS = ("fitness", "performance", "signals", "actions", "events", "steps", "observations")


def _fail(what: str, got: Any) -> ConfigError:
    return ConfigError(f"world must satisfy the contract ({what}); got {got}")


def _shapes(world: World, n: int, episodes: int) -> dict[str, tuple[tuple[int, ...], type]]:
    return {
        "fitness": ((n, episodes), np.float64),
        "performance": ((n, episodes), np.float64),
        "signals": ((n, episodes, len(world.drives)), np.float64),
        "actions": ((n, episodes, len(world.actions)), np.int64),
        "events": ((n, episodes, len(world.events)), np.int64),
        "steps": ((n, episodes), np.int64),
        "observations": ((n, episodes, world.n_observations), np.int32),
    }


def _check_arrays(world: World, out: RolloutArrays, planners: np.ndarray, where: str) -> None:
    n, episodes = out.steps.shape
    for field, (shape, dtype) in _shapes(world, n, episodes).items():
        arr = getattr(out, field)
        if arr.shape != shape or arr.dtype != dtype:
            raise _fail(f"{field} must be {np.dtype(dtype)} of shape {shape}, {where}",
                        f"{arr.dtype} of shape {arr.shape}")  # fmt: skip
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise _fail(f"{field} must be finite, {where}", "NaN or infinity")
    if (out.steps < 0).any():
        raise _fail(f"steps must be non-negative, {where}", int(out.steps.min()))
    if not np.array_equal(out.actions.sum(axis=2), out.steps):
        raise _fail(f"one action per step survived, {where}", "action counts != steps")
    if (out.events < 0).any():
        raise _fail(f"event counts must be non-negative, {where}", int(out.events.min()))
    decided = out.observations.sum(axis=2)
    reflexes = ~planners[:, None]
    if not np.array_equal(decided, np.where(reflexes, out.steps, 0)):
        raise _fail(
            f"a reflex's observations count its decisions and a planner records none, {where}",
            "other counts",
        )


def _same(a: RolloutArrays, b: RolloutArrays, what: str, where: str) -> None:
    for field in _FIELDS:
        if not np.array_equal(getattr(a, field), getattr(b, field)):
            raise _fail(f"{what}, {where}", f"different {field}")


def check_world(world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0) -> dict:
    """Check that ``world`` keeps the world contract; raise :class:`ConfigError` if not.

    Parameters
    ----------
    world : World
        A built world (``em.make_world(...)``).
    individuals, episodes : int
        Random genomes per architecture and episodes each, per regime (the plain-Python
        reference plays all of them, so keep these small).
    seed : int
        Seed of the random genomes and episodes.

    Returns
    -------
    dict
        What was checked: ``{"world", "genomes", "regimes", "episodes_compared"}``.
    """
    from evomesa.genomes import GENOMES, make_genome  # genomes import worlds: import late

    require_world(world)
    check_int("individuals", individuals, 1, 1000)
    check_int("episodes", episodes, 1, 1000)
    check_int("seed", seed, 0, 2**63 - 1)
    _check_declarations(type(world))
    try:
        world.params["_probe"] = 0  # type: ignore[index]
    except TypeError:
        pass
    else:
        raise _fail("params must be read-only", "a mutable mapping")
    horizon = world.max_horizon
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise _fail("max_horizon must be an int >= 1", repr(horizon))
    scales = np.asarray(world.drive_scales)
    if scales.shape != (len(world.drives),) or not (np.isfinite(scales) & (scales > 0)).all():
        raise _fail(f"drive_scales must be {len(world.drives)} positive numbers", scales)
    if len(world.observation_names()) != world.n_observations:
        raise _fail("one observation name per table entry", len(world.observation_names()))

    compared = 0
    for kind in GENOMES:
        genome = make_genome(kind, world)
        rng = generator(seed, "check_world", kind)
        genes = genome.random(rng, individuals)
        brains = genome.decode(genes)
        seeds = episode_seeds(rng, individuals, episodes, common=False)
        for regime in world.regimes:
            where = f"{kind} genomes in regime {regime!r}"
            fast = world.rollout(brains, regime, seeds, record_observations=True)
            _check_arrays(world, fast, brains.planner_mask, where)
            again = world.rollout(brains, regime, seeds, record_observations=True)
            _same(fast, again, "the same seeds must give the same output", where)
            slow = world.rollout(brains, regime, seeds, backend="python", record_observations=True)
            _same(fast, slow, "the numba kernel must equal the Python reference", where)
            compared += individuals * episodes
        # A training mixture plays episode column e in regime[e], exactly as a pure rollout.
        mixture = [world.regimes[e % len(world.regimes)] for e in range(episodes)]
        mixed = world.rollout(brains, mixture, seeds)
        for e, regime in enumerate(mixture):
            pure = world.rollout(brains, regime, seeds[:, e : e + 1])
            if not np.array_equal(mixed.fitness[:, e : e + 1], pure.fitness) or not np.array_equal(
                mixed.signals[:, e : e + 1], pure.signals
            ):
                raise _fail(
                    f"a mixture's episode {e} must equal the same episode played in {regime!r}",
                    "different output",
                )
    return {
        "world": world.name,
        "genomes": GENOMES,
        "regimes": world.regimes,
        "episodes_compared": compared,
    }
