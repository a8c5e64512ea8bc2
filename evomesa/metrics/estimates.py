"""Input validation and point estimates with bootstrap replicates for the drift metrics.

The first half checks the arguments of :func:`evomesa.metrics.drift.compute_drift` and turns
each regime's rollout dict into a :class:`Regime` of float arrays. The second half computes the
figures defined in :mod:`evomesa.metrics.drift`: every estimate comes as a point value on the
full data together with its bootstrap replicates, one per resample, from which the interval is
taken. Resamples are given as a ``(B, n)`` matrix ``w`` of how often each row was drawn (see
:func:`evomesa.metrics.stats.bootstrap_counts`), shared by every statistic.

Invalid input raises :class:`~evomesa.errors.ConfigError`; degenerate data gives defined values
and ``"field:reason"`` flags, as :mod:`evomesa.metrics.stats` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from evomesa.errors import ConfigError, shown
from evomesa.metrics.report import CI_LEVEL, DRIVE_VALUE_FIELDS, DriveDrift
from evomesa.metrics.stats import (
    percentile_interval,
    rank_correlation,
    ratio_array,
    retention,
    weighted_rank_correlation,
    yield_,
    yield_drift,
)

__all__ = [
    "Regime",
    "add_flag",
    "check_names",
    "check_str",
    "drive_drift",
    "mesa_utility",
    "parse_regime",
    "planner_rows",
    "require_finite",
    "resampled_mean",
    "retention_reps",
]

_REGIME_KEYS = ("fitness", "signals", "actions", "utility", "performance", "observations")

# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def check_str(name: str, value: Any) -> str:
    """Return ``value`` if it is a non-empty string, else raise ConfigError."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{name} must be a non-empty string; got {shown(value)}")
    return value


def check_names(name: str, value: Any) -> tuple[str, ...]:
    """Return ``value`` as a tuple if it is a tuple or list of distinct non-empty strings."""
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise ConfigError(f"{name} must be a tuple of drive names; got {shown(value)}")
    if not all(isinstance(v, str) and v for v in value) or len(set(value)) != len(value):
        raise ConfigError(f"{name} must hold distinct non-empty strings; got {shown(value)}")
    return tuple(value)


