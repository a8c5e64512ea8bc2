"""One drive's drift figures (:class:`DriveDrift`) and their JSON round trip.

Part of a :class:`~evomesa.metrics.report.DriftReport` (its ``drives``); the figures are
defined in :mod:`evomesa.metrics.drift`, each field read back by
:mod:`evomesa.metrics.report_fields`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from evomesa.metrics.report_fields import (
    DRIVE_BOUNDS,
    DRIVE_VALUE_FIELDS,
    bad,
    ci_to_json,
    exact_keys,
    read_ci,
    read_flags,
    read_name,
    read_real,
    require_keys,
)

__all__ = ["DriveDrift"]


@dataclass(frozen=True)
class DriveDrift:
    """How one proxy drive drifted from fitness between the train and deploy regimes.

    See :mod:`evomesa.metrics.drift` for the definitions. ``ci`` holds a 95 % bootstrap
    interval for each float field; ``flags`` lists degenerate cases as ``"field:reason"``.
    """

    name: str
    signal_train: float
    signal_deploy: float
    signal_retention: float
    yield_train: float
    yield_deploy: float
    yield_drift: float
    rank_corr_train: float
    rank_corr_deploy: float
    rank_corr_change: float
    ci: dict[str, tuple[float, float]]
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (plain floats, strings and lists)."""
        d: dict[str, Any] = {"name": self.name}
        d.update({f: float(getattr(self, f)) for f in DRIVE_VALUE_FIELDS})
        d["ci"] = ci_to_json(self.ci)
        d["flags"] = list(self.flags)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DriveDrift:
        """Rebuild from :meth:`to_dict` output (also after a JSON round trip).

        Every field is checked (types, ranges, interval order); anything else raises
        :class:`~evomesa.errors.ConfigError` naming the field."""
        return cls._from_dict(d, "")

    @classmethod
    def _from_dict(cls, d: Any, field: str) -> DriveDrift:
        prefix = f"{field}." if field else ""
        if not isinstance(d, Mapping):
            raise bad(field or "(top level)", "a DriveDrift.to_dict() object", d)
        if not field:
            require_keys(d, tuple(f.name for f in fields(cls)), "DriveDrift")
        exact_keys(field, d, tuple(f.name for f in fields(cls)))
        values = {
            f: read_real(prefix + f, d[f], *DRIVE_BOUNDS.get(f, (-math.inf, math.inf)))
            for f in DRIVE_VALUE_FIELDS
        }
        return cls(
            name=read_name(prefix + "name", d["name"]),
            **values,
            ci=read_ci(d["ci"], prefix + "ci", DRIVE_VALUE_FIELDS),
            flags=read_flags(prefix + "flags", d["flags"]),
        )
