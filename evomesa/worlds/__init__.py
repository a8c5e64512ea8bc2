"""World registry: ``list_worlds()`` and ``make_world(name, **params)``."""

from __future__ import annotations

from typing import Any

from evomesa.errors import check_choice
from evomesa.worlds.base import Brains, Param, RolloutArrays, World
from evomesa.worlds.contraception import ContraceptionWorld

_REGISTRY: dict[str, type[World]] = {}


def register(cls: type[World]) -> type[World]:
    """Register a World subclass under its ``name`` (usable as a class decorator)."""
    _REGISTRY[cls.name] = cls
    return cls


register(ContraceptionWorld)


def list_worlds() -> tuple[str, ...]:
    """Names of the registered worlds."""
    return tuple(sorted(_REGISTRY))


def make_world(name: str, **params: Any) -> World:
    """Build a world; unknown or out-of-range parameters raise :class:`ConfigError`."""
    check_choice("world", name, list_worlds())
    return _REGISTRY[name](**params)


__all__ = ["Brains", "Param", "RolloutArrays", "World", "list_worlds", "make_world", "register"]
