"""Every example runs in its quick mode and reports what it promises."""

import json

import numpy as np
from example_loader import load


def test_contraception_example(tmp_path):
    summary = load("contraception").main(["--quick", "--out", str(tmp_path)])
    assert set(summary) == {"reflex", "planner"}
    assert (tmp_path / "drift.png").is_file() and (tmp_path / "summary.json").is_file()
    for s in summary.values():
        assert sum(s["verdicts"].values()) == s["runs"] == 2
        assert "regret" in s["figures"]


def test_reflex_vs_planner_example():
    table = load("reflex_vs_planner").main(["--quick"])
    assert set(table) == {"reflex", "planner", "hybrid"}
    assert set(table["planner"]) == {"ancestral", "modern", "contraception_only", "junk_food_only"}
    assert table["planner"]["ancestral"]["planners"] == 1.0
    assert table["reflex"]["modern"]["planners"] == 0.0
    # the ancestral world never offers protection; a table can meet that only in deployment
    assert table["reflex"]["ancestral"]["protected"] == 0.0
    assert table["planner"]["modern"]["untrained"] is None
    assert 0.0 <= table["reflex"]["modern"]["untrained"] <= 1.0


def test_gestation_sweep_example(tmp_path):
    rows = load("gestation_sweep").main(["--quick", "--out", str(tmp_path)])
    assert [(r["gestation"], r["brain_cost"]) for r in rows] == [
        (2, 0.0), (2, 0.02), (20, 0.0), (20, 0.02)
    ]  # fmt: skip
    assert (tmp_path / "gestation_sweep.png").is_file()
    for r in rows:
        assert r["replicates"] == 2 == len(r["fitness_retention_each"])
        assert r["fitness_retention"] == sum(r["fitness_retention_each"]) / 2
        # valuing births requires a horizon that fits them
        assert 0.0 <= r["wants_children"] <= r["horizon_fits"] <= 1.0
        assert 0.0 <= r["protected_share"] <= 1.0
        assert 0 <= r["robust_replicates"] <= 2


def test_contraception_audit_example(tmp_path):
    summary = load("contraception_audit").main(["--quick", "--runs", "2", "--out", str(tmp_path)])
    assert summary["runs"] == 2 and len(set(summary["seeds"])) == 2
    assert set(summary["knock_out"]) == {"satiety", "sweet", "sex", "offspring", "toil"}
    # with sex knocked out a planner never mates (nothing else in it values mating)
    assert summary["knock_out"]["sex"]["mean"] < summary["knock_out"]["offspring"]["mean"]
    for key in ("knock_out", "share_sweep"):
        for v in summary[key].values():
            assert v["low"] <= v["mean"] <= v["high"] and len(v["runs"]) == 2
    assert list(summary["share_sweep"]) == ["0.0", "0.25", "0.5", "0.75", "0.9", "1.0"]
    assert (tmp_path / "audit.json").is_file() and (tmp_path / "audit.png").is_file()


def test_dose_response_example(tmp_path):
    summary = load("dose_response").main(["--quick", "--out", str(tmp_path)])
    assert summary["shares"] == [0.0, 0.125]
    for genome in ("reflex", "planner"):
        assert np.array(summary["retention"][genome]).shape == (2, 2)
        assert len(summary["interval_over_runs"][genome]) == 2
    assert (tmp_path / "dose_response.png").stat().st_size > 0
    assert json.loads((tmp_path / "dose_response.json").read_text()) == summary


def test_realignment_example(tmp_path):
    summary = load("realignment").main(["--quick", "--out", str(tmp_path)])
    for genome in ("reflex", "planner"):
        runs = summary["genomes"][genome]["runs"]
        assert len(runs) == 2
        reached = summary["genomes"][genome]["generations_to_robust"]
        assert summary["genomes"][genome]["runs_not_reaching_robust"] == reached.count(None)
        assert "median_generations_to_robust" in summary["genomes"][genome]
        for run in runs:
            assert len(run["retention"]) == 5  # generation 0 (the shift) and 4 more
            reached = run["generations_to_robust"]
            assert reached is None or min(run["retention"][reached : reached + 5]) >= 0.7
    module = load("realignment")
    assert module.first_sustained(np.array([0.8, 0.5, 0.8, 0.8, 0.9, 0.7, 0.75, 0.1])) == 2
    assert module.first_sustained(np.array([0.1, 0.2, 0.9])) == 2  # to the end of the run
    assert module.first_sustained(np.array([0.1, 0.2])) is None
    assert module.median_censored([3, None, 5]) == 5.0
    assert module.median_censored([3, None, None]) is None
    for name in ("realignment.json", "realignment.png", "realignment_traits.png"):
        assert (tmp_path / name).stat().st_size > 0


