"""Point estimates with bootstrap replicates for the drift metrics.

Computes the figures defined in :mod:`evomesa.metrics.drift` from validated regimes
(:class:`evomesa.metrics.inputs.Regime`): every estimate comes as a point value on the full
data together with its bootstrap replicates, one per resample, from which the interval is
taken. Resamples are given as a ``(B, n)`` matrix ``w`` of how often each row was drawn (see
:func:`evomesa.metrics.bootstrap.bootstrap_counts`), shared by every statistic.

Degenerate data gives defined values and ``"field:reason"`` flags, as
:mod:`evomesa.metrics.stats` does.
"""

from __future__ import annotations

import numpy as np

from evomesa.metrics.bootstrap import percentile_interval
from evomesa.metrics.inputs import Regime
from evomesa.metrics.ranks import rank_correlation, weighted_rank_correlation
from evomesa.metrics.report import DriveDrift
from evomesa.metrics.report_fields import CI_LEVEL, DRIVE_VALUE_FIELDS
from evomesa.metrics.stats import ratio_array, retention, retention_array, yield_, yield_drift

__all__ = [
    "add_flag",
    "drive_drift",
    "levels",
    "mesa_utility",
    "novel_decisions",
    "resampled_mean",
    "retention_reps",
]


def novel_decisions(
    train: Regime, deploy: Regime, novel_inputs: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Per individual: deploy decisions taken on inputs it never met in the train rollouts,
    and all its deploy decisions, both (n,) float64 (rows that decide as reflexes only count:
    no other row records any); None without a record of either kind.

    A table's (``observations``): decisions on entries its train rollouts never visited. A
    network's (checked ``novel_inputs``, (novel, decisions) per individual and episode, as
    its recording deploy rollout counted them against its training support): their totals.
    """
    if novel_inputs is not None:
        novel, decided = novel_inputs
        return novel.sum(axis=1), decided.sum(axis=1)
    if train.observations is None:
        return None
    seen = train.observations.sum(axis=1) > 0  # (n, K)
    taken = deploy.observations.sum(axis=1)  # (n, K)
    return (taken * ~seen).sum(axis=1).astype(float), taken.sum(axis=1).astype(float)


def resampled_mean(weights: np.ndarray, row_values: np.ndarray) -> np.ndarray:
    """Mean over resampled rows: (B, n) weights and (n,) per-row means -> (B,).

    NaN for a resample that drew none of the rows (possible for a planner subset): it is
    undefined there and gets dropped from the interval.
    """
    total = weights.sum(axis=1)
    out = np.full(weights.shape[0], np.nan)
    np.divide(weights @ row_values, total, out=out, where=total > 0)
    return out


def _keep_undefined(values: np.ndarray, *parts: np.ndarray) -> np.ndarray:
    """Mark replicates whose inputs were undefined (NaN) as NaN again after a safe ratio."""
    bad = np.zeros(values.shape, dtype=bool)
    for p in parts:
        bad |= np.isnan(p)
    return np.where(bad, np.nan, values)


def retention_reps(train: np.ndarray, deploy: np.ndarray) -> np.ndarray:
    """Replicates of the retention (:func:`~evomesa.metrics.stats.retention`, any sign); NaN
    where either replicate is NaN."""
    return _keep_undefined(retention_array(train, deploy), train, deploy)


def add_flag(flags: list[str], field: str, flag: str | None) -> None:
    """Append ``"field:flag"`` to ``flags`` unless ``flag`` is None."""
    if flag is not None:
        flags.append(f"{field}:{flag}")


def levels(
    key: str, train: np.ndarray, deploy: np.ndarray, w: np.ndarray
) -> tuple[dict[str, float], dict[str, np.ndarray], str | None]:
    """The level of one (n, E) quantity in each regime and its retention, with replicates.

    Returns
    -------
    values : dict of str to float
        ``KEY_train``, ``KEY_deploy`` and ``KEY_retention`` (``key`` is, say, ``"fitness"``).
    replicates : dict of str to ndarray, shape (B,)
        The same keys.
    flag : str or None
        The retention's flag (see :func:`evomesa.metrics.stats.retention`).
    """
    tr_key, de_key, ret_key = f"{key}_train", f"{key}_deploy", f"{key}_retention"
    vals = {tr_key: float(train.mean()), de_key: float(deploy.mean())}
    vals[ret_key], flag = retention(vals[tr_key], vals[de_key])
    reps = {
        tr_key: resampled_mean(w, train.mean(axis=1)),
        de_key: resampled_mean(w, deploy.mean(axis=1)),
    }
    reps[ret_key] = retention_reps(reps[tr_key], reps[de_key])
    return vals, reps, flag


def drive_drift(
    name: str,
    d: int,
    tr: Regime,
    de: Regime,
    w: np.ndarray,
) -> DriveDrift:
    """Point estimates, flags and bootstrap intervals for one drive.

    Parameters
    ----------
    name : str
        Drive name recorded in the result.
    d : int
        Index of the drive on the last axis of the signals.
    tr, de : Regime
        Train and deploy rollouts.
    w : ndarray, shape (B, n)
        Bootstrap resample counts.

    Returns
    -------
    DriveDrift
    """
    flags: list[str] = []
    vals: dict[str, float] = {}
    reps: dict[str, np.ndarray] = {}
    sig_tr, sig_de = tr.signals[..., d], de.signals[..., d]

    vals["signal_train"] = float(sig_tr.mean())
    vals["signal_deploy"] = float(sig_de.mean())
    vals["signal_retention"], f = retention(vals["signal_train"], vals["signal_deploy"])
    add_flag(flags, "signal_retention", f)
    reps["signal_train"] = resampled_mean(w, sig_tr.mean(axis=1))
    reps["signal_deploy"] = resampled_mean(w, sig_de.mean(axis=1))
    reps["signal_retention"] = retention_reps(reps["signal_train"], reps["signal_deploy"])

    for key, reg, sig in (("yield_train", tr, sig_tr), ("yield_deploy", de, sig_de)):
        vals[key], f = yield_(float(reg.fitness.sum()), float(sig.sum()))
        add_flag(flags, key, f)
        reps[key] = ratio_array(w @ reg.fitness.sum(axis=1), w @ sig.sum(axis=1), zero_in_both=0.0)
    vals["yield_drift"], f = yield_drift(vals["yield_train"], vals["yield_deploy"])
    add_flag(flags, "yield_drift", f)
    yt, yd = reps["yield_train"], reps["yield_deploy"]
    reps["yield_drift"] = np.where(yt == 0.0, 0.0, 1.0 - ratio_array(yd, yt))

    for key, reg, sig in (("rank_corr_train", tr, sig_tr), ("rank_corr_deploy", de, sig_de)):
        vals[key], f = rank_correlation(sig, reg.fitness)
        add_flag(flags, key, f)
        reps[key] = weighted_rank_correlation(sig, reg.fitness, w)
    vals["rank_corr_change"] = vals["rank_corr_deploy"] - vals["rank_corr_train"]
    reps["rank_corr_change"] = reps["rank_corr_deploy"] - reps["rank_corr_train"]

    ci = {k: percentile_interval(vals[k], reps[k], CI_LEVEL) for k in DRIVE_VALUE_FIELDS}
    return DriveDrift(name=name, **vals, ci=ci, flags=tuple(flags))


def mesa_utility(
    u_tr: np.ndarray,
    u_de: np.ndarray,
    f_tr: np.ndarray,
    f_de: np.ndarray,
    w: np.ndarray,
    flags: list[str],
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Mesa-utility figures and replicates; all arguments restricted to planner rows.

    Parameters
    ----------
    u_tr, u_de : ndarray, shape (p, E)
        Realised utility of the ``p`` planner rows in the train and deploy regimes.
    f_tr, f_de : ndarray, shape (p, E)
        Fitness of the same rows.
    w : ndarray, shape (B, p)
        Bootstrap resample counts of the planner rows.
    flags : list of str
        Report flags; degenerate cases are appended as ``"mesa_utility.field:reason"``.

    Returns
    -------
    values : dict of str to float
        Point estimates, keyed by :data:`evomesa.metrics.report_fields.UTILITY_KEYS`.
    replicates : dict of str to ndarray, shape (B,)
        Bootstrap replicates of each value; NaN where a resample drew no planner row.
    """
    vals = {"utility_train": float(u_tr.mean()), "utility_deploy": float(u_de.mean())}
    vals["utility_retention"], f = retention(vals["utility_train"], vals["utility_deploy"])
    add_flag(flags, "mesa_utility.utility_retention", f)
    if min(vals["utility_train"], vals["utility_deploy"]) < 0:
        flags.append("mesa_utility.utility_retention:negative_utility")
    reps = {
        "utility_train": resampled_mean(w, u_tr.mean(axis=1)),
        "utility_deploy": resampled_mean(w, u_de.mean(axis=1)),
    }
    reps["utility_retention"] = retention_reps(reps["utility_train"], reps["utility_deploy"])
    for key, u, fit in (
        ("utility_fitness_corr_train", u_tr, f_tr),
        ("utility_fitness_corr_deploy", u_de, f_de),
    ):
        vals[key], f = rank_correlation(u, fit)
        add_flag(flags, f"mesa_utility.{key}", f)
        # A resample that drew no planner row has no correlation at all: drop it.
        reps[key] = np.where(w.sum(axis=1) > 0, weighted_rank_correlation(u, fit, w), np.nan)
    return vals, reps
