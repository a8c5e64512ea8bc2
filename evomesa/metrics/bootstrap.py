"""The bootstrap over individuals: resamples, their counts, and percentile intervals.

A resample is drawn with replacement from a given :class:`numpy.random.Generator` (never the
global numpy state). :func:`bootstrap_counts` turns resampled row indices into a ``(B, n)``
matrix of how often each row was drawn, so that a statistic made of weighted row sums is
evaluated for every resample with one matrix product.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from evomesa.errors import ConfigError, check_float, check_int

__all__ = [
    "bootstrap_ci",
    "bootstrap_counts",
    "check_rng",
    "percentile_interval",
    "resample_indices",
]


def check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ConfigError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    return rng


def resample_indices(n: int, rng: np.random.Generator, n_boot: int = 1000) -> np.ndarray:
    """Row indices of ``n_boot`` bootstrap resamples of ``n`` rows (drawn with replacement).

    Returns
    -------
    ndarray of int64, shape (n_boot, n)
    """
    n = check_int("n", n, 1)
    n_boot = check_int("n_boot", n_boot, 1)
    return check_rng(rng).integers(0, n, size=(n_boot, n))


def bootstrap_counts(indices: np.ndarray, n: int) -> np.ndarray:
    """How many times each row appears in each resample.

    Parameters
    ----------
    indices : ndarray of int, shape (B, m)
        Resampled row indices, e.g. from :func:`resample_indices`.
    n : int
        Number of rows.

    Returns
    -------
    ndarray of float, shape (B, n)
        Multiplicities; each row sums to ``m``. A statistic that is a function of weighted
        row sums can then be evaluated for all resamples with one matrix product.
    """
    indices = np.asarray(indices)
    b = indices.shape[0]
    offsets = indices + n * np.arange(b)[:, None]
    return np.bincount(offsets.ravel(), minlength=b * n).reshape(b, n).astype(float)


def percentile_interval(
    point: float, replicates: np.ndarray, level: float = 0.95
) -> tuple[float, float]:
    """Percentile confidence interval from bootstrap replicates.

    Non-finite replicates are dropped; if none remain, the interval collapses to
    ``(point, point)``, so the result is always finite when ``point`` is.

    Parameters
    ----------
    point : float
        The estimate on the full data.
    replicates : ndarray, shape (B,)
    level : float
        Coverage, in [0, 1].

    Returns
    -------
    (low, high) : tuple of float
    """
    level = check_float("level", level, 0.0, 1.0)
    reps = np.asarray(replicates, dtype=float).ravel()
    reps = reps[np.isfinite(reps)]
    if reps.size == 0:
        return float(point), float(point)
    tail = 50.0 * (1.0 - level)
    low, high = np.percentile(reps, [tail, 100.0 - tail])
    return float(low), float(high)


def bootstrap_ci(
    statistic: Callable[..., float],
    arrays: Sequence[np.ndarray],
    rng: np.random.Generator,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
) -> tuple[float, float]:
    """Paired percentile bootstrap interval of a statistic, resampling rows (individuals).

    All ``arrays`` are indexed with the *same* resampled row indices. Pass the train and the
    deploy arrays of a population together: their rows are the same individuals (evaluated on
    separate rollouts per regime), so an individual drawn twice counts twice in both regimes.
    This paired resampling keeps the correlation between an individual's train and deploy
    behaviour, which gives honest (usually narrower) intervals for ratios such as retention.

    Parameters
    ----------
    statistic : callable
        ``statistic(*subsets) -> float`` where ``subsets[k] = arrays[k][idx]``.
    arrays : sequence of ndarray, each of shape (n, ...)
        Per-row data; all share the first dimension ``n``.
    rng : numpy.random.Generator
        Source of the resampling (the global numpy state is never used).
    n_boot : int
        Number of resamples, in [10, 100000].
    level : float
        Coverage of the interval, in [0, 1].

    Returns
    -------
    (low, high) : tuple of float
        Percentiles of the replicates; non-finite replicates are dropped and, if none remain,
        ``(value, value)`` with ``value`` the statistic on the full data (0.0 if that is not
        finite either).
    """
    n_boot = check_int("n_boot", n_boot, 10, 100_000)
    level = check_float("level", level, 0.0, 1.0)
    if not callable(statistic):
        raise ConfigError(f"statistic must be callable; got {statistic!r}")
    arrays = [np.asarray(a) for a in arrays]
    if not arrays or arrays[0].ndim == 0 or arrays[0].shape[0] == 0:
        raise ConfigError("arrays must be a non-empty sequence of arrays with at least one row")
    n = arrays[0].shape[0]
    for k, a in enumerate(arrays):
        if a.ndim == 0 or a.shape[0] != n:
            raise ConfigError(f"arrays[{k}] must have {n} rows like arrays[0]; got {a.shape}")
    point = float(statistic(*arrays))
    if not math.isfinite(point):
        point = 0.0
    indices = resample_indices(n, rng, n_boot)
    reps = np.fromiter(
        (statistic(*(a[idx] for a in arrays)) for idx in indices), dtype=float, count=n_boot
    )
    return percentile_interval(point, reps, level)
