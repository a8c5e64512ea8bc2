"""The headline experiment: a sex drive that served reproduction outlives contraception.

Evolve reflex agents and planning agents (mesa-optimizers with evolved drives) in the
ancestral world, then deploy them into the modern world with contraception and junk food, and
measure, drive by drive, how far each evolved proxy drifted from reproductive fitness.

    python examples/contraception.py            # full run (~10 s once numba has compiled)
    python examples/contraception.py --quick    # a small smoke run
"""

from __future__ import annotations

import argparse

import evomesa as em
from evomesa.experiment import format_drift_table, run_experiment, save_experiment


def main(argv: list[str] | None = None) -> dict[str, em.DriftReport]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/example-contraception")
    args = parser.parse_args(argv)

    world = em.make_world("contraception")
    if args.quick:
        config = em.EvolutionConfig(population=40, generations=8, episodes=4, seed=args.seed)
        drift_episodes = 8
    else:
        config = em.EvolutionConfig(seed=args.seed)  # the library defaults, as `evomesa run`
        drift_episodes = 64
    runs = run_experiment(
        world, config, genomes=("reflex", "planner"), deploy="modern", episodes=drift_episodes
    )
    reports = {genome: run.report for genome, run in runs.items()}
    print(format_drift_table(reports))
    planner = reports["planner"]
    print(
        f"\nPlanners keep {planner.drives['sex'].signal_retention:.0%} of their sex drive's "
        f"signal but only {planner.fitness_retention:.0%} of their fitness: "
        f"{planner.verdict.replace('_', ' ')}."
    )
    print(f"Reflexes: {reports['reflex'].verdict.replace('_', ' ')}.")
    save_experiment(world, runs, args.out)
    print(f"figures and JSON in {args.out}/")
    return reports


if __name__ == "__main__":
    main()
