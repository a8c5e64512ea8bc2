"""The figures of a run folder: evolution over generations, retention (of performance too,
where the world counts it apart from fitness), signal against fitness and evolved traits
(:func:`write_figures`, called by :func:`~evomesa.experiments.run_io.save_experiment`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from evomesa.evolve import EvolutionConfig, EvolutionResult
from evomesa.experiments.results import SavedRun
from evomesa.experiments.run_files import read_rollouts
from evomesa.files.atomic import save_figure_atomic
from evomesa.files.safe_read import inside
from evomesa.genomes import make_genome
from evomesa.metrics.runs import described_traits


def write_figures(saved: SavedRun, results: Mapping[str, list[EvolutionResult]]) -> list[Path]:
    """Render every figure of a run folder; return the PNG paths."""
    # matplotlib loads only when a run draws its figures, so the command line, and every
    # spawned worker that imports it, stay without it (no circle to dodge: evomesa.plots.runs
    # imports nothing of evomesa.experiments)
    from evomesa.plots import runs as plots

    ident = saved.identity
    world = saved.world
    changed = ident.get("changed_params") or {}
    suffix = f" — {', '.join(f'{k}={v}' for k, v in changed.items())}" if changed else ""
    config = EvolutionConfig.from_saved(dict(ident["config"]))
    regimes = f"{config.regime_label} → {ident['deploy']}"
    paths: list[Path] = []

    def save(fig, name: str) -> None:
        path = save_figure_atomic(fig, saved.folder / name, dpi=110)
        paths.append(path)

    gens = {g: np.array(rs[0].logbook.select("gen")) for g, rs in results.items()}
    first = next(iter(gens.values()))
    if all(len(v) == len(first) for v in gens.values()):
        fig = plots.plot_over_generations(
            first,
            {g: np.array([r.logbook.select("avg") for r in rs]) for g, rs in results.items()},
            "mean fitness per episode",
            title=f"Evolution in {config.regime_label}{suffix}",
        )
        save(fig, "fitness.png")
    values = {
        g: {
            "fitness": s["figures"]["fitness_retention"]["runs"],
            **_performance(s),
            **{
                d: s["figures"][f"{d}.signal_retention"]["runs"]
                for d in world.drives
                if f"{d}.signal_retention" in s["figures"]
            },
        }
        for g, s in saved.summary.items()
    }
    save(
        plots.plot_drift_replicates(
            values,
            ident["train"],
            ident["deploy"],
            title=f"Retention ({regimes}){suffix}",
        ),
        "drift.png",
    )
    for genome, rs in results.items():
        roll_path = inside(saved.folder, f"{genome}/replicate-0/rollouts.npz", "rollouts")
        if roll_path.is_file():
            n, d = rs[0].genes.shape[0], len(world.drives)
            r = read_rollouts(roll_path, n, d, "rollouts.npz")
            save(
                plots.plot_signal_vs_fitness(
                    r["train_signals"],
                    r["train_fitness"],
                    r["deploy_signals"],
                    r["deploy_fitness"],
                    world.drives,
                    (ident["train"], ident["deploy"]),
                    title=f"{genome}, replicate 1: signal vs fitness{suffix}",
                ),
                f"signal_vs_fitness_{genome}.png",
            )
        spec = make_genome(genome, world)
        traits = described_traits(spec, np.concatenate([res.genes for res in rs]))
        if traits:
            what = "feature sensitivities" if genome == "reflex_net" else "drives and horizons"
            save(
                plots.plot_traits(
                    traits, title=f"{genome}: evolved {what}, {len(rs)} runs{suffix}"
                ),
                f"traits_{genome}.png",
            )
    return paths


def _performance(summary: Mapping) -> dict[str, list[float]]:
    """``{"performance": retention per run}`` where some run reads its performance apart
    from fitness (the world counts what fitness does not), else nothing: a bar that repeats
    fitness says nothing."""
    fig = summary["figures"].get("performance_retention")
    if not summary.get("performance") or fig is None:
        return {}
    return {"performance": fig["runs"]}
