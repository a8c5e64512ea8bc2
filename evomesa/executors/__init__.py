"""Where replicates run: any object shaped like :class:`concurrent.futures.Executor`.

:func:`evomesa.experiments.experiment.run_experiment` only calls ``executor.submit(fn, *args)`` and
``future.result()``, so a process pool or a distributed engine's executor (Dask's
``Client.get_executor()``) can be passed in unchanged. A thread pool is not safe: with
numba's ``workqueue`` threading layer, two threads launching parallel kernels at once abort
the process. Workers rebuild worlds by name from the registry, so a world registered in user
code must be registered on import of a module the workers import too. Tasks are whole
replicates (one evolution, its reference and their measurement), never single individuals.

No worker outlives its run: a :func:`process_pool` worker exits as soon as its parent dies,
however it died (:func:`exit_with_parent`), which also lets multiprocessing's resource
tracker go; a task may submit nested work (islands) to this process without deadlocking
(:func:`one_at_a_time` is reentrant).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from evomesa.errors import ConfigError, printable
from evomesa.executors.addresses import check_scheduler_address, probe_scheduler

# numba's workqueue threading layer aborts the process when two threads launch parallel
# kernels at once: on a Dask worker with several threads, evomesa tasks take turns
# (processes give the parallelism). Reentrant, because a task re-enters it from its own
# thread: a replicate with islands runs each island through one_at_a_time again, in the
# thread that already holds the lock (with a plain Lock that thread waited on itself for
# ever: `evomesa run --islands 2 --workers 2` hung). One thread runs one kernel at a time,
# so re-entry never launches two at once; other threads still wait their turn.
_KERNELS = threading.RLock()
# how deep the calling thread is in one_at_a_time (0: not in a task)
_DEPTH = threading.local()
# when a pool worker was last interrupted (time.monotonic(); see _on_interrupt)
_INTERRUPTED = [-float("inf")]
#: seconds after an interrupt during which a pool worker starts no task and takes no other
#: interrupt: long enough for the pool to shut down, short enough for a pool kept in an
#: interactive session after Ctrl-C to work again
_INTERRUPT_GRACE = 10.0


def _recently_interrupted() -> bool:
    return time.monotonic() - _INTERRUPTED[0] < _INTERRUPT_GRACE


def one_at_a_time(fn: Callable[..., Any], /, *args: Any) -> Any:
    """Call ``fn(*args)`` while no other evomesa task of this process runs: the function that
    every task submitted to a pool or cluster goes through.

    A call from within such a task (in the same thread) runs at once: the thread already has
    the kernels to itself.
    """
    if _recently_interrupted():  # an interrupted pool worker: the run is stopping
        raise KeyboardInterrupt
    with _KERNELS:
        _DEPTH.n = getattr(_DEPTH, "n", 0) + 1
        try:
            _threads_from_environment()
            return fn(*args)
        finally:
            _DEPTH.n -= 1


def in_task() -> bool:
    """Whether the calling thread is running an evomesa task (holds this process's kernels).

    Work such a task hands to another thread of this process would wait for the lock the
    task holds, so it must run in the task's own thread (see
    :func:`evomesa.evolve.islands.run_islands`).
    """
    return getattr(_DEPTH, "n", 0) > 0


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


def check_executor(value: Any, name: str = "client") -> Any:
    """``value`` if it is a Dask ``Client``, an Executor instance (anything with a ``submit``
    method) or None; else ConfigError naming ``name``, at once (not at the first submit)."""
    if value is None or (not isinstance(value, type) and callable(getattr(value, "submit", None))):
        return value
    given = f"the class {value.__name__}" if isinstance(value, type) else type(value).__name__
    raise ConfigError(
        f"{name} must have a submit(fn, *args) method like concurrent.futures.Executor (an "
        f"Executor instance or a dask.distributed.Client), or be None; got "
        f"{printable(given, 80)}"
    )


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
    """One numba thread per process, so that workers x threads does not oversubscribe the
    cores (results do not depend on the thread count)."""
    import numba

    numba.set_num_threads(1)


#: Linux prctl option: the signal this process gets when its parent (thread) dies
_PR_SET_PDEATHSIG = 1
#: the interrupt a parent passes on to its pool's workers (:func:`interrupt_pool`): not SIGINT,
#: whose default in a worker still importing is a KeyboardInterrupt traceback; this one's
#: default ends such a worker quietly, and once initialized it acts as SIGINT does
_PASS_ON = getattr(signal, "SIGUSR2", None)  # (POSIX)
#: seconds between the watchdog's looks at the parent
_WATCH_INTERVAL = 0.25


def _pool_worker(parent: int) -> None:
    """Initializer of a :func:`process_pool` worker whose parent process is ``parent``.

    One numba thread; the worker exits as soon as its parent is gone, however the parent
    died (a SIGKILL or SIGTERM left both workers and multiprocessing's resource tracker
    alive for good: each worker held the tracker's pipe open); an interrupt lets the task
    in hand write its checkpoint (see :func:`_on_interrupt`).
    """
    _one_numba_thread()
    exit_with_parent(parent)
    signal.signal(signal.SIGINT, _on_interrupt)
    if _PASS_ON is not None:
        signal.signal(_PASS_ON, _on_interrupt)


def _on_interrupt(signum: int, frame: Any) -> None:
    """A pool worker's SIGINT: stop the task in hand (as Ctrl-C does), and start no task
    and take no other interrupt for the next :data:`_INTERRUPT_GRACE` seconds.

    The terminal's Ctrl-C reaches the workers and the parent, and the parent then passes an
    interrupt on to its workers too (for a SIGTERM or a ``kill -INT`` of the parent alone):
    a second interrupt must not break off the checkpoint the first one is writing, and the
    task the pool had already queued must not run while the pool shuts down. An idle
    worker only remembers it (no traceback)."""
    if _recently_interrupted():
        return
    _INTERRUPTED[0] = time.monotonic()
    if in_task():
        raise KeyboardInterrupt


def exit_with_parent(parent: int) -> None:
    """End this process as soon as process ``parent`` (its parent) has died.

    Two guards: on Linux the kernel signals the death at once (``PR_SET_PDEATHSIG``); a
    daemon thread anywhere notices the parent changing (the orphan is re-parented) within
    a quarter of a second. The kernel's signal comes when the parent *thread* that started
    this process ends, which need not be the parent's end, so it only makes this process
    look at its parent.
    """

    def gone() -> bool:
        return os.getppid() != parent

    def on_signal(signum: int, frame: Any) -> None:
        if gone():
            os._exit(1)

    if sys.platform.startswith("linux") and threading.current_thread() is threading.main_thread():
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            signal.signal(signal.SIGUSR1, on_signal)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGUSR1), 0, 0, 0)

    def watch() -> None:
        while not gone():
            time.sleep(_WATCH_INTERVAL)
        os._exit(1)

    if gone():  # died before the guards were in place
        os._exit(1)
    threading.Thread(target=watch, name="evomesa-parent-watch", daemon=True).start()


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
        initializer=_pool_worker,
        initargs=(os.getpid(),),
    )


def interrupt_pool(pool: Executor) -> None:
    """Pass an interrupt on to ``pool``'s live worker processes (a :func:`process_pool`):
    each task in hand stops as at Ctrl-C (writing its checkpoint), no queued task starts,
    so that shutting the pool down after it is quick. For a SIGTERM or a ``kill -INT`` of
    the parent alone, which its workers never see; after Ctrl-C, which they saw, it changes
    nothing. Any other executor is left alone."""
    processes = getattr(pool, "_processes", None)  # ProcessPoolExecutor's own, by pid
    if _PASS_ON is None:
        return
    for process in list((processes or {}).values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if process.is_alive():
                os.kill(process.pid, _PASS_ON)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it unwinds like Ctrl-C."""


def _on_terminate(signum: int, frame: Any) -> None:
    raise _Terminated


@contextmanager
def terminate_like_interrupt() -> Iterator[None]:
    """Within: SIGTERM stops the process as Ctrl-C does (a KeyboardInterrupt in the main
    thread: checkpoints written, pools shut down, one line), instead of dying at once and
    leaving the pool's workers behind. Nothing changes outside the main thread or where
    someone else already handles SIGTERM."""
    mine = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    )
    if mine:
        signal.signal(signal.SIGTERM, _on_terminate)
    try:
        yield
    finally:
        if mine:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
    client = connect(scheduler, "--scheduler")
    with client:
        yield client


#: seconds Dask may take to connect to a scheduler that accepted the probe's connection
CONNECT_TIMEOUT = 20


def connect(scheduler: Any, option: str = "--scheduler") -> Any:
    """A Dask ``Client`` of the scheduler at ``scheduler``, or a ConfigError naming ``option``
    (a malformed address at once; nobody listening within seconds, not after Dask's
    retries)."""
    check_scheduler_address(scheduler, option)
    probe_scheduler(scheduler, option)
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as err:  # TimeoutError is an OSError
        raise ConfigError(
            f"{option} must be the address of a running Dask scheduler; "
            f"{printable(scheduler, 120)!r}: {printable(err, 200)}"
        ) from None
