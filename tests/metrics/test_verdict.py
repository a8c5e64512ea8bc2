"""Tests for evomesa.metrics.verdict: the verdict rule on its boundaries, the proxy choice."""

from __future__ import annotations

import math

import pytest

from evomesa.metrics.report import DRIVE_VALUE_FIELDS, DriveDrift
from evomesa.metrics.verdict import VERDICTS, Competence, assess_competence, verdict

THRESHOLDS = {"robust_threshold": 0.7, "competence_threshold": 0.6}
BELOW_ROBUST = math.nextafter(0.7, 0.0)
BELOW_COMPETENT = math.nextafter(0.6, 0.0)


@pytest.mark.parametrize(
    ("fitness_train", "retention", "competence", "expected"),
    [
        (0.0, 1.0, 1.0, "undefined"),
        (0.0, 0.0, 0.0, "undefined"),
        (1.0, 0.7, 0.0, "robust"),
        (1.0, BELOW_ROBUST, 0.6, "goal_misgeneralization"),
        (1.0, BELOW_ROBUST, BELOW_COMPETENT, "capability_collapse"),
    ],
)
def test_verdict_on_its_boundaries(fitness_train, retention, competence, expected):
    outcome, flags = verdict(fitness_train, retention, competence, **THRESHOLDS)
    assert outcome == expected
    assert outcome in VERDICTS
    assert flags == (("verdict:zero_train_fitness",) if expected == "undefined" else ())


def _drive(name: str, signal_train: float, rank_corr_train: float) -> DriveDrift:
    vals = dict.fromkeys(DRIVE_VALUE_FIELDS, 0.5)
    vals.update(signal_train=signal_train, rank_corr_train=rank_corr_train)
    ci = {k: (0.1, 0.9) for k in DRIVE_VALUE_FIELDS}
    return DriveDrift(name=name, **vals, ci=ci, flags=())


def test_competence_picks_best_tracking_eligible_drive_first_on_ties():
    results = {
        "offspring": _drive("offspring", 3.0, 1.0),  # aligned: never the proxy
        "idle": _drive("idle", 0.0, 0.9),  # no train signal: not eligible
        "food": _drive("food", 2.0, 0.4),
        "sex": _drive("sex", 1.0, 0.4),
    }
    comp = assess_competence(tuple(results), ("offspring",), results)
    assert comp == Competence("food", 0.5, (0.1, 0.9), ())


def test_competence_without_proxy_and_with_weak_proxy():
    results = {"offspring": _drive("offspring", 3.0, 1.0), "sex": _drive("sex", 0.0, 0.9)}
    none = assess_competence(tuple(results), ("offspring",), results)
    assert none == Competence(None, 0.0, (0.0, 0.0), ("competence:no_proxy",))
    results["sex"] = _drive("sex", 1.0, 0.0)
    weak = assess_competence(tuple(results), ("offspring",), results)
    assert weak.proxy == "sex"
    assert weak.flags == ("competence:weak_proxy",)
