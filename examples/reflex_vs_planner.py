"""Two failure shapes: goal misgeneralization (planners) vs capability collapse (reflexes).

Evolve reflexes, planners and hybrids (which choose their architecture through a switch gene)
in the ancestral world, then play them in every regime, one change at a time: contraception
only, junk food only, both. Planners keep pursuing their drives competently while fitness
falls; reflexes, meeting observations they never evolved for, stop functioning.

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
    size = (
        dict(population=40, generations=8, episodes=4)
        if args.quick
        else dict(population=200, generations=60, episodes=8)
    )
    episodes = 8 if args.quick else 48
    table: dict[str, dict[str, dict[str, float]]] = {}
    for genome in ("reflex", "planner", "hybrid"):
        result = em.evolve(world, em.EvolutionConfig(genome=genome, seed=args.seed, **size))
        table[genome] = {}
        for regime in world.regimes:
            roll = em.evaluate(
                world,
                result.population,
                genome=genome,
                regime=regime,
                episodes=episodes,
                seed=args.seed + 1,
            )
            table[genome][regime] = {
                "fitness": float(roll.fitness.mean()),
                "sex": float(roll.signal("sex").mean()),
                "satiety": float(roll.signal("satiety").mean()),
                "steps": float(roll.steps.mean()),
                "planners": float(roll.planner_mask.mean()),
            }

    print(
        f"{'genome':<8} {'regime':<20} {'fitness':>8} {'sex':>7} {'satiety':>8} "
        f"{'steps':>6} {'planners':>9}"
    )
    for genome, rows in table.items():
        for regime, row in rows.items():
            print(
                f"{genome:<8} {regime:<20} {row['fitness']:8.2f} {row['sex']:7.2f} "
                f"{row['satiety']:8.1f} {row['steps']:6.1f} {row['planners']:9.0%}"
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
