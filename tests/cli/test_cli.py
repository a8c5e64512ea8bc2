"""The evomesa command line, end to end on a small budget."""

import json
import subprocess
import sys

import pytest

import evomesa as em
from evomesa.cli import main
from evomesa.cli.options import parse_set

SMALL = [
    "--population",
    "20",
    "--generations",
    "2",
    "--episodes",
    "2",
    "--drift-episodes",
    "4",
    "--replicates",
    "2",
    "--workers",
    "1",
    "-q",
]


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_worlds_lists_every_registered_world(capsys):
    assert main(["worlds"]) == 0
    listed = capsys.readouterr().out.split()
    assert listed == sorted(em.list_worlds()) and {"contraception", "strawberry"} <= set(listed)
    assert main(["worlds", "-v"]) == 0
    text = capsys.readouterr().out
    assert "gestation" in text and "detector_fit" in text


def test_version_is_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"evomesa {em.__version__}"


def test_a_reader_that_stops_reading_ends_the_output_quietly():
    # `evomesa worlds -v | head -1`: the pipe's reader is gone before anything is written
    child = subprocess.Popen(
        [sys.executable, "-m", "evomesa", "worlds", "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()
    _, err = child.communicate(timeout=120)
    assert child.returncode == 141  # as a shell reports a process ended by SIGPIPE
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_help_shows_defaults_and_regimes(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    assert "(default: 5)" in text and "(default: 0)" in text
    assert "300 for reflexes" in " ".join(text.split())  # the per-genome generations
    assert "contraception: ancestral, modern, contraception_only, junk_food_only" in text


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "run"
    assert main(["run", "contraception", *SMALL, "--out", str(out)]) == 0
    return out


def test_run_writes_a_readable_folder(finished_run, capsys):
    out = finished_run
    summary = json.loads((out / "summary.json").read_text())
    # the default: a table, a network and a planner
    assert list(summary["genomes"]) == ["reflex", "reflex_net", "planner"]
    for genome in ("reflex", "reflex_net", "planner"):
        s = summary["genomes"][genome]
        assert s["runs"] == 2 and sum(s["verdicts"].values()) == 2
        assert len(s["figures"]["fitness_retention"]["runs"]) == 2
        assert "regret" in s["figures"] and s["traits"]
    assert json.loads((out / "run.json").read_text())["replicates"] == 2
    for name in (
        "summary.txt",
        "fitness.png",
        "drift.png",
        "signal_vs_fitness_planner.png",
        "traits_planner.png",
        "reflex/replicate-0/result.json",
        "planner/replicate-1/drift.json",
        "planner/replicate-0/reference/result.json",
    ):
        assert (out / name).is_file(), name
    text = (out / "summary.txt").read_text()
    assert "fitness retention" in text and "verdicts (runs)" in text and "regret" in text
    assert "Key:" in text
    # no row repeats another: the offspring signal is fitness itself
    assert "offspring: signal retention" not in text


def test_report_shows_one_or_several_runs(finished_run, tmp_path, capsys):
    assert main(["report", str(finished_run)]) == 0
    one = capsys.readouterr().out
    table = (finished_run / "summary.txt").read_text().split("\n\n", 1)[1]
    assert table.strip().splitlines()[2] in one  # the first row, as printed at run time
    other = tmp_path / "gestation5"
    assert main(["run", "contraception", *SMALL, "--set", "gestation=5", "--out", str(other)]) == 0
    capsys.readouterr()
    assert main(["report", str(finished_run), str(other)]) == 0
    both = capsys.readouterr().out
    assert "run: planner" in both and "gestation5: planner" in both
    assert "gestation=5" in both  # changed parameters are named in the run's line


def test_an_occupied_folder_needs_force_and_stays_untouched(finished_run, capsys):
    before = _files(finished_run)
    code = main(["run", "contraception", *SMALL, "--seed", "3", "--out", str(finished_run)])
    assert code == 2
    err = capsys.readouterr().err
    assert "already holds another run" in err and "--force" in err
    assert _files(finished_run) == before


def test_force_replaces_a_run_whole_and_never_other_folders(finished_run, tmp_path, capsys):
    out = tmp_path / "x"
    args = ["run", "contraception", *SMALL, "--genome", "planner", "--out", str(out)]
    assert main(args) == 0
    (out / "stray.txt").write_text("old")
    assert main(args) == 2
    assert (out / "stray.txt").read_text() == "old"
    # a file added to a run is not evomesa's to delete, even with --force (issue 15)
    assert main([*args, "--seed", "4", "--force"]) == 2
    assert (out / "stray.txt").read_text() == "old"
    (out / "stray.txt").unlink()
    assert main([*args, "--seed", "4", "--force"]) == 0
    assert (out / "summary.json").is_file()
    assert json.loads((out / "run.json").read_text())["seed"] == 4
    # a folder that holds no run is never replaced, --force or not
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    capsys.readouterr()
    assert main(["run", "contraception", *SMALL, "--out", str(mine), "--force"]) == 2
    assert "no run" in capsys.readouterr().err
    assert (mine / "notes.txt").read_text() == "keep"


def test_same_seed_same_result_in_one_process_or_two(tmp_path):
    for name, workers in (("a", "1"), ("b", "2")):
        args = ["run", "contraception", *SMALL, "--genome", "hybrid", "--seed", "7"]
        assert main([*args, "--workers", workers, "--out", str(tmp_path / name)]) == 0
    a = (tmp_path / "a" / "summary.json").read_text()
    assert a == (tmp_path / "b" / "summary.json").read_text()


def test_parameters_mixtures_and_deploy_worlds_are_recorded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default --out is under runs/
    args = [
        "run",
        "contraception",
        *SMALL,
        "--genome",
        "planner",
        "--set",
        "gestation=5",
        "brain_cost=0.01",
        "--train",
        "ancestral=0.75,modern=0.25",
        "--deploy-set",
        "p_conceive=0",
    ]
    assert main(args) == 0
    runs = list((tmp_path / "runs").iterdir())
    assert len(runs) == 1
    name = runs[0].name
    assert "gestation=5" in name and "train=ancestral=0.75,modern=0.25" in name
    assert "deploy.p_conceive=0" in name
    ident = json.loads((runs[0] / "run.json").read_text())
    assert ident["changed_params"] == {"gestation": 5, "brain_cost": 0.01}
    assert ident["config"]["regime"] == {"ancestral": 0.75, "modern": 0.25}
    assert ident["deploy_params"] == {"p_conceive": 0.0}
    assert "gestation=5" in (runs[0] / "summary.txt").read_text()


def test_progress_without_a_terminal_is_a_few_plain_lines(tmp_path, capsys):
    args = ["run", "contraception", *SMALL[:-1], "--genome", "planner", "--out", str(tmp_path)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "\r" not in err
    assert "compiling" in err and "replicate 1 of 2" in err and "replicate 2 of 2" in err
    assert len(err.splitlines()) < 15


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "gestation=0"], "gestation must be an integer in [1, 1000]; got 0"),
        (["--set", "gestaton=3"], "unknown parameter 'gestaton'"),
        (["--set", "nonsense"], "--set must be given as param=value"),
        (["--population", "1"], "population must be an integer"),
        (["--deploy", "future"], "--deploy must be one of"),
        (["--train", "future"], "--train must be one of"),
        (["--train", "ancestral=0.5,modern=0.4"], "--train probabilities must sum to 1"),
        (["--deploy-set", "p_conceive=2"], "p_conceive must be"),
        (["--drift-episodes", "0"], "--drift-episodes must be an integer"),
        (["--replicates", "0"], "--replicates must be an integer"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys, args, message):
    assert main(["run", "contraception", *SMALL, *args, "--out", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_report_of_a_non_run_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "summary.json" in capsys.readouterr().err


def test_parse_set_reads_python_literals():
    assert parse_set(["a=3", "b=0.5", "c=abc"]) == {"a": 3, "b": 0.5, "c": "abc"}


def test_out_pointing_at_a_file_fails_before_any_work(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    assert main(["run", "contraception", *SMALL, "--out", str(target)]) == 2
    assert "--out" in capsys.readouterr().err
    assert target.read_text() == "keep me"


def test_set_may_be_repeated(tmp_path):
    out = tmp_path / "r"
    args = ["run", "contraception", *SMALL, "--genome", "planner", "--out", str(out)]
    assert main([*args, "--set", "gestation=4", "--set", "n_junk=2"]) == 0
    params = json.loads((out / "run.json").read_text())["world_params"]
    assert (params["gestation"], params["n_junk"]) == (4, 2)


def test_run_evolves_reflex_networks_beside_tables_and_planners(tmp_path, capsys):
    out = tmp_path / "three"
    args = ["run", "contraception", *SMALL, "--genome", "reflex", "reflex_net", "planner"]
    assert main([*args, "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())["genomes"]
    assert list(summary) == ["reflex", "reflex_net", "planner"]
    for genome in ("reflex", "reflex_net"):  # every reflex kind has the share
        assert len(summary[genome]["figures"]["novel_decision_share"]["runs"]) == 2
    assert "novel_decision_share" not in summary["planner"]["figures"]
    net = summary["reflex_net"]
    assert set(net["knock_outs"]) == {
        f"feature:{f.name}" for f in em.make_world("contraception").features
    }
    assert set(summary["planner"]["knock_outs"]) == {
        f"drive:{d}" for d in em.make_world("contraception").drives
    }
    assert "sense[mate_offers]" in net["traits"] and "architecture" not in net["traits"]
    text = (out / "summary.txt").read_text()
    assert "reflex decisions on inputs unseen in training" in text
    assert "under selection (runs)" in text
    assert (out / "traits_reflex_net.png").is_file()
    drift = json.loads((out / "reflex_net/replicate-1/drift.json").read_text())
    assert em.DriftReport.from_dict(drift).knock_outs is not None
    capsys.readouterr()
    assert main(["report", str(out)]) == 0  # the folder reads back, every check passed
    assert "under selection (runs)" in capsys.readouterr().out


def test_a_run_of_a_world_whose_reference_carries_deploy_beliefs_reads_back(tmp_path):
    # deception's reference evolves with beliefs learnt in deployment (World.adapted_to):
    # the folder's reader must expect that world, not the plain deploy world
    out = tmp_path / "deception"
    args = ["run", "deception", *SMALL, "--genome", "planner", "--out", str(out)]
    assert main(args) == 0
    assert main(["report", str(out)]) == 0
