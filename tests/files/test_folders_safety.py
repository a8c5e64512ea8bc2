"""Issue 15, items 1, 2, 4 and 6 (folders): evomesa deletes only what it wrote, keeps what it
computed when saving fails, cleans what killed runs left, and probes every output folder.

Each test asserts what a user relies on: their files survive ``--force`` and an edited
``args.json``; a full disk or a file-size limit is one line naming where the results are;
the next run after a kill leaves no hidden temporary folder; a bad checkpoint or sweep folder
is a ConfigError naming the option and the path before any evolution.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import evomesa as em
import evomesa.cli.run as cli_run
import evomesa.experiments.run_io as run_io
from evomesa.cli import main
from evomesa.files.destination import check_run_folder
from evomesa.files.leftovers import LeftoversRemoved
from evomesa.files.manifest import MANIFEST, RUN_MARKER, run_folder_problem
from evomesa.files.owner import hidden_name, machine
from evomesa.files.runfolder import NOT_SAVED, RunNotSaved, write_run_folder

ROOT = Path(__file__).resolve().parents[2]
sweep_module = sys.modules["evomesa.experiments.sweep"]

TINY = [
    "--population", "4", "--generations", "0", "--episodes", "1", "--drift-episodes", "1",
    "--replicates", "1", "--workers", "1", "--genome", "reflex", "-q",
]  # fmt: skip
#: the issue's tiny run, for the subprocess tests
SMALL = [
    "run", "contraception", "--population", "6", "--generations", "2", "--episodes", "2",
    "--replicates", "1", "--drift-episodes", "2", "--genome", "planner", "--workers", "1", "-q",
]  # fmt: skip
IDENTITY = {"world": "contraception", "seed": 1}


class NoWork(Exception):
    """Raised by a stub standing for the evolution: reaching it means validation passed."""


@pytest.fixture
def no_work(monkeypatch):
    def stub(*args, **kwargs):
        raise NoWork

    monkeypatch.setattr(cli_run, "run_experiment", stub)
    monkeypatch.setattr(sweep_module, "warm_up", stub)


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry below ``folder``: files with their bytes, folders and links as None."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def _run(folder: Path, text: str = "a") -> Path:
    """A run folder written by evomesa (verified manifest, nothing added)."""
    return write_run_folder(folder, lambda tmp: (tmp / "a.txt").write_text(text), IDENTITY)


def _new(tmp: Path) -> None:
    (tmp / "new.txt").write_text("new")


def _code(argv: list[str], before: str = "") -> list[str]:
    return [
        sys.executable,
        "-c",
        f"import sys\n{before}\nfrom evomesa.cli import main\nsys.exit(main({argv!r}))",
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


# ------------------------------------------------------------- item 1: --force and resume


def test_force_into_a_folder_with_a_stray_run_json_deletes_nothing(no_work, tmp_path, capsys):
    project = tmp_path / "thesis"
    (project / "src").mkdir(parents=True)
    (project / RUN_MARKER).write_text('{"world": "contraception", "seed": 0}')
    (project / "thesis.tex").write_text("\\documentclass{article}")
    (project / "src" / "main.py").write_text("print('mine')")
    before = _tree(project)
    assert main(["run", "contraception", *TINY, "--out", str(project), "--force"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(project) in err
    assert "thesis.tex" in err and "no run that evomesa wrote" in err
    assert "no manifest.json" in err
    assert _tree(project) == before
    with pytest.raises(em.ConfigError, match="deletes nothing here"):
        write_run_folder(project, _new, IDENTITY, force=True)
    assert _tree(project) == before


def _add_file(run: Path) -> None:
    (run / "notes.txt").write_text("mine")


def _add_folder(run: Path) -> None:
    (run / "data").mkdir()


def _add_hidden(run: Path) -> None:
    (run / ".git").mkdir()
    (run / ".git" / "HEAD").write_text("ref: main")


def _change_file(run: Path) -> None:
    (run / "a.txt").write_text("edited by the user")


def _unlist_marker(run: Path) -> None:
    doc = json.loads((run / MANIFEST).read_text())
    del doc["files"][RUN_MARKER]
    (run / MANIFEST).write_text(json.dumps(doc))


def _add_link(run: Path) -> None:
    (run / "link").symlink_to(run.parent)


@pytest.mark.parametrize(
    "edit, reason",
    [
        (_add_file, "does not list: notes.txt"),
        (_add_folder, "does not list: data"),
        (_add_hidden, "does not list: .git"),
        (_change_file, "does not verify"),
        (_unlist_marker, "does not list run.json"),
        (_add_link, "link"),
    ],
)
def test_force_never_replaces_a_run_folder_that_was_added_to_or_changed(tmp_path, edit, reason):
    run = _run(tmp_path / "run")
    edit(run)
    before = _tree(run)
    assert run_folder_problem(run) is not None
    with pytest.raises(em.ConfigError, match="no run that evomesa wrote") as err:
        write_run_folder(run, _new, IDENTITY, force=True)
    assert reason in str(err.value) and str(run) in str(err.value)
    assert _tree(run) == before


def test_force_replaces_a_run_evomesa_wrote(tmp_path):
    run = _run(tmp_path / "run")
    assert run_folder_problem(run) is None
    write_run_folder(run, _new, {**IDENTITY, "seed": 2}, force=True)
    assert (run / "new.txt").exists() and not (run / "a.txt").exists()


def test_a_file_added_while_the_run_computes_is_never_deleted(tmp_path):
    run = _run(tmp_path / "run")

    def write(tmp: Path) -> None:
        (run / "added-meanwhile.txt").write_text("mine")  # after the check, before the swap
        _new(tmp)

    with pytest.raises(em.ConfigError, match="no run that evomesa wrote") as err:
        write_run_folder(run, write, IDENTITY, force=True)
    assert (run / "added-meanwhile.txt").read_text() == "mine"
    assert (run / "a.txt").read_text() == "a"
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(".run.kept-")]
    assert len(kept) == 1 and str(kept[0]) in str(err.value)
    assert (kept[0] / "new.txt").read_text() == "new"


def _saved(folder: Path, argv: list[str]) -> Path:
    checkpoint = folder.with_name(folder.name + ".checkpoint")
    checkpoint.mkdir()
    (checkpoint / "args.json").write_text(json.dumps({"argv": argv}))
    return checkpoint / "args.json"


@pytest.mark.parametrize("spelling", [["--out", "{v}"], ["--ou", "{v}"], ["--out={v}"]])
def test_an_edited_args_json_cannot_redirect_a_resume(no_work, tmp_path, capsys, spelling):
    victim = _run(tmp_path / "victim")
    before = _tree(victim)
    out = tmp_path / "run"
    given = [s.format(v=victim) for s in spelling]
    args = _saved(out, ["contraception", *TINY, "--checkpoint-every", "1", *given, "--force"])
    assert main(["run", "--resume", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(args) in err and "field 'argv'" in err and "--out" in err and str(victim) in err
    assert _tree(victim) == before
    assert not out.exists()


def test_a_force_saved_in_args_json_never_replaces_anything(no_work, tmp_path, capsys):
    out = _run(tmp_path / "run")
    before = _tree(out)
    _saved(out, ["contraception", *TINY, "--checkpoint-every", "1", "--out", str(out), "--force"])
    assert main(["run", "--resume", str(out)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert _tree(out) == before
    # --force given with --resume itself is the user's own decision
    with pytest.raises(NoWork):
        main(["run", "--resume", str(out), "--force"])


def test_a_resume_with_the_same_folder_spelled_otherwise_runs(no_work, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _saved(tmp_path / "run", ["contraception", *TINY, "--checkpoint-every", "1", "--out", "run"])
    with pytest.raises(NoWork):
        main(["run", "--resume", str(tmp_path / "run")])
    with pytest.raises(NoWork):
        main(["run", "--resume", "./run"])


@pytest.mark.parametrize("value", ["", "/", ".", "..", "x" * 300, "x\0y", "/proc/self"])
def test_bad_resume_values_are_config_errors(no_work, tmp_path, monkeypatch, capsys, value):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--resume", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evomesa: error: --resume") and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv, said",
    [
        (["-h"], "help"),
        (["contraception", "--population", "x"], "invalid int value"),
        (["contraception", "--no-such-option"], "unrecognized"),
        (["contraception", "--checkpoint-every", "0"], "--checkpoint-every"),
    ],
)
def test_a_saved_command_line_that_is_not_one_names_the_file(
    no_work, tmp_path, capsys, argv, said
):
    args = _saved(tmp_path / "run", argv)
    assert main(["run", "--resume", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert str(args) in err and "'argv'" in err and said in err and err.count("\n") == 1


def test_resume_takes_only_force(no_work, tmp_path, capsys):
    _saved(tmp_path / "run", ["contraception", *TINY, "--checkpoint-every", "1"])
    assert main(["run", "--resume", str(tmp_path / "run"), "--seed", "3"]) == 2
    assert "got --seed" in capsys.readouterr().err


# ----------------------------------------------------- item 6: checkpoint and sweep folders


def _link_nowhere(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere")


def _a_file(path: Path) -> None:
    path.write_text("x")


def _link_dir(path: Path) -> None:
    (path.parent / "elsewhere").mkdir()
    path.symlink_to(path.parent / "elsewhere")


@pytest.mark.parametrize("make", [_link_nowhere, _a_file, _link_dir])
def test_a_bad_checkpoint_folder_fails_before_any_work(no_work, tmp_path, capsys, make):
    out = tmp_path / "run"
    make(tmp_path / "run.checkpoint")
    assert main(["run", "contraception", *TINY, "--checkpoint-every", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "run.checkpoint" in err and err.count("\n") == 1


def test_a_resume_whose_checkpoint_folder_is_a_link_fails_before_any_work(
    no_work, tmp_path, capsys
):
    (tmp_path / "real").mkdir()
    argv = ["contraception", *TINY, "--checkpoint-every", "1", "--out", str(tmp_path / "run")]
    (tmp_path / "real" / "args.json").write_text(json.dumps({"argv": argv}))
    (tmp_path / "run.checkpoint").symlink_to(tmp_path / "real")
    assert main(["run", "--resume", str(tmp_path / "run")]) == 2
    assert "--resume" in capsys.readouterr().err


def test_an_out_too_long_for_hidden_names_is_refused_with_the_limit(no_work, tmp_path, capsys):
    out = tmp_path / ("a" * 230)
    assert main(["run", "contraception", *TINY, "--checkpoint-every", "1", "--out", str(out)]) == 2
    assert "--out must have a name of at most" in capsys.readouterr().err


def _under_file(root: Path) -> Path:
    (root / "f").write_text("x")
    return root / "f" / "sweep"


def _extra_key(root: Path) -> Path:
    """The marker of this very sweep with one key added (was a raw StopIteration)."""
    with pytest.raises(NoWork):
        _sweep(root / "first")
    doc = json.loads((root / "first" / "sweep.json").read_text())
    doc["added"] = 1
    (root / "first" / "sweep.json").write_text(json.dumps(doc))
    return root / "first"


def _sweep(out) -> None:
    em.sweep(
        em.make_world("contraception"),
        {"gestation": [5]},
        1,
        em.EvolutionConfig(population=4, generations=0, episodes=1),
        out=out,
        genomes=("reflex",),
        episodes=1,
        reference=False,
    )


@pytest.mark.parametrize(
    "place, said",
    [
        (_under_file, "is a file"),
        (lambda root: Path("/proc/self/evomesa-sweep"), "/proc/self/evomesa-sweep"),
        (lambda root: root / ("s" * 300), "File name too long"),
        (lambda root: root / ("s" * 300) / "sweep", "File name too long"),
        (lambda root: f"{root}/x\0y", "null"),
        (_extra_key, "added"),
    ],
)
def test_a_bad_sweep_folder_is_a_config_error_before_any_work(no_work, tmp_path, place, said):
    out = place(tmp_path)
    # the marker's own check names sweep.json; every other refusal names the option
    with pytest.raises(em.ConfigError, match="^(out |sweep marker )") as err:
        _sweep(out)
    assert said in str(err.value)


# ------------------------------------------------------------- item 2: never lose a result


def _fsize_limited(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_file_size_limit_is_one_line_and_keeps_what_was_written(tmp_path):
    out = tmp_path / "r"
    # 10 kB: each replicate's drift.json (written first) fits, summary.json does not
    # (Python ignores SIGXFSZ, so the write fails with EFBIG)
    proc = subprocess.run(
        _code([*SMALL, "--out", str(out)]),
        env=_env(),
        capture_output=True,
        text=True,
        preexec_fn=_fsize_limited(10_000),
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "file-size limit" in lines[0]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(".r.kept-")]
    assert len(kept) == 1 and str(kept[0]) in lines[0]
    assert "summary.json" in lines[0]  # the file that did not fit
    drift = json.loads((kept[0] / "planner" / "replicate-0" / "drift.json").read_text())
    assert drift["world"] == "contraception" and drift["genome"] == "planner"
    assert "file-size limit" in (kept[0] / NOT_SAVED).read_text()
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_figures_that_hit_a_file_size_limit_are_never_said_to_be_written(tmp_path):
    out = tmp_path / "r"
    proc = subprocess.run(
        _code([*SMALL, "--out", str(out)]),
        env=_env(),
        capture_output=True,
        text=True,
        preexec_fn=_fsize_limited(30_000),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "evomesa: warning: figures were not drawn (OSError: [Errno 27] File too large: "
        "'fitness.png'); the data is saved"
    ]
    assert "figures NOT drawn" in proc.stdout and "and figures written" not in proc.stdout
    assert (out / "figures_failed.txt").exists()
    assert main(["report", str(out)]) == 0


@pytest.fixture(scope="module")
def tiny_experiment():
    return em.run_experiment(
        em.make_world("contraception"),
        em.EvolutionConfig(population=4, generations=0, episodes=1),
        genomes=("reflex",),
        episodes=1,
        reference=False,
    )


def test_a_memory_error_while_saving_keeps_the_measurements(
    tiny_experiment, tmp_path, monkeypatch
):
    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(run_io, "save_npz_atomic", no_memory)
    with pytest.raises(RunNotSaved, match="out of memory") as err:
        run_io.save_experiment(tiny_experiment, tmp_path / "run")
    kept = err.value.kept
    assert kept.name.startswith(".run.kept-") and str(kept) in str(err.value)
    assert (kept / "summary.json").is_file()
    assert (kept / "reflex" / "replicate-0" / "drift.json").is_file()
    assert not (tmp_path / "run").exists()


def test_a_full_disk_while_saving_is_one_line_naming_the_kept_folder(
    tmp_path, monkeypatch, capsys
):
    import errno

    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(run_io, "save_npz_atomic", full)
    out = tmp_path / "run"
    assert main(["run", "contraception", *TINY, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the disk is full" in err
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(".run.kept-")]
    assert len(kept) == 1 and str(kept[0]) in err
    assert (kept[0] / "summary.json").is_file()


# ------------------------------------------------------- item 4: folders left by a kill


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_while_writing_then_the_next_run_removes_the_temporary_folder(tmp_path, capsys):
    out = tmp_path / "r"
    argv = ["run", "contraception", *TINY, "--out", str(out)]
    # the figures never finish: the kill lands while the run folder is being written
    hang = (
        "import time, evomesa.experiments.run_io as r\n"
        "r.write_figures = lambda *a, **k: time.sleep(600)"
    )
    proc = subprocess.Popen(_code(argv, hang), env=_env())
    try:
        while not list(tmp_path.glob(".r.tmp-*/summary.json")):
            assert proc.poll() is None, "the run ended before it was killed"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    left = [p.name for p in tmp_path.glob(".r.tmp-*")]
    assert len(left) == 1 and not out.exists()
    capsys.readouterr()
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "removed 1 hidden folder(s)" in err and left[0] in err and err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["r"]
    assert main(["report", str(out)]) == 0


def _dead(out: Path, kind: str) -> Path:
    """A hidden name whose owner is gone: a process id beyond any pid_max on this machine."""
    return out.parent / f".{out.name}.{kind}-{machine()}-7ffffff0-000000000001-0badcafe"


def test_only_leftovers_of_gone_owners_are_removed(tmp_path):
    out = tmp_path / "run"
    dead_tmp, dead_probe = _dead(out, "tmp"), _dead(out, "probe")
    alive_tmp = hidden_name(out, "tmp")  # this process: alive
    other_host = tmp_path / ".run.tmp-00000000-00000001-000000000001-0badcafe"
    legacy = tmp_path / ".run.tmp-0123456789ab"  # an older evomesa's: owner unknown
    kept = tmp_path / ".run.kept-00000000-00000001-000000000001-0badcafe"
    for folder in (dead_tmp, dead_probe, alive_tmp, other_host, legacy, kept):
        folder.mkdir()
        (folder / "f").write_text("x")
    with pytest.warns(LeftoversRemoved, match="removed 2 hidden folder"):
        _run(out)
    assert not dead_tmp.exists() and not dead_probe.exists()
    for folder in (alive_tmp, other_host, legacy, kept):
        assert (folder / "f").read_text() == "x"


def test_an_old_folder_is_put_back_if_its_target_is_missing_and_removed_otherwise(tmp_path):
    out = tmp_path / "run"
    old = _dead(out, "old")
    _run(old)  # a run moved aside by a swap killed before the new run moved in
    with pytest.warns(LeftoversRemoved, match="restored"):
        with pytest.raises(em.ConfigError, match="already holds another run"):
            write_run_folder(out, _new, IDENTITY)  # no --force: the restored run is refused
    assert (out / "a.txt").read_text() == "a" and not old.exists()
    _run(old)  # a swap killed after the new run moved in: the old one was being deleted
    with pytest.warns(LeftoversRemoved, match="removed 1 hidden folder"):
        write_run_folder(out, _new, IDENTITY, force=True)
    assert not old.exists() and (out / "new.txt").exists()


def test_a_finished_run_left_under_a_temporary_name_is_kept_not_removed(tmp_path):
    out = tmp_path / "run"
    finished = _dead(out, "tmp")
    _run(finished)  # complete, verified: killed between the manifest and the swap
    with pytest.warns(LeftoversRemoved, match="kept the finished run"):
        _run(out)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(".run.kept-")]
    assert len(kept) == 1 and (kept[0] / "a.txt").read_text() == "a"
    assert not finished.exists()


def test_check_run_folder_still_accepts_missing_and_empty(tmp_path):
    assert check_run_folder(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert check_run_folder(tmp_path / "empty") == tmp_path / "empty"


@pytest.mark.parametrize("bad", ["/proc/self/evomesa-checkpoints", "x" * 300, "x\0y", 5])
def test_a_bad_library_checkpoint_folder_is_a_config_error(tmp_path, monkeypatch, bad):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(em.ConfigError, match="^checkpoint "):
        em.run_experiment(
            em.make_world("contraception"),
            em.EvolutionConfig(population=4, generations=0, episodes=1),
            genomes=("reflex",),
            episodes=1,
            reference=False,
            checkpoint=bad,
        )


def test_a_sweep_removes_the_temporary_files_of_killed_sweeps(no_work, tmp_path):
    out = tmp_path / "sweep"
    with pytest.raises(NoWork):
        _sweep(out)  # creates the folder and its marker
    records = out / "records"
    dead = records / f".reflex-r0-0123.json.tmp-{machine()}-7ffffff0-000000000001-0badcafe"
    dead.write_text("{half")
    alive = hidden_name(records / "reflex-r1-0123.json", "tmp")  # this process: alive
    alive.write_text("{half")
    with pytest.warns(LeftoversRemoved, match="removed 1 temporary file"):
        with pytest.raises(NoWork):
            _sweep(out)
    assert not dead.exists() and alive.exists()
