"""Environment variables checked at start-up (issue 15, item 6): numba's thread count and
threading layer, and the memory budget, through the library and the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
from evomesa import budget
from evomesa.budget import environment

ROOT = Path(__file__).resolve().parents[2]
CORES = environment.usable_cores()
OURS = ("NUMBA_NUM_THREADS", "NUMBA_THREADING_LAYER", "NUMBA_THREADING_LAYER_PRIORITY")

BAD_THREADS = ["0", "-1", "word", "1.5", "1e3", "", "9" * 400, "2\x1b[2J"]
BAD_THREADS = [v for v in BAD_THREADS if v != ""]  # empty counts as unset (tested below)


@pytest.fixture
def fresh(monkeypatch):
    """prepare() run again on variables the test sets; the real state restored afterwards."""
    yield monkeypatch
    monkeypatch.undo()
    environment._reset_for_tests()
    environment.prepare()


def _prepare(fresh, **variables) -> None:
    for name in OURS:
        fresh.delenv(name, raising=False)
    for name, value in variables.items():
        fresh.setenv(name, value)
    environment._reset_for_tests()
    environment.prepare()


@pytest.mark.parametrize("value", BAD_THREADS, ids=lambda v: repr(v[:12]))
def test_a_bad_thread_count_is_a_config_error_before_any_work(fresh, world, value):
    _prepare(fresh, NUMBA_NUM_THREADS=value)
    assert "NUMBA_NUM_THREADS" not in os.environ  # removed, so that numba imports cleanly
    with pytest.raises(em.ConfigError, match="NUMBA_NUM_THREADS must be a whole number") as info:
        environment.check()
    assert "\x1b" not in str(info.value) and repr(value[:8])[1:-1] in str(info.value)
    genes = np.full((2, em.make_genome("reflex", world).length), 0.5)
    with pytest.raises(em.ConfigError, match="NUMBA_NUM_THREADS"):
        em.evaluate(world, genes, genome="reflex", episodes=1)  # refused before the kernel


def test_a_thread_count_above_the_cores_is_capped_with_a_warning(fresh, monkeypatch):
    # in this process numba may have started its pool already (then nothing can change it);
    # the subprocess tests below cover the real start-up
    monkeypatch.setattr(environment, "_numba_pool_started", lambda: False)
    monkeypatch.setattr(environment, "_cap_loaded_numba", lambda cores: None)
    _prepare(fresh, NUMBA_NUM_THREADS=str(CORES + 99_999))
    assert os.environ["NUMBA_NUM_THREADS"] == str(CORES)
    with pytest.warns(environment.EnvironmentWarning, match=f"capped at {CORES}"):
        environment.check()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        environment.check()  # once only


def test_empty_variables_count_as_unset(fresh):
    _prepare(fresh, NUMBA_NUM_THREADS=" ", NUMBA_THREADING_LAYER="")
    environment.check()
    assert "NUMBA_NUM_THREADS" not in os.environ and "NUMBA_THREADING_LAYER" not in os.environ


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NUMBA_THREADING_LAYER", "bogus", "must be one of default, safe, threadsafe"),
        ("NUMBA_THREADING_LAYER", "omp\x07", "must be one of default"),
        ("NUMBA_THREADING_LAYER_PRIORITY", "tbb omp", "three words tbb, omp and workqueue"),
    ],
)
def test_an_unknown_threading_layer_is_a_config_error(fresh, name, value, message):
    _prepare(fresh, **{name: value})
    with pytest.raises(em.ConfigError, match=message) as info:
        environment.check()
    assert name in str(info.value) and "\x07" not in str(info.value)


def test_the_budget_is_checked_with_the_environment(fresh):
    """Every public entry point's first check (check_memory) refuses a bad budget too."""
    _prepare(fresh)
    fresh.setenv(budget.ENV, "4GiB" + " " * 70 + "junk")
    with pytest.raises(em.ConfigError, match="EVOMESA_MEMORY_BUDGET must be"):
        budget.check_memory("evolve(population=1)", 8)


# --- the command line, in subprocesses: what a user at a shell sees -------------------------


def _evomesa(*argv: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in OURS and k != budget.ENV}
    env.update(variables, PYTHONPATH=str(ROOT))
    code = "import sys; from evomesa.cli import main; sys.exit(main())"  # as the console script
    return subprocess.run(
        [sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, timeout=300
    )


CLI_ERRORS = [
    *(("NUMBA_NUM_THREADS", v) for v in ("0", "-1", "word", "1.5")),
    ("NUMBA_THREADING_LAYER", "bogus"),
    ("EVOMESA_MEMORY_BUDGET", "4GiB" + " " * 70 + "junk"),
    ("EVOMESA_MEMORY_BUDGET", "9" * 400),
    ("EVOMESA_MEMORY_BUDGET", "1000TiB"),  # above the physical memory of any test machine
]


@pytest.mark.parametrize(("name", "value"), CLI_ERRORS, ids=lambda v: repr(v[:12]))
def test_the_command_line_says_one_line_and_exits_2(name, value):
    done = _evomesa("worlds", **{name: value})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith(f"evomesa: error: {name} must be"), lines


def test_a_missing_threading_layer_is_one_line():
    try:
        from numba.np.ufunc import tbbpool  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("TBB is installed here: numba can load every layer this test could name")
    done = _evomesa("worlds", NUMBA_THREADING_LAYER="tbb")
    assert done.returncode == 2
    assert done.stderr.startswith("evomesa: error: NUMBA_THREADING_LAYER must name a threading")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_huge_thread_count_is_capped_and_the_run_completes(tmp_path):
    """100000 threads crashed `evomesa run` with a segmentation fault."""
    out = tmp_path / "run"
    done = _evomesa(
        *("run", "contraception", "--out", str(out), "--population", "4", "--generations", "1"),
        *("--episodes", "1", "--replicates", "1", "--drift-episodes", "1", "--genome", "reflex"),
        *("--workers", "1", "--no-reference", "-q"),
        NUMBA_NUM_THREADS="100000",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip().splitlines() == [
        f"evomesa: warning: NUMBA_NUM_THREADS=100000 is more than the {CORES} usable cores of "
        f"this machine; capped at {CORES}"
    ]
    assert (out / "manifest.json").is_file()


def test_the_library_caps_and_warns_once_at_the_first_evaluation():
    """Even with numba imported first (its pool not yet started)."""
    code = (
        "import warnings, numpy as np, numba, evomesa as em\n"
        "world = em.make_world('contraception')\n"
        "genes = np.full((2, em.make_genome('reflex', world).length), 0.5)\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    em.evaluate(world, genes, genome='reflex', episodes=1)\n"
        "    em.evaluate(world, genes, genome='reflex', episodes=1)\n"
        "print(numba.config.NUMBA_NUM_THREADS, numba.get_num_threads())\n"
        "ours = em.budget.environment.EnvironmentWarning\n"
        "print([str(w.message) for w in caught if w.category is ours])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    env.update(NUMBA_NUM_THREADS="100000", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    threads, caught = done.stdout.strip().splitlines()
    assert threads == f"{CORES} {CORES}"
    assert caught.count("capped at") == 1