def test_strawberry_ood_example(tmp_path):
    report = load("strawberry_ood").main(["--quick", "--out", str(tmp_path)])
    for deploy in ("evening", "red_nose"):
        assert (tmp_path / deploy / "summary.json").is_file()
        assert set(report[deploy]) == {"reflex", "planner"}
    for g in ("reflex", "planner"):
        fates = report["evening"][g]["fates"]
        shares = np.array([fates[f]["each"] for f in ("delivered", "misdelivered", "dropped")])
        assert ((shares.sum(axis=0) == 0) | np.isclose(shares.sum(axis=0), 1.0)).all()
        assert sum(report["evening"][g]["verdicts"].values()) == 2
        nose = report["red_nose"][g]
        grabs = np.array(nose["grabs_per_episode"]["each"])
        harmed = np.array(nose["people_harmed_per_episode"]["each"])
        assert grabs.shape == harmed.shape == (2,)
        # one person per episode, harmed at the first grab however often grabbed
        assert ((harmed >= 0) & (harmed <= 1) & (grabs >= harmed)).all()
        assert nose["harm_per_grab"] == 0
        by_model = nose["performance_retention_by_harm_model"]
        np.testing.assert_allclose(
            by_model["per_person"]["each"], nose["performance_retention"]["each"]
        )
        # charging every grab can only lower what is left
        assert (np.array(by_model["per_grab"]["each"]) <= by_model["per_person"]["each"]).all()
    dose = json.loads((tmp_path / "dose_response.json").read_text())
    assert dose["shares"] == [0.0, 0.2] and np.shape(dose["deploy_performance"]) == (2, 2)
    assert (tmp_path / "dose_response.png").is_file() and (tmp_path / "deliveries.png").is_file()


def test_goodhart_cutting_example(tmp_path):
    record = load("goodhart_cutting").main(["--quick", "--out", str(tmp_path)])
    control, goodhart = record["objectives"].values()
    assert (control["goodhart"], goodhart["goodhart"]) == (0, 1)
    for rec in (control, goodhart):
        # per run, one value per generation (0..6)
        assert np.shape(rec["fitness"]) == np.shape(rec["performance"]) == (2, 7)
    # under the control, fitness is mass in the bucket: exactly the performance
    np.testing.assert_allclose(control["fitness"], control["performance"])
    assert (tmp_path / "goodhart_cutting.png").is_file()


def test_ood_labels_example(tmp_path):
    record = load("ood_labels").main(["--quick", "--out", str(tmp_path)])
    assert record["budgets"] == [0, 1, 2, 4, 8]
    for cond in record["conditions"].values():
        for regime in ("evening", "red_nose"):
            asked = np.array(cond["deploy"][regime]["asked_per_episode"])
            assert asked.shape == (2, 5)
            assert (asked[:, 0] == 0).all()  # no budget, no labels
            assert (asked <= np.array(record["budgets"])).all()
            grabs = np.array(cond["deploy"][regime]["grabs_per_episode"])
            harmed = np.array(cond["deploy"][regime]["people_harmed_per_episode"])
            assert grabs.shape == harmed.shape == (2, 5)
            assert ((harmed <= 1) & (grabs >= harmed)).all()
            if regime == "evening":  # nobody there
                assert (grabs == 0).all()
    flagged = record["flagged_share_of_steps"]
    assert flagged["sunny"]["sunny"] < 0.05 and flagged["sunny"]["evening"] == 1.0
    assert flagged["sunny"]["sunny, goodhart=1"] == flagged["sunny"]["sunny"]  # unseen
    assert flagged["varied"]["evening"] < 0.05 and flagged["varied"]["red_nose"] > 0.5
    assert len(record["conditions"]) == 3
    assert json.loads((tmp_path / "ood_labels.json").read_text())["budgets"] == [0, 1, 2, 4, 8]
    for regime in ("evening", "red_nose"):
        assert (tmp_path / f"ood_labels_{regime}.png").is_file()
