"""The results as markdown: ``bench.md`` and the table printed to stdout."""

from __future__ import annotations

from evomesa.bench.settings import BUSY_MACHINE_SHARE, REGIME, WORLD


def _si(x: float) -> str:
    """Compact rate: 12.3M, 456k."""
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= scale:
            return f"{x / scale:.3g}{suffix}"
    return f"{x:.3g}"


def _interference_note(results: dict) -> str:
    """One line saying how busy the machine was with other work during the measurements."""
    rows = [
        (section, r)
        for section in ("kernel", "baseline", "threads", "memory", "change", "worlds")
        for r in results.get(section, [])
    ] + [("startup", results["startup"])]
    if "cost" in results:
        rows.append(("cost (one thread)", results["cost"]))
    shares = [
        (r["other_cpu"], section, r) for section, r in rows if r.get("other_cpu") is not None
    ]
    if not shares:
        return "Other processes' CPU use during the run: not measurable on this platform."
    worst, section, row = max(shares, key=lambda x: x[0])
    where = section + (f" {row['genome']}" if "genome" in row else "")
    if "population" in row and section != "startup":
        where += f" {row['population']:,}"
    text = (
        f"Other processes used at most {worst:.0%} of the machine's CPU time during any "
        f"measurement ({where})"
    )
    if worst > BUSY_MACHINE_SHARE:
        return text + "; **the machine was busy: multi-threaded figures are understated.**"
    return text + "."


