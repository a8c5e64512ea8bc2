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

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from evomesa.errors import ConfigError

# numba's workqueue threading layer aborts the process when two threads launch parallel
# kernels at once: on a Dask worker with several threads, evomesa tasks take turns
# (processes give the parallelism)
_KERNELS = threading.Lock()


def one_at_a_time(fn: Callable[..., Any], /, *args: Any) -> Any:
    """Call ``fn(*args)`` while no other evomesa task of this process runs: the function that
    every task submitted to a pool or cluster goes through."""
    with _KERNELS:
        _threads_from_environment()
        return fn(*args)


def _threads_from_environment() -> None:
    """Honour ``NUMBA_NUM_THREADS`` even when numba was imported before it was set.

    A local Dask cluster's worker processes get the variable only after numba is already
    loaded (measured: 2 threads per worker despite ``NUMBA_NUM_THREADS=1``), so two workers
    ran four threads on two cores and a sweep with 2 workers was no faster than with 1.
    ``numba.set_num_threads`` applies to the calling thread, the one running the task.
    """
    wanted = os.environ.get("NUMBA_NUM_THREADS", "")
    if wanted.isdigit() and int(wanted) > 0:
        import numba

        numba.set_num_threads(min(int(wanted), numba.config.NUMBA_NUM_THREADS))


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


@contextmanager
def local_dask(workers: int | None = None) -> Iterator[Any]:
    """A Dask ``Client`` on a local cluster of ``workers`` single-threaded processes on the
    loopback interface (default: one per usable core), closed on exit.

    Each worker runs numba with one thread (``NUMBA_NUM_THREADS=1``), so that workers x
    threads does not oversubscribe the cores; results do not depend on the thread count.
    """
    from distributed import Client, LocalCluster

    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    cluster = LocalCluster(
        n_workers=max(1, workers),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        env={"NUMBA_NUM_THREADS": "1"},
        # errors only: a worker slow to stop on a busy machine is killed with a warning
        silence_logs=logging.ERROR,
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask ``Client``: connected to the scheduler at ``scheduler`` (e.g.
    ``tcp://10.0.0.5:8786``) if given, else on a local cluster (:func:`local_dask`)."""
    if scheduler is None:
        with local_dask(workers) as client:
            yield client
        return
    from distributed import Client

    try:
        client = Client(scheduler, timeout=30)
    except OSError as err:
        raise ConfigError(
            f"--scheduler must be the address of a running Dask scheduler; {scheduler!r}: {err}"
        ) from None
    with client:
        yield client