def _array(name: str, value: Any, shape: tuple[int | None, ...], what: str) -> np.ndarray:
    """``value`` as a float array of ``shape`` (None: any size >= 1); finiteness not checked."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a numeric array {what}; got {shown(value)}") from None
    ok = arr.ndim == len(shape) and all(
        (s is None and a >= 1) or a == s for a, s in zip(arr.shape, shape, strict=False)
    )
    if not ok:
        raise ConfigError(f"{name} must be an array {what}; got shape {arr.shape}")
    return arr


def require_finite(name: str, arr: np.ndarray) -> None:
    """Raise ConfigError if ``arr`` holds a NaN or an infinity."""
    if not np.all(np.isfinite(arr)):
        raise ConfigError(f"{name} must hold finite values; got {int(np.sum(~np.isfinite(arr)))}")


@dataclass(frozen=True)
class Regime:
    """One regime's validated rollouts: ``n`` individuals, ``E`` episodes, ``D`` drives.

    Attributes
    ----------
    fitness : ndarray, shape (n, E)
    signals : ndarray, shape (n, E, D)
    actions : ndarray, shape (n, E, A)
        Non-negative counts.
    utility : ndarray, shape (n, E), or None
        Only shape-checked: rows that are not planners may hold anything.
    performance : ndarray, shape (n, E)
        What the designer wants; the fitness when not given.
    observations : ndarray, shape (n, E, K), or None
        How often reflexes decided on each of K observations (non-negative counts).
    """

    fitness: np.ndarray
    signals: np.ndarray
    actions: np.ndarray
    utility: np.ndarray | None
    performance: np.ndarray
    observations: np.ndarray | None = None


def parse_regime(arg: str, d: Any, n_drives: int, like: Regime | None) -> Regime:
    """Validate one regime's rollout dict; ``like`` is the train regime when checking deploy.

    Parameters
    ----------
    arg : str
        Argument name for error messages (``"train"`` or ``"deploy"``).
    d : dict
        Rollouts with keys ``fitness``, ``signals``, ``actions`` and optionally ``utility``,
        ``performance`` and ``observations``.
    n_drives : int
        Length of the last axis of ``signals``.
    like : Regime or None
        If given, ``n``, ``E`` and the number of actions must match it.

    Returns
    -------
    Regime

    Notes
    -----
    Utility is only shape-checked here: which of its rows must be finite depends on the
    planner mask.
    """
    if not isinstance(d, Mapping):
        raise ConfigError(f"{arg} must be a dict with keys {list(_REGIME_KEYS)}; got {shown(d)}")
    unknown = sorted(set(d) - set(_REGIME_KEYS))
    missing = [k for k in _REGIME_KEYS[:3] if k not in d]
    if unknown or missing:
        raise ConfigError(
            f"{arg} must have keys {list(_REGIME_KEYS[:3])} and optionally "
            f"{list(_REGIME_KEYS[3:])}; got keys {sorted(d)}"
        )
    n, e = (None, None) if like is None else like.fitness.shape
    n_act = None if like is None else like.actions.shape[2]
    same = "" if like is None else " matching train"
    fitness = _array(f"{arg}['fitness']", d["fitness"], (n, e), f"of shape (n, E){same}")
    n, e = fitness.shape
    signals = _array(
        f"{arg}['signals']", d["signals"], (n, e, n_drives), f"of shape ({n}, {e}, {n_drives})"
    )
    actions = _array(
        f"{arg}['actions']", d["actions"], (n, e, n_act), f"of shape ({n}, {e}, A){same}"
    )
    for key, arr in (("fitness", fitness), ("signals", signals), ("actions", actions)):
        require_finite(f"{arg}['{key}']", arr)
    if np.any(actions < 0):
        raise ConfigError(f"{arg}['actions'] must be non-negative counts; got {actions.min()}")
    utility = d.get("utility")
    if utility is not None:
        utility = _array(f"{arg}['utility']", utility, (n, e), f"of shape ({n}, {e}) or None")
    performance = fitness
    if d.get("performance") is not None:
        performance = _array(
            f"{arg}['performance']", d["performance"], (n, e), f"of shape ({n}, {e}) or None"
        )
        require_finite(f"{arg}['performance']", performance)
    observations = d.get("observations")
    if observations is not None:
        n_obs = None if like is None or like.observations is None else like.observations.shape[2]
        observations = _array(
            f"{arg}['observations']",
            observations,
            (n, e, n_obs),
            f"of shape ({n}, {e}, K){same} or None",
        )
        require_finite(f"{arg}['observations']", observations)
        if np.any(observations < 0):
            raise ConfigError(f"{arg}['observations'] must be non-negative counts; got negatives")
    return Regime(fitness, signals, actions, utility, performance, observations)


def novel_decisions(train: Regime, deploy: Regime) -> tuple[np.ndarray, np.ndarray]:
    """Per individual: deploy decisions taken on observations it never met in the train
    rollouts, and all its deploy decisions. Both (n,) float64 (reflex rows only count)."""
    seen = train.observations.sum(axis=1) > 0  # (n, K)
    taken = deploy.observations.sum(axis=1)  # (n, K)
    return (taken * ~seen).sum(axis=1).astype(float), taken.sum(axis=1).astype(float)


def planner_rows(planner_mask: Any, n: int) -> np.ndarray | None:
    """Validate ``planner_mask``: None, or a boolean array of shape ``(n,)``."""
    if planner_mask is None:
        return None
    mask = np.asarray(planner_mask)
    if mask.dtype != bool or mask.shape != (n,):
        raise ConfigError(
            f"planner_mask must be a boolean array of shape ({n},) or None; "
            f"got {mask.dtype} array of shape {mask.shape}"
        )
    return mask


# --------------------------------------------------------------------------------------------
# Estimates with bootstrap replicates
# --------------------------------------------------------------------------------------------


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
    """Replicates of ``deploy / train`` retention; NaN where either replicate is NaN."""
    return _keep_undefined(ratio_array(deploy, train), train, deploy)


def add_flag(flags: list[str], field: str, flag: str | None) -> None:
    """Append ``"field:flag"`` to ``flags`` unless ``flag`` is None."""
    if flag is not None:
        flags.append(f"{field}:{flag}")


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
        Point estimates, keyed by :data:`evomesa.metrics.report.UTILITY_KEYS`.
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
