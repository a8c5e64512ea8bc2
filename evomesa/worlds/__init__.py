"""Worlds: the contract, the registry, and the registered worlds.

Importing this package imports every world module, and each registers itself with
``@register`` (from :mod:`evomesa.worlds.registry`).
"""

from __future__ import annotations

from evomesa.worlds.base import Factor, Param, RolloutArrays, World
from evomesa.worlds.registry import list_worlds, make_world, register
from evomesa.worlds.simulator import Option, Simulator, Step, Totals, View

# World modules register themselves on import; the registry must exist first (above).
from evomesa.worlds import contraception  # noqa: E402, F401  isort: skip
from evomesa.worlds import strawberry  # noqa: E402, F401  isort: skip
from evomesa.worlds import deception  # noqa: E402, F401  isort: skip
from evomesa.worlds import play_dead  # noqa: E402, F401  isort: skip
from evomesa.worlds import absent_supervisor  # noqa: E402, F401  isort: skip
from evomesa.worlds import hubinger_toy  # noqa: E402, F401  isort: skip

__all__ = [
    "Factor",
    "Option",
    "Param",
    "RolloutArrays",
    "Simulator",
    "Step",
    "Totals",
    "View",
    "World",
    "list_worlds",
    "make_world",
    "register",
]
