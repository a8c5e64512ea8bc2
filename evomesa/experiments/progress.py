"""Progress reporting for long runs: tqdm bars on a terminal, a few plain lines elsewhere.

On a terminal each task gets a tqdm bar that stays as its summary line. Written to a file, a
pipe or a CI log, bar frames would be hundreds of carriage-return-joined updates, so there a
task prints one line when it starts and one when it ends instead.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

from tqdm import tqdm

from evomesa.errors import ConfigError, check_bool, check_int, shown


class Progress:
    """Report phases and per-generation tasks of a long run.

    Parameters
    ----------
    enabled : bool
        False prints nothing at all.
    stream : text stream, optional
        Where to write; default ``sys.stderr``. Bars are drawn only if ``stream.isatty()``.

    Examples
    --------
    >>> progress = Progress()
    >>> progress.phase("compiling numba kernels (first run only)")
    >>> tick = progress.task("replicate 1 of 5 · planner · ancestral", total=301)
    >>> for gen in range(301):
    ...     tick(gen, {"max": 1.0, "avg": 0.5})
    >>> progress.done("results written to runs/x/")
    """

    def __init__(self, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.enabled = check_bool("enabled", enabled)
        if stream is not None and not _has_methods(stream, "write"):
            raise ConfigError(f"stream must be a text stream with write(); got {shown(stream)}")
        self.stream = stream if stream is not None else sys.stderr
        self.tty = _isatty(self.stream)
        # Callbacks may come from a worker thread while the main thread starts the next task.
        self._lock = threading.Lock()
        self._task: _Task | None = None

    def phase(self, text: str) -> None:
        """Show ``text`` as one line, e.g. ``"compiling numba kernels (first run only)"``."""
        if not self.enabled:
            return
        with self._lock:
            if self._task is not None and self._task.bar is not None:
                # Printed above the open bar rather than through it.
                self._task.bar.write(text, file=self.stream)
            else:
                self._line(text)

    def task(self, label: str, total: int) -> Callable[[int, dict], None]:
        """Start a task of ``total`` generations and return its ``callback(gen, record)``.

        Any task still open is closed first. ``callback`` expects ``gen`` counting from 0 and
        a ``record`` with ``'max'`` and ``'avg'`` floats; the task ends once ``gen + 1``
        reaches ``total``.

        Parameters
        ----------
        label : str
            E.g. ``"replicate 2 of 5 · planner · ancestral"``.
        total : int
            Number of callbacks expected, e.g. ``generations + 1``.

        Returns
        -------
        callable
            ``callback(gen, record)``; does nothing once the task is closed.
        """
        total = check_int("total", total, 1)
        if not self.enabled:
            return _ignore
        with self._lock:
            self._finish()
            bar = None
            if self.tty:
                bar = tqdm(total=total, desc=label, unit="gen", leave=True, file=self.stream)
            else:
                self._line(f"{label}: {total} generations")
            task = _Task(label, total, bar)
            self._task = task

        def callback(gen: int, record: dict) -> None:
            with self._lock:
                if self._task is not task:  # closed, or replaced by a later task
                    return
                task.advance(gen, record)
                if task.count >= task.total:
                    self._finish()

        return callback

    def done(self, summary: str) -> None:
        """Close any open task and leave ``summary`` as one line."""
        if not self.enabled:
            return
        with self._lock:
            self._finish()
            self._line(summary)

    def close(self) -> None:
        """Close any open task."""
        if not self.enabled:
            return
        with self._lock:
            self._finish()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _finish(self) -> None:
        """Close the open task, if any (lock held)."""
        task, self._task = self._task, None
        if task is None:
            return
        if task.bar is not None:
            task.bar.close()
            return
        seconds = time.perf_counter() - task.start
        if task.count >= task.total:
            head = f"{task.label}: {task.total} generations in {seconds:.1f} s"
        else:
            head = f"{task.label}: stopped after {task.count} of {task.total} generations, "
            head += f"{seconds:.1f} s"
        scores = task.scores()
        self._line(f"{head} ({scores})" if scores else head)

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class _Task:
    """State of one task: its bar (terminal only), progress and last scores."""

    def __init__(self, label: str, total: int, bar: tqdm | None) -> None:
        self.label = label
        self.total = total
        self.bar = bar
        self.count = 0
        self.record: dict = {}
        self.start = time.perf_counter()

    def advance(self, gen: int, record: dict) -> None:
        # Set the position from ``gen`` rather than counting calls, so a skipped or repeated
        # callback cannot make the bar drift.
        count = min(max(int(gen) + 1, self.count), self.total)
        self.record = record
        if self.bar is not None:
            self.bar.set_postfix_str(self.scores(), refresh=False)
            self.bar.update(count - self.count)
        self.count = count

    def scores(self) -> str:
        parts = [
            f"{name} {float(self.record[key]):.2f}"
            for name, key in (("best", "max"), ("avg", "avg"))
            if key in self.record
        ]
        return ", ".join(parts)


def check_reporter(reporter: Any, name: str = "reporter") -> Progress | None:
    """``reporter`` if it is None, a :class:`Progress`, or an object with the methods a run
    calls, ``phase(text)`` and ``task(label, total) -> callback(gen, record)``; checked
    before any work, not when the run first reports."""
    if reporter is None or isinstance(reporter, Progress):
        return reporter
    if not _has_methods(reporter, "phase", "task"):
        raise ConfigError(
            f"{name} must be an evomesa.experiments.progress.Progress, or have its phase(text) "
            "and "
            f"task(label, total) methods; got {shown(reporter)}"
        )
    return reporter


def _has_methods(obj: Any, *names: str) -> bool:
    """Whether ``obj`` has every one of these callable attributes (False if looking one up
    fails, as a user's ``__getattr__`` may)."""
    try:
        return all(callable(getattr(obj, n, None)) for n in names)
    except Exception:  # noqa: BLE001 - any failure of a user's attribute lookup
        return False


def _isatty(stream: Any) -> bool:
    """``stream.isatty()``, False for streams that lack it or are closed."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _ignore(gen: int, record: dict) -> None:
    """Callback of a disabled reporter."""
