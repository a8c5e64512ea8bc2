"""Progress: a few plain lines off a terminal, tqdm bars on one, silence when disabled."""

from __future__ import annotations

import io

import pytest

from evomesa.errors import ConfigError
from evomesa.experiments.progress import Progress

LABEL = "replicate 2 of 5 · planner · ancestral"


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(progress: Progress, total: int = 300) -> None:
    tick = progress.task(LABEL, total)
    for gen in range(total):
        tick(gen, {"max": 1.0 + gen / 100, "avg": 0.5})


def test_plain_stream_writes_a_couple_of_lines_per_task():
    stream = io.StringIO()
    progress = Progress(stream=stream)
    _run(progress)
    text = stream.getvalue()
    lines = text.splitlines()
    assert "\r" not in text
    assert len(lines) == 2
    assert lines[0] == f"{LABEL}: 300 generations"
    assert lines[1].startswith(f"{LABEL}: 300 generations in ")
    assert lines[1].endswith(" s (best 3.99, avg 0.50)")


def test_plain_phase_and_done_summary():
    stream = io.StringIO()
    progress = Progress(stream=stream)
    progress.phase("compiling numba kernels (first run only)")
    _run(progress, total=10)
    progress.done("results written to runs/x/")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "compiling numba kernels (first run only)"
    assert lines[-1] == "results written to runs/x/"
    assert len(lines) == 4


def test_plain_unfinished_task_is_reported_as_stopped():
    stream = io.StringIO()
    progress = Progress(stream=stream)
    tick = progress.task(LABEL, 50)
    for gen in range(7):
        tick(gen, {"max": 2.0, "avg": 1.0})
    progress.done("interrupted")
    lines = stream.getvalue().splitlines()
    assert "stopped after 7 of 50 generations" in lines[1]
    assert lines[-1] == "interrupted"
    # The closed task's callback no longer writes anything.
    tick(7, {"max": 2.0, "avg": 1.0})
    assert stream.getvalue().splitlines() == lines


def test_next_task_closes_previous_one():
    stream = io.StringIO()
    progress = Progress(stream=stream)
    first = progress.task("first", 5)
    first(0, {"max": 1.0, "avg": 1.0})
    progress.task("second", 5)
    lines = stream.getvalue().splitlines()
    assert lines == [
        "first: 5 generations",
        lines[1],
        "second: 5 generations",
    ]
    assert lines[1].startswith("first: stopped after 1 of 5 generations")


def test_disabled_writes_nothing():
    for stream in (io.StringIO(), FakeTty()):
        progress = Progress(enabled=False, stream=stream)
        progress.phase("compiling")
        _run(progress)
        progress.done("summary")
        progress.close()
        assert stream.getvalue() == ""


def test_tty_stream_shows_bar_with_label_and_summary():
    stream = FakeTty()
    with Progress(stream=stream) as progress:
        progress.phase("compiling numba kernels (first run only)")
        _run(progress)
        progress.done("results written to runs/x/")
    text = stream.getvalue()
    assert "\r" in text  # drawn as a live bar
    assert LABEL in text
    assert "300/300" in text and "gen" in text
    assert "best 3.99" in text
    assert text.rstrip("\n").endswith("results written to runs/x/")
    assert "compiling numba kernels (first run only)" in text


def test_default_stream_is_stderr(capsys):
    progress = Progress()
    progress.done("all done")
    captured = capsys.readouterr()
    assert captured.err == "all done\n"
    assert captured.out == ""


def test_bad_arguments_give_config_error():
    with pytest.raises(ConfigError, match="total"):
        Progress(stream=io.StringIO()).task(LABEL, 0)
    with pytest.raises(ConfigError, match="enabled"):
        Progress(enabled="yes", stream=io.StringIO())
