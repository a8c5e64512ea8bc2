"""Behavioural divergence: the Jensen-Shannon distance between two count vectors.

Same conventions as :mod:`evomesa.metrics.stats`: defined values and flags for degenerate
input (empty or non-finite counts); exceptions only for input that is no distribution at all
(wrong shape, negative counts), as :class:`~evomesa.errors.ConfigError`.
"""

from __future__ import annotations

import numpy as np

from evomesa.errors import ConfigError

__all__ = ["js_distance", "js_distance_rows"]


def _check_counts(name: str, counts: np.ndarray) -> None:
    if np.any(counts < 0):
        raise ConfigError(f"{name} must be non-negative counts; got a minimum of {counts.min()}")


def js_distance(counts_a: np.ndarray, counts_b: np.ndarray) -> tuple[float, str | None]:
    """Jensen-Shannon distance (base 2) between two count vectors, normalised to distributions.

    Parameters
    ----------
    counts_a, counts_b : ndarray, shape (A,)
        Non-negative counts, e.g. how often each action was taken.

    Returns
    -------
    distance : float
        In [0, 1]: 0 for proportional vectors, 1 for disjoint support. With an all-zero
        vector: 0.0 if both are all-zero (identical, empty behaviour), else 1.0.
    flag : str or None
        ``"empty_distribution"``, ``"non_finite"`` (then 0.0) or None.

    Raises
    ------
    ConfigError
        If the shapes differ or a count is negative (not a distribution at all).
    """
    a = np.asarray(counts_a, dtype=float)
    b = np.asarray(counts_b, dtype=float)
    if a.ndim != 1 or b.shape != a.shape:
        raise ConfigError(
            f"counts_b must be a 1-D array shaped like counts_a {a.shape}; got {b.shape}"
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return 0.0, "non_finite"
    _check_counts("counts_a", a)
    _check_counts("counts_b", b)
    empty_a, empty_b = not np.any(a > 0), not np.any(b > 0)
    if empty_a or empty_b:
        return (0.0 if empty_a and empty_b else 1.0), "empty_distribution"
    return float(js_distance_rows(a[None, :], b[None, :])[0]), None


def js_distance_rows(counts_a: np.ndarray, counts_b: np.ndarray) -> np.ndarray:
    """Row-wise :func:`js_distance` values (no flags) for many pairs of count vectors.

    Parameters
    ----------
    counts_a, counts_b : ndarray, shape (B, A)
        Non-negative finite counts.

    Returns
    -------
    ndarray, shape (B,)
        Distances in [0, 1], with the empty-distribution conventions of :func:`js_distance`.
    """
    a = np.asarray(counts_a, dtype=float)
    b = np.asarray(counts_b, dtype=float)
    empty_a, empty_b = ~np.any(a > 0, axis=1), ~np.any(b > 0, axis=1)
    out = np.where(empty_a & empty_b, 0.0, 1.0)
    full = ~(empty_a | empty_b)
    if np.any(full):
        # Rounding can make the divergence a hair below zero, whose square root is NaN.
        with np.errstate(invalid="ignore"):
            from scipy.spatial.distance import jensenshannon  # lazy, as spearmanr

            d = jensenshannon(a[full], b[full], base=2, axis=1)
        out[full] = np.clip(np.nan_to_num(d, nan=0.0), 0.0, 1.0)
    return out
