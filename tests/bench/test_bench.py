"""Smoke test of the benchmark suite: it runs and writes well-formed results.

Structure only, never speed: wall-clock assertions are flaky on shared CI machines, and the
benchmark's own ``targets`` section is where speed goals are recorded.
"""

from __future__ import annotations

import json
import math
import random

import pytest

from evomesa.bench import GENOMES, Settings, run_benchmarks
from evomesa.bench.settings import WORLD
from evomesa.worlds import list_worlds, make_world

# Smaller than --quick, so the test takes seconds; every section still runs.
TINY = Settings(
    populations=(20, 50),
    episodes=1,
    generations={20: 1, 50: 1},
    repeats=1,
    budget_s=0.1,
    baseline_population=6,
    baseline_generations=1,
    thread_population=50,
    memory_populations=(20, 50),
    memory_generations=1,
    change_population=20,
    change_repeats=3,
)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    before = random.getstate()
    results = run_benchmarks(quick=True, out=out, settings=TINY)
    return out, results, (before, random.getstate())


def _positive(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x > 0


def test_writes_json_markdown_and_plot(bench):
    out, results, _ = bench
    assert json.loads((out / "bench.json").read_text()) == json.loads(json.dumps(results))
    markdown = (out / "bench.md").read_text()
    for heading in (
        "Throughput",
        "baseline",
        "Per-step cost",
        "Thread scaling",
        "Start-up",
        "memory",
        "Targets",
        "Every registered world",
    ):
        assert heading in markdown
    assert (out / "throughput.png").stat().st_size > 0


def test_sections_have_positive_finite_numbers(bench):
    _, results, _ = bench
    pops = set(TINY.populations)
    for section, keys in {
        "kernel": ("seconds", "steps", "steps_per_s"),
        "loop": ("seconds", "gens_per_s", "steps", "steps_per_s", "loop_over_kernel"),
        "baseline": ("seconds", "steps", "steps_per_s", "loop_steps_per_s", "speedup"),
        "threads": ("steps_per_s_1", "steps_per_s_all", "scaling"),
        "memory": ("peak_mib", "arrays_peak_mib", "mib_per_1000"),
        "change": ("legacy_steps_per_s", "steps_per_s", "cost_ratio"),
    }.items():
        rows = results[section]
        assert {r["genome"] for r in rows} == set(GENOMES), section
        for row in rows:
            for key in keys:
                assert _positive(row[key]), (section, key, row[key])
    assert {(r["genome"], r["population"]) for r in results["loop"]} == {
        (g, n) for g in GENOMES for n in pops
    }
    assert {r["population"] for r in results["memory"]} == set(TINY.memory_populations)
    # every registered world is measured, each genome, in its own training regime
    assert {(r["world"], r["genome"]) for r in results["worlds"]} == {
        (w, g) for w in list_worlds() for g in GENOMES
    }
    for row in results["worlds"]:
        assert row["regime"] == make_world(row["world"]).default_shift[0]
        for key in ("kernel_steps_per_s", "loop_steps_per_s", "numba_over_python"):
            assert _positive(row[key]), (row["world"], key)
    for name in ("cold", "warm"):
        for key in ("import_s", "first_generation_s", "process_s"):
            assert _positive(results["startup"][name][key])
    assert results["startup"]["compile_s"] >= 0


def test_baseline_starts_where_the_loop_starts(bench):
    # Same population, episodes and seeds: generation 0 scores identically in both.
    _, results, _ = bench
    assert all(row["same_start"] for row in results["baseline"])


def test_targets_are_recorded_not_enforced(bench):
    _, results, _ = bench
    assert results["targets"]
    for t in results["targets"]:
        assert set(t) == {"name", "value", "op", "threshold", "passed", "note"}
        assert isinstance(t["passed"], bool)
    assert results["meta"]["quick"] is True


def test_global_random_state_is_restored(bench):
    _, _, (before, after) = bench
    # The DEAP baseline seeds the global ``random`` for its run and must put it back.
    assert after == before


def test_before_and_after_play_the_same_work(bench):
    _, results, _ = bench
    from evomesa.bench.change import CHANGE_REGIMES

    assert {(r["genome"], r["regime"]) for r in results["change"]} == {
        (g, regime) for g in GENOMES for regime in CHANGE_REGIMES
    }
    for row in results["change"]:
        assert row["population"] == TINY.change_population and row["episodes"] == TINY.episodes
        low, high = row["cost_ratio_quartiles"]
        assert row["pairs"] == TINY.change_repeats
        assert low <= row["cost_ratio"] <= high
        # the promise is checked on full-length episodes: nobody starves in either kernel
        full = TINY.change_population * TINY.episodes * make_world(WORLD).params["steps"]
        assert row["steps"] == row["legacy_steps"] == full
    names = [t["name"] for t in results["targets"]]
    assert sum("0.1 kernel" in name for name in names) == len(results["change"])
