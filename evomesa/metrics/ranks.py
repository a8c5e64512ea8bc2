"""Spearman rank correlation, on the full data and on many bootstrap resamples at once.

Same conventions as :mod:`evomesa.metrics.stats`: a defined value (0.0) and a flag for
degenerate input, never a NaN, a warning or an exception; exceptions only for input of the
wrong shape, as :class:`~evomesa.errors.ConfigError`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from evomesa.errors import ConfigError

__all__ = ["rank_correlation", "weighted_rank_correlation"]


def rank_correlation(x: np.ndarray, y: np.ndarray) -> tuple[float, str | None]:
    """Spearman rank correlation between two samples, flattened.

    Parameters
    ----------
    x, y : ndarray, any shape, same number of elements
        Paired samples, e.g. signal and fitness of shape (n, E).

    Returns
    -------
    rho : float
        Spearman's rho in [-1, 1] (ties get average ranks); 0.0 when undefined.
    flag : str or None
        ``"too_few_samples"`` (fewer than 3 pairs), ``"non_finite"`` or ``"constant_input"``
        (either sample has a single distinct value), else None.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size != y.size:
        raise ConfigError(f"y must have as many elements as x ({x.size}); got {y.size}")
    if x.size < 3:
        return 0.0, "too_few_samples"
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return 0.0, "non_finite"
    # Checked before scipy so that its ConstantInputWarning never reaches the user.
    if np.all(x == x[0]) or np.all(y == y[0]):
        return 0.0, "constant_input"
    from scipy.stats import spearmanr  # imported here: scipy.stats costs ~0.3 s at start-up

    rho = float(spearmanr(x, y).statistic)
    if not math.isfinite(rho):
        return 0.0, "non_finite"
    return min(1.0, max(-1.0, rho)), None


def _tie_groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort order of ``values`` and the start of each run of equal values in that order.

    Returns
    -------
    order : ndarray of int64, shape (N,)
    starts : ndarray of int64, shape (G + 1,)
        Start position (in sorted order) of each of the ``G`` tie groups, then ``N``.
    """
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    is_start = np.empty(values.size, dtype=bool)
    is_start[0] = True
    is_start[1:] = sorted_values[1:] != sorted_values[:-1]
    starts = np.append(np.flatnonzero(is_start), values.size)
    return order.astype(np.int64), starts.astype(np.int64)


@njit(cache=True)
def _fill_mid_ranks(order, starts, sorted_rows, w, ranks):  # pragma: no cover - compiled
    """Write each sample's weighted mid-rank into ``ranks``; return the occupied group count.

    ``sorted_rows[k]`` is the row of the k-th sample in sort order (``rows[order]``), which
    keeps the weight look-ups in the inner loop free of a second indirection.
    """
    below = 0.0
    occupied = 0
    for g in range(starts.size - 1):
        total = 0.0
        for k in range(starts[g], starts[g + 1]):
            total += w[sorted_rows[k]]
        if total > 0.0:
            occupied += 1
        mid = below + (total + 1.0) / 2.0
        for k in range(starts[g], starts[g + 1]):
            ranks[order[k]] = mid
        below += total
    return occupied


@njit(cache=True)
def _weighted_spearman_kernel(
    order_x, starts_x, order_y, starts_y, rows, weights, out
):  # pragma: no cover - compiled
    """Fill ``out[b]`` with the weighted Spearman rho for each row-weight vector ``weights[b]``."""
    n_samples = rows.size
    rows_x = rows[order_x]
    rows_y = rows[order_y]
    rx = np.empty(n_samples)
    ry = np.empty(n_samples)
    for b in range(weights.shape[0]):
        w = weights[b]
        occupied_x = _fill_mid_ranks(order_x, starts_x, rows_x, w, rx)
        occupied_y = _fill_mid_ranks(order_y, starts_y, rows_y, w, ry)
        total = 0.0
        for k in range(n_samples):
            total += w[rows[k]]
        # Constancy is decided structurally (fewer than two occupied tie groups), not by
        # comparing a float variance with 0, which rounding could leave tiny but non-zero.
        if total < 3.0 or occupied_x < 2 or occupied_y < 2:
            out[b] = 0.0
            continue
        mean = (total + 1.0) / 2.0  # mean of mid-ranks is always that of 1..total
        sxx = 0.0
        syy = 0.0
        sxy = 0.0
        for k in range(n_samples):
            wk = w[rows[k]]
            if wk > 0.0:
                dx = rx[k] - mean
                dy = ry[k] - mean
                sxx += wk * dx * dx
                syy += wk * dy * dy
                sxy += wk * dx * dy
        den = np.sqrt(sxx * syy)
        out[b] = min(1.0, max(-1.0, sxy / den)) if den > 0.0 else 0.0


def weighted_rank_correlation(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Spearman's rho of resampled data, for many row resamples at once, without resampling.

    A bootstrap resample of rows is described by how many times each row was drawn. Spearman's
    rho of the resampled data (ties given average ranks, as in scipy) equals a weighted Pearson
    correlation of weighted mid-ranks, which depend on the data only through its sort order;
    so the data is sorted once, and each replicate costs three linear passes (compiled).

    Parameters
    ----------
    x, y : ndarray, shape (n, E)
        Paired samples, ``E`` per row (e.g. per individual, one per episode). Finite.
    weights : ndarray, shape (B, n)
        Non-negative multiplicity of each row in each of ``B`` resamples (see
        :func:`bootstrap_counts`). A row of ones gives the plain Spearman rho.

    Returns
    -------
    ndarray, shape (B,)
        Rho of each resample; 0.0 where it is undefined (fewer than 3 samples drawn, or a
        constant resample), matching :func:`rank_correlation`.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    weights = np.ascontiguousarray(weights, dtype=float)
    if x.ndim != 2 or y.shape != x.shape:
        raise ConfigError(f"y must be a 2-D array shaped like x {x.shape}; got {y.shape}")
    n, e = x.shape
    if weights.ndim != 2 or weights.shape[1] != n:
        raise ConfigError(f"weights must have shape (B, {n}); got {weights.shape}")
    out = np.zeros(weights.shape[0])
    if x.size == 0 or weights.shape[0] == 0:
        return out
    order_x, starts_x = _tie_groups(x.ravel())
    order_y, starts_y = _tie_groups(y.ravel())
    rows = np.repeat(np.arange(n, dtype=np.int64), e)
    _weighted_spearman_kernel(order_x, starts_x, order_y, starts_y, rows, weights, out)
    return out
