"""What a world declares about its parameters and a reflex's senses: :class:`Param`,
:class:`Factor` and :class:`Feature` (re-exported by :mod:`evomesa.worlds.base`, where worlds
import them from)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evomesa.errors import check_choice, check_float, check_int

__all__ = ["Factor", "Feature", "Param"]


@dataclass(frozen=True)
class Param:
    """One world parameter: its default, allowed closed range, and meaning with rationale.

    A parameter that names something (a regime, say) gives its allowed names as ``choices``
    instead of a range (``low`` and ``high`` are then unused).
    """

    default: int | float | str
    low: int | float
    high: int | float
    doc: str
    choices: tuple[str, ...] = ()

    @property
    def is_int(self) -> bool:
        return isinstance(self.default, int)

    @property
    def allowed(self) -> str:
        """The allowed values, as text."""
        if self.choices:
            return "{" + ", ".join(self.choices) + "}"
        return f"[{self.low}, {self.high}]"

    def check(self, name: str, value: Any) -> int | float | str:
        if self.choices:
            return check_choice(name, value, self.choices)
        if self.is_int:
            return check_int(name, value, int(self.low), int(self.high))
        return check_float(name, value, float(self.low), float(self.high))


@dataclass(frozen=True)
class Factor:
    """One observation factor a reflex senses: its name and its levels, in index order."""

    name: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Feature:
    """One graded perceived feature a reflex network senses at a decision.

    Attributes
    ----------
    name : str
    low, high : float
        Closed bounds of its value, within [-1, 1] (a network's input scale).
    doc : str
        "meaning; rationale": what the agent senses, and why it may sense it (the same
        information the world's factors are built from, and no more).
    """

    name: str
    low: float
    high: float
    doc: str

    def __post_init__(self) -> None:
        if not -1.0 <= self.low < self.high <= 1.0:
            raise ValueError(
                f"feature {self.name!r} bounds must satisfy -1 <= low < high <= 1; got "
                f"[{self.low}, {self.high}]"
            )
