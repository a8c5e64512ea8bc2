"""The train-then-shift experiment behind ``evomesa run`` and the example scripts.

For each genome architecture: evolve in the training regime, replay the final population in
the training and the deployment regimes, measure drift, and (optionally) write everything to
a folder: per genome ``result.json``/``result.npz``, ``drift.json`` and ``rollouts.npz``; for
the run ``summary.json`` and the PNG figures.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from evomesa.errors import ConfigError
from evomesa.evaluation import Rollout
from evomesa.evolve import EvolutionConfig, EvolutionResult, evolve, load_result
from evomesa.genomes import GENOMES, make_genome
from evomesa.measure import drift_from_rollouts, paired_rollouts
from evomesa.metrics import DriftReport
from evomesa.worlds.base import World, require_world


@dataclass
class GenomeRun:
    """Everything one genome architecture produced in an experiment."""

    result: EvolutionResult
    report: DriftReport
    train: Rollout
    deploy: Rollout


def run_experiment(
    world: World,
    config: EvolutionConfig,
    genomes: Sequence[str] = ("reflex", "planner"),
    deploy: str | None = None,
    episodes: int = 64,
    progress: bool = False,
) -> dict[str, GenomeRun]:
    """Evolve each genome in ``config.regime`` and measure its drift into ``deploy``.

    Parameters
    ----------
    world : World
    config : EvolutionConfig
        Shared settings; its ``genome`` is replaced by each entry of ``genomes``.
    genomes : sequence of str
        Architectures to evolve, each with the same seed.
    deploy : str, optional
        Regime to deploy into; default: the world's ``default_shift[1]``.
    episodes : int
        Fresh episodes per individual and regime for the drift measurement.
    progress : bool
        Show a progress bar per genome.

    Returns
    -------
    dict genome -> GenomeRun
    """
    require_world(world)
    if not isinstance(config, EvolutionConfig):
        raise ConfigError(f"config must be an EvolutionConfig; got {type(config).__name__}")
    if not genomes or any(g not in GENOMES for g in genomes):
        raise ConfigError(f"genomes must be a non-empty selection of {GENOMES}; got {genomes!r}")
    config = config.for_world(world)
    deploy = world.default_shift[1] if deploy is None else world.check_regime(deploy, "deploy")
    runs = {}
    for genome in genomes:
        cfg = replace(config, genome=genome)
        if progress:
            print(
                f"evolving {genome}s in {world.name}/{cfg.regime} "
                f"(population {cfg.population}, {cfg.generations} generations)",
                flush=True,
            )
        result = evolve(world, cfg, progress=progress)
        # the measurement streams are keyed apart from every stream evolution drew from
        train, dep, boot = paired_rollouts(
            world,
            result.genes,
            genome,
            cfg.regime,
            deploy,
            episodes,
            cfg.seed,
            backend=cfg.backend,
        )
        report = drift_from_rollouts(world, train, dep, rng=boot)
        runs[genome] = GenomeRun(result, report, train, dep)
    return runs


def format_drift_table(reports: dict[str, DriftReport]) -> str:
    """A side-by-side text table of drift figures (value and 95% CI) per genome."""
    first = next(iter(reports.values()))
    rows: list[tuple[str, list[str]]] = []

    def two(x: float) -> float:
        return round(x, 2) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0

    def cell(value: float, ci: tuple[float, float]) -> str:
        return f"{two(value):7.2f} [{two(ci[0]):.2f}, {two(ci[1]):.2f}]"

    rows.append(
        (
            f"fitness in {first.train}",
            [cell(r.fitness_train, r.ci["fitness_train"]) for r in reports.values()],
        )
    )
    rows.append(
        (
            f"fitness in {first.deploy}",
            [cell(r.fitness_deploy, r.ci["fitness_deploy"]) for r in reports.values()],
        )
    )
    rows.append(
        (
            "fitness retention",
            [cell(r.fitness_retention, r.ci["fitness_retention"]) for r in reports.values()],
        )
    )
    for drive in first.drives:
        for key, label in (
            ("signal_retention", "signal retention"),
            ("yield_drift", "yield drift"),
            ("rank_corr_change", "rank-corr change"),
        ):
            rows.append(
                (
                    f"{drive}: {label}",
                    [
                        cell(getattr(r.drives[drive], key), r.drives[drive].ci[key])
                        for r in reports.values()
                    ],
                )
            )
    rows.append(
        (
            "mesa-utility retention",
            [
                f"{r.mesa_utility['utility_retention']:7.2f}" if r.mesa_utility else "      -"
                for r in reports.values()
            ],
        )
    )
    rows.append(
        (
            "behavioural divergence (JS)",
            [f"{r.behavioural_divergence:7.2f}" for r in reports.values()],
        )
    )
    rows.append(
        (
            "reflex decisions on untrained entries",
            [
                "      -"
                if r.novel_decision_share is None
                else cell(r.novel_decision_share, r.ci["novel_decision_share"])
                for r in reports.values()
            ],
        )
    )
    rows.append(("primary proxy", [r.primary_proxy or "-" for r in reports.values()]))
    rows.append(
        (
            "competence (proxy retention)",
            [cell(r.competence, r.ci["competence"]) for r in reports.values()],
        )
    )
    rows.append(("verdict", [r.verdict.replace("_", " ") for r in reports.values()]))
    width = max(len(name) for name, _ in rows) + 2
    col = max(24, *(len(v) + 2 for _, vals in rows for v in vals))
    header = " " * width + "".join(f"{g:>{col}}" for g in reports)
    lines = [header, "-" * len(header)]
    lines += [f"{name:<{width}}" + "".join(f"{v:>{col}}" for v in vals) for name, vals in rows]
    return "\n".join(lines)


def save_experiment(world: World, runs: dict[str, GenomeRun], out: str | Path) -> Path:
    """Write results, drift reports, rollout summaries, summary.json and figures to ``out``."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for genome, run in runs.items():
        sub = run.result.save(folder / genome)
        (sub / "drift.json").write_text(json.dumps(run.report.to_dict(), indent=1))
        np.savez_compressed(
            sub / "rollouts.npz",
            train_signals=run.train.signals.mean(axis=1),
            train_fitness=run.train.fitness.mean(axis=1),
            deploy_signals=run.deploy.signals.mean(axis=1),
            deploy_fitness=run.deploy.fitness.mean(axis=1),
        )
    summary = {
        "world": world.name,
        "world_params": dict(world.params),
        "genomes": list(runs),
        "drift": {g: r.report.to_dict() for g, r in runs.items()},
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=1))
    write_figures(
        world,
        folder,
        {g: r.result for g, r in runs.items()},
        {g: r.report for g, r in runs.items()},
    )
    return folder


