"""The entry point: run every measurement once and write ``bench.json``, ``bench.md`` and
``throughput.png``."""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import deap
import numba
import numpy as np

from evomesa.bench.baseline import bench_baseline
from evomesa.bench.change import CHANGE_REGIMES, bench_change
from evomesa.bench.common import _CpuWatch, _log
from evomesa.bench.cost import bench_costs
from evomesa.bench.plot import plot_throughput
from evomesa.bench.processes import bench_memory, bench_startup
from evomesa.bench.report import _si, format_markdown
from evomesa.bench.settings import (
    FULL,
    GENOMES,
    LEGACY_GENOMES,
    QUICK,
    REGIME,
    SEED,
    WORLD,
    Settings,
)
from evomesa.bench.targets import _targets
from evomesa.bench.throughput import bench_kernel, bench_loop, bench_threads
from evomesa.bench.worlds import bench_world
from evomesa.files.atomic import write_text_atomic
from evomesa.genomes import genomes_of
from evomesa.worlds import list_worlds, make_world


def _meta(quick: bool) -> dict:
    try:
        layer = numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet
        layer = "unknown"
    return {
        "quick": quick,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "deap": getattr(deap, "__version__", "?"),
        "machine": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "numba_threads": int(numba.config.NUMBA_NUM_THREADS),
        "threading_layer": layer,
        "world": WORLD,
        "regime": REGIME,
        "seed": SEED,
    }


