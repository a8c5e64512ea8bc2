"""When do births fit in a cheap horizon? Drift against gestation delay and brain cost.

A planner can value children directly (a positive ``offspring`` weight) only if the birth,
``gestation`` steps after mating, fits in its planning horizon, and every step of horizon
costs ``brain_cost`` energy. This sweep evolves planners in the ancestral world for each
(gestation, brain cost) pair and asks: does a robust "wants children" drive evolve, and does
fitness then survive contraception in the modern world?

    python examples/gestation_sweep.py [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import evomesa as em


def sweep(gestations, brain_costs, config: em.EvolutionConfig, episodes: int, n_boot: int):
    """Evolve planners per (gestation, brain_cost); return a list of row dicts."""
    rows = []
    for gestation in gestations:
        for brain_cost in brain_costs:
            world = em.make_world("contraception", gestation=gestation, brain_cost=brain_cost)
            result = em.evolve(world, config)
            report = em.measure_drift(
                world, result, episodes=episodes, seed=config.seed + 1, n_boot=n_boot
            )
            traits = em.make_genome("planner", world).describe(result.genes)
            wants = (traits["w_offspring"] > 0) & (traits["horizon"] >= gestation)
            rows.append(
                {
                    "gestation": gestation,
                    "brain_cost": brain_cost,
                    "fitness_retention": report.fitness_retention,
                    "sex_retention": report.drives["sex"].signal_retention,
                    "median_horizon": float(np.median(traits["horizon"])),
                    "wants_children": float(wants.mean()),
                    "verdict": report.verdict,
                }
            )
    return rows


def heatmaps(rows, gestations, brain_costs) -> Figure:
    """Fitness retention and share of 'wants children' planners over the grid."""
    fig = Figure(figsize=(9.0, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, key, title in (
        (axes[0], "fitness_retention", "fitness retention (modern)"),
        (axes[1], "wants_children", "share valuing births in horizon"),
    ):
        grid = np.array([[r[key] for r in rows if r["gestation"] == g] for g in gestations])
        image = ax.imshow(grid, vmin=0.0, vmax=1.0, cmap="viridis", origin="lower", aspect="auto")
        ax.set_xticks(range(len(brain_costs)), [f"{b:g}" for b in brain_costs])
        ax.set_yticks(range(len(gestations)), [str(g) for g in gestations])
        ax.set_xlabel("brain cost per horizon step")
        ax.set_ylabel("gestation (steps)")
        ax.set_title(title)
        for (i, j), value in np.ndenumerate(grid):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="w", fontsize=8)
        fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny grid and budget, for tests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/example-gestation-sweep")
    args = parser.parse_args(argv)

    if args.quick:
        gestations, brain_costs = (2, 20), (0.0, 0.02)
        config = em.EvolutionConfig(population=30, generations=5, episodes=3, seed=args.seed)
        episodes, n_boot = 4, 50
    else:
        gestations, brain_costs = (2, 5, 10, 20), (0.0, 0.005, 0.02)
        config = em.EvolutionConfig(population=200, generations=50, episodes=8, seed=args.seed)
        episodes, n_boot = 32, 500
    rows = sweep(gestations, brain_costs, config, episodes, n_boot)

    print(
        f"{'gestation':>9} {'brain_cost':>10} {'fit.ret':>8} {'sex.ret':>8} "
        f"{'horizon':>8} {'wants':>6}  verdict"
    )
    for r in rows:
        print(
            f"{r['gestation']:9d} {r['brain_cost']:10g} {r['fitness_retention']:8.2f} "
            f"{r['sex_retention']:8.2f} {r['median_horizon']:8.1f} "
            f"{r['wants_children']:6.0%}  {r['verdict'].replace('_', ' ')}"
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    heatmaps(rows, gestations, brain_costs).savefig(out / "gestation_sweep.png", dpi=110)
    print(f"heatmap: {out / 'gestation_sweep.png'}")
    return rows


if __name__ == "__main__":
    main()
