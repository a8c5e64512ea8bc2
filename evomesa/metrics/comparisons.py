"""Comparisons with other populations: regret against the deploy-adapted reference, and the
unevolved baseline (the null) a population must beat.

Both are other populations than the one measured, so their individuals are resampled on
their own, independently of the measured population's rows (each from the same generator, in
a fixed order: the reference, then the baseline's fitness, then the baseline's signals).
The definitions are in :mod:`evomesa.metrics.drift` (regret) and
:mod:`evomesa.metrics.verdict` (what the baseline decides).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from evomesa.errors import ConfigError
from evomesa.metrics.bootstrap import bootstrap_counts, percentile_interval, resample_indices
from evomesa.metrics.estimates import resampled_mean, retention_reps
from evomesa.metrics.inputs import require_finite
from evomesa.metrics.report_fields import CI_LEVEL
from evomesa.metrics.stats import retention

__all__ = [
    "Null",
    "Regret",
    "against_null",
    "against_reference",
    "best_alternative",
    "beyond_other",
    "check_alternatives",
    "check_null",
    "check_reference",
    "effect_size",
]


@dataclass(frozen=True)
class Regret:
    """Regret against the reference: its mean deploy fitness, the regret, their intervals
    (``ci``: ``reference_fitness`` and ``regret``), flags, the (B,) replicates of the
    reference's mean, and, when the reference's signals were given, its mean deploy signal
    per drive and the drives the population collects more of (``beyond``, in drive order)."""

    reference_fitness: float
    regret: float
    ci: dict[str, tuple[float, float]]
    flags: tuple[str, ...]
    reps: np.ndarray
    signal_deploy: dict[str, float] | None = None
    beyond: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Null:
    """The measured population beside the unevolved baseline.

    Attributes
    ----------
    not_evolved : bool
        The population was no fitter in training than the baseline (the lower end of the
        95 % interval of the difference is not above 0).
    above : tuple of str
        Drives whose deploy signal the population exceeds the baseline's on, in drive order.
    summary : dict
        What the report records: ``fitness_train``, ``signal_deploy`` per drive,
        ``above_null_in_deploy`` and, when given, ``fitness_deploy``.
    train_reps, deploy_reps : ndarray, shape (B,)
        Replicates of the baseline's mean fitness in training and (NaN-free only when its
        deploy fitness was given) in deployment.
    """

    not_evolved: bool
    above: tuple[str, ...]
    summary: dict[str, Any]
    train_reps: np.ndarray
    deploy_reps: np.ndarray | None = None


def independent_reps(rows: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """(B,) bootstrap replicates of the mean of another population's (m,) per-row values,
    resampled independently of the measured population's rows."""
    m = rows.shape[0]
    return resampled_mean(bootstrap_counts(resample_indices(m, rng, n_boot), m), rows)


def beyond_other(
    pop_rows: np.ndarray,
    w: np.ndarray,
    other_rows: np.ndarray,
    w_other: np.ndarray,
    drives: tuple[str, ...],
) -> tuple[str, ...]:
    """Drives whose mean signal the population's (n, D) per-row values exceed another
    population's (m, D) on: the lower end of the 95 % interval of the difference (each
    resampled with its own (B, n) and (B, m) counts) is above 0."""
    above = []
    for d, name in enumerate(drives):
        diff = float(pop_rows[:, d].mean() - other_rows[:, d].mean())
        diff_reps = resampled_mean(w, pop_rows[:, d]) - resampled_mean(w_other, other_rows[:, d])
        if percentile_interval(diff, diff_reps, CI_LEVEL)[0] > 0.0:
            above.append(name)
    return tuple(above)


