"""Knock-outs in a drift report: which parts of the evolved brains are under selection.

A *knock-out* removes one part of every brain of a population and replays it in the training
regime on the same episodes as the intact population (DESIGN section 0: every drive a story
names must be under selection). A part is named ``"KIND:NAME"``:

``drive:NAME``
    a planner's weight on that drive set to 0 (planners, and a hybrid's planner rows);
``feature:NAME``
    a reflex network's input weights from that perceived feature set to 0: it acts as if the
    feature were never sensed (networks, and a hybrid's network rows);
``factor:NAME``
    a lookup table that reads every entry as the entry with that observation factor at its
    first level: it acts as if the factor never changed (tables, and a hybrid's table rows).

The *effect* of a knock-out is the training fitness lost: intact minus knocked-out fitness,
each the mean over individuals and episodes, with a 95 % percentile bootstrap interval over
individuals (paired: an individual's intact and knocked-out episodes are resampled together,
with the resamples every other figure of the report uses). A part is *under selection* in a
run when the lower end of that interval is above 0: removing it measurably costs fitness.
Across runs (:func:`evomesa.metrics.runs.knock_out_summary`) each effect is a mean with a
t-interval over runs, and the runs in which the part is under selection are counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from evomesa.errors import ConfigError, shown
from evomesa.metrics.bootstrap import percentile_interval
from evomesa.metrics.inputs import require_finite
from evomesa.metrics.report_fields import (
    CI_LEVEL,
    bad,
    exact_keys,
    read_mapping,
    read_name,
    read_real,
)

__all__ = [
    "KINDS",
    "check_knock_outs",
    "knock_out_effects",
    "knock_outs_to_json",
    "read_knock_outs",
    "under_selection",
]

#: what a knock-out can remove, in the order a report lists them
KINDS = ("drive", "feature", "factor")
#: the figures of one knocked-out part
PART_KEYS = ("fitness", "effect", "low", "high")


def _check_part(field: str, part: Any) -> str:
    """``part`` if it is ``"KIND:NAME"`` with a kind of :data:`KINDS`."""
    if not isinstance(part, str) or part.partition(":")[0] not in KINDS:
        raise ConfigError(
            f"{field} must be named 'KIND:NAME', KIND one of {KINDS}; got {shown(part)}"
        )
    read_name(field, part.partition(":")[2])
    return part


def check_knock_outs(knock_outs: Any, n: int) -> tuple[np.ndarray, dict[str, np.ndarray]] | None:
    """``knock_outs`` checked: None, or ``{"intact": (n, E) fitness, "knocked": {part: (n, E)
    fitness}}`` (one E for all, any E >= 1; at least one part), returned as float arrays."""
    if knock_outs is None:
        return None
    if not isinstance(knock_outs, Mapping) or set(knock_outs) != {"intact", "knocked"}:
        raise ConfigError(
            f"knock_outs must be a dict with keys ['intact', 'knocked'] or None; got "
            f"{shown(knock_outs)}"
        )
    try:
        intact = np.asarray(knock_outs["intact"], dtype=float)
    except (TypeError, ValueError):
        raise ConfigError("knock_outs['intact'] must be a numeric (n, E) array") from None
    if intact.ndim != 2 or intact.shape[0] != n or intact.shape[1] < 1:
        raise ConfigError(
            f"knock_outs['intact'] must have shape ({n}, E >= 1); got {intact.shape}"
        )
    require_finite("knock_outs['intact']", intact)
    knocked = knock_outs["knocked"]
    if not isinstance(knocked, Mapping) or not knocked:
        raise ConfigError(
            f"knock_outs['knocked'] must be a non-empty dict of part -> fitness; got "
            f"{shown(knocked)}"
        )
    out = {}
    for part, fitness in knocked.items():
        field = f"knock_outs['knocked'][{part!r}]"
        _check_part(field, part)
        try:
            arr = np.asarray(fitness, dtype=float)
        except (TypeError, ValueError):
            raise ConfigError(f"{field} must be a numeric array") from None
        if arr.shape != intact.shape:
            raise ConfigError(f"{field} must have shape {intact.shape}; got {arr.shape}")
        require_finite(field, arr)
        out[part] = arr
    return intact, out


def knock_out_effects(
    intact: np.ndarray, knocked: Mapping[str, np.ndarray], w: np.ndarray
) -> dict[str, Any]:
    """The report's ``knock_outs``: ``{"intact": mean fitness, "parts": {part: {"fitness",
    "effect", "low", "high"}}}`` from checked (n, E) fitness arrays and the report's (B, n)
    resample counts ``w`` (see the module docstring)."""
    row_intact = intact.mean(axis=1)
    parts = {}
    for part, fitness in knocked.items():
        rows = row_intact - fitness.mean(axis=1)
        effect = float(intact.mean() - fitness.mean())
        # every resample draws n rows: its mean is its weighted sum over n
        low, high = percentile_interval(effect, (w @ rows) / w.sum(axis=1), CI_LEVEL)
        parts[part] = {
            "fitness": float(fitness.mean()),
            "effect": effect,
            "low": low,
            "high": high,
        }
    return {"intact": float(intact.mean()), "parts": parts}


def under_selection(knock_outs: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The parts whose knock-out measurably lowers training fitness (the lower end of the
    effect's interval above 0), in the report's order; () without knock-outs."""
    if knock_outs is None:
        return ()
    return tuple(p for p, fig in knock_outs["parts"].items() if fig["low"] > 0.0)


def knock_outs_to_json(knock_outs: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A report's ``knock_outs`` with plain floats (the inverse of :func:`read_knock_outs`)."""
    if knock_outs is None:
        return None
    parts = knock_outs["parts"]
    return {
        "intact": float(knock_outs["intact"]),
        "parts": {part: {k: float(fig[k]) for k in PART_KEYS} for part, fig in parts.items()},
    }


def read_knock_outs(x: Any) -> dict[str, Any] | None:
    """None, or a report's ``knock_outs`` as :func:`knock_out_effects` writes it: finite
    figures, parts named ``"KIND:NAME"``, ``low <= high``."""
    if x is None:
        return None
    x = read_mapping("knock_outs", x)
    exact_keys("knock_outs", x, ("intact", "parts"))
    parts_in = read_mapping("knock_outs.parts", x["parts"])
    if not parts_in:
        raise bad("knock_outs.parts", "an object of at least one part", parts_in)
    parts = {}
    for part, fig in parts_in.items():
        field = f"knock_outs.parts.{part}"
        try:
            _check_part(field, part)
        except ConfigError:
            raise bad(field, f"named 'KIND:NAME', KIND one of {list(KINDS)}", part) from None
        fig = read_mapping(field, fig)
        exact_keys(field, fig, PART_KEYS)
        values = {k: read_real(f"{field}.{k}", fig[k]) for k in PART_KEYS}
        if values["low"] > values["high"]:
            raise bad(f"{field}.low", "at most high", values["low"])
        parts[part] = values
    return {"intact": read_real("knock_outs.intact", x["intact"]), "parts": parts}
