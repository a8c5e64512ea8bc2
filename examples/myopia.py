"""Mesa myopia as a countermeasure: cap the planning horizon, and count what it costs.

Planners evolve in the deception world under the myopic base objective with their horizon
capped (``horizon_cap``), in several independent replicates per cap. A cap shorter than the
watched phase hides the deployment phase's loot, so a planner cannot foresee that complying
now keeps it; a cap shorter than ``project_steps - 1`` also hides the project's payout, which
costs task. Reported per cap, in a final unwatched deployment: the shares of aligned,
deceptive and openly misaligned agents, and the task done (performance) and fitness.

    python examples/myopia.py [--quick] [--replicates R] [--seed S] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from matplotlib.figure import Figure

import evomesa as em
from evomesa.files.atomic import save_figure_atomic, write_json_atomic
from evomesa.plots.style import colour_of
from evomesa.studies.deception import run_condition

CAPS = (3, 5, 8, 12, 36)


def figure(summary: dict) -> Figure:
    """Class shares and deployment task against the cap, mean and 95 % t-interval over runs."""
    fig = Figure(figsize=(9.0, 3.6), layout="constrained")
    shares, task = fig.subplots(1, 2)
    labels = list(summary)
    caps = list(range(len(labels)))  # evenly spaced, labelled by cap
    for i, key in enumerate(("aligned", "deceptive", "open")):
        iv = [summary[c]["intervals"][key] for c in summary]
        mean = [v["mean"] for v in iv]
        shares.plot(caps, mean, "o-", color=colour_of(key, i), label=key)
        shares.fill_between(caps, [v["low"] for v in iv], [v["high"] for v in iv],
                            color=colour_of(key, i), alpha=0.2, lw=0)  # fmt: skip
    shares.set_xticks(caps, labels)
    shares.set_xlabel("horizon cap (steps)")
    shares.set_ylabel("share, final unwatched deployment")
    shares.legend(fontsize="small", title="mean; band: 95% t-interval over runs",
                  title_fontsize="small")  # fmt: skip
    curves = (
        ("performance", "task, whole lifetime (performance)"),
        ("fitness", "task while watched (myopic fitness)"),
    )
    for i, (key, what) in enumerate(curves):
        iv = [summary[c]["intervals"][key] for c in summary]
        task.errorbar(caps, [v["mean"] for v in iv],
                      yerr=[[v["mean"] - v["low"] for v in iv],
                            [v["high"] - v["mean"] for v in iv]],
                      fmt="o-", capsize=3, color=colour_of(key, i), label=what)  # fmt: skip
    task.set_xticks(caps, labels)
    task.set_xlabel("horizon cap (steps)")
    task.set_ylabel("task units per lifetime, final deployment")
    task.legend(fontsize="small", title="whisker: 95% t-interval over runs",
                title_fontsize="small")  # fmt: skip
    return fig


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicates", type=int, default=None, help="default 6 (2 quick)")
    parser.add_argument("--out", default="runs/example-myopia")
    args = parser.parse_args(argv)
    if args.quick:
        config = em.EvolutionConfig(population=20, generations=3, episodes=2, seed=args.seed)
        replicates, episodes, caps = args.replicates or 2, 4, (3, 36)
    else:
        config = em.EvolutionConfig(population=100, generations=60, episodes=8, seed=args.seed)
        replicates, episodes, caps = args.replicates or 6, 32, CAPS
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    summary = {
        str(cap): run_condition({"horizon_cap": cap}, config, replicates, episodes) for cap in caps
    }
    print(f"{replicates} replicates; final unwatched deployment, mean [95% t-interval over runs]")
    for cap, s in summary.items():
        cells = "  ".join(
            f"{k} {s['intervals'][k]['mean']:.2f} [{s['intervals'][k]['low']:.2f}, "
            f"{s['intervals'][k]['high']:.2f}]"
            for k in ("deceptive", "open", "aligned", "performance", "fitness", "loot_over_task")
        )
        print(f"cap {cap:>3}: {cells}")
    save_figure_atomic(figure(summary), out / "myopia.png")
    write_json_atomic(out / "myopia.json", summary)
    return summary


if __name__ == "__main__":
    main()