def against_reference(
    ref_fitness: np.ndarray,
    fitness_deploy: float,
    fitness_deploy_reps: np.ndarray,
    rng: np.random.Generator,
    n_boot: int,
    ref_signals: np.ndarray | None = None,
    deploy_signals: np.ndarray | None = None,
    w: np.ndarray | None = None,
    drives: tuple[str, ...] = (),
) -> Regret:
    """Regret of a population with mean deploy fitness ``fitness_deploy`` (and its bootstrap
    replicates) against the reference's (m, E') deploy fitness; with the reference's
    (m, E', D) ``ref_signals``, also the drives the population's (n, E, D)
    ``deploy_signals`` (resampled with its (B, n) counts ``w``) exceed it on."""
    ref_mean = float(ref_fitness.mean())
    m = ref_fitness.shape[0]
    # the reference is another population: resample its individuals on their own
    w_ref = bootstrap_counts(resample_indices(m, rng, n_boot), m)
    ref_reps = resampled_mean(w_ref, ref_fitness.mean(axis=1))
    ci = {"reference_fitness": percentile_interval(ref_mean, ref_reps, CI_LEVEL)}
    signal_deploy = beyond = None
    if ref_signals is not None and deploy_signals is not None and w is not None:
        ref_rows = ref_signals.mean(axis=1)  # (m, D)
        signal_deploy = {name: float(ref_rows[:, d].mean()) for d, name in enumerate(drives)}
        beyond = beyond_other(deploy_signals.mean(axis=1), w, ref_rows, w_ref, drives)
    if ref_mean == 0.0:
        # nothing was reachable, so nothing to regret (in every resample alike)
        ci["regret"] = (0.0, 0.0)
        return Regret(
            ref_mean, 0.0, ci, ("regret:zero_reference",), ref_reps, signal_deploy, beyond
        )
    value, flag = retention(ref_mean, fitness_deploy)
    value = 1.0 - value  # (R - D) / |R|: 1 - D / R for a positive reference
    regret_reps = 1.0 - retention_reps(ref_reps, fitness_deploy_reps)
    ci["regret"] = percentile_interval(value, regret_reps, CI_LEVEL)
    flags = []
    if ref_mean < 0.0:
        flags.append("regret:negative_reference")
    elif flag == "sign_change":
        flags.append("regret:sign_change")
    # a reference below the population it should bound: likely not converged
    if value < 0.0:
        flags.append("regret:reference_below_population")
    return Regret(ref_mean, value, ci, tuple(flags), ref_reps, signal_deploy, beyond)


def against_null(
    null_fit: np.ndarray,
    null_signals: np.ndarray,
    fitness_train: float,
    fitness_train_reps: np.ndarray,
    deploy_signals: np.ndarray,
    w: np.ndarray,
    drives: tuple[str, ...],
    rng: np.random.Generator,
    n_boot: int,
    null_fit_deploy: np.ndarray | None = None,
) -> Null:
    """The population beside the unevolved baseline.

    Parameters
    ----------
    null_fit, null_signals : ndarray, shapes (m, E') and (m, E', D)
        The baseline's train fitness and deploy signals.
    fitness_train : float
        The population's mean train fitness; ``fitness_train_reps`` its (B,) replicates.
    deploy_signals : ndarray, shape (n, E, D)
        The population's deploy signals; ``w`` its (B, n) resample counts.
    drives : tuple of str
        Drive names, in the order of the last axis.
    rng : numpy.random.Generator
        Draws the baseline's own resamples.
    n_boot : int
        Resamples.
    null_fit_deploy : ndarray, shape (m, E'), optional
        The baseline's deploy fitness (same rows as its deploy signals).
    """
    null_fit_reps = independent_reps(null_fit.mean(axis=1), rng, n_boot)
    gain_low = percentile_interval(
        fitness_train - float(null_fit.mean()), fitness_train_reps - null_fit_reps, CI_LEVEL
    )[0]
    null_dep = null_signals.mean(axis=1)  # (m, D)
    w_null = bootstrap_counts(resample_indices(null_dep.shape[0], rng, n_boot), null_dep.shape[0])
    above = beyond_other(deploy_signals.mean(axis=1), w, null_dep, w_null, drives)
    summary: dict[str, Any] = {
        "fitness_train": float(null_fit.mean()),
        "signal_deploy": {name: float(null_dep[:, d].mean()) for d, name in enumerate(drives)},
        "above_null_in_deploy": list(above),
    }
    deploy_reps = None
    if null_fit_deploy is not None:
        summary["fitness_deploy"] = float(null_fit_deploy.mean())
        deploy_reps = resampled_mean(w_null, null_fit_deploy.mean(axis=1))
    return Null(gain_low <= 0.0, above, summary, null_fit_reps, deploy_reps)


def effect_size(
    gain: float, reachable: float, gain_reps: np.ndarray, reachable_reps: np.ndarray
) -> tuple[float, tuple[float, float]]:
    """``gain / max(|gain|, |reachable|)`` (0 when both are 0) and its interval: the
    training gain over the baseline on the scale of the reference's gain over it in
    deployment (see :mod:`evomesa.metrics.verdict`)."""

    def ratio(g, r):
        scale = np.maximum(np.abs(g), np.abs(r))
        return np.divide(g, scale, out=np.zeros_like(scale, dtype=float), where=scale > 0)

    value = float(ratio(np.asarray(gain, dtype=float), np.asarray(reachable, dtype=float)))
    reps = ratio(gain_reps, reachable_reps)
    reps = np.where(np.isnan(gain_reps) | np.isnan(reachable_reps), np.nan, reps)
    return value, percentile_interval(value, reps, CI_LEVEL)


