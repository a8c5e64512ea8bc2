"""When do births fit in a cheap horizon? Drift against gestation delay and brain cost.

A planner can value children directly (a positive ``offspring`` weight) only if the birth,
``gestation`` steps after mating, fits in its planning horizon, and every step of horizon
costs ``brain_cost`` energy. This sweep evolves planners in the ancestral world for each
(gestation, brain cost) pair, in several independent replicates, and asks: does a drive that
values children evolve, and does fitness then survive contraception in the modern world?

What it shows (see the README): where births cannot fit a cheap horizon, every replicate
ends in goal misgeneralization. Where they fit, a child-valuing drive is *allowed* but not
*selected*: in the ancestral world valuing sex already brings children, so whether the
offspring weight ends up positive is left to drift, and replicates split.

    python examples/gestation_sweep.py [--quick] [--replicates R] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import evomesa as em


def one_replicate(
    gestation: int, brain_cost: float, config: em.EvolutionConfig, episodes: int, n_boot: int
) -> dict:
    """Evolve planners once for (gestation, brain_cost) and measure them."""
    world = em.make_world("contraception", gestation=gestation, brain_cost=brain_cost)
    result = em.evolve(world, config)
    report = em.measure_drift(
        world, result, episodes=episodes, seed=config.seed + 1, n_boot=n_boot
    )
    traits = em.make_genome("planner", world).describe(result.genes)
    fits = traits["horizon"] >= gestation
    return {
        "fitness_retention": report.fitness_retention,
        "sex_retention": report.drives["sex"].signal_retention,
        "median_horizon": float(np.median(traits["horizon"])),
        "horizon_fits": float(fits.mean()),
        "wants_children": float(((traits["w_offspring"] > 0) & fits).mean()),
        "robust": report.verdict == "robust",
    }


def sweep(
    gestations,
    brain_costs,
    config: em.EvolutionConfig,
    replicates: int,
    episodes: int,
    n_boot: int,
) -> list[dict]:
    """One row per (gestation, brain_cost): replicate means, and how many were robust."""
    rows = []
    for gestation in gestations:
        for brain_cost in brain_costs:
            reps = [
                one_replicate(gestation, brain_cost,
                              em.EvolutionConfig(**{**config.to_dict(), "seed": seed}),
                              episodes, n_boot)
                for seed in range(config.seed, config.seed + replicates)
            ]  # fmt: skip
            row = {"gestation": gestation, "brain_cost": brain_cost, "replicates": replicates}
            for key in (
                "fitness_retention",
                "sex_retention",
                "median_horizon",
                "horizon_fits",
                "wants_children",
            ):
                row[key] = float(np.mean([r[key] for r in reps]))
            row["fitness_retention_each"] = [r["fitness_retention"] for r in reps]
            row["robust_replicates"] = sum(r["robust"] for r in reps)
            rows.append(row)
    return rows


def heatmaps(rows, gestations, brain_costs) -> Figure:
    """Mean fitness retention and mean share of planners valuing births, over the grid."""
    fig = Figure(figsize=(9.0, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    panels = (
        ("fitness_retention", "fitness retention in modern (mean)"),
        ("wants_children", "share valuing births in horizon (mean)"),
    )
    for ax, (key, title) in zip(axes, panels, strict=True):
        grid = np.array([[r[key] for r in rows if r["gestation"] == g] for g in gestations])
        image = ax.imshow(grid, vmin=0.0, vmax=1.0, cmap="viridis", origin="lower", aspect="auto")
        ax.set_xticks(range(len(brain_costs)), [f"{b:g}" for b in brain_costs])
        ax.set_yticks(range(len(gestations)), [str(g) for g in gestations])
        ax.set_xlabel("brain cost per horizon step")
        ax.set_ylabel("gestation (steps)")
        ax.set_title(title, fontsize="medium")
        for (i, j), value in np.ndenumerate(grid):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="w", fontsize=8)
        fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny grid and budget, for tests")
    parser.add_argument("--seed", type=int, default=0, help="first replicate's seed")
    parser.add_argument(
        "--replicates",
        type=int,
        default=None,
        help="independent runs per cell (default: 4, or 2 with --quick)",
    )
    parser.add_argument("--out", default="runs/example-gestation-sweep")
    args = parser.parse_args(argv)

    if args.quick:
        gestations, brain_costs = (2, 20), (0.0, 0.02)
        config = em.EvolutionConfig(population=30, generations=5, episodes=3, seed=args.seed)
        replicates, episodes, n_boot = args.replicates or 2, 4, 50
    else:
        gestations, brain_costs = (2, 5, 10, 20), (0.0, 0.005, 0.02)
        config = em.EvolutionConfig(population=200, generations=50, episodes=8, seed=args.seed)
        replicates, episodes, n_boot = args.replicates or 4, 16, 200
    rows = sweep(gestations, brain_costs, config, replicates, episodes, n_boot)

    print(
        f"{'gestation':>9} {'brain_cost':>10} {'fit.ret':>8} {'sex.ret':>8} "
        f"{'horizon':>8} {'wants':>6} {'robust':>7}  fitness retention per replicate"
    )
    for r in rows:
        each = " ".join(f"{x:.2f}" for x in r["fitness_retention_each"])
        print(
            f"{r['gestation']:9d} {r['brain_cost']:10g} {r['fitness_retention']:8.2f} "
            f"{r['sex_retention']:8.2f} {r['median_horizon']:8.1f} "
            f"{r['wants_children']:6.0%} {r['robust_replicates']:3d}/{r['replicates']:<3d}"
            f"  {each}"
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    heatmaps(rows, gestations, brain_costs).savefig(out / "gestation_sweep.png", dpi=110)
    print(f"heatmap: {out / 'gestation_sweep.png'}")
    return rows


if __name__ == "__main__":
    main()