def format_markdown(results: dict) -> str:
    """The benchmark results as markdown tables."""
    meta = results["meta"]
    lines = [
        f"# evomesa benchmarks ({'quick' if meta['quick'] else 'full'})",
        "",
        f"{meta['machine']}, {meta['cpus']} CPUs, numba {meta['numba']} "
        f"({meta['numba_threads']} threads, {meta['threading_layer']} layer), "
        f"numpy {meta['numpy']}, deap {meta['deap']}, Python {meta['python']}. "
        f"World `{WORLD}`, regime `{REGIME}`, {results['settings']['episodes']} episodes "
        "per individual. Rates are agent-steps per second (steps survived, summed over "
        "individuals and episodes).",
        "",
        _interference_note(results),
        "",
        "## Throughput",
        "",
        "Kernel alone, two ways: one batched evaluation of the loop's generation-0 (random) "
        "population, and a replay of every batch the loop evaluated (same work, same "
        "agent-steps; evolved agents step differently from random ones). loop/kernel uses "
        "the replay: the share of loop time the kernel itself accounts for.",
        "",
        "| genome | population | kernel, gen 0 | kernel, loop's batches | loop | loop gens/s | "
        "loop/kernel | loop/kernel (gen 0) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["loop"]:
        lines.append(
            f"| {row['genome']} | {row['population']:,} | {_si(row['kernel_steps_per_s'])} | "
            f"{_si(row['replay_kernel_steps_per_s'])} | {_si(row['steps_per_s'])} | "
            f"{row['gens_per_s']:.3g} | {row['loop_over_kernel']:.2f} | "
            f"{row['loop_over_gen0_kernel']:.2f} |"
        )
    lines += [
        "",
        "## Loop vs plain-Python DEAP baseline (`eaSimple`, per-individual `map`, deepcopy)",
        "",
        "| genome | population | generations | baseline steps/s | loop steps/s | speedup | "
        "loop steps/s (best size) | speedup (best size) | same start |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results["baseline"]:
        lines.append(
            f"| {row['genome']} | {row['population']:,} | {row['generations']} | "
            f"{_si(row['steps_per_s'])} | {_si(row['loop_steps_per_s'])} | "
            f"{row['speedup']:.0f}x | {_si(row['best_loop_steps_per_s'])} "
            f"(pop {row['best_loop_population']:,}) | {row['best_speedup']:.0f}x | "
            f"{'yes' if row['same_start'] else 'NO'} |"
        )
    lines += [
        "",
        "## Per-step cost before and after the shared decision kernels (issue 6)",
        "",
        "The 0.1 kernel (decisions written inside the world) and the current one (the world "
        "describes, the agents' kernels decide), timed alternately on the same work: "
        "population, episodes, episode seeds and regime, random generation-0 genomes. "
        "Back-to-back pairs; the median pair's cost ratio, with the quartiles; steps/s are "
        "the medians. *Full length*: an energy store so large that nobody starves, so every "
        "episode runs its full length in both kernels (the promise is checked on this). *As "
        "lived*: the default worlds, where random genomes of the two encodings live "
        "different lengths (mean steps per episode shown), so each kernel spreads its "
        "per-episode set-up over a different number of steps.",
        "",
        "| genome | regime | population | pairs | 0.1 steps/s | now steps/s | cost now / 0.1, "
        "full length (quartiles) | as lived (quartiles) | steps/episode as lived, 0.1 / now |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["change"]:
        q, ql = row["cost_ratio_quartiles"], row["cost_ratio_as_lived_quartiles"]
        lived = row["mean_steps_as_lived"]
        lines.append(
            f"| {row['genome']} | {row['regime']} | {row['population']:,} | {row['pairs']} | "
            f"{_si(row['legacy_steps_per_s'])} | {_si(row['steps_per_s'])} | "
            f"{row['cost_ratio']:.2f} ({q[0]:.2f}-{q[1]:.2f}) | "
            f"{row['cost_ratio_as_lived']:.2f} ({ql[0]:.2f}-{ql[1]:.2f}) | "
            f"{lived['legacy']:.1f} / {lived['now']:.1f} |"
        )
    lines += [
        "",
        "## Thread scaling (kernel)",
        "",
        "| genome | population | 1 thread steps/s | all threads steps/s | threads | scaling |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in results["threads"]:
        lines.append(
            f"| {row['genome']} | {row['population']:,} | {_si(row['steps_per_s_1'])} | "
            f"{_si(row['steps_per_s_all'])} | {row['threads']} | {row['scaling']:.2f}x |"
        )
    lines += [
        "",
        "## Every registered world (training regime, one population)",
        "",
        "Kernel and loop as above; numba/Python: the kernel's agent-steps per second over its "
        "plain-Python reference's (a small population of the same random genomes).",
        "",
        "| world | regime | genome | population | kernel steps/s | loop steps/s | loop gens/s "
        "| loop/kernel | numba/Python |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results.get("worlds", []):
        lines.append(
            f"| {row['world']} | {row['regime']} | {row['genome']} | {row['population']:,} | "
            f"{_si(row['kernel_steps_per_s'])} | {_si(row['loop_steps_per_s'])} | "
            f"{row['loop_gens_per_s']:.3g} | {row['loop_over_kernel']:.2f} | "
            f"{row['numba_over_python']:.0f}x |"
        )
    lines += _cost_lines(results)
    st = results["startup"]
    lines += [
        "",
        "## Start-up: process launch to first evaluated generation "
        f"({st['genome']}, population {st['population']})",
        "",
        "| numba cache | import (s) | first generation (s) | whole process (s) |",
        "|---|---:|---:|---:|",
    ]
    for name in ("cold", "warm"):
        row = st[name]
        lines.append(
            f"| {name} | {row['import_s']:.2f} | {row['first_generation_s']:.2f} | "
            f"{row['process_s']:.2f} |"
        )
    lines += [
        "",
        f"Compile time (cold minus warm): {st['compile_s']:.2f} s.",
        "",
        "## Peak memory (one process per row: kernel evaluation + evolve)",
        "",
        "Process peak: the process's peak resident memory (`VmHWM`), libraries and kernels "
        "included; start-up peak: the same before any population is built. Array peak: the "
        "workload's own peak (`tracemalloc`), the part that grows with population.",
        "",
        "| genome | population | generations | process peak (MiB) | start-up peak (MiB) | "
        "array peak (MiB) | array MiB per 1,000 | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["memory"]:
        lines.append(
            f"| {row['genome']} | {row['population']:,} | {row['generations']} | "
            f"{row['peak_mib']:.0f} | {row['startup_peak_mib']:.0f} | "
            f"{row['arrays_peak_mib']:.1f} | {row['mib_per_1000']:.2f} | {row['seconds']:.1f} |"
        )
    lines += ["", "## Targets", "", "| target | measured | goal | met |", "|---|---:|---:|---|"]
    for t in results["targets"]:
        goal = (
            f"within {t['threshold']:g}x of 1"
            if t["op"] == "~"
            else f"{t['op']} {t['threshold']:g}"
        )
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(
            f"| {t['name']}{note} | {t['value']:.3g} | {goal} | {'yes' if t['passed'] else 'NO'} |"
        )
    if meta["quick"]:
        lines += ["", "Quick mode: smoke-test sizes; the targets are only meaningful in full."]
    return "\n".join(lines) + "\n"


def _cost_lines(results: dict) -> list[str]:
    """The per-agent-step cost section: every world and architecture, one thread."""
    cost = results.get("cost")
    if cost is None:
        return []
    clock = cost["clock"]
    nominal = clock.get("cpuinfo_hz")
    lines = [
        "",
        "## Cost per agent-step, one thread (every world, training regime)",
        "",
        "One agent deciding and its world advancing one step, on one numba thread (so per "
        "core): a batched kernel evaluation of random generation-0 genomes, best of "
        "repeats, over the agent-steps played. Cycles are an **estimate**: seconds x "
        f"{clock['hz'] / 1e9:.2f} GHz, the clock measured by a calibrated busy loop "
        "(dependent add and xor, one cycle each; best of 15 bursts, before and after, the "
        "faster)"
        + (f"; /proc/cpuinfo's nominal rate is {nominal / 1e9:.2f} GHz" if nominal else "")
        + ". x table: the step's cost over the table reflex's in the same world.",
        "",
        "| world | genome | population | ns per step | cycles per step | x table |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in cost["steps"]:
        ratio = row.get("over_reflex")
        lines.append(
            f"| {row['world']} | {row['genome']} | {row['population']:,} | "
            f"{row['ns_per_step']:.1f} | {row['cycles_per_step']:.0f} | "
            f"{'-' if ratio is None else f'{ratio:.2f}'} |"
        )
    if cost["network"]:
        lines += [
            "",
            "The reflex network's decision alone (every feature sensed, then `respond`), on "
            "each world's network shape, random genomes and random features in their "
            "declared bounds, one thread:",
            "",
            "| world | features | hidden | actions | parameters (genes) | ns per decision "
            "| cycles per decision |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in cost["network"]:
            lines.append(
                f"| {row['world']} | {row['features']} | {row['hidden']} | {row['actions']} | "
                f"{row['parameters']} ({row['genes']}) | {row['ns_per_decision']:.1f} | "
                f"{row['cycles_per_decision']:.0f} |"
            )
    return lines
