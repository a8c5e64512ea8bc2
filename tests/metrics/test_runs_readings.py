"""Summaries over runs say what each run's reading says beside its verdict (issue 17): the
performance channel in the world's words, borderline runs, robust runs with a high regret,
new goals; and the figures over runs are the signed ones."""

from __future__ import annotations

import json

import pytest
from hand_reports import (
    MEANING,
    borderline_robust,
    new_goal,
    robust_performance_kept,
    robust_performance_lost,
)

from evomesa.metrics import DriftReport
from evomesa.metrics.runs import FIGURES, summarize_reports

NEW_KEYS = (
    "borderline",
    "high_regret",
    "robust_performance_lost",
    "performance",
    "new_goals",
    "performance_meaning",
)


def test_a_summary_counts_borderline_runs_performance_verdicts_and_new_goals():
    reports = [
        robust_performance_lost(),
        robust_performance_kept(),
        borderline_robust(),
        new_goal(),
    ]
    s = summarize_reports(reports)
    assert s["runs"] == 4
    assert s["verdicts"]["robust"] == 3 and s["verdicts"]["new_goal"] == 1
    assert s["borderline"] == 1
    assert s["high_regret"] == 1  # the robust run at regret 0.5
    assert s["robust_performance_lost"] == 1
    # over the two runs whose performance differs from their fitness
    assert s["performance"] == {"kept": 1, "lost": 1}
    assert s["new_goals"] == {"sex": 1}
    assert s["performance_meaning"] == MEANING
    # the existing keys stay
    assert s["pursued"] == {} and set(s["verdicts"]) >= {"robust", "unattributed_loss"}


def test_where_performance_is_the_fitness_there_is_no_performance_reading():
    s = summarize_reports([borderline_robust(), new_goal()])
    assert s["performance"] == {} and s["performance_meaning"] is None
    assert s["robust_performance_lost"] == 0 and s["high_regret"] == 0
    # its retention is still every run's (it equals fitness retention there)
    perf, fit = s["figures"]["performance_retention"], s["figures"]["fitness_retention"]
    assert perf["runs"] == fit["runs"]


def test_the_new_figures_and_the_signed_labels():
    lost, kept = robust_performance_lost(), robust_performance_kept()
    s = summarize_reports([lost, kept])
    perf = s["figures"]["performance_retention"]
    assert perf["runs"] == [pytest.approx(-3.0), pytest.approx(0.9)]
    assert perf["label"] == "performance retention (deploy / train, signed)"
    assert (
        s["figures"]["fitness_retention"]["label"] == "fitness retention (deploy / train, signed)"
    )
    assert s["figures"]["regret"]["label"] == "regret ((reference - deploy) / |reference|)"
    # the effect size needs a baseline and a reference: one run of the two has it
    effect = s["figures"]["effect_size"]
    assert effect["n"] == 1 and effect["mean"] == pytest.approx(0.3)
    assert "effect size" in effect["label"]
    assert {"performance_retention", "effect_size"} <= set(FIGURES)


def test_an_empty_summary_has_every_key():
    s = summarize_reports([])
    assert s["runs"] == 0
    assert {k: s[k] for k in NEW_KEYS} == {
        "borderline": 0,
        "high_regret": 0,
        "robust_performance_lost": 0,
        "performance": {},
        "new_goals": {},
        "performance_meaning": None,
    }


def test_the_summary_survives_json_and_is_recomputed_from_reports_read_back():
    reports = [robust_performance_lost(), borderline_robust(), new_goal()]
    s = json.loads(json.dumps(summarize_reports(reports)))
    back = [DriftReport.from_dict(json.loads(json.dumps(r.to_dict()))) for r in reports]
    assert json.loads(json.dumps(summarize_reports(back))) == s
    assert {k: s[k] for k in ("borderline", "performance", "new_goals")} == {
        "borderline": 1,
        "performance": {"kept": 0, "lost": 1},
        "new_goals": {"sex": 1},
    }
