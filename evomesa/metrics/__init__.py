"""Drift metrics: how evolved proxy drives drift from fitness under a change of regime.

:func:`compute_drift` turns train and deploy rollouts into a :class:`DriftReport`; the
definitions are in :mod:`evomesa.metrics.drift`, the verdict rule in
:mod:`evomesa.metrics.verdict`. The small statistics it is built from live in
:mod:`evomesa.metrics.stats`.
"""

from __future__ import annotations

from evomesa.metrics.drift import VERDICTS, DriftReport, DriveDrift, compute_drift
from evomesa.metrics.stats import (
    bootstrap_ci,
    bootstrap_counts,
    js_distance,
    js_distance_rows,
    percentile_interval,
    rank_correlation,
    ratio_array,
    resample_indices,
    retention,
    safe_ratio,
    weighted_rank_correlation,
    yield_,
    yield_drift,
)

__all__ = [
    "VERDICTS",
    "DriftReport",
    "DriveDrift",
    "bootstrap_ci",
    "bootstrap_counts",
    "compute_drift",
    "js_distance",
    "js_distance_rows",
    "percentile_interval",
    "rank_correlation",
    "ratio_array",
    "resample_indices",
    "retention",
    "safe_ratio",
    "weighted_rank_correlation",
    "yield_",
    "yield_drift",
]
