"""Input validation for the drift metrics: names, and each regime's rollout arrays.

:func:`evomesa.metrics.drift.compute_drift` checks its names here, and
:func:`evomesa.metrics.assemble.drift_report` turns each regime's rollout dict into a
:class:`Regime` of float arrays, checked for shape, finiteness and sign.
Invalid input raises :class:`~evomesa.errors.ConfigError` naming the argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from evomesa.errors import ConfigError, shown

__all__ = [
    "Regime",
    "check_names",
    "check_novel_inputs",
    "check_observations",
    "check_str",
    "parse_regime",
    "planner_rows",
    "require_finite",
    "utility_rows",
]

_REGIME_KEYS = ("fitness", "signals", "actions", "utility", "performance", "observations")


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


def utility_rows(tr: Regime, de: Regime, planner_mask: Any) -> np.ndarray | None:
    """The rows whose utility counts: ``planner_mask`` checked against the regimes' utility
    (given in both or in neither), all rows when utility comes without a mask; None without
    utility. Those rows' utility must be finite."""
    n = tr.fitness.shape[0]
    rows = planner_rows(planner_mask, n)
    if (tr.utility is None) != (de.utility is None):
        raise ConfigError(
            "deploy['utility'] must be given exactly when train['utility'] is; got "
            f"train: {'array' if tr.utility is not None else None}, "
            f"deploy: {'array' if de.utility is not None else None}"
        )
    if rows is not None and tr.utility is None:
        raise ConfigError("planner_mask must be None when no utility is given; got a mask")
    if rows is None and tr.utility is not None:
        rows = np.ones(n, dtype=bool)
    if rows is not None:
        # Reflex rows of a hybrid population may carry anything (e.g. NaN) as utility.
        for arg, reg in (("train", tr), ("deploy", de)):
            require_finite(f"{arg}['utility'] (planner rows)", reg.utility[rows])
    return rows


def check_observations(tr: Regime, de: Regime) -> None:
    """Reflex observations must be given in both regimes or in neither."""
    if (tr.observations is None) != (de.observations is None):
        raise ConfigError(
            "deploy['observations'] must be given exactly when train['observations'] is"
        )


def check_novel_inputs(novel_inputs: Any, tr: Regime) -> tuple[np.ndarray, np.ndarray] | None:
    """``novel_inputs`` checked: None, or ``{"novel", "decisions"}`` (n, E) non-negative
    counts with ``novel <= decisions``, returned as float arrays ``(novel, decisions)``;
    given only where no table ``observations`` are."""
    if novel_inputs is None:
        return None
    if not isinstance(novel_inputs, Mapping) or set(novel_inputs) != {"novel", "decisions"}:
        raise ConfigError(
            f"novel_inputs must be a dict with keys ['decisions', 'novel'] or None; got "
            f"{shown(novel_inputs)}"
        )
    if tr.observations is not None:
        raise ConfigError(
            "novel_inputs must be None when observations are given (a table's entries or a "
            "network's novel inputs, not both); got both"
        )
    n, e = tr.fitness.shape
    out = []
    for key in ("novel", "decisions"):
        arr = _array(f"novel_inputs['{key}']", novel_inputs[key], (n, e), f"of shape ({n}, {e})")
        require_finite(f"novel_inputs['{key}']", arr)
        if np.any(arr < 0):
            raise ConfigError(f"novel_inputs['{key}'] must be non-negative counts; got negatives")
        out.append(arr)
    if np.any(out[0] > out[1]):
        raise ConfigError(
            "novel_inputs['novel'] must be at most novel_inputs['decisions'] everywhere; got more"
        )
    return out[0], out[1]