def load_experiment(out: str | Path) -> tuple[dict[str, EvolutionResult], dict[str, DriftReport]]:
    """Reload the results and drift reports that :func:`save_experiment` wrote."""
    folder = Path(out)
    summary_path = folder / "summary.json"
    if not summary_path.is_file():
        raise ConfigError(
            f"DIR must be a folder written by 'evomesa run' (with summary.json); "
            f"got {str(folder)!r}"
        )
    summary = json.loads(summary_path.read_text())
    results = {g: load_result(folder / g) for g in summary["genomes"]}
    reports = {g: DriftReport.from_dict(d) for g, d in summary["drift"].items()}
    return results, reports


def write_figures(
    world: World,
    folder: Path,
    results: dict[str, EvolutionResult],
    reports: dict[str, DriftReport],
) -> list[Path]:
    """Render every figure of an experiment folder; return the PNG paths."""
    from evomesa import plots

    paths = []

    def save(fig, name: str) -> None:
        path = folder / name
        fig.savefig(path, dpi=110)
        paths.append(path)

    save(plots.plot_fitness(results), "fitness.png")
    save(plots.plot_drift(reports), "drift.png")
    for genome, result in results.items():
        roll_path = folder / genome / "rollouts.npz"
        if roll_path.is_file():
            with np.load(roll_path) as npz:
                r = {key: npz[key] for key in npz.files}
            rep = reports[genome]
            save(
                plots.plot_signal_vs_fitness(
                    r["train_signals"],
                    r["train_fitness"],
                    r["deploy_signals"],
                    r["deploy_fitness"],
                    world.drives,
                    (rep.train, rep.deploy),
                    title=f"{genome}: signal vs fitness",
                ),
                f"signal_vs_fitness_{genome}.png",
            )
        if genome != "reflex":
            traits = make_genome(genome, world).describe(result.genes)
            save(
                plots.plot_traits(traits, title=f"{genome}: evolved drives and horizons"),
                f"traits_{genome}.png",
            )
    return paths
