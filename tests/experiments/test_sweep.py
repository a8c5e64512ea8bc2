"""Sweeps on a real local Dask cluster (2 worker processes on loopback), and in process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from hand_reports import MEANING, borderline_robust, robust_performance_lost

import evomesa as em
from evomesa.cli.sweep import _beside, _reading
from evomesa.executors import InProcessExecutor, local_dask
from evomesa.experiments.sweep import RECORDS, load_sweep, sweep
from evomesa.experiments.sweep_records import report_figures
from evomesa.experiments.sweep_summary import summarize_sweep

CONFIG = em.EvolutionConfig(genome="planner", population=12, generations=3, episodes=2, seed=1)
GRID = {"gestation": [5, 10]}


@pytest.fixture(scope="module")
def client():
    with local_dask(2) as c:
        yield c


@pytest.fixture(scope="module")
def in_process(world, tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "in-process"
    return sweep(world, GRID, 3, CONFIG, client=InProcessExecutor(), out=out, episodes=4)


def test_sweep_records_summary_and_figures(in_process):
    s = in_process
    assert s.ran == 6 and s.skipped == 0 and len(s.records) == 6
    assert sorted((r["point"]["gestation"], r["replicate"]) for r in s.records) == [
        (g, r) for g in (5, 10) for r in range(3)
    ]
    # the same replicate seeds at every grid point (paired comparison)
    seeds = {g: [r["seed"] for r in s.records if r["point"]["gestation"] == g] for g in (5, 10)}
    assert seeds[5] == seeds[10]
    cells = s.summary["cells"]
    assert [(c["point"]["gestation"], c["runs"]) for c in cells] == [(5, 3), (10, 3)]
    fig = cells[1]["figures"]["fitness_retention"]
    assert fig["low"] <= fig["mean"] <= fig["high"] and fig["n"] == 3
    assert (s.out / "figures" / "fitness_retention.png").stat().st_size > 0
    assert json.loads((s.out / "summary.json").read_text()) == s.summary
    assert load_sweep(s.out) == s.records
    # what the runs read beside their verdicts, per cell (issue 17)
    for cell in cells:
        assert {"borderline", "high_regret", "performance", "new_goals"} <= set(cell)
        assert "performance_retention" in cell["figures"]
    assert all("performance_retention" in r["figures"] for r in s.records)


def test_rerun_skips_finished_tasks_and_finishes_the_rest(world, in_process, tmp_path):
    out = tmp_path / "partial"
    first = sweep(world, {"gestation": [5]}, 3, CONFIG, client=InProcessExecutor(), episodes=4)
    assert first.out is None
    # a sweep folder with two finished records of the full sweep: only the other four run
    done = sweep(world, GRID, 3, CONFIG, client=InProcessExecutor(), out=out, episodes=4)
    for path in sorted((out / RECORDS).glob("*.json"))[2:]:
        path.unlink()
    again = sweep(world, GRID, 3, CONFIG, client=InProcessExecutor(), out=out, episodes=4)
    assert (again.ran, again.skipped) == (4, 2)
    assert again.records == done.records == in_process.records


_THREADS_SCRIPT = """
from evomesa.executors import local_dask, one_at_a_time

def threads():
    import numba
    return numba.get_num_threads()

if __name__ == "__main__":
    with local_dask(2) as client:
        futures = [client.submit(one_at_a_time, threads, pure=False) for _ in range(4)]
        print(sorted(f.result() for f in futures))
