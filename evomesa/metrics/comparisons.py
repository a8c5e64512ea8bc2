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

__all__ = ["Null", "Regret", "against_null", "against_reference", "check_null", "check_reference"]


@dataclass(frozen=True)
class Regret:
    """Regret against the reference: its mean deploy fitness, the regret, their intervals
    (``ci``: ``reference_fitness`` and ``regret``) and flags."""

    reference_fitness: float
    regret: float
    ci: dict[str, tuple[float, float]]
    flags: tuple[str, ...]


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
        What the report records: ``fitness_train``, ``signal_deploy`` per drive and
        ``above_null_in_deploy``.
    """

    not_evolved: bool
    above: tuple[str, ...]
    summary: dict[str, Any]


def independent_reps(rows: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """(B,) bootstrap replicates of the mean of another population's (m,) per-row values,
    resampled independently of the measured population's rows."""
    m = rows.shape[0]
    return resampled_mean(bootstrap_counts(resample_indices(m, rng, n_boot), m), rows)


def against_reference(
    ref_fitness: np.ndarray,
    fitness_deploy: float,
    fitness_deploy_reps: np.ndarray,
    rng: np.random.Generator,
    n_boot: int,
) -> Regret:
    """Regret of a population with mean deploy fitness ``fitness_deploy`` (and its bootstrap
    replicates) against the reference's (m, E') deploy fitness."""
    ref_mean = float(ref_fitness.mean())
    # the reference is another population: resample its individuals on their own
    ref_reps = independent_reps(ref_fitness.mean(axis=1), rng, n_boot)
    ci = {"reference_fitness": percentile_interval(ref_mean, ref_reps, CI_LEVEL)}
    if ref_mean == 0.0:
        # nothing was reachable, so nothing to regret (in every resample alike)
        ci["regret"] = (0.0, 0.0)
        return Regret(ref_mean, 0.0, ci, ("regret:zero_reference",))
    value = 1.0 - fitness_deploy / ref_mean
    regret_reps = 1.0 - retention_reps(ref_reps, fitness_deploy_reps)
    ci["regret"] = percentile_interval(value, regret_reps, CI_LEVEL)
    # a reference below the population it should bound: likely not converged
    flags = ("regret:reference_below_population",) if value < 0.0 else ()
    return Regret(ref_mean, value, ci, flags)


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
    """
    null_fit_reps = independent_reps(null_fit.mean(axis=1), rng, n_boot)
    gain_low = percentile_interval(
        fitness_train - float(null_fit.mean()), fitness_train_reps - null_fit_reps, CI_LEVEL
    )[0]
    null_dep = null_signals.mean(axis=1)  # (m, D)
    w_null = bootstrap_counts(resample_indices(null_dep.shape[0], rng, n_boot), null_dep.shape[0])
    pop_dep = deploy_signals.mean(axis=1)  # (n, D)
    above = []
    for d, name in enumerate(drives):
        diff = float(pop_dep[:, d].mean() - null_dep[:, d].mean())
        diff_reps = resampled_mean(w, pop_dep[:, d]) - resampled_mean(w_null, null_dep[:, d])
        if percentile_interval(diff, diff_reps, CI_LEVEL)[0] > 0.0:
            above.append(name)
    summary = {
        "fitness_train": float(null_fit.mean()),
        "signal_deploy": {name: float(null_dep[:, d].mean()) for d, name in enumerate(drives)},
        "above_null_in_deploy": list(above),
    }
    return Null(gain_low <= 0.0, tuple(above), summary)


def check_null(null: Any, n_drives: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The baseline's (m, E') train fitness and (m, E', D) deploy signals, checked."""
    if null is None:
        return None, None
    if not isinstance(null, Mapping) or not {"fitness_train", "signals_deploy"} <= set(null):
        raise ConfigError(
            "null must be a dict with 'fitness_train' (m, episodes) and 'signals_deploy' "
            f"(m, episodes, drives) of an unevolved population; got {type(null).__name__}"
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
    return fit, sig


def check_reference(reference: Mapping[str, Any] | None) -> np.ndarray | None:
    """The reference's (m, E') deploy fitness, checked; None without a reference."""
    if reference is None:
        return None
    if not isinstance(reference, Mapping) or "fitness" not in reference:
        raise ConfigError(
            "reference must be a dict with 'fitness' (m, episodes) of the deploy-adapted "
            f"reference; got {type(reference).__name__}"
        )
    fitness = np.asarray(reference["fitness"], dtype=np.float64)
    if fitness.ndim != 2 or 0 in fitness.shape:
        raise ConfigError(
            f"reference['fitness'] must have shape (individuals, episodes), both >= 1; got "
            f"{fitness.shape}"
        )
    require_finite("reference['fitness']", fitness)
    return fitness
