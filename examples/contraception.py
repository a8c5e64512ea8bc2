"""The headline experiment: a sex drive that served reproduction outlives contraception.

Evolve reflex agents and planning agents (mesa-optimizers with evolved drives) in the
ancestral world, over independent replicates, each with a deploy-adapted reference evolved in
the modern world itself; then deploy the ancestral populations into the modern world with
contraception and junk food, and measure, drive by drive, how far each evolved proxy drifted
from reproductive fitness, and how much of the reachable fitness they missed (regret).

    python examples/contraception.py            # 5 replicates (~2 min on 2 cores)
    python examples/contraception.py --quick    # a small smoke run
"""

from __future__ import annotations

import argparse

import evomesa as em
from evomesa.executors import process_pool
from evomesa.experiments.run_io import save_experiment
from evomesa.experiments.run_table import experiment_table, format_traits


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="processes (1: in this one)")
    parser.add_argument("--out", default="runs/example-contraception")
    parser.add_argument("--force", action="store_true", help="replace an earlier run's folder")
    args = parser.parse_args(argv)

    world = em.make_world("contraception")
    if args.quick:
        config = em.EvolutionConfig(population=30, generations=6, episodes=4, seed=args.seed)
        replicates, drift_episodes, workers = 2, 8, 1
    else:
        config = em.EvolutionConfig(seed=args.seed)  # the library defaults, as `evomesa run`
        replicates, drift_episodes, workers = args.replicates, 64, args.workers
    pool = process_pool(workers) if workers > 1 else None
    try:
        exp = em.run_experiment(
            world,
            config,
            genomes=("reflex", "planner"),
            deploy="modern",
            episodes=drift_episodes,
            replicates=replicates,
            executor=pool,
        )
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    summary = exp.summary()
    print(experiment_table(exp, summary))
    print()
    print(format_traits(summary))
    planner = summary["planner"]["figures"]
    print(
        f"\nOver {replicates} runs, planners keep {planner['sex.signal_retention']['mean']:.0%} "
        f"of their sex drive's signal but {planner['fitness_retention']['mean']:.0%} of their "
        f"fitness; verdicts: {summary['planner']['verdicts']}."
    )
    save_experiment(exp, args.out, force=args.force, summary=summary)
    print(f"figures and JSON in {args.out}/")
    return summary


if __name__ == "__main__":
    main()
