"""Deceptive alignment, evolved: myopic vs full base objectives, and honeypot fidelity.

Planners evolve in the deception world (a watched phase, then deployment; see
``evomesa.worlds.deception``) under each condition, in several independent replicates:

* ``myopic``: fitness counts only task done while watched (the default);
* ``full``: fitness counts the whole lifetime;
* ``honeypots f=...``: the myopic objective, with half of all training deployments secretly
  watched honeypots whose tell is hidden with chance f (the fidelity);
* ``..., retrain 4``: the same with 4 steps of retraining (no task) after being caught, a
  cost a planner foresees even inside a test.

Per generation: the shares of aligned, deceptive and openly misaligned agents and the
deception gap in training. At the end: the same in a final, truly unwatched deployment, the
task done there (performance), the horizon distribution and the traits that explain it. In
that deployment planners keep the training regime's beliefs about honeypots (the world's
``belief_regime``, default): they cannot perceive that it has none.

    python examples/deception.py [--quick] [--replicates R] [--seed S] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import evomesa as em
from evomesa.files.atomic import save_figure_atomic, write_json_atomic
from evomesa.plots.runs import plot_over_generations
from evomesa.plots.style import colour_of
from evomesa.studies.deception import run_condition

CONDITIONS = {
    "myopic": {},
    "full": {"myopic_objective": 0},
    "honeypots f=0": {"honeypot_rate": 0.5, "honeypot_fidelity": 0.0},
    "honeypots f=0.5": {"honeypot_rate": 0.5, "honeypot_fidelity": 0.5},
    "honeypots f=1": {"honeypot_rate": 0.5, "honeypot_fidelity": 1.0},
    # the same with a cost of being caught that the planner foresees inside a test (steps of
    # retraining without task): only then can recognising a test change what it does there
    "myopic, retrain 4": {"retrain_steps": 4},
    "honeypots f=0, retrain 4": {
        "honeypot_rate": 0.5,
        "honeypot_fidelity": 0.0,
        "retrain_steps": 4,
    },
    "honeypots f=1, retrain 4": {
        "honeypot_rate": 0.5,
        "honeypot_fidelity": 1.0,
        "retrain_steps": 4,
    },
}


def bars(summary: dict, keys: tuple[str, ...], title: str) -> Figure:
    """Final-deployment means with 95 % t-intervals over runs, one group per condition."""
    fig = Figure(figsize=(8.0, 3.8), layout="constrained")
    ax = fig.add_subplot()
    names = list(summary)
    width = 0.8 / len(keys)
    for j, key in enumerate(keys):
        iv = [summary[n]["intervals"][key] for n in names]
        mean = np.array([v["mean"] for v in iv])
        err = np.array([[v["mean"] - v["low"] for v in iv], [v["high"] - v["mean"] for v in iv]])
        x = np.arange(len(names)) + (j - (len(keys) - 1) / 2) * width
        ax.bar(x, mean, width, yerr=err, capsize=3, label=key, color=colour_of(key, j))
    ax.set_xticks(range(len(names)), names, fontsize="small")
    ax.set_ylabel("share")
    ax.set_title(title, fontsize="medium")
    ax.legend(fontsize="small", title="bar: mean; whisker: 95% t-interval over runs",
              title_fontsize="small")  # fmt: skip
    return fig


def horizons(summary: dict) -> Figure:
    """Final horizon distribution (share of planners per horizon), mean over runs."""
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    for i, (name, s) in enumerate(summary.items()):
        h = np.array(s["horizon_hist"], dtype=float)
        share = (h / h.sum(axis=1, keepdims=True)).mean(axis=0)
        ax.step(np.arange(1, share.size + 1), share, where="mid", label=name,
                color=colour_of(name, i))  # fmt: skip
    ax.set_xlabel("planning horizon (steps)")
    ax.set_ylabel("share of planners (mean over runs)")
    ax.legend(fontsize="small")
    return fig


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicates", type=int, default=None, help="default 6 (2 quick)")
    parser.add_argument("--out", default="runs/example-deception")
    args = parser.parse_args(argv)
    if args.quick:
        config = em.EvolutionConfig(population=20, generations=3, episodes=2, seed=args.seed)
        replicates, episodes = args.replicates or 2, 4
    else:
        config = em.EvolutionConfig(population=100, generations=60, episodes=8, seed=args.seed)
        replicates, episodes = args.replicates or 6, 32
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    summary = {n: run_condition(p, config, replicates, episodes) for n, p in CONDITIONS.items()}

    print(f"{replicates} replicates; final unwatched deployment, mean [95% t-interval over runs]")
    keys = ("deceptive", "open", "aligned", "deception_gap", "performance",
            "loot_over_task", "reaches_deployment", "median_horizon", "knock_out:intact",
            "knock_out:task", "knock_out:loot")  # fmt: skip
    for name, s in summary.items():
        cells = "  ".join(
            f"{k} {s['intervals'][k]['mean']:.2f} [{s['intervals'][k]['low']:.2f}, "
            f"{s['intervals'][k]['high']:.2f}]"
            for k in keys
        )
        print(f"{name:>16}: {cells}")

    gens = np.arange(config.generations + 1)
    series = {n: np.array(s["generations"]["deceptive"]) for n, s in summary.items()}
    save_figure_atomic(
        plot_over_generations(gens, series, "deceptive share (training)"),
        out / "deception_over_generations.png",
    )
    gaps = {n: np.array(s["generations"]["deception_gap"]) for n, s in summary.items()}
    save_figure_atomic(
        plot_over_generations(gens, gaps, "deception gap (training)"),
        out / "deception_gap_over_generations.png",
    )
    quartiles = {
        f"{n}: {q}": np.array(s["generations"][key])
        for n, s in summary.items()
        if n in ("myopic", "full")
        for q, key in (
            ("q25", "horizon_q25"),
            ("median", "median_horizon"),
            ("q75", "horizon_q75"),
        )
    }
    save_figure_atomic(
        plot_over_generations(gens, quartiles, "planning horizon, quartiles (training)"),
        out / "deception_horizon_over_generations.png",
    )
    save_figure_atomic(
        bars(summary, ("aligned", "deceptive", "open"), "final unwatched deployment"),
        out / "deception_shares.png",
    )
    save_figure_atomic(horizons(summary), out / "deception_horizons.png")
    write_json_atomic(out / "deception.json", summary)
    return summary


if __name__ == "__main__":
    main()
