"""Dose-response: how much of the modern world must evolution see to stay robust in it?

Planners and reflexes evolve on a training mixture: each episode is modern with probability
``share`` and ancestral otherwise (``EvolutionConfig(regime={"ancestral": 1 - share,
"modern": share})``). Each evolved population is then deployed into the modern world, and its
fitness retention (modern / ancestral fitness, on fresh episodes) is measured. Every share is
run over independent replicates; replicate r starts from the same seed at every share, so the
doses are compared on common ancestors.

    python examples/dose_response.py            # 7 shares x 5 replicates x 2 genomes (~6 min)
    python examples/dose_response.py --quick    # a small smoke run

Writes ``dose_response.json`` and ``dose_response.png`` into ``--out``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

import evomesa as em
from evomesa.analysis import interval_over_runs, interval_record
from evomesa.executors import process_pool
from evomesa.metrics import VERDICTS
from evomesa.plots import plot_dose_response

SHARES = (0.0, 1 / 256, 1 / 128, 1 / 64, 1 / 32, 1 / 16, 1 / 8)


def mixture(share: float) -> str | dict[str, float]:
    """The training regime for a share of modern episodes (pure ancestral at 0)."""
    return "ancestral" if share == 0 else {"ancestral": 1.0 - share, "modern": share}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="processes (1: in this one)")
    parser.add_argument("--out", default="runs/dose_response")
    args = parser.parse_args(argv)

    world = em.make_world("contraception")
    if args.quick:
        config = em.EvolutionConfig(population=30, generations=6, episodes=4, seed=args.seed)
        shares, replicates, episodes, workers = (0.0, 1 / 8), 2, 8, 1
    else:
        config = em.EvolutionConfig(seed=args.seed)
        shares, replicates, episodes, workers = SHARES, args.replicates, 64, args.workers
    genomes = ("reflex", "planner")

    retention = {g: np.zeros((len(shares), replicates)) for g in genomes}
    verdicts: dict[str, list[dict]] = {g: [] for g in genomes}
    pool = process_pool(workers) if workers > 1 else None
    try:
        for k, share in enumerate(shares):
            exp = em.run_experiment(
                world,
                em.EvolutionConfig(**{**config.to_dict(), "regime": mixture(share)}),
                genomes=genomes,
                deploy="modern",
                episodes=episodes,
                replicates=replicates,
                reference=False,  # retention is the question here; regret is in `evomesa run`
                executor=pool,
            )
            for g in genomes:
                reports = [run.report for run in exp.runs[g]]
                retention[g][k] = [r.fitness_retention for r in reports]
                verdicts[g].append({v: sum(r.verdict == v for r in reports) for v in VERDICTS})
                mean, low, high = interval_over_runs(retention[g][k])
                print(
                    f"share {share:.4f} {g:8s} retention {mean:.2f} [{low:.2f}, {high:.2f}] "
                    f"over {replicates} runs",
                    flush=True,
                )
    finally:
        if pool is not None:
            pool.shutdown()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "shares": list(shares),
        "replicates": replicates,
        "config": config.to_dict(),
        "retention": {g: retention[g].tolist() for g in genomes},
        "interval_over_runs": {g: [interval_record(row) for row in retention[g]] for g in genomes},
        "verdicts": verdicts,
    }
    (out / "dose_response.json").write_text(json.dumps(summary, indent=1))
    fig = plot_dose_response(
        np.array(shares),
        retention,
        train="ancestral",
        deploy="modern",
        title=f"Fitness retention in modern vs modern share in training ({replicates} runs)",
    )
    fig.savefig(out / "dose_response.png", dpi=110)
    print(f"dose_response.json and dose_response.png in {out}/")
    return summary


if __name__ == "__main__":
    main()
