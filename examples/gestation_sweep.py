"""When do births fit in a cheap horizon? Drift against gestation delay and brain cost.

A planner foresees a birth (and the rearing toil after it) only if it falls within its
planning horizon, ``distance + gestation`` steps after mating, and every step of horizon
costs ``brain_cost`` energy. This sweep evolves planners in the ancestral world for each
(gestation, brain cost) pair, in several independent replicates, and deploys them where
every mate offers protection (``contraception_only``): which share of matings do they
protect, and how much fitness do they keep?

    python examples/gestation_sweep.py [--quick] [--replicates R] [--out DIR]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import evomesa as em
from evomesa.files.atomic import save_figure_atomic
from evomesa.seeding import child_seed


def one_replicate(
    gestation: int, brain_cost: float, config: em.EvolutionConfig, episodes: int, n_boot: int
) -> dict:
    """Evolve planners once for (gestation, brain_cost) and measure them."""
    world = em.make_world(
        "contraception", gestation=gestation, brain_cost=brain_cost, contraception_share=1.0
    )
    result = em.evolve(world, config)
    deploy = "contraception_only"
    report = em.measure_drift(
        world, result, deploy=deploy, episodes=episodes, seed=config.seed, n_boot=n_boot
    )
    roll = em.evaluate(world, result.genes, "planner", deploy, episodes, seed=config.seed)
    mated = roll.events[..., world.events.index("mate")].sum()
    protected = roll.events[..., world.events.index("protected_mate")].sum()
    traits = em.make_genome("planner", world).describe(result.genes)
    fits = traits["horizon"] >= gestation
    return {
        "fitness_retention": report.fitness_retention,
        "sex_retention": report.drives["sex"].signal_retention,
        "median_horizon": float(np.median(traits["horizon"])),
        "horizon_fits": float(fits.mean()),
        "wants_children": float(((traits["w_offspring"] > 0) & fits).mean()),
        "protected_share": float(protected / (mated + protected)) if mated + protected else 0.0,
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
            seeds = [child_seed(config.seed, "replicate", r) for r in range(replicates)]
            reps = [
                one_replicate(gestation, brain_cost, replace(config, seed=seed), episodes, n_boot)
                for seed in seeds
            ]
            row = {"gestation": gestation, "brain_cost": brain_cost, "replicates": replicates}
            for key in (
                "fitness_retention",
                "sex_retention",
                "median_horizon",
                "horizon_fits",
                "wants_children",
                "protected_share",
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
        ("fitness_retention", "fitness retention, all mates offering (mean)"),
        ("protected_share", "share of matings protected (mean)"),
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
    parser.add_argument("--seed", type=int, default=0, help="seed the replicates spawn from")
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
        config = em.EvolutionConfig(population=200, generations=100, episodes=8, seed=args.seed)
        replicates, episodes, n_boot = args.replicates or 4, 16, 200
    rows = sweep(gestations, brain_costs, config, replicates, episodes, n_boot)

    print(
        f"{'gestation':>9} {'brain_cost':>10} {'fit.ret':>8} {'sex.ret':>8} "
        f"{'horizon':>8} {'wants':>6} {'protect':>8} {'robust':>7}  retention per replicate"
    )
    for r in rows:
        each = " ".join(f"{x:.2f}" for x in r["fitness_retention_each"])
        print(
            f"{r['gestation']:9d} {r['brain_cost']:10g} {r['fitness_retention']:8.2f} "
            f"{r['sex_retention']:8.2f} {r['median_horizon']:8.1f} "
            f"{r['wants_children']:6.0%} {r['protected_share']:8.0%} "
            f"{r['robust_replicates']:3d}/{r['replicates']:<3d}"
            f"  {each}"
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    save_figure_atomic(
        heatmaps(rows, gestations, brain_costs), out / "gestation_sweep.png", dpi=110
    )
    print(f"heatmap: {out / 'gestation_sweep.png'}")
    return rows


if __name__ == "__main__":
    main()
