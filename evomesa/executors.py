"""Where replicates run: any object shaped like :class:`concurrent.futures.Executor`.

:func:`evomesa.experiment.run_experiment` only calls ``executor.submit(fn, *args)`` and
``future.result()``, so a process pool or a distributed engine's executor (Dask's
``Client.get_executor()``) can be passed in unchanged. A thread pool is not safe: with
numba's ``workqueue`` threading layer, two threads launching parallel kernels at once abort
the process. Workers rebuild worlds by name from the registry, so a world registered in user
code must be registered on import of a module the workers import too. Tasks are whole
replicates (one evolution, its reference and their measurement), never single individuals.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any


class InProcessExecutor(Executor):
    """Runs each submitted call at once, in this process (the default: no pool to start)."""

    def submit(self, fn, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:  # the caller meets it at future.result(), as in a pool
            future.set_exception(err)  # (Ctrl-C and exits are not caught: they stop the run)
        return future


def _one_numba_thread() -> None:
    """Worker initializer: one numba thread per process, so that workers x threads does not
    oversubscribe the cores (results do not depend on the thread count)."""
    import numba

    numba.set_num_threads(1)


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool of ``workers`` (default: the usable cores) single-threaded workers.

    Workers are spawned, so they import the caller's main module: in a script, create the
    pool under ``if __name__ == "__main__":`` (as with any spawned pool); from an
    interactive session or a notebook it works as is, from a script piped to stdin it does
    not.
    """
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    # spawned, not forked: a fork of a process whose numba thread pool is running can hang
    return ProcessPoolExecutor(
        max_workers=max(1, workers),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_one_numba_thread,
    )
