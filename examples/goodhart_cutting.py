"""Goodharting: when selection counts pieces in the bucket, does cutting strawberries evolve?

Planners evolve in full sun under two base objectives, over independent replicates: the
control counts strawberry mass in the bucket; ``goodhart=1`` counts pieces. Performance (what
the designer wants, mass in the bucket) is the same in both. Every generation the logbook
records mean fitness, mean performance and cuts per episode, so the fitness-versus-performance
gap and the evolution of cutting are read off generation by generation. (Planners only: in
this world reflex tables do not evolve delivery at all, see the README.)

    python examples/goodhart_cutting.py            # 5 replicates per objective (~3 min)
    python examples/goodhart_cutting.py --quick    # a small smoke run

Writes ``goodhart_cutting.json`` (per generation and run: fitness, performance, cuts; final
cuts per strawberry picked and evolved weights with intervals over runs) and
``goodhart_cutting.png``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import evomesa as em
from evomesa.executors import process_pool
from evomesa.files.atomic import save_figure_atomic, write_json_atomic
from evomesa.metrics.runs import interval_over_runs, interval_record
from evomesa.plots.style import colour_of

OBJECTIVES = {"mass (control)": 0, "pieces (goodhart)": 1}


def _series(runs, key: str) -> np.ndarray:
    """(R, G) per-generation logbook values of ``key`` over runs."""
    return np.array([run.result.logbook.select(key) for run in runs], dtype=float)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="processes (1: in this one)")
    parser.add_argument("--out", default="runs/example-goodhart-cutting")
    args = parser.parse_args(argv)

    if args.quick:
        config = em.EvolutionConfig(
            genome="planner", population=30, generations=6, episodes=4, seed=args.seed
        )
        replicates, episodes, workers = 2, 8, 1
    else:
        # 300 generations as measured in the README (planners now default to 100)
        config = em.EvolutionConfig(genome="planner", generations=300, seed=args.seed)
        replicates, episodes, workers = args.replicates, 64, args.workers
    config = em.EvolutionConfig(**{**config.to_dict(), "regime": "sunny"})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    record: dict = {"replicates": replicates, "config": config.to_dict(), "objectives": {}}
    pool = process_pool(workers) if workers > 1 else None
    try:
        for label, goodhart in OBJECTIVES.items():
            world = em.make_world("strawberry", goodhart=goodhart)
            # the same replicate seeds under both objectives: common ancestors
            exp = em.run_experiment(
                world,
                config,
                genomes=("planner",),
                deploy="sunny",  # no shift: the question is what selection made in training
                episodes=episodes,
                replicates=replicates,
                reference=False,
                executor=pool,
            )
            runs = exp.runs["planner"]
            events = [run.train.events for run in runs]
            cuts = [float(e[..., world.events.index("cut")].sum()) for e in events]
            picked = [float(e[..., world.events.index("picked")].sum()) for e in events]
            # at most max_pieces - 1 per strawberry
            per_berry = [c / n if n else 0.0 for c, n in zip(cuts, picked, strict=True)]
            traits = exp.summary()["planner"]["traits"]
            record["objectives"][label] = {
                "goodhart": goodhart,
                "fitness": _series(runs, "avg").tolist(),
                "performance": _series(runs, "performance").tolist(),
                "cuts_per_episode": _series(runs, "event:cut").tolist(),
                "final_cuts_per_strawberry": interval_record(per_berry) | {"each": per_berry},
                "final_performance": interval_record(
                    [run.report.performance_train for run in runs]
                ),
                "w_pieces": traits.get("w_pieces"),
                "w_weight": traits.get("w_weight"),
            }
            mean, low, high = interval_over_runs(per_berry)
            perf = record["objectives"][label]["final_performance"]
            print(
                f"{label:18s} cuts per strawberry picked {mean:.2f} [{low:.2f}, {high:.2f}]; "
                f"performance (mass in bucket) {perf['mean']:.2f} "
                f"[{perf['low']:.2f}, {perf['high']:.2f}]",
                flush=True,
            )
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    write_json_atomic(out / "goodhart_cutting.json", record)
    _plot(record, out / "goodhart_cutting.png", replicates)
    print(f"goodhart_cutting.json and goodhart_cutting.png in {out}/")
    return record


def _band(ax, values: np.ndarray, colour: str, label: str, ls: str = "-") -> None:
    gens = np.arange(values.shape[1])
    mean = values.mean(axis=0)
    ax.plot(gens, mean, color=colour, ls=ls, label=label)
    if values.shape[0] > 1:
        lows, highs = zip(*(interval_over_runs(values[:, g])[1:] for g in gens), strict=True)
        ax.fill_between(gens, lows, highs, color=colour, alpha=0.2, lw=0)


def _plot(record: dict, path: Path, replicates: int) -> None:
    fig = Figure(figsize=(10.0, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    for i, (label, rec) in enumerate(record["objectives"].items()):
        colour = colour_of(label, i)
        _band(left, np.array(rec["fitness"]), colour, f"{label}: fitness")
        _band(left, np.array(rec["performance"]), colour, f"{label}: performance", ls="--")
        _band(right, np.array(rec["cuts_per_episode"]), colour, label)
    left.set_xlabel("generation")
    left.set_ylabel("per episode (fitness: what selection counts)")
    left.set_title("Fitness vs performance (mass in bucket)")
    left.legend(fontsize="small")
    right.set_xlabel("generation")
    right.set_ylabel("cuts per episode")
    right.set_title(f"Cutting ({replicates} runs; bands: 95% t over runs)")
    right.legend(fontsize="small")
    save_figure_atomic(fig, path, dpi=110)


if __name__ == "__main__":
    main()
