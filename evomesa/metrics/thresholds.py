"""The verdict thresholds: one frozen value, validated when it is made and passed down whole.

The public entry points (:func:`evomesa.measure_drift`, :func:`evomesa.run_experiment`,
:func:`evomesa.sweep`, :func:`evomesa.metrics.compute_drift`) take the four thresholds as
keyword arguments, make one :class:`Thresholds` of them (which checks each, naming the
argument in its message), and hand that on; nothing below them checks the numbers again.
Reports and run folders record them as a plain dict (:meth:`Thresholds.to_dict`). The rule
that uses them is in :mod:`evomesa.metrics.verdict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from evomesa.errors import check_float

__all__ = ["ADDED_KEYS", "THRESHOLD_KEYS", "Thresholds"]

#: how reports, run folders and sweep markers name the thresholds (the public keyword names)
THRESHOLD_KEYS = (
    "robust_threshold",
    "competence_threshold",
    "regret_threshold",
    "effect_threshold",
)

#: thresholds that records written before them lack; read back at their defaults
ADDED_KEYS = ("effect_threshold",)


#: the attributes of :class:`Thresholds`, in the order of :data:`THRESHOLD_KEYS`
ATTRIBUTES = ("robust", "competence", "regret", "effect")


@dataclass(frozen=True)
class Thresholds:
    """The thresholds of the verdict rule, each a number in [0, 1].

    Attributes
    ----------
    robust : float
        Fitness retention at or above which a population is ``"robust"``.
    competence : float
        Signal retention at or above which a proxy counts as still pursued.
    regret : float
        Regret at or below which a failed population is an ``"unavoidable_loss"``.
    effect : float
        Evolved effect size (the training gain over the unevolved baseline, on the scale of
        what evolution reaches in deployment over that baseline) below which nothing
        meaningful evolved and the verdict is ``"undefined"``.

    Raises
    ------
    ConfigError
        When made with a threshold that is not a finite number in [0, 1]; the message names it
        as the public keyword does (``robust_threshold``, ...).
    """

    robust: float = 0.7
    competence: float = 0.6
    regret: float = 0.3
    effect: float = 0.2

    def __post_init__(self) -> None:
        # checked in this order, as the entry points always have; stored as plain floats (a
        # numpy scalar would print and compare differently in a report)
        for attr, key in zip(ATTRIBUTES, THRESHOLD_KEYS, strict=True):
            object.__setattr__(self, attr, check_float(key, getattr(self, attr), 0.0, 1.0))

    def to_dict(self) -> dict[str, float]:
        """``{"robust_threshold": ..., "competence_threshold": ..., ...}``, as reports and run
        folders record them."""
        return {
            key: getattr(self, attr) for attr, key in zip(ATTRIBUTES, THRESHOLD_KEYS, strict=True)
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, float]) -> Thresholds:
        """The inverse of :meth:`to_dict` (checked as on construction); a threshold added
        since the record was written (:data:`ADDED_KEYS`) takes its default."""
        return cls(
            *(d[key] for key in THRESHOLD_KEYS if key in d or key not in ADDED_KEYS),
        )
