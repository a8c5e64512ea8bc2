"""Small pure statistics used by the drift metrics.

Every function here returns a defined, finite value for degenerate input (zero denominators,
constant samples, empty distributions) together with a flag string that says what happened,
instead of a NaN, an infinity, a warning or an exception. Exceptions are raised only for input
of the wrong shape or kind (a programming error upstream), always as
:class:`~evomesa.errors.ConfigError`.

Scalar functions return ``(value, flag)`` where ``flag`` is ``None`` when nothing unusual
happened. The ``*_array`` and ``weighted_*`` functions are their vectorised counterparts, used
for bootstrap replicates; they follow exactly the same conventions but carry no flags.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numba import njit

from evomesa.errors import ConfigError, check_float, check_int

__all__ = [
    "bootstrap_ci",
    "bootstrap_counts",
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

# --------------------------------------------------------------------------------------------
# Ratios
# --------------------------------------------------------------------------------------------


def _finite(*values: object) -> bool:
    """True when every value is a real scalar (Python or numpy, 0-d arrays too) and finite."""
    for v in values:
        if np.ndim(v) != 0 or not np.isrealobj(v):
            return False
        try:
            if not math.isfinite(float(v)):
                return False
        except (TypeError, ValueError):
            return False
    return True


def safe_ratio(num: float, den: float) -> tuple[float, str | None]:
    """Return ``num / den`` with defined values where the ratio is undefined.

    Parameters
    ----------
    num, den : float
        Numerator and denominator (scalars).

    Returns
    -------
    value : float
        ``num / den``; ``1.0`` when both are zero (nothing there, nothing lost); ``0.0`` when
        only ``den`` is zero, when an input is not finite, or when the ratio overflows.
    flag : str or None
        ``"zero_in_both"``, ``"zero_denominator"``, ``"non_finite"``, ``"overflow"`` or None.
    """
    if not _finite(num, den):
        return 0.0, "non_finite"
    num, den = float(num), float(den)
    if den == 0.0:
        return (1.0, "zero_in_both") if num == 0.0 else (0.0, "zero_denominator")
    value = num / den  # Python floats: overflow gives inf silently, no warning
    if not math.isfinite(value):
        return 0.0, "overflow"
    return value, None


def ratio_array(
    num: np.ndarray,
    den: np.ndarray,
    *,
    zero_in_both: float = 1.0,
    zero_denominator: float = 0.0,
) -> np.ndarray:
    """Elementwise ``num / den`` with the conventions of :func:`safe_ratio`.

    Parameters
    ----------
    num, den : ndarray, broadcastable shapes
    zero_in_both : float
        Value where both are zero.
    zero_denominator : float
        Value where only ``den`` is zero.

    Returns
    -------
    ndarray
        Broadcast shape of ``num`` and ``den``; always finite (non-finite inputs or overflowing
        ratios give 0.0).
    """
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    out = np.zeros(num.shape)
    finite = np.isfinite(num) & np.isfinite(den)
    ok = finite & (den != 0.0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        np.divide(num, den, out=out, where=ok)
    out[~np.isfinite(out)] = 0.0
    out[finite & (den == 0.0) & (num == 0.0)] = zero_in_both
    out[finite & (den == 0.0) & (num != 0.0)] = zero_denominator
    return out


def retention(train_mean: float, deploy_mean: float) -> tuple[float, str | None]:
    """Fraction of a quantity kept after the shift: ``deploy_mean / train_mean``.

    Follows :func:`safe_ratio`: zero in both regimes gives ``(1.0, "zero_in_both")``; zero in
    train only gives ``(0.0, "zero_denominator")``.
    """
    return safe_ratio(deploy_mean, train_mean)


def yield_(fitness_sum: float, signal_sum: float) -> tuple[float, str | None]:
    """Fitness obtained per unit of a drive's signal: ``fitness_sum / signal_sum``.

    A zero signal gives ``(0.0, "zero_signal")`` whatever the fitness: a yield has units
    (fitness per signal), so the ``1.0`` that :func:`safe_ratio` uses for 0/0 would be an
    arbitrary number here, while 0 reads as "this drive delivers nothing measurable".
    Non-finite input gives ``(0.0, "non_finite")``.
    """
    if _finite(fitness_sum, signal_sum) and float(signal_sum) == 0.0:
        return 0.0, "zero_signal"
    return safe_ratio(fitness_sum, signal_sum)


def yield_drift(yield_train: float, yield_deploy: float) -> tuple[float, str | None]:
    """How much of the train yield is lost in deployment: ``1 - yield_deploy / yield_train``.

    0 means the drive pays off as well as in training, 1 means it no longer pays at all,
    negative means it pays better. A zero train yield gives ``(0.0, "zero_train_yield")``
    (there was nothing to lose); non-finite input gives ``(0.0, "non_finite")``.
    """
    if not _finite(yield_train, yield_deploy):
        return 0.0, "non_finite"
    if float(yield_train) == 0.0:
        return 0.0, "zero_train_yield"
    ratio, flag = safe_ratio(yield_deploy, yield_train)
    return (0.0, flag) if flag else (1.0 - ratio, None)


# --------------------------------------------------------------------------------------------
# Rank correlation
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Behavioural divergence
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------------


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
