"""Checks of what a world declares (DESIGN section 3): its class attributes, the sizes derived
from them, and its read-only parameters. None of them plays an episode."""

from __future__ import annotations

import numpy as np

from evomesa.worlds.base import World
from evomesa.worlds.checks.common import checked_arguments, fail
from evomesa.worlds.registry import check_declared_class


def check_declarations(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """The world's class declares what the contract needs (the checks :func:`register` runs:
    names, regimes, ``default_shift``, drives, factors, actions, events, parameters), and the
    built world's ``max_horizon``, ``drive_scales`` and ``signal_delays`` are usable: an int
    >= 1, a positive finite scale per drive, and a non-negative int delay per drive."""
    world, *_ = checked_arguments(world, individuals, episodes, seed)
    check_declared_class(type(world))
    horizon = world.max_horizon
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise fail("max_horizon must be an int >= 1", repr(horizon))
    scales = np.asarray(world.drive_scales)
    if scales.shape != (len(world.drives),) or not (np.isfinite(scales) & (scales > 0)).all():
        raise fail(f"drive_scales must be {len(world.drives)} positive numbers", scales)
    delays = np.asarray(world.signal_delays)
    if delays.shape != (len(world.drives),) or delays.dtype.kind not in "iu" or (delays < 0).any():
        raise fail(f"signal_delays must be {len(world.drives)} non-negative ints", delays)


def check_params_read_only(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """``world.params`` is read-only (build a new world to change a parameter) and holds a
    value for every declared parameter, and nothing else."""
    world, *_ = checked_arguments(world, individuals, episodes, seed)
    try:
        world.params["_probe"] = 0  # type: ignore[index]
    except TypeError:
        pass
    else:
        raise fail("params must be read-only", "a mutable mapping")
    if set(world.params) != set(world.parameters):
        raise fail("params must name every declared parameter once", sorted(world.params))


def check_observation_names(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """A reflex table has one entry per combination of factor levels: ``observation_names()``
    names each once, in :meth:`~evomesa.worlds.base.World.observation_index` order."""
    world, *_ = checked_arguments(world, individuals, episodes, seed)
    names = world.observation_names()
    if len(names) != world.n_observations:
        raise fail("one observation name per table entry", len(names))
    if len(set(names)) != len(names):
        raise fail("distinct observation names", "a name repeated")
    first = {f.name: f.levels[0] for f in world.factors}
    last = {f.name: f.levels[-1] for f in world.factors}
    if world.observation_index(**first) != 0 or world.observation_index(**last) != len(names) - 1:
        raise fail("observation_index to count from 0 to n_observations - 1", "other indices")
