"""The world registry: ``register`` (a class decorator), ``list_worlds`` and ``make_world``.

It lives in its own module, which imports only the contract (``evomesa.worlds.base``), so a
world module can ``from evomesa.worlds.registry import register`` without a circular import.
"""

from __future__ import annotations

from typing import Any

from evomesa.errors import ConfigError, check_choice
from evomesa.worlds.base import Factor, Param, World
from evomesa.worlds.quarter_turn import world_turn

_REGISTRY: dict[str, type[World]] = {}


def check_declared_class(cls: Any) -> None:
    """Raise ConfigError if ``cls`` does not declare what the world contract needs.

    Run by :func:`register` when a world module is imported, and by the contract checker
    (:func:`evomesa.worlds.checks.check_declarations`) on a built world's class.
    """
    if not (isinstance(cls, type) and issubclass(cls, World)):
        raise ConfigError(f"cls must be a subclass of evomesa.World; got {cls!r}")
    where = f"world class {cls.__name__}"
    for attr in ("name", "regimes", "default_shift", "drives", "factors", "actions", "parameters"):
        if not hasattr(cls, attr):
            raise ConfigError(f"{where} must declare {attr}; it is missing")

    def names(attr: str) -> tuple[str, ...]:
        value = getattr(cls, attr)
        ok = isinstance(value, tuple) and all(isinstance(v, str) and v for v in value)
        if not ok or len(set(value)) != len(value):
            raise ConfigError(f"{where}: {attr} must be a tuple of distinct names; got {value!r}")
        return value

    if not isinstance(cls.name, str) or not cls.name.isidentifier():
        raise ConfigError(f"{where}: name must be an identifier string; got {cls.name!r}")
    regimes = names("regimes")
    drives = names("drives")
    names("actions")
    names("events")
    if not regimes or not drives or not cls.actions:
        raise ConfigError(f"{where} must declare at least one regime, drive and action")
    if len(cls.actions) > 127:  # reflex tables hold actions as int8
        raise ConfigError(f"{where}: actions must number at most 127; got {len(cls.actions)}")
    shift = cls.default_shift
    if not (isinstance(shift, tuple) and len(shift) == 2 and set(shift) <= set(regimes)):
        raise ConfigError(f"{where}: default_shift must be two of {regimes}; got {shift!r}")
    if not set(names("aligned_drives")) <= set(drives):
        raise ConfigError(
            f"{where}: aligned_drives must be drives {drives}; got {cls.aligned_drives!r}"
        )
    factors = cls.factors
    if not (
        isinstance(factors, tuple) and factors and all(isinstance(f, Factor) for f in factors)
    ):
        raise ConfigError(f"{where}: factors must be a non-empty tuple of Factor; got {factors!r}")
    for f in factors:
        if len(f.levels) < 1 or len(set(f.levels)) != len(f.levels):
            raise ConfigError(f"{where}: factor {f.name!r} must have distinct levels")
    if not all(isinstance(p, Param) for p in cls.parameters.values()):
        raise ConfigError(f"{where}: parameters must map names to Param")
    if cls.max_horizon is World.max_horizon:
        raise ConfigError(f"{where} must define max_horizon explicitly")
    if not isinstance(cls.turns_with_moves, bool):
        raise ConfigError(
            f"{where}: turns_with_moves must be a bool; got {cls.turns_with_moves!r}"
        )
    world_turn(cls)  # a declared quarter turn must map the features and actions onto themselves
    budget = cls.reflex_generations
    if budget is not None and (
        isinstance(budget, bool) or not isinstance(budget, int) or budget < 1
    ):
        raise ConfigError(
            f"{where}: reflex_generations must be None or an int >= 1; got {budget!r}"
        )


def register(cls: type[World]) -> type[World]:
    """Register a World subclass under its ``name`` (usable as a class decorator).

    The declarations are checked here, when the module is imported, not at first use.
    """
    check_declared_class(cls)
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ConfigError(f"world name must be unique; {cls.name!r} is already registered")
    _REGISTRY[cls.name] = cls
    return cls


def list_worlds() -> tuple[str, ...]:
    """Names of the registered worlds."""
    return tuple(sorted(_REGISTRY))


def make_world(name: str, **params: Any) -> World:
    """Build a world; unknown or out-of-range parameters raise :class:`ConfigError`."""
    check_choice("world", name, list_worlds())
    return _REGISTRY[name](**params)
