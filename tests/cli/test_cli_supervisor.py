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