def best_alternative(
    alternatives: Mapping[str, np.ndarray] | None, null: Null | None
) -> tuple[str | None, float | None]:
    """The simple alternative with the highest mean deploy fitness (the unevolved baseline
    among them when its deploy fitness is known): its name and that mean; ``(None, None)``
    without any."""
    means = {name: float(f.mean()) for name, f in (alternatives or {}).items()}
    if null is not None and "fitness_deploy" in null.summary:
        means["unevolved baseline"] = null.summary["fitness_deploy"]
    if not means:
        return None, None
    # max() keeps the first of equal values: the given order breaks ties
    name = max(means, key=means.__getitem__)
    return name, means[name]


def check_null(
    null: Any, n_drives: int
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """The baseline's (m, E') train fitness, (m, E', D) deploy signals and, when given,
    (m, E') deploy fitness, checked."""
    if null is None:
        return None, None, None
    if not isinstance(null, Mapping) or not {"fitness_train", "signals_deploy"} <= set(null):
        raise ConfigError(
            "null must be a dict with 'fitness_train' (m, episodes) and 'signals_deploy' "
            "(m, episodes, drives) of an unevolved population, and optionally "
            f"'fitness_deploy' (m, episodes); got {type(null).__name__}"
        )
    fit = np.asarray(null["fitness_train"], dtype=np.float64)
    sig = np.asarray(null["signals_deploy"], dtype=np.float64)
    if fit.ndim != 2 or 0 in fit.shape:
        raise ConfigError(
            f"null['fitness_train'] must have shape (individuals, episodes); got {fit.shape}"
        )
    if sig.ndim != 3 or 0 in sig.shape[:2] or sig.shape[2] != n_drives:
        raise ConfigError(
            f"null['signals_deploy'] must have shape (individuals, episodes, {n_drives}); got "
            f"{sig.shape}"
        )
    require_finite("null['fitness_train']", fit)
    require_finite("null['signals_deploy']", sig)
    fit_deploy = None
    if null.get("fitness_deploy") is not None:
        fit_deploy = np.asarray(null["fitness_deploy"], dtype=np.float64)
        if fit_deploy.shape != sig.shape[:2]:
            raise ConfigError(
                "null['fitness_deploy'] must have the shape of null['signals_deploy'] without "
                f"its last axis, {sig.shape[:2]}; got {fit_deploy.shape}"
            )
        require_finite("null['fitness_deploy']", fit_deploy)
    return fit, sig, fit_deploy


def check_reference(
    reference: Mapping[str, Any] | None, n_drives: int = 0
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The reference's (m, E') deploy fitness and, when given, its (m, E', D) deploy
    signals, checked; ``(None, None)`` without a reference."""
    if reference is None:
        return None, None
    if not isinstance(reference, Mapping) or "fitness" not in reference:
        raise ConfigError(
            "reference must be a dict with 'fitness' (m, episodes) of the deploy-adapted "
            f"reference, and optionally 'signals' (m, episodes, drives); got "
            f"{type(reference).__name__}"
        )
    fitness = np.asarray(reference["fitness"], dtype=np.float64)
    if fitness.ndim != 2 or 0 in fitness.shape:
        raise ConfigError(
            f"reference['fitness'] must have shape (individuals, episodes), both >= 1; got "
            f"{fitness.shape}"
        )
    require_finite("reference['fitness']", fitness)
    signals = None
    if reference.get("signals") is not None:
        signals = np.asarray(reference["signals"], dtype=np.float64)
        if signals.shape != (*fitness.shape, n_drives):
            raise ConfigError(
                f"reference['signals'] must have shape {(*fitness.shape, n_drives)} "
                f"(its fitness's, and one column per drive); got {signals.shape}"
            )
        require_finite("reference['signals']", signals)
    return fitness, signals


def check_alternatives(alternatives: Any) -> dict[str, np.ndarray] | None:
    """Simple alternatives' deploy fitness, ``{name: (k, E') array}``, checked."""
    if alternatives is None:
        return None
    if not isinstance(alternatives, Mapping) or not all(
        isinstance(k, str) and k for k in alternatives
    ):
        raise ConfigError(
            "alternatives must be a dict of names to (individuals, episodes) deploy fitness; "
            f"got {type(alternatives).__name__}"
        )
    out = {}
    for name, f in alternatives.items():
        arr = np.asarray(f, dtype=np.float64)
        if arr.ndim != 2 or 0 in arr.shape:
            raise ConfigError(
                f"alternatives[{name!r}] must have shape (individuals, episodes); got {arr.shape}"
            )
        require_finite(f"alternatives[{name!r}]", arr)
        out[name] = arr
    return out
