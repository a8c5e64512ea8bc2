"""The table of a run reads both channels (issue 17): robust never stands alone where
performance was lost, the world's words for performance are in the key, borderline runs and
new goals have rows, and the key states the verdict rule with every threshold."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hand_reports import (
    ALIGNED,
    DRIVES,
    MEANING,
    borderline_robust,
    drift,
    new_goal,
    robust_performance_kept,
    robust_performance_lost,
)

from evomesa.cli.report import _printable_summary
from evomesa.experiments.run_table import format_summary_table
from evomesa.metrics.runs import summarize_reports


def _table(columns, **kw) -> str:
    summaries = {name: summarize_reports(reports) for name, reports in columns.items()}
    return format_summary_table(summaries, DRIVES, aligned=ALIGNED, **kw)


def _row(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


def test_a_robust_run_whose_performance_was_lost_says_so_in_its_row_and_key():
    text = _table({"planner": [robust_performance_lost()]})
    verdicts = _row(text, "verdicts (runs)")
    assert "robust 1 (high regret 1, performance lost 1)" in verdicts
    assert _row(text, "performance verdicts (runs)").split()[-2:] == ["lost", "1"]
    assert _row(text, "performance retention (deploy / train, signed)").endswith("-3.00")
    # the world's own words, in the key (wrapped: compare without line breaks)
    key = " ".join(line.strip() for line in text.split("Key:", 1)[1].splitlines())
    assert f"Performance here counts what fitness does not: {MEANING}." in key
    # nowhere does 'robust' appear in a row without the performance reading beside it
    for line in text.split("Key:", 1)[0].splitlines():
        if "robust" in line:
            assert "performance lost" in line, line


def test_performance_rows_count_kept_and_lost_over_the_runs_that_read_it():
    text = _table(
        {
            "planner": [robust_performance_lost(), robust_performance_kept(), new_goal()],
            "reflex": [borderline_robust(), new_goal()],
        }
    )
    row = _row(text, "performance verdicts (runs)")
    assert "lost 1, kept 1 (n=2)" in row and row.rstrip().endswith("as fitness")
    assert "performance differs from fitness in k of the runs only" in text
    borderline = _row(text, "borderline runs").split()
    assert borderline[-2:] == ["0", "1"]
    assert _row(text, "new goals (runs)").split()[-4:] == ["sex", "1", "sex", "1"]


def test_where_performance_is_the_fitness_its_rows_are_left_out():
    text = _table({"reflex": [borderline_robust(), new_goal()]})
    assert "performance verdicts (runs)" not in text
    assert "performance retention (deploy" not in text.split("Key:")[0]
    assert "Performance here counts" not in text
    assert "borderline runs" in text and "new goals (runs)" in text


def test_the_key_states_the_rule_with_every_threshold():
    thresholds = {
        "robust_threshold": 0.65,
        "competence_threshold": 0.55,
        "regret_threshold": 0.25,
        "effect_threshold": 0.15,
    }
    text = _table({"planner": [robust_performance_lost()]}, thresholds=thresholds)
    key = " ".join(line.strip() for line in text.split("Key:", 1)[1].splitlines())
    assert "retention: 1 + (deploy - train) / |train|" in key  # signed
    assert "regret: (reference - deploy) / |reference|" in key
    assert "robust: retention >= 0.65" in key
    assert "high regret: regret > 0.25" in key and "unavoidable loss: regret <= 0.25" in key
    assert "signal retention >= 0.55" in key and "beyond what the reference collects" in key
    assert "effect size < 0.15" in key and "new goal: retention < 0.65" in key
    assert "unattributed loss:" in key and "new goal:" in key and "Borderline runs:" in key
    assert "performance retention >= 0.65" in key
    # the defaults, where a run records none
    key = _table({"planner": [robust_performance_lost()]}).split("Key:", 1)[1]
    assert "retention >= 0.7" in key and "effect size < 0.2" in key
    # the key is wrapped, and never splits a comparison
    assert all(len(line) <= 92 for line in key.splitlines())
    assert not any(line.rstrip().endswith((">=", "<=", ">", "<")) for line in key.splitlines())


def test_report_escapes_the_new_names_it_prints():
    s = summarize_reports([robust_performance_lost(), new_goal()])
    s = {**s, "traits": {}}
    s["performance_meaning"] = "harm\x1b[2J"
    s["new_goals"] = {"se\x1bx": 1}
    shown = _printable_summary(s)
    assert "\x1b" not in shown["performance_meaning"]
    assert all("\x1b" not in d for d in shown["new_goals"])
    assert shown["performance"] == {"kept": 0, "lost": 1}


def _knocked(sex_lost: float, seed: int):
    """A run whose knock-outs: sex costs ``sex_lost`` children in every individual and
    episode (under selection when > 0), offspring costs nothing."""
    fitness = np.full((6, 4), 2.0)
    train = {
        "fitness": fitness,
        "signals": np.stack([fitness, fitness], -1),
        "actions": np.ones((6, 4, 2)),
    }
    knock_outs = {
        "intact": fitness,
        "knocked": {"drive:sex": fitness - sex_lost, "drive:offspring": fitness},
    }
    return drift(train, train, seed=seed, knock_outs=knock_outs)


def test_the_table_counts_the_runs_in_which_each_knocked_out_part_is_under_selection():
    text = _table({"planner": [_knocked(1.0, 0), _knocked(0.5, 1), _knocked(0.0, 2)]})
    assert _row(text, "under selection (runs)").split()[-2:] == ["sex", "2"]
    key = " ".join(line.strip() for line in text.split("Key:", 1)[1].splitlines())
    assert "Under selection: a part of the evolved brains whose knock-out lowers" in key
    summary = summarize_reports([_knocked(1.0, 0)])["knock_outs"]
    assert summary["drive:sex"]["mean"] == 1.0 and summary["drive:offspring"]["mean"] == 0.0
    # a table without knock-outs has no such row, nor its key
    plain = _table({"planner": [robust_performance_kept()]})
    assert "under selection" not in plain and "Under selection" not in plain


def _with_convergence(report, converged: bool, late: float = 0.1):
    return replace(report, converged=converged, late_improvement=late)


def test_the_table_says_how_many_runs_converged_and_the_key_says_the_rule():
    planner = [
        _with_convergence(robust_performance_lost(), True),
        _with_convergence(robust_performance_kept(), True),
        _with_convergence(new_goal(), False, 1.5),
    ]
    reflex = [_with_convergence(borderline_robust(), False, 2.0), new_goal()]  # one unknown
    text = _table({"planner": planner, "reflex": reflex})
    row = _row(text, "converged (runs)")
    assert row.split()[-3:] == ["2/3", "0/1", "(n=1)"]
    assert "2/3" in row and row.rstrip().endswith("0/1 (n=1)")
    key = " ".join(line.strip() for line in text.split("Key:", 1)[1].splitlines())
    assert "Converged: runs whose evolution had stopped improving" in key
    assert "last fifth of the generations" in key
    s = summarize_reports(planner)
    assert (s["converged"], s["convergence_known"]) == (2, 3)


def test_runs_that_do_not_know_their_convergence_print_no_row():
    # reports written before they carried it: the summary and the table are as before
    s = summarize_reports([robust_performance_lost(), new_goal()])
    assert "converged" not in s and "convergence_known" not in s
    text = _table({"planner": [robust_performance_lost()]})
    assert "converged (runs)" not in text and "Converged:" not in text
