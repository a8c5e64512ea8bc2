"""The ``targets`` section: which of the issue's goals a run met, recorded, not enforced."""

from __future__ import annotations

import math

from evomesa.bench.settings import (
    GENOMES,
    MAX_MEMORY_PER_INDIVIDUAL_RATIO,
    MAX_STEP_COST_RATIO,
    MAX_WARM_START_S,
    MIN_BASELINE_SPEEDUP,
    MIN_LOOP_OVER_KERNEL,
    MIN_THREAD_SCALING,
    Settings,
)


def _target(name: str, value: float, op: str, threshold: float, note: str = "") -> dict:
    """One goal: ``value op threshold``, where ``op`` is ">=", "<=" or "~" (within a factor)."""
    if op == ">=":
        passed = value >= threshold
    elif op == "<=":
        passed = value <= threshold
    else:
        passed = 1.0 / threshold <= value <= threshold
    return {
        "name": name,
        "value": value,
        "op": op,
        "threshold": threshold,
        "passed": bool(passed),
        "note": note,
    }


def _targets(results: dict, settings: Settings) -> list[dict]:
    """Which of the issue's goals this run met, with the measured numbers."""
    targets = []
    ratio_pop = 1_000 if 1_000 in settings.populations else max(settings.populations)
    for row in results["loop"]:
        if row["population"] == ratio_pop:
            targets.append(
                _target(
                    f"loop/kernel steps/s, {row['genome']}, population {ratio_pop:,}",
                    row["loop_over_kernel"],
                    ">=",
                    MIN_LOOP_OVER_KERNEL,
                    "kernel replaying the loop's own batches",
                )
            )
            targets.append(
                _target(
                    f"loop/kernel steps/s, {row['genome']}, population {ratio_pop:,}, "
                    "kernel on generation 0 only",
                    row["loop_over_gen0_kernel"],
                    ">=",
                    MIN_LOOP_OVER_KERNEL,
                    "evolved agents' steps cost more or less than random agents'",
                )
            )
    for row in results["baseline"]:
        targets.append(
            _target(
                f"loop vs plain-Python DEAP baseline, {row['genome']}, same population "
                f"({row['population']:,})",
                row["speedup"],
                ">=",
                MIN_BASELINE_SPEEDUP,
            )
        )
        targets.append(
            _target(
                f"loop at population {row['best_loop_population']:,} vs DEAP baseline, "
                f"{row['genome']}",
                row["best_speedup"],
                ">=",
                MIN_BASELINE_SPEEDUP,
                "the baseline's steps/s does not depend on population",
            )
        )
    for row in results["threads"]:
        targets.append(
            _target(
                f"kernel, {row['threads']} threads vs 1, {row['genome']}, "
                f"population {row['population']:,}",
                row["scaling"],
                ">=",
                MIN_THREAD_SCALING,
            )
        )
    startup = results["startup"]
    targets.append(
        _target(
            "warm start: process launch to first evaluated generation (s)",
            startup["warm"]["first_generation_s"],
            "<=",
            MAX_WARM_START_S,
            f"cold start {startup['cold']['first_generation_s']:.2f} s, "
            f"compile {startup['compile_s']:.2f} s",
        )
    )
    for row in results["change"]:
        targets.append(
            _target(
                f"agent-step cost now vs the 0.1 kernel, {row['genome']}, {row['regime']}, "
                f"population {row['population']:,}",
                row["cost_ratio"],
                "<=",
                MAX_STEP_COST_RATIO,
                "same work: population, episodes, seeds and regime, random genomes, every "
                "episode run to full length; median of back-to-back pairs",
            )
        )
    for genome_name in GENOMES:
        rows = sorted(
            (r for r in results["memory"] if r["genome"] == genome_name),
            key=lambda r: r["population"],
        )
        if len(rows) >= 2:
            small, large = rows[-2], rows[-1]
            per = small["mib_per_1000"]
            targets.append(
                _target(
                    f"array memory per individual, {genome_name}, population "
                    f"{large['population']:,} vs {small['population']:,}",
                    large["mib_per_1000"] / per if per > 0 else math.inf,
                    "~",
                    MAX_MEMORY_PER_INDIVIDUAL_RATIO,
                    f"process peak {large['peak_mib']:.0f} MiB at population "
                    f"{large['population']:,}; linear growth gives a ratio near 1",
                )
            )
    return targets
