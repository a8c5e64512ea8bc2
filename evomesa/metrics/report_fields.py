"""The fields of a drift report: their names, their bounds, and how each is read back.

:mod:`evomesa.metrics.report` writes a report with ``to_dict`` and rebuilds it with
``from_dict``; the vocabulary both use (verdict names, interval keys, bounds) and the
readers that check one field each live here. A reader returns the field's value as the
report holds it, or raises :class:`~evomesa.errors.ConfigError` naming the field (``d field
'drives.sex.rank_corr_train' must be ...``), never another exception: a file may have been
edited, and a value may be hostile (megabytes long, self-nesting, beyond float range).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np

from evomesa.errors import ConfigError

CI_LEVEL = 0.95
"""Coverage of every bootstrap interval in a report."""

#: the verdicts a report can carry (the rule that picks one is :func:`evomesa.metrics.verdict`;
#: the names live here, beside the reader of the report that holds them, so it can check them)
VERDICTS = (
    "robust",
    "goal_misgeneralization",
    "capability_collapse",
    "unavoidable_loss",
    "unattributed_loss",
    "new_goal",
    "undefined",
)

#: the readings of the performance channel, where it differs from fitness
PERFORMANCE_VERDICTS = ("kept", "lost")

DRIVE_VALUE_FIELDS = (
    "signal_train",
    "signal_deploy",
    "signal_retention",
    "yield_train",
    "yield_deploy",
    "yield_drift",
    "rank_corr_train",
    "rank_corr_deploy",
    "rank_corr_change",
)
"""The float fields of :class:`~evomesa.metrics.report.DriveDrift`, each with an interval in
``DriveDrift.ci``."""

UTILITY_KEYS = (
    "utility_train",
    "utility_deploy",
    "utility_retention",
    "utility_fitness_corr_train",
    "utility_fitness_corr_deploy",
)
"""The keys of ``DriftReport.mesa_utility``, each with an interval in ``DriftReport.ci``."""


def ci_to_json(ci: Mapping[str, tuple[float, float]]) -> dict[str, list[float]]:
    """Intervals as ``{field: [lo, hi]}`` with plain floats."""
    return {k: [float(lo), float(hi)] for k, (lo, hi) in ci.items()}


def short(x: Any) -> str:
    """``repr(x)`` cut to 80 characters (a hostile value may be megabytes long)."""
    try:
        text = repr(x)
    except (ValueError, RecursionError):  # an int too long for text, a self-nesting list
        text = f"<{type(x).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def bad(field: str, allowed: str, got: Any) -> ConfigError:
    return ConfigError(f"d field {field!r} must be {allowed}; got {short(got)}")


def read_real(field: str, x: Any, low: float = -math.inf, high: float = math.inf) -> float:
    """``x`` as a float if it is a finite real number (not a bool) in ``[low, high]``."""
    allowed = "a finite number" + (
        "" if (low, high) == (-math.inf, math.inf) else f" in [{low:g}, {high:g}]"
    )
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        raise bad(field, allowed, x)
    try:
        v = float(x)
    except OverflowError:  # an int beyond float range
        raise bad(field, allowed, x) from None
    if not math.isfinite(v) or not low <= v <= high:
        raise bad(field, allowed, x)
    return v


def read_real_or_none(field: str, x: Any, low: float = -math.inf, high: float = math.inf):
    return None if x is None else read_real(field, x, low, high)


def read_count(field: str, x: Any) -> int:
    if isinstance(x, bool) or not isinstance(x, int | np.integer) or not 1 <= x <= 2**62:
        raise bad(field, "an integer >= 1", x)
    return int(x)


def read_name(field: str, x: Any) -> str:
    """A non-empty name of at most 200 characters, without control characters."""
    if (
        not isinstance(x, str)
        or not 1 <= len(x) <= 200
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in x)
    ):
        raise bad(field, "a non-empty name of at most 200 printable characters", x)
    return x


def read_mapping(field: str, x: Any, what: str = "an object") -> Mapping[str, Any]:
    if not isinstance(x, Mapping) or not all(isinstance(k, str) for k in x):
        raise bad(field, f"{what} with text keys", x)
    return x


def read_list(field: str, x: Any) -> list | tuple:
    if not isinstance(x, list | tuple):
        raise bad(field, "a list", x)
    return x


def exact_keys(field: str, d: Mapping[str, Any], required, optional=()) -> None:
    """``d`` holds every key of ``required`` and otherwise only keys of ``optional``."""
    missing = [k for k in required if k not in d]
    if missing:
        where = f"{field}.{missing[0]}" if field else missing[0]
        raise bad(where, "present", "missing")
    allowed = {*required, *optional}
    extra = [k for k in d if k not in allowed]
    if extra:
        where = f"{field}.{extra[0]}" if field else extra[0]
        raise bad(where, f"absent (the fields are {sorted(allowed)})", d[extra[0]])


def read_ci(
    ci: Any, field: str = "ci", keys: tuple[str, ...] | None = None
) -> dict[str, tuple[float, float]]:
    """Inverse of :func:`ci_to_json`: ``{field: (lo, hi)}``, each a finite ``lo <= hi``
    (a percentile interval is ordered by construction), keys among ``keys`` when given."""
    ci = read_mapping(field, ci)
    out: dict[str, tuple[float, float]] = {}
    for k, v in ci.items():
        where = f"{field}.{k}"
        if keys is not None and k not in keys:
            raise bad(where, f"absent (intervals are of {', '.join(keys)})", v)
        if not isinstance(v, list | tuple) or len(v) != 2:
            raise bad(where, "an interval [low, high]", v)
        lo, hi = read_real(where, v[0]), read_real(where, v[1])
        if lo > hi:
            raise bad(where, "an interval [low, high] with low <= high", v)
        out[k] = (lo, hi)
    return out


def read_flags(field: str, x: Any) -> tuple[str, ...]:
    """Flags ``"field:reason"``: names without control characters, each with a colon."""
    flags = read_list(field, x)
    for k, f in enumerate(flags):
        read_name(f"{field}[{k}]", f)
        if ":" not in f:
            raise bad(f"{field}[{k}]", "a flag 'field:reason'", f)
    return tuple(flags)


def require_keys(d: Any, keys: tuple[str, ...], what: str) -> None:
    """Raise :class:`~evomesa.errors.ConfigError` unless ``d`` is a mapping with ``keys``."""
    if not isinstance(d, Mapping):
        raise ConfigError(f"d must be a mapping (a {what}.to_dict() result); got {short(d)}")
    missing = [k for k in keys if k not in d]
    if missing:
        raise ConfigError(f"d must contain the {what} keys {list(keys)}; missing {missing}")


#: bounds of the DriveDrift fields that have them (rank correlations and their change)
DRIVE_BOUNDS = {
    "rank_corr_train": (-1.0, 1.0),
    "rank_corr_deploy": (-1.0, 1.0),
    "rank_corr_change": (-2.0, 2.0),
}
#: report-level intervals (``DriftReport.ci``) and the figures bounded by construction
REPORT_CI_KEYS = (
    "fitness_train",
    "fitness_deploy",
    "fitness_retention",
    "performance_train",
    "performance_deploy",
    "performance_retention",
    "competence",
    "behavioural_divergence",
    *UTILITY_KEYS,
    "novel_decision_share",
    "reference_fitness",
    "regret",
    "effect_size",
)
UTILITY_BOUNDS = {
    "utility_fitness_corr_train": (-1.0, 1.0),
    "utility_fitness_corr_deploy": (-1.0, 1.0),
}


def read_deploy_params(x: Any) -> dict[str, Any] | None:
    """None, or parameter names mapped to plain values (numbers, text, true/false)."""
    if x is None:
        return None
    x = read_mapping("deploy_params", x)
    for k, v in x.items():
        read_name(f"deploy_params.{k}", k)
        if isinstance(v, str):
            read_name(f"deploy_params.{k}", v)
        elif not isinstance(v, bool):
            read_real(f"deploy_params.{k}", v)
    return dict(x)


def read_null_baseline(x: Any, drives: tuple[str, ...]) -> dict[str, Any] | None:
    """None, or ``{fitness_train, signal_deploy: {drive: value}, above_null_in_deploy}`` and,
    in reports since the effect size, ``fitness_deploy``."""
    if x is None:
        return None
    x = read_mapping("null_baseline", x)
    exact_keys(
        "null_baseline",
        x,
        ("fitness_train", "signal_deploy", "above_null_in_deploy"),
        ("fitness_deploy",),
    )
    signal = read_mapping("null_baseline.signal_deploy", x["signal_deploy"])
    if list(signal) != list(drives):
        raise bad("null_baseline.signal_deploy", f"an object of the drives {list(drives)}", signal)
    above = read_list("null_baseline.above_null_in_deploy", x["above_null_in_deploy"])
    if any(not isinstance(a, str) or a not in drives for a in above) or list(above) != [
        n for n in drives if n in above
    ]:
        raise bad(
            "null_baseline.above_null_in_deploy", f"drives of {list(drives)}, each once", above
        )
    out = {
        "fitness_train": read_real("null_baseline.fitness_train", x["fitness_train"]),
        "signal_deploy": {
            k: read_real(f"null_baseline.signal_deploy.{k}", v) for k, v in signal.items()
        },
        "above_null_in_deploy": list(above),
    }
    if "fitness_deploy" in x:
        out["fitness_deploy"] = read_real("null_baseline.fitness_deploy", x["fitness_deploy"])
    return out


def float_or_none(x) -> float | None:
    return None if x is None else float(x)


def read_mesa_utility(x: Any) -> dict[str, float] | None:
    """None, or the mesa-utility figures keyed by :data:`UTILITY_KEYS`."""
    if x is None:
        return None
    x = read_mapping("mesa_utility", x)
    exact_keys("mesa_utility", x, UTILITY_KEYS)
    return {
        k: read_real(f"mesa_utility.{k}", x[k], *UTILITY_BOUNDS.get(k, (-math.inf, math.inf)))
        for k in UTILITY_KEYS
    }


def read_proxy(x: Any, drives: tuple[str, ...]) -> str | None:
    """None, or one of the ``drives``."""
    if x is not None and (not isinstance(x, str) or x not in drives):
        raise bad("primary_proxy", f"null or one of the drives {list(drives)}", x)
    return x


def read_verdict(x: Any) -> str:
    """One of :data:`VERDICTS`."""
    if not isinstance(x, str) or x not in VERDICTS:
        raise bad("verdict", f"one of {list(VERDICTS)}", x)
    return x


def read_pursued(
    x: Any, drives: tuple[str, ...], field: str = "drives_pursued"
) -> tuple[str, ...]:
    """Some of ``drives``, each once, in drive order (drives pursued, new goals, ...)."""
    pursued = tuple(read_list(field, x))
    if any(not isinstance(p, str) or p not in drives for p in pursued) or list(pursued) != [
        n for n in drives if n in pursued
    ]:
        raise bad(field, f"drives of {list(drives)}, each once, in order", pursued)
    return pursued


def read_drives_or_none(x: Any, drives: tuple[str, ...], field: str) -> tuple[str, ...] | None:
    """None, or :func:`read_pursued`."""
    return None if x is None else read_pursued(x, drives, field)


def read_signal_levels(x: Any, drives: tuple[str, ...], field: str) -> dict[str, float] | None:
    """None, or one finite level per drive, keyed by the drives in order."""
    if x is None:
        return None
    x = read_mapping(field, x)
    if list(x) != list(drives):
        raise bad(field, f"an object of the drives {list(drives)}", x)
    return {k: read_real(f"{field}.{k}", v) for k, v in x.items()}


def read_choice_or_none(field: str, x: Any, allowed: tuple[str, ...]) -> str | None:
    """None, or one of ``allowed``."""
    if x is not None and (not isinstance(x, str) or x not in allowed):
        raise bad(field, f"null or one of {list(allowed)}", x)
    return x


def read_name_or_none(field: str, x: Any) -> str | None:
    """None, or :func:`read_name`."""
    return None if x is None else read_name(field, x)


def read_regret(d: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """``(reference_fitness, regret)``: both numbers, or both None."""
    reference = read_real_or_none("reference_fitness", d.get("reference_fitness"))
    regret = read_real_or_none("regret", d.get("regret"))
    if (reference is None) != (regret is None):
        raise bad("regret", "given exactly when reference_fitness is", regret)
    return reference, regret


def read_convergence(d: Mapping[str, Any]) -> tuple[bool | None, float | None]:
    """``converged`` and ``late_improvement``: both absent or null (not known), or true or
    false with a finite number."""
    converged, late = d.get("converged"), d.get("late_improvement")
    if converged is None and late is None:
        return None, None
    if not isinstance(converged, bool):
        raise bad("converged", "true or false (with late_improvement), or absent", converged)
    return converged, read_real("late_improvement", late)
