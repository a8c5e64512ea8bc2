"""Tests for evomesa.metrics.stats: hand-computed values, degenerate cases, properties."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from evomesa.errors import ConfigError
from evomesa.metrics import (
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


@pytest.fixture(autouse=True)
def _no_warnings():
    # Degenerate input must not leak warnings (scipy's ConstantInputWarning, numpy's
    # divide-by-zero...): turn every warning into a failure.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --------------------------------------------------------------------------------------------
# Ratios
# --------------------------------------------------------------------------------------------

RATIO_CASES = [
    (6.0, 3.0, 2.0, None),
    (-3.0, 2.0, -1.5, None),
    (1.0, 4.0, 0.25, None),
    (0.0, 5.0, 0.0, None),
    (0.0, 0.0, 1.0, "zero_in_both"),
    (5.0, 0.0, 0.0, "zero_denominator"),
    (-5.0, 0.0, 0.0, "zero_denominator"),
    (math.nan, 1.0, 0.0, "non_finite"),
    (1.0, math.inf, 0.0, "non_finite"),
    (1e308, 1e-10, 0.0, "overflow"),
]


@pytest.mark.parametrize(("num", "den", "value", "flag"), RATIO_CASES)
def test_safe_ratio(num, den, value, flag):
    assert safe_ratio(num, den) == (value, flag)


@pytest.mark.parametrize(("num", "den", "value", "flag"), RATIO_CASES)
def test_ratio_array_matches_safe_ratio(num, den, value, flag):
    assert ratio_array(np.array([num]), np.array([den]))[0] == value


def test_safe_ratio_accepts_numpy_scalars_and_returns_python_float():
    value, flag = safe_ratio(np.float32(3.0), np.int64(4))
    assert (value, flag) == (0.75, None)
    assert type(value) is float


def test_safe_ratio_rejects_non_numbers_as_non_finite():
    assert safe_ratio("a", 1.0) == (0.0, "non_finite")
    assert safe_ratio(None, 1.0) == (0.0, "non_finite")


def test_ratio_array_custom_conventions_and_broadcast():
    out = ratio_array(np.array([0.0, 2.0, 3.0]), 0.0, zero_in_both=7.0, zero_denominator=9.0)
    np.testing.assert_array_equal(out, [7.0, 9.0, 9.0])
    np.testing.assert_array_equal(ratio_array([[2.0], [4.0]], [1.0, 2.0]), [[2, 1], [4, 2]])


def test_retention():
    assert retention(4.0, 1.0) == (0.25, None)
    assert retention(2.0, 3.0) == (1.5, None)
    assert retention(0.0, 0.0) == (1.0, "zero_in_both")
    assert retention(0.0, 2.0) == (0.0, "zero_denominator")


def test_yield():
    assert yield_(10.0, 4.0) == (2.5, None)
    assert yield_(0.0, 4.0) == (0.0, None)
    assert yield_(3.0, 0.0) == (0.0, "zero_signal")
    assert yield_(0.0, 0.0) == (0.0, "zero_signal")
    assert yield_(math.nan, 0.0) == (0.0, "non_finite")


def test_yield_drift():
    assert yield_drift(2.0, 0.5) == (0.75, None)
    assert yield_drift(2.0, 3.0) == (-0.5, None)
    assert yield_drift(2.0, 2.0) == (0.0, None)
    assert yield_drift(2.0, 0.0) == (1.0, None)
    assert yield_drift(0.0, 1.0) == (0.0, "zero_train_yield")
    assert yield_drift(0.0, 0.0) == (0.0, "zero_train_yield")
    assert yield_drift(math.inf, 1.0) == (0.0, "non_finite")


# --------------------------------------------------------------------------------------------
# Rank correlation
# --------------------------------------------------------------------------------------------


def test_rank_correlation_hand_values():
    # No ties: d = ranks(x) - ranks(y) = [0, 1, 1, 0]; rho = 1 - 6 * 2 / (4 * 15) = 0.8.
    assert rank_correlation([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx((0.8, None))
    # Ties: ranks(x) = [1, 2.5, 2.5, 4]; Pearson with ranks(y) = [1, 2, 3, 4] gives
    # 4.5 / sqrt(4.5 * 5) = sqrt(0.9).
    rho, flag = rank_correlation([1, 2, 2, 3], [1, 2, 3, 4])
    assert flag is None
    assert rho == pytest.approx(math.sqrt(0.9))
    assert rank_correlation([1, 2, 3], [30, 20, 10]) == pytest.approx((-1.0, None))


def test_rank_correlation_flattens_2d_samples():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[1.0, 3.0], [2.0, 4.0]])
    assert rank_correlation(x, y) == pytest.approx((0.8, None))


def test_rank_correlation_degenerate():
    assert rank_correlation([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) == (0.0, "constant_input")
    assert rank_correlation([1.0, 2.0, 3.0], [5.0, 5.0, 5.0]) == (0.0, "constant_input")
    assert rank_correlation([1.0, 2.0], [1.0, 2.0]) == (0.0, "too_few_samples")
    assert rank_correlation([], []) == (0.0, "too_few_samples")
    assert rank_correlation([1.0, np.nan, 3.0], [1.0, 2.0, 3.0]) == (0.0, "non_finite")


def test_rank_correlation_size_mismatch_raises():
    with pytest.raises(ConfigError, match="y must have as many elements as x"):
        rank_correlation([1, 2, 3], [1, 2])


def test_weighted_rank_correlation_hand_values():
    x = np.array([[1.0], [2.0], [3.0]])
    y = np.array([[1.0], [3.0], [2.0]])
    weights = np.array(
        [
            [1, 1, 1],  # the data itself: rho = 1 - 6 * 2 / (3 * 8) = 0.5
            [2, 1, 0],  # x = [1, 1, 2], y = [1, 1, 3]: same ranks, rho = 1
            [3, 0, 0],  # constant resample: 0
            [0, 1, 1],  # only two samples: 0
        ]
    )
    np.testing.assert_allclose(weighted_rank_correlation(x, y, weights), [0.5, 1.0, 0.0, 0.0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_weighted_rank_correlation_equals_spearman_of_resampled_rows(seed):
    rng = np.random.default_rng(seed)
    n, e = 9, 4
    x = rng.integers(0, 4, (n, e)).astype(float)  # many ties, like counts
    y = x + rng.integers(0, 3, (n, e)) - rng.random((n, e)) * (seed == 2)
    idx = resample_indices(n, rng, 30)
    got = weighted_rank_correlation(x, y, bootstrap_counts(idx, n))
    expected = [rank_correlation(x[i], y[i])[0] for i in idx]
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_weighted_rank_correlation_shape_errors():
    with pytest.raises(ConfigError, match="weights must have shape"):
        weighted_rank_correlation(np.ones((3, 2)), np.ones((3, 2)), np.ones((4, 2)))
    with pytest.raises(ConfigError, match="y must be a 2-D array"):
        weighted_rank_correlation(np.ones((3, 2)), np.ones((3, 3)), np.ones((4, 3)))


# --------------------------------------------------------------------------------------------
# Jensen-Shannon distance
# --------------------------------------------------------------------------------------------


def _js_by_hand(p, q):
    p = np.asarray(p, float) / np.sum(p)
    q = np.asarray(q, float) / np.sum(q)
    m = (p + q) / 2

    def kl(a, b):
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / b[nz])))

    return math.sqrt((kl(p, m) + kl(q, m)) / 2)


def test_js_distance_hand_values():
    # p = [1, 0], q = [.5, .5], m = [.75, .25]: KL(p|m) = log2(4/3), KL(q|m) = (log2(2/3) + 1)/2
    expected = math.sqrt((math.log2(4 / 3) + (math.log2(2 / 3) + 1) / 2) / 2)
    assert expected == pytest.approx(0.557923, abs=1e-6)
    assert js_distance([1, 0], [1, 1]) == pytest.approx((expected, None))
    assert js_distance([3, 1], [1, 1]) == pytest.approx((_js_by_hand([3, 1], [1, 1]), None))
    assert js_distance([1, 2, 3], [1, 2, 3]) == (0.0, None)
    assert js_distance([1, 2], [2, 4]) == pytest.approx((0.0, None), abs=1e-12)
    assert js_distance([5, 0], [0, 7]) == pytest.approx((1.0, None))


def test_js_distance_empty_distributions():
    assert js_distance([0, 0], [0, 0]) == (0.0, "empty_distribution")
    assert js_distance([0, 0], [1, 0]) == (1.0, "empty_distribution")
    assert js_distance([2, 1], [0, 0]) == (1.0, "empty_distribution")


def test_js_distance_bad_input():
    with pytest.raises(ConfigError, match="counts_a must be non-negative"):
        js_distance([-1, 2], [1, 1])
    with pytest.raises(ConfigError, match="counts_b must be a 1-D array"):
        js_distance([1, 2], [1, 2, 3])
    assert js_distance([np.nan, 1], [1, 1]) == (0.0, "non_finite")


def test_js_distance_rows_matches_scalar():
    a = np.array([[1, 0], [3, 1], [0, 0], [0, 0], [2, 2]])
    b = np.array([[1, 1], [1, 1], [0, 0], [4, 1], [0, 0]])
    expected = [js_distance(ra, rb)[0] for ra, rb in zip(a, b, strict=True)]
    np.testing.assert_allclose(js_distance_rows(a, b), expected)


counts = arrays(np.int64, st.integers(1, 6), elements=st.integers(0, 1000))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_js_distance_properties(data):
    a = data.draw(counts)
    b = data.draw(arrays(np.int64, a.shape, elements=st.integers(0, 1000)))
    d, _ = js_distance(a, b)
    assert 0.0 <= d <= 1.0
    assert d == pytest.approx(js_distance(b, a)[0], abs=1e-12)
    assert js_distance(a, a)[0] == pytest.approx(0.0, abs=1e-6)


# --------------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------------


def test_bootstrap_counts_hand_values():
    counts = bootstrap_counts(np.array([[0, 0, 2], [1, 2, 2]]), 3)
    np.testing.assert_array_equal(counts, [[2, 0, 1], [0, 1, 2]])


def test_resample_indices_shape_range_and_determinism():
    idx = resample_indices(5, np.random.default_rng(3), 40)
    assert idx.shape == (40, 5)
    assert idx.min() >= 0 and idx.max() <= 4
    np.testing.assert_array_equal(idx, resample_indices(5, np.random.default_rng(3), 40))
    with pytest.raises(ConfigError, match="rng must be a numpy.random.Generator"):
        resample_indices(5, np.random.RandomState(0), 40)  # noqa: NPY002 - checks rejection


def test_percentile_interval():
    assert percentile_interval(50.0, np.arange(101.0), 0.9) == pytest.approx((5.0, 95.0))
    reps = np.array([np.nan, np.inf, 1.0, 2.0, 3.0, -np.inf])
    assert percentile_interval(2.0, reps, 1.0) == (1.0, 3.0)
    assert percentile_interval(2.5, np.array([np.nan, np.nan]), 0.95) == (2.5, 2.5)
    assert percentile_interval(2.5, np.array([]), 0.95) == (2.5, 2.5)
    with pytest.raises(ConfigError, match=r"level must be a number in \[0.0, 1.0\]; got 1.5"):
        percentile_interval(0.0, np.zeros(3), 1.5)


def test_bootstrap_ci_matches_counts_path():
    # The generic per-resample path and the vectorised weights path agree exactly.
    x = np.arange(12.0) ** 2
    lo_hi = bootstrap_ci(np.mean, [x], np.random.default_rng(7), n_boot=200)
    w = bootstrap_counts(resample_indices(12, np.random.default_rng(7), 200), 12)
    assert lo_hi == pytest.approx(percentile_interval(x.mean(), w @ x / 12))
    assert lo_hi[0] < x.mean() < lo_hi[1]


def test_bootstrap_ci_is_paired():
    # Deploy is exactly twice train for every individual: paired resampling keeps that, so
    # every replicate of the ratio is exactly 2 (unpaired resampling would scatter it).
    train = np.random.default_rng(0).random((30, 4))
    deploy = 2.0 * train
    ci = bootstrap_ci(lambda t, d: d.sum() / t.sum(), (train, deploy), np.random.default_rng(1))
    assert ci == (2.0, 2.0)


def test_bootstrap_ci_degenerate():
    assert bootstrap_ci(np.mean, [np.full(5, 3.0)], np.random.default_rng(0)) == (3.0, 3.0)
    assert bootstrap_ci(np.mean, [np.array([4.0])], np.random.default_rng(0)) == (4.0, 4.0)
    # A statistic that is never finite gives a defined interval, not NaN.
    ci = bootstrap_ci(lambda a: math.nan, [np.ones(4)], np.random.default_rng(0), n_boot=10)
    assert ci == (0.0, 0.0)
    # Non-finite replicates are dropped: this statistic is NaN whenever row 0 is drawn.
    rows = np.arange(6.0)
    ci = bootstrap_ci(
        lambda a: math.nan if 0.0 in a else a.mean(), [rows], np.random.default_rng(0)
    )
    assert all(math.isfinite(v) for v in ci)


def test_bootstrap_ci_validation():
    rng = np.random.default_rng(0)
    with pytest.raises(ConfigError, match=r"n_boot must be an integer in \[10, 100000\]; got 3"):
        bootstrap_ci(np.mean, [np.ones(3)], rng, n_boot=3)
    with pytest.raises(ConfigError, match=r"arrays\[1\] must have 3 rows"):
        bootstrap_ci(np.mean, [np.ones(3), np.ones(4)], rng)
    with pytest.raises(ConfigError, match="arrays must be a non-empty sequence"):
        bootstrap_ci(np.mean, [], rng)
    with pytest.raises(ConfigError, match="rng must be a numpy.random.Generator"):
        bootstrap_ci(np.mean, [np.ones(3)], 0)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(0, 1e6)), st.integers(0, 99))
def test_bootstrap_ci_always_finite_and_ordered(x, seed):
    lo, hi = bootstrap_ci(np.mean, [x], np.random.default_rng(seed), n_boot=50)
    assert math.isfinite(lo) and math.isfinite(hi)
    assert lo <= hi
