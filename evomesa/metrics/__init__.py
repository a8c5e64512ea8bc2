"""Drift metrics: how evolved proxy drives drift from fitness under a change of regime.

Pure array functions. :func:`compute_drift` turns train and deploy rollouts into a
:class:`DriftReport`; the definitions are in :mod:`evomesa.metrics.drift`, the verdict rule
and its :class:`Thresholds` in :mod:`evomesa.metrics.verdict` and
:mod:`evomesa.metrics.thresholds`. The small statistics it is built from live in
:mod:`evomesa.metrics.stats` (ratios), :mod:`evomesa.metrics.ranks`,
:mod:`evomesa.metrics.divergence` and :mod:`evomesa.metrics.bootstrap`; summaries over runs in
:mod:`evomesa.metrics.runs`.
"""

from __future__ import annotations

from evomesa.metrics.bootstrap import (
    bootstrap_ci,
    bootstrap_counts,
    percentile_interval,
    resample_indices,
)
from evomesa.metrics.divergence import js_distance, js_distance_rows
from evomesa.metrics.drift import compute_drift
from evomesa.metrics.ranks import rank_correlation, weighted_rank_correlation
from evomesa.metrics.report import DriftReport, DriveDrift
from evomesa.metrics.report_fields import VERDICTS
from evomesa.metrics.stats import ratio_array, retention, safe_ratio, yield_, yield_drift
from evomesa.metrics.thresholds import Thresholds

__all__ = [
    "VERDICTS",
    "DriftReport",
    "DriveDrift",
    "Thresholds",
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
