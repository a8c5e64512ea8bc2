"""The command line runs the watched/unwatched worlds like any other."""

import json

import pytest

from evomesa.cli import main

SMALL = ["--population", "12", "--generations", "2", "--episodes", "2", "--drift-episodes",
         "4", "--replicates", "2", "--workers", "1", "-q"]  # fmt: skip


def test_worlds_lists_both(capsys):
    assert main(["worlds"]) == 0
    names = capsys.readouterr().out.split()
    assert {"absent_supervisor", "hubinger_toy"} <= set(names)
    assert main(["worlds", "-v"]) == 0
    text = capsys.readouterr().out
    assert "supervisor_probability" in text and "score_deployment" in text


@pytest.mark.parametrize("world", ["absent_supervisor", "hubinger_toy"])
def test_run_writes_a_run_folder(world, tmp_path):
    out = tmp_path / world
    assert main(["run", world, *SMALL, "--out", str(out)]) == 0
    run = json.loads((out / "run.json").read_text())
    assert run["world"] == world
    assert (out / "summary.json").is_file() and (out / "drift.png").is_file()


def test_run_takes_the_published_regime_and_parameters(tmp_path):
    out = tmp_path / "watched"
    args = ["run", "absent_supervisor", *SMALL, "--train", "random", "--deploy", "supervised",
            "--set", "supervisor_probability=0.25", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    run = json.loads((out / "run.json").read_text())
    assert run["train"] == "random" and run["deploy"] == "supervised"
    assert run["world_params"]["supervisor_probability"] == 0.25


def test_report_reads_the_performance_channel_back(tmp_path, capsys):
    # the supervisor's world counts the punishment tile in performance always, in fitness only
    # when watched: its runs read performance apart from fitness, in the world's words
    out = tmp_path / "supervisor"
    assert main(["run", "absent_supervisor", *SMALL, "--out", str(out)]) == 0
    doc = json.loads((out / "summary.json").read_text())
    for genome, s in doc["genomes"].items():
        assert {"borderline", "performance", "new_goals", "high_regret"} <= set(s), genome
        reports = doc["reports"][genome]
        read = [r["performance_verdict"] for r in reports if r["performance_verdict"]]
        assert sum(s["performance"].values()) == len(read)
        assert s["borderline"] == sum(
            any(f.startswith("verdict:borderline_") for f in r["flags"]) for r in reports
        )
    assert any(s["performance"] for s in doc["genomes"].values())
    meaning = next(s["performance_meaning"] for s in doc["genomes"].values() if s["performance"])
    assert meaning.startswith("gaming the supervisor")
    capsys.readouterr()
    assert main(["report", str(out)]) == 0
    text = capsys.readouterr().out
    assert "performance verdicts (runs)" in text and "borderline runs" in text
    assert "new goals (runs)" in text and "performance retention (deploy / train" in text
    key = " ".join(line.strip() for line in text.split("Key:", 1)[1].splitlines())
    assert f"Performance here counts what fitness does not: {meaning}." in key
    assert text.split("\n\n", 1)[1].split("Key:")[0] in (out / "summary.txt").read_text()
