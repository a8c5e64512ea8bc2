"""Ratios, retention and yield: the small pure statistics the drift metrics are made of.

Every function here returns a defined, finite value for degenerate input (zero denominators,
constant samples, empty distributions) together with a flag string that says what happened,
instead of a NaN, an infinity, a warning or an exception. Exceptions are raised only for input
of the wrong shape or kind (a programming error upstream), always as
:class:`~evomesa.errors.ConfigError`.

Scalar functions return ``(value, flag)`` where ``flag`` is ``None`` when nothing unusual
happened. The ``*_array`` and ``weighted_*`` functions are their vectorised counterparts, used
for bootstrap replicates; they follow exactly the same conventions but carry no flags.

The other statistics follow the same conventions, each in a module of its own:
:mod:`evomesa.metrics.ranks` (rank correlation), :mod:`evomesa.metrics.divergence`
(Jensen-Shannon distance) and :mod:`evomesa.metrics.bootstrap` (resamples and intervals).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "ratio_array",
    "retention",
    "retention_array",
    "safe_ratio",
    "yield_",
    "yield_drift",
]


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
    """Share of a quantity kept after the shift, for either sign.

    ``1 + (deploy - train) / |train|``.

    This is ``deploy / train`` whenever ``train > 0`` (and computed so, to the last bit), and
    ``2 - deploy / train`` when ``train < 0``: on either side of zero, 1 means nothing changed,
    below 1 a loss of that share of the training level's size, above 1 a gain. (A plain ratio
    would read a fall from -25 to -40 as a retention of 1.6, and a rise from -32 to +33 as -1.)

    Returns
    -------
    value : float
        The retention; ``1.0`` when both are zero (nothing there, nothing lost), ``0.0`` when
        only ``train`` is zero, when an input is not finite, or when the ratio overflows.
    flag : str or None
        Degenerate cases as :func:`safe_ratio` names them (``"zero_in_both"``,
        ``"zero_denominator"``, ``"non_finite"``, ``"overflow"``); otherwise ``"sign_change"``
        when train and deploy have opposite signs, ``"negative_train"`` when the training level
        is below zero (the signed scale is in use), else None.
    """
    value, flag = safe_ratio(deploy_mean, train_mean)
    if flag is not None:
        return value, flag
    train, deploy = float(train_mean), float(deploy_mean)
    if train < 0.0:
        value = 2.0 - value
    if train * deploy < 0.0:
        return value, "sign_change"
    return value, "negative_train" if train < 0.0 else None


def retention_array(train: np.ndarray, deploy: np.ndarray) -> np.ndarray:
    """Elementwise :func:`retention` (no flags), with the conventions of :func:`ratio_array`."""
    train = np.asarray(train, dtype=float)
    ratio = ratio_array(deploy, train)
    return np.where(train < 0.0, 2.0 - ratio, ratio)


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
