"""Tests for evomesa.metrics.verdict: the verdict rule on its boundaries, proxies, competence."""

from __future__ import annotations

import math

import pytest

from evomesa.metrics.report import DriveDrift
from evomesa.metrics.report_fields import DRIVE_VALUE_FIELDS
from evomesa.metrics.verdict import VERDICTS, Competence, assess_competence, verdict

THRESHOLDS = {"robust_threshold": 0.7, "regret_threshold": 0.3}
BELOW_ROBUST = math.nextafter(0.7, 0.0)
ABOVE_REGRET = math.nextafter(0.3, 1.0)


@pytest.mark.parametrize(
    ("fitness_train", "retention", "pursued", "regret", "expected", "flags"),
    [
        (0.0, 1.0, ("sex",), 0.0, "undefined", ("verdict:zero_train_fitness",)),
        (0.0, 0.0, (), None, "undefined", ("verdict:zero_train_fitness",)),
        (1.0, 0.7, (), 0.9, "robust", ()),
        # fell, but nothing better was reachable in deployment
        (1.0, BELOW_ROBUST, ("sex",), 0.3, "unavoidable_loss", ()),
        (1.0, 0.0, (), -0.5, "unavoidable_loss", ()),
        (1.0, BELOW_ROBUST, ("sex",), ABOVE_REGRET, "goal_misgeneralization", ()),
        (1.0, BELOW_ROBUST, (), ABOVE_REGRET, "capability_collapse", ()),
        # without a reference an unavoidable loss is not ruled out, and the flag says so
        (1.0, 0.1, ("sex",), None, "goal_misgeneralization", ("verdict:no_reference",)),
        (1.0, 0.1, (), None, "capability_collapse", ("verdict:no_reference",)),
    ],
)
def test_verdict_on_its_boundaries(fitness_train, retention, pursued, regret, expected, flags):
    outcome, got_flags = verdict(fitness_train, retention, pursued, regret, **THRESHOLDS)
    assert outcome == expected
    assert outcome in VERDICTS
    assert got_flags == flags


def _drive(name: str, signal_train: float, rank_corr_train: float, kept: float) -> DriveDrift:
    vals = dict.fromkeys(DRIVE_VALUE_FIELDS, 0.5)
    vals.update(signal_train=signal_train, rank_corr_train=rank_corr_train, signal_retention=kept)
    ci = {k: (0.1, 0.9) for k in DRIVE_VALUE_FIELDS}
    ci["signal_retention"] = (kept - 0.1, kept + 0.1)
    return DriveDrift(name=name, **vals, ci=ci, flags=())


def test_proxies_are_collected_non_aligned_drives_that_tracked_fitness():
    results = {
        "offspring": _drive("offspring", 3.0, 1.0, 1.0),  # aligned: never a proxy
        "idle": _drive("idle", 0.0, 0.9, 1.0),  # no train signal: not a proxy
        "toil": _drive("toil", 2.0, -0.3, 1.0),  # anti-correlated with fitness: not a proxy
        "food": _drive("food", 2.0, 0.7, 0.2),
        "sex": _drive("sex", 1.0, 0.4, 0.9),
    }
    comp = assess_competence(tuple(results), ("offspring",), results, 0.6)
    # food tracked fitness best; sex is what the population still collects
    assert comp == Competence("food", 0.9, (0.8, 1.0), ("sex",), ())


def test_pursued_is_inclusive_and_ties_go_to_the_earliest_drive():
    results = {"a": _drive("a", 1.0, 0.5, 0.6), "b": _drive("b", 1.0, 0.5, 0.6)}
    comp = assess_competence(tuple(results), (), results, 0.6)
    assert comp.proxy == "a" and comp.pursued == ("a", "b") and comp.value == 0.6
    assert assess_competence(tuple(results), (), results, 0.61).pursued == ()


def test_competence_without_proxy():
    results = {
        "offspring": _drive("offspring", 3.0, 1.0, 1.0),
        "sex": _drive("sex", 0.0, 0.9, 1.0),
        "sweet": _drive("sweet", 1.0, 0.0, 1.0),  # no positive correlation: not a proxy
    }
    none = assess_competence(tuple(results), ("offspring",), results, 0.6)
    assert none == Competence(None, 0.0, (0.0, 0.0), (), ("competence:no_proxy",))
