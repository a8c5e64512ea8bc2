"""Reflexes, planners and hybrids in every regime, one change at a time.

Evolve reflexes, planners and hybrids (which choose their architecture through a switch gene)
in the ancestral world, then play them in every regime: contraception only, junk food only,
both. The table shows fitness, the sex and satiety signals, steps survived, the share of
planners, the share of matings protected, and, for reflexes, the share of decisions taken on
table entries the ancestral world never showed them (their genes there were never selected).

    python examples/reflex_vs_planner.py [--quick]
"""

from __future__ import annotations

import argparse

import evomesa as em
from evomesa.metrics import retention


def main(argv: list[str] | None = None) -> dict[str, dict[str, dict[str, float]]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    world = em.make_world("contraception")
    # the library defaults in full: 288-entry reflex tables need ~300 generations
    # (300 for planners too, as measured in the README; planners now default to 100)
    size = dict(population=40, generations=8, episodes=4) if args.quick else {"generations": 300}
    episodes = 8 if args.quick else 48
    table: dict[str, dict[str, dict[str, float]]] = {}
    for genome in ("reflex", "planner", "hybrid"):
        result = em.evolve(world, em.EvolutionConfig(genome=genome, seed=args.seed, **size))
        table[genome] = {}
        for regime in world.regimes:
            report = em.measure_drift(
                world, result, deploy=regime, episodes=episodes, seed=args.seed, n_boot=100
            )
            roll = em.evaluate(
                world, result.population, genome, regime, episodes=episodes, seed=args.seed
            )
            mated = roll.events[..., world.events.index("mate")].sum()
            protected = roll.events[..., world.events.index("protected_mate")].sum()
            table[genome][regime] = {
                "fitness": float(roll.fitness.mean()),
                "sex": float(roll.signal("sex").mean()),
                "satiety": float(roll.signal("satiety").mean()),
                "steps": float(roll.steps.mean()),
                "planners": float(roll.planner_mask.mean()),
                "protected": float(protected / (mated + protected)) if mated + protected else 0.0,
                "untrained": report.novel_decision_share,
            }

    print(
        f"{'genome':<8} {'regime':<20} {'fitness':>8} {'sex':>7} {'satiety':>8} "
        f"{'steps':>6} {'planners':>9} {'protected':>10} {'untrained':>10}"
    )
    for genome, rows in table.items():
        for regime, row in rows.items():
            untrained = "-" if row["untrained"] is None else f"{row['untrained']:.0%}"
            print(
                f"{genome:<8} {regime:<20} {row['fitness']:8.2f} {row['sex']:7.2f} "
                f"{row['satiety']:8.1f} {row['steps']:6.1f} {row['planners']:9.0%} "
                f"{row['protected']:10.0%} {untrained:>10}"
            )
    for genome, rows in table.items():
        keep = {
            k: retention(rows["ancestral"][k], rows["modern"][k])[0] for k in ("fitness", "sex")
        }
        print(
            f"{genome}: modern keeps {keep['sex']:.0%} of the sex signal and "
            f"{keep['fitness']:.0%} of fitness"
        )
    return table


if __name__ == "__main__":
    main()
