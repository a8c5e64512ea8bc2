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
from evomesa.bench.cost import ARCHITECTURES
from evomesa.bench.settings import LEGACY_GENOMES, WORLD
from evomesa.genomes import genomes_of, make_genome
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
        "Cost per agent-step",
        "decision alone",
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
        # the 0.1 kernel had no network: the change section compares tables and planners
        want = LEGACY_GENOMES if section == "change" else GENOMES
        assert {r["genome"] for r in rows} == set(want), section
        for row in rows:
            for key in keys:
                assert _positive(row[key]), (section, key, row[key])
    assert {(r["genome"], r["population"]) for r in results["loop"]} == {
        (g, n) for g in GENOMES for n in pops
    }
    assert {r["population"] for r in results["memory"]} == set(TINY.memory_populations)
    # every registered world is measured, each genome, in its own training regime
    assert {(r["world"], r["genome"]) for r in results["worlds"]} == {
        (w, g) for w in list_worlds() for g in GENOMES if g in genomes_of(make_world(w))
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
        (g, regime) for g in LEGACY_GENOMES for regime in CHANGE_REGIMES
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


def test_cost_per_agent_step_covers_every_world_and_architecture(bench):
    _, results, _ = bench
    cost = results["cost"]
    assert cost["threads"] == 1
    clock = cost["clock"]
    assert clock["estimate"] is True and "busy loop" in clock["method"]
    assert _positive(clock["hz"]) and clock["hz"] == max(clock["hz_before"], clock["hz_after"])
    assert clock["cpuinfo_hz"] is None or _positive(clock["cpuinfo_hz"])
    offered = {w: genomes_of(make_world(w)) for w in list_worlds()}
    want = [(w, g) for w in list_worlds() for g in ARCHITECTURES if g in offered[w]]
    assert [(r["world"], r["genome"]) for r in cost["steps"]] == want
    for row in cost["steps"]:
        assert row["regime"] == make_world(row["world"]).default_shift[0]
        assert row["population"] == TINY.populations[1] and row["episodes"] == TINY.episodes
        for key in ("steps", "seconds", "ns_per_step", "cycles_per_step", "over_reflex"):
            assert _positive(row[key]), (row["world"], row["genome"], key, row[key])
        # seconds -> ns -> cycles, all from one measurement and one clock estimate
        per_step = row["seconds"] / row["steps"]
        assert math.isclose(row["ns_per_step"], per_step * 1e9, rel_tol=1e-9)
        assert math.isclose(row["cycles_per_step"], per_step * clock["hz"], rel_tol=1e-9)
        table = next(
            r for r in cost["steps"] if r["world"] == row["world"] and r["genome"] == "reflex"
        )
        assert math.isclose(row["over_reflex"], row["ns_per_step"] / table["ns_per_step"])
    # the network's decision alone, in every world that offers a network, on its own shape
    nets = [w for w in list_worlds() if "reflex_net" in offered[w]]
    assert [r["world"] for r in cost["network"]] == nets
    for row in cost["network"]:
        genome = make_genome("reflex_net", make_world(row["world"]))
        assert (row["features"], row["hidden"], row["actions"]) == genome.dims
        assert row["parameters"] == genome.n_parameters  # what a decision computes with
        assert row["genes"] == genome.length  # what evolution searches (fewer when tied)
        for key in ("decisions", "seconds", "ns_per_decision", "cycles_per_decision"):
            assert _positive(row[key]), (row["world"], key, row[key])
        per = row["seconds"] / row["decisions"]
        assert math.isclose(row["cycles_per_decision"], per * clock["hz"], rel_tol=1e-9)


def test_clock_estimate_and_cost_helpers():
    from evomesa.bench.cost import bench_step_cost, cpuinfo_hz, measure_clock

    hz = measure_clock(bursts=2, turns=1_000_000)
    assert _positive(hz)
    nominal = cpuinfo_hz()
    assert nominal is None or _positive(nominal)
    row = bench_step_cost(make_world(WORLD), "reflex", TINY)  # no clock: no cycles
    assert row["cycles_per_step"] is None and _positive(row["ns_per_step"])
