"""``throughput.png``: agent-steps per second against population size."""

from __future__ import annotations

from pathlib import Path

from evomesa.bench.settings import GENOMES
from evomesa.files.atomic import save_figure_atomic


def plot_throughput(results: dict, path: Path) -> Path:
    """Agent-steps per second against population size: kernel, loop and the baseline."""
    # A bare Figure (as in evomesa.plots.runs), not pyplot: no global backend or state is touched.
    # Imported here, not on top: matplotlib is slow to load and the command line, which
    # imports this module, needs it only at the end of a bench run.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.add_subplot()
    colours = {"reflex": "tab:blue", "reflex_net": "tab:green", "planner": "tab:orange"}
    for genome_name in GENOMES:
        rows = [r for r in results["loop"] if r["genome"] == genome_name]
        if not rows:
            continue
        pops = [r["population"] for r in rows]
        c = colours[genome_name]
        ax.plot(
            pops,
            [r["kernel_steps_per_s"] for r in rows],
            "o--",
            color=c,
            alpha=0.6,
            label=f"{genome_name}: kernel alone",
        )
        ax.plot(
            pops,
            [r["steps_per_s"] for r in rows],
            "o-",
            color=c,
            label=f"{genome_name}: em.evolve loop",
        )
        for b in results["baseline"]:
            if b["genome"] == genome_name:
                ax.plot(
                    [b["population"]],
                    [b["steps_per_s"]],
                    "x",
                    color=c,
                    markersize=9,
                    label=f"{genome_name}: plain-Python DEAP eaSimple",
                )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("population size")
    ax.set_ylabel("agent-steps per second")
    meta = results["meta"]
    ax.set_title(f"evomesa throughput ({meta['cpus']} CPUs, {meta['numba_threads']} threads)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    save_figure_atomic(fig, path, dpi=120)
    return path