"""


def test_local_cluster_tasks_run_one_numba_thread_each(tmp_path):
    # Workers x threads must not oversubscribe the cores. Started from a process without
    # NUMBA_NUM_THREADS (as `evomesa sweep` usually is), the workers had loaded numba with
    # every core before the cluster's NUMBA_NUM_THREADS=1 reached them: two 2-thread workers
    # on 2 cores made a 2-worker sweep no faster than a 1-worker one.
    script = tmp_path / "threads.py"
    script.write_text(_THREADS_SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == "[1, 1, 1, 1]"


def test_sweep_on_dask_equals_in_process(world, client, in_process, tmp_path):
    s = sweep(world, GRID, 3, CONFIG, client=client, out=tmp_path / "dask", episodes=4)
    assert s.records == in_process.records


def test_killed_worker_mid_sweep_every_replicate_exactly_once(world, client, in_process, tmp_path):
    pids = client.run(os.getpid)  # worker address -> its process id
    assert len(pids) == 2
    killed = []

    def kill_one(record):
        if not killed:  # at the first finished task, while the others are queued or running
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    out = tmp_path / "killed"
    s = sweep(world, GRID, 3, CONFIG, client=client, out=out, episodes=4, on_record=kill_one)
    assert killed and s.ran == 6
    files = sorted(p.name for p in (out / RECORDS).glob("*.json"))
    assert len(files) == 6 == len(set(files))
    keys = [(r["point"]["gestation"], r["genome"], r["replicate"]) for r in load_sweep(out)]
    assert len(keys) == len(set(keys)) == 6
    assert s.records == in_process.records  # a re-run task gives the same record
    assert not [p for p in out.rglob("*.tmp*")]  # no temporary file left behind
    client.wait_for_workers(2, timeout=120)  # the nanny restarted it, for the tests after


def test_another_sweep_in_the_same_folder_is_refused(world, in_process):
    with pytest.raises(em.ConfigError, match="another sweep: its seeds"):
        sweep(world, GRID, 2, CONFIG, client=InProcessExecutor(), out=in_process.out)


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({}, "non-empty dict"),
        ({"nope": [1]}, "grid key must be a parameter"),
        ({"seed": [1, 2]}, "grid key must be"),
        ({"gestation": []}, "non-empty list"),
        ({"gestation": "510"}, "non-empty list"),
        ({"gestation": [5, 5]}, "must not repeat"),
        ({"gestation": [-3]}, "gestation"),
        ({"population": [1]}, "population"),
    ],
)
def test_bad_grids_are_refused_before_any_work(world, grid, match):
    with pytest.raises(em.ConfigError, match=match):
        sweep(world, grid, 1, CONFIG, client=InProcessExecutor())


def test_load_sweep_refuses_a_folder_without_a_sweep(tmp_path):
    with pytest.raises(em.ConfigError, match="sweep folder"):
        load_sweep(tmp_path)


SMALL = ["--population", "12", "--generations", "3", "--episodes", "2", "--drift-episodes", "4"]


def test_cli_sweep_on_a_scheduler_and_run_replicates_on_it(client, in_process, tmp_path, capsys):
    from evomesa.cli import main

    address = client.scheduler.address
    out = tmp_path / "cli"
    args = ["sweep", "contraception", "--grid", "gestation=5,10", "--seeds", "3", "--genome"]
    args += ["planner", "--seed", "1", *SMALL, "--scheduler", address, "--out", str(out), "-q"]
    assert main(args) == 0
    assert "6 task(s) run, 0 already finished" in capsys.readouterr().out
    assert load_sweep(out) == in_process.records
    assert main(args) == 0
    assert "0 task(s) run, 6 already finished" in capsys.readouterr().out

    run = ["run", "contraception", "--genome", "planner", "--replicates", "2", *SMALL, "-q"]
    assert main([*run, "--scheduler", address, "--out", str(tmp_path / "dask-run")]) == 0
    assert main([*run, "--workers", "1", "--out", str(tmp_path / "plain-run")]) == 0
    for r in range(2):
        sub = f"planner/replicate-{r}/result.npz"
        assert (tmp_path / "dask-run" / sub).read_bytes() == (
            tmp_path / "plain-run" / sub
        ).read_bytes()


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ("gestation", "param=v1,v2"),
        ("=5", "param=v1,v2"),
        ("gestation=", "param=v1,v2"),
        ("gestation=5,x", "gestation must be an integer"),
    ],
)
def test_cli_bad_grid(grid, match, tmp_path, capsys):
    from evomesa.cli import main

    argv = ["sweep", "contraception", "--grid", grid, "--seeds", "1", "--out", str(tmp_path)]
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_cli_grid_names_each_parameter_once(tmp_path, capsys):
    from evomesa.cli import main

    argv = ["sweep", "contraception", "--grid", "gestation=5", "--grid", "gestation=6"]
    assert main([*argv, "--seeds", "1", "--out", str(tmp_path)]) == 2
    assert "once" in capsys.readouterr().err


def test_island_run_on_dask_equals_in_process(world, client):
    config = em.EvolutionConfig(
        genome="hybrid",
        population=24,
        generations=7,
        episodes=2,
        seed=5,
        islands=3,
        migration_interval=3,
        migrants=2,
    )
    assert em.evolve(world, config, client=client) == em.evolve(world, config)


def test_islands_sweep_on_dask_finishes_and_equals_in_process(world, client, tmp_path):
    # each task is a replicate with islands on a Dask worker: the islands used to wait for
    # the kernel lock their own task held, for ever; a timeout makes that a failure
    from concurrent.futures import ThreadPoolExecutor

    grid = {"islands": [1, 2]}
    cfg = em.EvolutionConfig(genome="planner", population=8, generations=3, episodes=2, seed=2)
    with ThreadPoolExecutor(1) as pool:
        on_dask = pool.submit(sweep, world, grid, 2, cfg, client=client, episodes=2)
        records = on_dask.result(timeout=300).records
    here = sweep(world, grid, 2, cfg, client=InProcessExecutor(), episodes=2)
    assert len(records) == 4 and records == here.records


def _record(report, replicate: int) -> dict:
    return {
        "point": {"gestation": 5},
        "genome": "planner",
        "replicate": replicate,
        "figures": report_figures(report),
        "verdict": report.verdict,
        "drives_pursued": list(report.drives_pursued),
        "report": report.to_dict(),
    }


def test_a_sweep_cell_counts_what_its_runs_read_and_the_cli_says_it(capsys):
    reports = [robust_performance_lost(), borderline_robust()]
    records = [_record(r, k) for k, r in enumerate(reports)]
    (cell,) = summarize_sweep(records, {"gestation": [5]})["cells"]
    assert cell["runs"] == 2 and cell["verdicts"] == {"robust": 2}
    assert cell["borderline"] == 1 and cell["high_regret"] == 1
    assert cell["robust_performance_lost"] == 1
    assert cell["performance"] == {"kept": 0, "lost": 1}
    assert cell["performance_meaning"] == MEANING
    assert cell["figures"]["performance_retention"]["n"] == 2
    # the command line's summary line and per-record line read both channels
    beside = _beside(cell)
    assert "robust with high regret 1" in beside and "borderline 1" in beside
    assert f"performance lost 1 ({MEANING})" in beside
    assert _reading(records[0]) == reports[0].reading
    assert "performance lost" in _reading(records[0])
    assert _reading(records[1]).endswith("[borderline]")
