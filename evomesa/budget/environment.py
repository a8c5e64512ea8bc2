"""The environment variables evomesa depends on, checked once at start-up.

numba reads ``NUMBA_NUM_THREADS`` and ``NUMBA_THREADING_LAYER`` when it is first imported and
when it first runs a parallel kernel; left to itself it answers a bad value with a raw
``ValueError`` on import (``0``, ``-1``), a parse warning and a silent default (a word, a
fraction), a ``ValueError`` deep inside the first kernel (an unknown or missing threading
layer) or a segmentation fault (``100000`` threads). So :func:`prepare` runs when this module
is imported, which ``evomesa/__init__.py`` does first, before anything imports numba, and:

- caps a thread count above the usable cores at the usable cores (results do not depend on the
  thread count; the cap is reported as an :class:`EnvironmentWarning`);
- for a value that is not valid at all, records a :class:`~evomesa.errors.ConfigError` and
  removes the variable, so that numba imports cleanly and ``import evomesa`` never fails (an
  error raised on import would be a traceback on the command line, whose console script
  imports the package before ``main`` runs);
- treats an empty variable as unset (as for ``EVOMESA_MEMORY_BUDGET``).

:func:`check` raises the recorded error (and validates ``EVOMESA_MEMORY_BUDGET`` and, when a
threading layer is asked for, that numba can load it). It runs before any work: in every memory
check (:func:`evomesa.budget.check_memory`, the first thing ``evolve``, ``evaluate``,
``measure_drift`` and ``run_experiment`` do) and at the start of the command line, which prints
the error as one line and exits with status 2, and each warning as one line.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Callable

from evomesa.errors import ConfigError, printable

THREADS = "NUMBA_NUM_THREADS"
LAYER = "NUMBA_THREADING_LAYER"
PRIORITY = "NUMBA_THREADING_LAYER_PRIORITY"

#: the values numba 0.5x-0.6x accepts for NUMBA_THREADING_LAYER (compared lower-cased, as numba
#: does); tbb and omp need their libraries, safe needs tbb, threadsafe tbb or omp
LAYERS = ("default", "safe", "threadsafe", "forksafe", "tbb", "omp", "workqueue")
_PRIORITY_NAMES = {"tbb", "omp", "workqueue"}

_INTEGER = re.compile(r"\s*\+?[0-9]+\s*")
_MAX_CHARS = 64


class EnvironmentWarning(UserWarning):
    """An environment variable was repaired (a thread count capped at the usable cores)."""


#: problems found by prepare(): errors to raise and warnings to give, each once
_errors: list[str] = []
_warnings: list[str] = []
_state = {"prepared": False, "warned": False, "layer_checked": False}


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform tells)."""
    if hasattr(os, "sched_getaffinity"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except OSError:
            pass
    return max(1, os.cpu_count() or 1)


def _given(raw: str) -> str:
    return printable(repr(raw), 80)


def _unset_if_empty(name: str) -> str | None:
    """The variable's value; an empty one counts as unset (as for EVOMESA_MEMORY_BUDGET) and
    is removed, so that numba does not warn about it and use its default anyway."""
    raw = os.environ.get(name)
    if raw is not None and raw.strip() == "":
        del os.environ[name]
        return None
    return raw


def _prepare_threads() -> None:
    raw = _unset_if_empty(THREADS)
    if raw is None:
        return
    cores = usable_cores()
    allowed = f"a whole number of threads >= 1 (capped at the {cores} usable cores)"
    if len(raw) > _MAX_CHARS or not _INTEGER.fullmatch(raw) or int(raw) < 1:
        _errors.append(f"{THREADS} must be {allowed}; got {_given(raw)}")
        del os.environ[THREADS]  # numba imports with its default; the error comes at check()
        return
    if int(raw) > cores and not _numba_pool_started():
        os.environ[THREADS] = str(cores)
        _cap_loaded_numba(cores)
        _warnings.append(
            f"{THREADS}={int(raw)} is more than the {cores} usable cores of this machine; "
            f"capped at {cores}"
        )


def _numba_pool_started() -> bool:
    """Whether numba (imported before evomesa) has started its thread pool: its thread count
    can no longer change (numba raises if the variable changes), so it is left alone."""
    parallel = sys.modules.get("numba.np.ufunc.parallel")
    return bool(getattr(parallel, "_is_initialized", False))


def _cap_loaded_numba(cores: int) -> None:
    """If numba was imported before evomesa (with the too-large count), lower its setting too
    (its pool has not started: see the caller). numba keeps the count in two places, its
    config and the size its pool will launch with (``parallel.NUM_THREADS``, numba 0.5x-0.6x);
    with evomesa imported first, as by the command line, neither exists yet."""
    config = sys.modules.get("numba.core.config")
    parallel = sys.modules.get("numba.np.ufunc.parallel")
    for module, name in ((config, "NUMBA_NUM_THREADS"), (parallel, "NUM_THREADS")):
        if isinstance(getattr(module, name, None), int) and getattr(module, name) > cores:
            setattr(module, name, cores)


def _prepare_layer() -> None:
    raw = _unset_if_empty(LAYER)
    if raw is not None and raw.lower() not in LAYERS:
        _errors.append(f"{LAYER} must be one of {', '.join(LAYERS)}; got {_given(raw)}")
        del os.environ[LAYER]
    raw = _unset_if_empty(PRIORITY)
    if raw is not None and (len(raw.split()) != 3 or set(raw.split()) != _PRIORITY_NAMES):
        _errors.append(
            f"{PRIORITY} must be the three words tbb, omp and workqueue in some order, separated "
            f"by spaces; got {_given(raw)}"
        )
        del os.environ[PRIORITY]


def prepare() -> None:
    """Check the numba variables before numba is imported; repair or record (never raise).

    Idempotent: the first call (from ``evomesa/__init__.py``) does the work.
    """
    if _state["prepared"]:
        return
    _state["prepared"] = True
    _prepare_threads()
    _prepare_layer()


def _check_layer() -> None:
    """That numba can load the threading layer asked for (tbb and omp need libraries that may
    be missing). Starting numba's thread pool is how numba itself finds out; it is done only
    when a layer is named, and only once."""
    raw = os.environ.get(LAYER)
    if _state["layer_checked"] or raw is None or raw.lower() == "default":
        return
    import numba

    try:
        numba.get_num_threads()  # launches the pool, loading the layer
    except ValueError as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ConfigError(
            f"{LAYER} must name a threading layer numba can load on this machine (workqueue "
            f"always can; tbb needs the tbb package, omp an OpenMP library); got "
            f"{_given(raw)} ({printable(first, 120)})"
        ) from None
    _state["layer_checked"] = True


def check(warn: Callable[[str], None] | None = None) -> None:
    """Raise what :func:`prepare` found, then validate the threading layer; tell each repair
    (a capped thread count) once. (``EVOMESA_MEMORY_BUDGET`` is validated where it is read,
    :func:`evomesa.budget.memory_budget`, which every memory check calls after this.)

    Parameters
    ----------
    warn : callable(str), optional
        Given each repair's message (the command line prints it as one line); by default an
        :class:`EnvironmentWarning` is issued.

    Raises
    ------
    ConfigError
        Naming the variable, what it allows and the value given.
    """
    prepare()
    if _errors:
        raise ConfigError("; ".join(_errors))
    _check_layer()
    if _warnings and not _state["warned"]:
        _state["warned"] = True
        for message in _warnings:
            if warn is None:
                warnings.warn(message, EnvironmentWarning, stacklevel=3)
            else:
                warn(message)


# at import, which evomesa/__init__.py does before anything imports numba
prepare()


def _reset_for_tests() -> None:
    """Forget what prepare() found (tests that set variables and prepare again)."""
    _errors.clear()
    _warnings.clear()
    _state.update(prepared=False, warned=False, layer_checked=False)
