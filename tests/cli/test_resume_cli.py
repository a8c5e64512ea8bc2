"""Killed and interrupted command-line runs resume to the uninterrupted result.

The runs are real subprocesses: one is SIGKILLed, one gets SIGINT (Ctrl-C), each once its
checkpoints show that evolution is under way (nothing here depends on timing: the test waits
for files, and checks that the process was still running when it was signalled).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evomesa.cli import main

ROOT = Path(__file__).resolve().parents[2]
ARGS = [
    "run",
    "contraception",
    "--genome",
    "planner",
    "--population",
    "12",
    "--generations",
    "400",
    "--episodes",
    "2",
    "--drift-episodes",
    "4",
    "--replicates",
    "1",
    "--workers",
    "1",
    "-q",
]
COMPARED = ("result.json", "result.npz", "drift.json", "rollouts.npz")


def _start(out: Path) -> subprocess.Popen:
    code = "import sys; from evomesa.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [*ARGS, "--checkpoint-every", "1", "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-c", code, *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a test run started in the background (nohup, `&`) ignores SIGINT, and a child
        # inherits that: give the run the default handling a terminal's Ctrl-C meets
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_checkpoint(out: Path, proc: subprocess.Popen, gen: int) -> None:
    """Wait until the population's checkpoint of generation >= ``gen`` exists."""
    folder = out.with_name(out.name + ".checkpoint") / "planner-r0" / "population"
    while True:
        names = sorted(p.name for p in folder.glob("gen-*.npz")) if folder.exists() else []
        if names and int(names[-1][4:11]) >= gen:
            return
        if proc.poll() is not None:
            pytest.fail(f"run ended before generation {gen}: {proc.communicate()}")
        time.sleep(0.01)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plain") / "run"
    assert main([*ARGS, "--out", str(out)]) == 0
    return out


def _same_results(a: Path, b: Path) -> None:
    sub = Path("planner") / "replicate-0"
    for name in COMPARED:
        assert (a / sub / name).read_bytes() == (b / sub / name).read_bytes(), name
    for name in COMPARED[:2]:
        ref = sub / "reference" / name
        assert (a / ref).read_bytes() == (b / ref).read_bytes(), ref


def test_sigkilled_run_resumes_to_the_uninterrupted_result(uninterrupted, tmp_path):
    out = tmp_path / "run"
    proc = _start(out)
    _wait_for_checkpoint(out, proc, 20)
    assert proc.poll() is None  # killed mid-run, not after
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    assert main(["run", "--resume", str(out)]) == 0
    _same_results(out, uninterrupted)
    assert not out.with_name("run.checkpoint").exists()  # removed once the run is written


def test_ctrl_c_leaves_a_resumable_checkpoint(uninterrupted, tmp_path):
    out = tmp_path / "run"
    proc = _start(out)
    _wait_for_checkpoint(out, proc, 20)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "checkpoint saved" in lines[0], err
    assert f"evomesa run --resume {out}" in lines[0]
    assert main(["run", "--resume", str(out)]) == 0
    _same_results(out, uninterrupted)


def test_resume_refuses_other_arguments_and_unknown_folders(tmp_path, capsys):
    assert main(["run", "--resume", str(tmp_path / "none")]) == 2
    assert "--checkpoint-every" in capsys.readouterr().err
    assert main(["run", "--resume", str(tmp_path), "--seed", "3"]) == 2
    assert "no other arguments" in capsys.readouterr().err


def test_checkpoint_folder_of_an_unfinished_run_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "run"
    (tmp_path / "run.checkpoint").mkdir()
    assert main([*ARGS, "--checkpoint-every", "1", "--out", str(out)]) == 2
    assert "resume it with" in capsys.readouterr().err