def run_benchmarks(
    quick: bool = False, out: str | Path = "bench-out", *, settings: Settings | None = None
) -> dict:
    """Run every benchmark once; write ``bench.json``, ``bench.md`` and ``throughput.png``.

    Parameters
    ----------
    quick : bool
        Smoke-test sizes (seconds, for CI) instead of the full sizes (minutes).
    out : str or Path
        Folder for the outputs, created if needed.
    settings : Settings, optional
        Custom sizes, overriding those ``quick`` selects.

    Returns
    -------
    dict
        The results, as written to ``bench.json``; the markdown table is also printed.
    """
    if settings is None:
        settings = QUICK if quick else FULL
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    world = make_world(WORLD)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "kernel": [],
        "loop": [],
        "baseline": [],
        "threads": [],
        "change": [],
        "worlds": [],
    }

    for genome_name in GENOMES:
        for n in settings.populations:
            watch = _CpuWatch()
            kernel = bench_kernel(world, genome_name, n, settings)
            loop = bench_loop(world, genome_name, n, settings)
            kernel["other_cpu"] = loop["other_cpu"] = watch.other_share()
            loop["kernel_steps_per_s"] = kernel["steps_per_s"]
            loop["loop_over_gen0_kernel"] = loop["steps_per_s"] / kernel["steps_per_s"]
            results["kernel"].append(kernel)
            results["loop"].append(loop)
            _log(
                f"{genome_name:7s} n={n:>7,}: kernel {_si(kernel['steps_per_s'])} steps/s, "
                f"loop {_si(loop['steps_per_s'])} steps/s ({loop['gens_per_s']:.3g} gen/s)"
            )

    for genome_name in GENOMES:
        watch = _CpuWatch()
        base = bench_baseline(world, genome_name, settings)
        base["other_cpu"] = watch.other_share()
        n = settings.baseline_population
        same = [r for r in results["loop"] if r["genome"] == genome_name and r["population"] == n]
        # Compare with the loop at the baseline's own population, measuring it if needed.
        loop = same[0] if same else bench_loop(world, genome_name, n, settings)
        best = max(
            (r for r in results["loop"] if r["genome"] == genome_name),
            key=lambda r: r["steps_per_s"],
        )
        base.update(
            loop_population=n,
            loop_steps_per_s=loop["steps_per_s"],
            speedup=loop["steps_per_s"] / base["steps_per_s"],
            best_loop_population=best["population"],
            best_loop_steps_per_s=best["steps_per_s"],
            best_speedup=best["steps_per_s"] / base["steps_per_s"],
            # Same population, episodes and seeds: generation 0 must score identically.
            same_start=bool(np.isclose(base["gen0_avg_fitness"], loop["gen0_avg_fitness"])),
        )
        results["baseline"].append(base)
        _log(
            f"{genome_name:7s} baseline n={n}: {_si(base['steps_per_s'])} steps/s; loop is "
            f"{base['speedup']:.0f}x faster"
        )

    for genome_name in LEGACY_GENOMES:  # the 0.1 kernel had no network
        for regime in CHANGE_REGIMES:
            watch = _CpuWatch()
            row = bench_change(world, genome_name, regime, settings)
            row["other_cpu"] = watch.other_share()
            results["change"].append(row)
            _log(
                f"{genome_name:7s} {regime}: 0.1 kernel {_si(row['legacy_steps_per_s'])} "
                f"steps/s, now {_si(row['steps_per_s'])} (cost x{row['cost_ratio']:.2f})"
            )

    for genome_name in GENOMES:
        watch = _CpuWatch()
        row = bench_threads(world, genome_name, settings)
        row["other_cpu"] = watch.other_share()
        results["threads"].append(row)
        _log(f"{genome_name:7s} threads: {row['scaling']:.2f}x on {row['threads']} threads")

    # every registered world, the same few measurements (the sections above are the main one's)
    for name in list_worlds():
        world_n = make_world(name)
        for genome_name in (g for g in GENOMES if g in genomes_of(world_n)):
            watch = _CpuWatch()
            row = bench_world(world_n, genome_name, settings)
            row["other_cpu"] = watch.other_share()
            results["worlds"].append(row)
            _log(
                f"{name} {genome_name:7s}: kernel {_si(row['kernel_steps_per_s'])} steps/s, "
                f"loop/kernel {row['loop_over_kernel']:.2f}, numba/Python "
                f"{row['numba_over_python']:.0f}x"
            )

    # cost per agent-step on one thread, seconds and estimated cycles, every world and
    # architecture, and the reflex network's decision alone
    watch = _CpuWatch()
    results["cost"] = bench_costs([make_world(name) for name in list_worlds()], settings)
    results["cost"]["other_cpu"] = watch.other_share()
    _log(f"clock estimate {results['cost']['clock']['hz'] / 1e9:.2f} GHz (busy loop)")
    for row in results["cost"]["steps"]:
        _log(
            f"{row['world']} {row['genome']:10s}: {row['ns_per_step']:.1f} ns "
            f"({row['cycles_per_step']:.0f} cycles) per agent-step, one thread"
        )

    watch = _CpuWatch()
    results["startup"] = bench_startup(settings)
    results["startup"]["other_cpu"] = watch.other_share()
    _log(
        f"start-up: cold {results['startup']['cold']['first_generation_s']:.2f} s, "
        f"warm {results['startup']['warm']['first_generation_s']:.2f} s"
    )

    results["memory"] = []
    for genome_name in GENOMES:
        for n in settings.memory_populations:
            watch = _CpuWatch()
            row = bench_memory(genome_name, n, settings)
            row["other_cpu"] = watch.other_share()
            results["memory"].append(row)
            _log(f"{genome_name:7s} memory n={n:>7,}: peak {row['peak_mib']:.0f} MiB")

    settings_dict = asdict(settings)
    settings_dict["generations"] = {str(k): v for k, v in settings.generations.items()}
    results["settings"] = settings_dict
    results["meta"] = _meta(quick)
    results["targets"] = _targets(results, settings)
    results["meta"]["total_s"] = time.perf_counter() - started

    write_text_atomic(folder / "bench.json", json.dumps(results, indent=1))
    markdown = format_markdown(results)
    write_text_atomic(folder / "bench.md", markdown)
    plot_throughput(results, folder / "throughput.png")
    print(markdown)
    _log(
        f"wrote {folder}/bench.json, bench.md, throughput.png ({results['meta']['total_s']:.0f} s)"
    )
    return results
