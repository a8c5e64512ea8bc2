"""The evomesa command line, end to end on a small budget."""

import json

import pytest

from evomesa.cli import _parse_set, main

SMALL = [
    "--population",
    "20",
    "--generations",
    "2",
    "--episodes",
    "2",
    "--drift-episodes",
    "4",
    "-q",
]


def test_worlds_lists_the_contraception_world(capsys):
    assert main(["worlds"]) == 0
    assert capsys.readouterr().out.split() == ["contraception"]
    assert main(["worlds", "-v"]) == 0
    assert "gestation" in capsys.readouterr().out


def test_run_then_report(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "contraception", *SMALL, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "fitness retention" in text and "verdict" in text
    assert "reflex" in text and "planner" in text
    summary = json.loads((out / "summary.json").read_text())
    assert summary["genomes"] == ["reflex", "planner"]
    for name in (
        "fitness.png",
        "drift.png",
        "signal_vs_fitness_planner.png",
        "traits_planner.png",
        "reflex/result.json",
        "planner/drift.json",
    ):
        assert (out / name).is_file(), name

    assert main(["report", str(out)]) == 0
    again = capsys.readouterr().out
    # the report reprints the same drift table from disk
    table = text[text.index("fitness in ancestral") : text.index("verdict")]
    assert table in again


def test_run_is_deterministic(tmp_path):
    for name in ("a", "b"):
        assert (
            main(
                [
                    "run",
                    "contraception",
                    *SMALL,
                    "--genome",
                    "hybrid",
                    "--seed",
                    "7",
                    "--out",
                    str(tmp_path / name),
                ]
            )
            == 0
        )
    a = (tmp_path / "a" / "summary.json").read_text()
    assert a == (tmp_path / "b" / "summary.json").read_text()


def test_set_passes_world_parameters(tmp_path):
    out = tmp_path / "g"
    assert (
        main(
            [
                "run",
                "contraception",
                *SMALL,
                "--genome",
                "planner",
                "--set",
                "gestation=5",
                "brain_cost=0.01",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    params = json.loads((out / "summary.json").read_text())["world_params"]
    assert params["gestation"] == 5 and params["brain_cost"] == 0.01


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "gestation=0"], "gestation must be an integer in [1, 1000]; got 0"),
        (["--set", "gestaton=3"], "unknown parameter 'gestaton'"),
        (["--set", "nonsense"], "--set must be given as param=value"),
        (["--population", "1"], "population must be an integer"),
        (["--deploy", "future"], "--deploy must be one of"),
        (["--train", "future"], "--train must be one of"),
        (["--drift-episodes", "0"], "--drift-episodes must be an integer"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys, args, message):
    assert main(["run", "contraception", *SMALL, *args, "--out", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err


def test_report_of_a_non_run_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "summary.json" in capsys.readouterr().err


def test_parse_set_reads_python_literals():
    assert _parse_set(["a=3", "b=0.5", "c=abc"]) == {"a": 3, "b": 0.5, "c": "abc"}


def test_out_pointing_at_a_file_fails_before_any_work(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    assert main(["run", "contraception", *SMALL, "--out", str(target)]) == 2
    assert "--out must be a folder" in capsys.readouterr().err
    assert target.read_text() == "keep me"


def test_set_may_be_repeated(tmp_path):
    out = tmp_path / "r"
    assert (
        main(
            [
                "run",
                "contraception",
                *SMALL,
                "--genome",
                "planner",
                "--set",
                "gestation=4",
                "--set",
                "n_junk=2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    params = json.loads((out / "summary.json").read_text())["world_params"]
    assert (params["gestation"], params["n_junk"]) == (4, 2)
