"""``evomesa run`` with a process pool: islands never hang, and no process outlives the run.

Every test here runs the command in a subprocess with a timeout, so that a regression (a
deadlock, a worker that never exits) fails the test instead of hanging CI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from evomesa.executors import in_task, one_at_a_time

TINY = ["--population", "8", "--episodes", "2", "--drift-episodes", "2", "--genome", "planner"]
#: the longest any command here may take on a loaded machine before it counts as a hang
LIMIT = 300


def evomesa(*argv: str) -> list[str]:
    return [sys.executable, "-m", "evomesa.cli", *argv]


def env() -> dict[str, str]:
    """The environment of a subprocess that imports this checkout of evomesa."""
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}


def test_a_task_may_submit_to_this_process_again():
    # a replicate with islands on a pool worker runs each island through one_at_a_time from
    # the thread that already holds the kernel lock; a plain Lock waited there for ever
    box = []
    inner = threading.Thread(
        target=lambda: box.append(one_at_a_time(one_at_a_time, lambda: in_task())), daemon=True
    )
    inner.start()
    inner.join(timeout=30)
    assert box == [True]
    assert not in_task()


def test_islands_with_two_workers_finish_and_equal_one_worker(tmp_path):
    runs = {}
    for workers in ("2", "1"):
        out = tmp_path / f"workers-{workers}"
        argv = ["run", "contraception", "--islands", "2", "--generations", "3", *TINY]
        argv += ["--replicates", "2", "--workers", workers, "-q", "--out", str(out)]
        done = subprocess.run(
            evomesa(*argv), env=env(), capture_output=True, text=True, timeout=LIMIT
        )
        assert done.returncode == 0, done.stderr
        runs[workers] = out
    files = sorted(p.relative_to(runs["1"]) for p in runs["1"].rglob("*") if p.is_file())
    assert (runs["1"] / "summary.json").is_file()
    assert files == sorted(p.relative_to(runs["2"]) for p in runs["2"].rglob("*") if p.is_file())
    for name in files:
        if name.suffix in (".json", ".txt", ".npz"):
            assert (runs["2"] / name).read_bytes() == (runs["1"] / name).read_bytes(), name


def _children_once_working(parent: psutil.Process, out: Path) -> list[psutil.Process]:
    """The parent's child processes, once a worker has checkpointed a generation (the pool's
    workers and multiprocessing's resource tracker all exist then)."""
    deadline = time.monotonic() + LIMIT
    while not list(out.parent.glob(f"{out.name}.checkpoint/*/*/gen-*")):
        assert time.monotonic() < deadline, "no worker reached its first generation"
        assert parent.is_running() and parent.status() != psutil.STATUS_ZOMBIE
        time.sleep(0.2)
    children = parent.children(recursive=True)
    assert len(children) >= 3  # two workers and the resource tracker
    return children


def _alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_run_leaves_no_process_behind(tmp_path, sig):
    out = tmp_path / "run"
    argv = ["run", "contraception", "--generations", "100000", *TINY, "--replicates", "2"]
    argv += ["--no-reference", "--workers", "2", "--checkpoint-every", "1", "-q"]
    with open(tmp_path / "stderr", "w+") as err:
        # a session of its own: the signal reaches the parent alone, as from a supervisor
        run = subprocess.Popen(
            evomesa(*argv, "--out", str(out)),
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        children: list[psutil.Process] = []
        try:
            children = _children_once_working(psutil.Process(run.pid), out)
            run.send_signal(sig)
            run.wait(timeout=LIMIT)
            left = children
            for _ in range(25):  # 5 s
                left = _alive(left)
                if not left:
                    break
                time.sleep(0.2)
            assert not left, [p.cmdline() for p in left]
        finally:  # whatever failed, nothing of this test lives on
            for p in _alive(children):
                p.kill()
            if run.poll() is None:
                run.kill()
        err.seek(0)
        message = err.read()
    if sig == signal.SIGTERM:  # as Ctrl-C: one line, status 130, a checkpoint to resume from
        assert run.returncode == 130
        assert message.strip().splitlines() == [
            f"evomesa: interrupted; checkpoint saved; resume with: evomesa run --resume {out}"
        ]


_ORPHAN = """
import os, sys, time
from evomesa.executors import exit_with_parent
exit_with_parent(os.getppid())
open(sys.argv[1], "w").close()
time.sleep(600)
"""


def test_a_process_watching_its_parent_exits_with_it(tmp_path):
    # the guard every pool worker installs: a parent, killed, takes its child with it
    script, ready = tmp_path / "child.py", tmp_path / "ready"
    script.write_text(_ORPHAN)
    spawn = (
        "import subprocess, sys; "
        f"subprocess.Popen([sys.executable, {str(script)!r}, {str(ready)!r}]).wait()"
    )
    parent = subprocess.Popen([sys.executable, "-c", spawn], env=env(), start_new_session=True)
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + LIMIT
        while not ready.exists():  # the child is watching
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.1)
        children = psutil.Process(parent.pid).children()
        assert len(children) == 1
        parent.kill()
        parent.wait(timeout=LIMIT)
        children[0].wait(timeout=5)  # psutil.TimeoutExpired if it outlives its parent
    finally:
        for p in _alive(children):
            p.kill()
        if parent.poll() is None:
            parent.kill()
