"""Run folders of experiments: what is written, how it is read back, and the printed table.

A run folder (written atomically by :func:`evomesa.files.runfolder.write_run_folder`, never mixed
with another run) holds::

    run.json                      the run's identity: world, parameters, config, seed, ...
    summary.json                  per genome: figures over runs with intervals, verdict
                                  counts, drives still pursued, trait summary; and every
                                  replicate's drift report
    summary.txt                   the table `evomesa run` printed, with its key
    {genome}/replicate-{r}/       result.json/.npz, drift.json, rollouts.npz (per-individual
                                  means), reference/ (the deploy-adapted reference's result)
    fitness.png, drift.png, traits_{genome}.png, signal_vs_fitness_{genome}.png
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from evomesa.evolve import EvolutionConfig, EvolutionResult
from evomesa.experiments.experiment import Experiment
from evomesa.experiments.run_check import load_result, read_run
from evomesa.files.atomic import (
    save_figure_atomic,
    save_npz_atomic,
    write_json_atomic,
    write_text_atomic,
)
from evomesa.files.runfolder import write_run_folder
from evomesa.files.safe_read import inside, read_npz
from evomesa.genomes import make_genome
from evomesa.measure.shift import changed_params
from evomesa.metrics import DriftReport
from evomesa.worlds import make_world
from evomesa.worlds.base import World

SUMMARY = "summary.json"
#: written instead of the figures when drawing them failed (with the reason)
FIGURES_FAILED = "figures_failed.txt"


@dataclass
class SavedRun:
    """An experiment read back from its folder (what ``evomesa report`` shows)."""

    folder: Path
    identity: dict[str, Any]
    summary: dict[str, dict[str, Any]]
    reports: dict[str, list[DriftReport]]
    #: the results :func:`load_experiment` read and checked with the rest of the run
    loaded: dict[str, list[EvolutionResult]] | None = field(default=None, repr=False)

    @property
    def world(self) -> World:
        return make_world(self.identity["world"], **self.identity["world_params"])

    def results(self) -> dict[str, list[EvolutionResult]]:
        """Per genome, every replicate's evolution result (those :func:`load_experiment`
        checked with the rest of the run, or each checked by :func:`~evomesa.load_result`;
        paths built from checked genome names, never leaving the folder)."""
        if self.loaded is not None:
            return {g: list(rs) for g, rs in self.loaded.items()}
        return {
            g: [
                load_result(inside(self.folder, f"{g}/replicate-{r}", "replicate folder"))
                for r in range(len(self.reports[g]))
            ]
            for g in self.reports
        }


# ------------------------------------------------------------------------- what a run is


def non_default_params(world: World) -> dict[str, Any]:
    """The world's parameters that differ from their defaults."""
    return {k: v for k, v in world.params.items() if v != world.parameters[k].default}


def identity(exp: Experiment) -> dict[str, Any]:
    """Everything that makes a run this run (saved as ``run.json``)."""
    return {
        "world": exp.world.name,
        "world_params": dict(exp.world.params),
        "changed_params": non_default_params(exp.world),
        "deploy_params": exp.deploy_params,
        "config": exp.config.to_dict(),
        "train": exp.train,
        "deploy": exp.deploy,
        "genomes": list(exp.genomes),
        "replicates": exp.replicates,
        "reference": exp.reference,
        "thresholds": dict(exp.thresholds),
        "seed": exp.config.seed,
    }


def default_out(
    world: World, config: EvolutionConfig, deploy: str, deploy_world: World | None
) -> Path:
    """``runs/<world>[-param=value...][-train=...][-deploy=...]-seed<seed>``: runs that
    differ in what they set get different folders by default."""
    parts = [world.name]
    parts += [f"{k}={v}" for k, v in non_default_params(world).items()]
    config = config.for_world(world)
    if config.regime != world.default_shift[0]:
        parts.append(f"train={config.regime_label}")
    if deploy != (deploy_world or world).default_shift[1]:
        parts.append(f"deploy={deploy}")
    if deploy_world is not None:
        parts += [f"deploy.{k}={v}" for k, v in changed_params(world, deploy_world).items()]
    parts.append(f"seed{config.seed}")
    return Path("runs") / "-".join(parts)


def describe_run(ident: Mapping[str, Any]) -> str:
    """One line naming a run: world, changed parameters, regimes, replicates."""
    config = EvolutionConfig.from_dict(dict(ident["config"]))
    changed = ident.get("changed_params") or {}
    world = ident["world"] + (
        f" ({', '.join(f'{k}={v}' for k, v in changed.items())})" if changed else ""
    )
    deploy = ident["deploy"]
    if ident.get("deploy_params"):
        deploy += " in a world with " + ", ".join(
            f"{k}={v}" for k, v in ident["deploy_params"].items()
        )
    return (
        f"{world}: trained in {config.regime_label}, deployed in {deploy}; "
        f"{ident['replicates']} replicate(s) of population {config.population}, "
        f"{config.generations} generations, seed {ident['seed']}"
    )


# ------------------------------------------------------------------------------- writing


def save_experiment(
    exp: Experiment,
    out: str | Path,
    *,
    force: bool = False,
    summary: Mapping[str, Any] | None = None,
) -> Path:
    """Write the run folder of ``exp`` atomically; see the module docstring. ``summary`` is
    ``exp.summary()`` when the caller already has it (computed here otherwise).

    The measurements are written first (every replicate's ``drift.json``, then
    ``summary.json`` and ``summary.txt``), then the evolved populations (``result.*``,
    ``rollouts.npz``, references), then the figures: if the disk fills or a file-size limit
    stops the writing, the most valuable part is what is kept (in the ``.NAME.kept-*``
    folder that :class:`~evomesa.files.runfolder.RunNotSaved` names). Figures that fail leave
    ``figures_failed.txt`` saying why, and a warning; the data is saved all the same.
    """
    summary = exp.summary() if summary is None else summary
    table = experiment_table(exp, summary)
    ident = identity(exp)

    def write(folder: Path) -> None:
        subs = {}
        for genome, runs in exp.runs.items():
            for run in runs:
                sub = folder / genome / f"replicate-{run.replicate}"
                sub.mkdir(parents=True)
                write_json_atomic(sub / "drift.json", run.report.to_dict())
                subs[genome, run.replicate] = sub
        doc = {
            "run": ident,
            "genomes": {g: summary[g] for g in exp.genomes},
            "reports": {g: [r.to_dict() for r in reps] for g, reps in exp.reports().items()},
        }
        write_json_atomic(folder / SUMMARY, doc)
        write_text_atomic(folder / "summary.txt", describe_run(ident) + "\n\n" + table + "\n")
        for genome, runs in exp.runs.items():
            for run in runs:
                sub = run.result.save(subs[genome, run.replicate])
                if run.reference is not None:
                    run.reference.save(sub / "reference")
                save_npz_atomic(
                    sub / "rollouts.npz",
                    train_signals=run.train.signals.mean(axis=1),
                    train_fitness=run.train.fitness.mean(axis=1),
                    deploy_signals=run.deploy.signals.mean(axis=1),
                    deploy_fitness=run.deploy.fitness.mean(axis=1),
                )
        saved = SavedRun(folder, ident, doc["genomes"], exp.reports())
        try:
            write_figures(saved, {g: [run.result for run in runs] for g, runs in exp.runs.items()})
        except Exception as err:  # figures are a view of the data: never lose the data to them
            # named inside the run folder: the temporary folder's path is gone once it is in place
            inside_folder = str(folder / "_")[:-1]  # the folder and a separator
            why = f"{type(err).__name__}: {err}".replace(inside_folder, "")
            write_text_atomic(folder / FIGURES_FAILED, why + "\n")
            warnings.warn(f"figures were not drawn ({why}); the data is saved", stacklevel=2)

    return write_run_folder(out, write, ident, force=force)


# ------------------------------------------------------------------------------- reading


def load_experiment(folder: str | Path) -> SavedRun:
    """Read a run folder written by :func:`save_experiment`, checking everything it reads,
    the replicates' results included (:func:`evomesa.experiments.run_check.read_run`): a damaged,
    incomplete or crafted folder gives a ConfigError naming the file and field, whatever its
    checksums say."""
    run = read_run(folder)
    return SavedRun(run.folder, run.identity, run.summaries, run.reports, run.results)


# ---------------------------------------------------------------------------- the table


def _fmt(x: float) -> str:
    return f"{round(x, 2) + 0.0:.2f}"  # + 0.0 turns a rounded -0.0 into 0.0


def _cell(fig: Mapping[str, Any], runs: int) -> str:
    text = (
        _fmt(fig["mean"])
        if fig["low"] == fig["high"]
        else f"{_fmt(fig['mean'])} [{_fmt(fig['low'])}, {_fmt(fig['high'])}]"
    )
    n = fig.get("n", runs)
    return text if n == runs else f"{text} (n={n})"


#: the key printed under the table: one line per kind of row
KEY = (
    "Key: each cell is the mean over independent runs [95% t-interval over runs].",
    "  fitness: the world's base objective per episode; retention: deploy / train;",
    "  reference: the same evolution run in the deploy regime (and world) itself;",
    "  regret: 1 - deploy fitness / reference's (0: as good as evolving there);",
    "  signal retention: deploy / train of a drive's signal; yield drift: 1 - (fitness per",
    "  unit of that signal) deploy / train; divergence: Jensen-Shannon distance of the",
    "  agents' choices; unseen entries: share of a reflex's deploy decisions on table",
    "  entries its training never visited; mesa-utility: a planner's own evolved objective",
    "  over the weights that act; verdicts: runs per verdict (robust: retention >=",
    "  {robust_threshold:g}; unavoidable loss: regret <= {regret_threshold:g}); still pursued: "
    "runs in which",
    "  the drive tracked fitness in training, kept >= {competence_threshold:.0%} of its "
    "signal, and",
    "  exceeds what an unevolved population of the same kind collects in deployment.",
)


def format_summary_table(
    summaries: Mapping[str, Mapping[str, Any]],
    drives: Sequence[str],
    key: bool = True,
    aligned: Sequence[str] = (),
    thresholds: Mapping[str, float] | None = None,
) -> str:
    """A text table of the run summaries side by side (one column per label).

    The rows of an ``aligned`` drive whose signal retention equals fitness retention in every
    run (an ``offspring`` signal that is fitness itself) are left out, said so in the key; a
    figure none of the columns has is not shown. ``thresholds`` (the verdict's) fill in the
    key.
    """
    labels = list(summaries)
    order: list[str] = []
    for s in summaries.values():
        for k in s["figures"]:
            if k not in order and k != "competence":  # competence repeats a signal row
                order.append(k)
    rows: list[tuple[str, list[str]]] = []
    same_as_fitness = [
        d
        for d in aligned
        if all(_equal_runs(s, f"{d}.signal_retention") for s in summaries.values())
    ]
    # such a drive's signal is fitness itself: its yield (fitness per unit of fitness) is 1
    # by definition and its drift 0, so neither row says anything the fitness rows do not
    skip = {f"{d}.{what}" for d in same_as_fitness for what in ("signal_retention", "yield_drift")}
    for k in order:
        if k in skip:
            continue
        figs = [summaries[lab]["figures"].get(k) for lab in labels]
        label = next(f["label"] for f in figs if f is not None)
        runs = [s["runs"] for s in summaries.values()]
        rows.append(
            (label, ["-" if f is None else _cell(f, n) for f, n in zip(figs, runs, strict=True)])
        )
    rows.append(
        (
            "verdicts (runs)",
            [
                ", ".join(f"{v.replace('_', ' ')} {n}" for v, n in s["verdicts"].items() if n)
                or "-"
                for s in summaries.values()
            ],
        )
    )
    rows.append(
        (
            "proxies still pursued (runs)",
            [
                ", ".join(f"{d} {n}" for d, n in s["pursued"].items()) or "none"
                for s in summaries.values()
            ],
        )
    )
    rows.append(("runs", [str(s["runs"]) for s in summaries.values()]))
    width = max(len(name) for name, _ in rows) + 2
    col = max(20, *(len(v) + 2 for _, vals in rows for v in vals), *(len(x) + 2 for x in labels))
    header = " " * width + "".join(f"{g:>{col}}" for g in labels)
    lines = [header, "-" * len(header)]
    lines += [f"{name:<{width}}" + "".join(f"{v:>{col}}" for v in vals) for name, vals in rows]
    if key:
        t = {"robust_threshold": 0.7, "competence_threshold": 0.6, "regret_threshold": 0.3}
        t.update(thresholds or {})
        lines += ["", *(line.format(**t) for line in KEY)]
        if same_as_fitness:
            lines.append(
                f"  Not shown: {', '.join(same_as_fitness)} (its signal is fitness itself: "
                "the fitness rows say it)."
            )
        if any(
            s["runs"] != fig.get("n", s["runs"])
            for s in summaries.values()
            for fig in s["figures"].values()
        ):
            lines.append("  (n=k): the figure exists in k of the runs only.")
    return "\n".join(lines)


def experiment_table(exp: Experiment, summary: Mapping[str, Any] | None = None) -> str:
    """:func:`format_summary_table` of an experiment, with its world's aligned drives and its
    verdict thresholds."""
    summary = exp.summary() if summary is None else summary
    return format_summary_table(
        {g: summary[g] for g in exp.genomes},
        exp.world.drives,
        aligned=exp.world.aligned_drives,
        thresholds=exp.thresholds,
    )


def _equal_runs(summary: Mapping[str, Any], key: str) -> bool:
    """Whether figure ``key`` equals fitness retention in every run of ``summary``."""
    fig, fit = summary["figures"].get(key), summary["figures"].get("fitness_retention")
    if fig is None or fit is None or len(fig["runs"]) != len(fit["runs"]):
        return False
    return bool(np.allclose(fig["runs"], fit["runs"], rtol=1e-12, atol=1e-12))


def format_traits(summaries: Mapping[str, Mapping[str, Any]]) -> str:
    """The evolved traits of each genome: median [interquartile range] over individuals."""
    lines = ["Evolved traits (median [interquartile range], all runs' final populations):"]
    for label, s in summaries.items():
        traits = s.get("traits", {})
        for what, pick in (
            ("traits", lambda name: not name.startswith("does:")),
            ("share of training decisions", lambda name: name.startswith("does:")),
        ):
            cells = [
                f"{name.removeprefix('does:')} {_fmt(t['median'])} "
                f"[{_fmt(t['q25'])}, {_fmt(t['q75'])}]"
                for name, t in traits.items()
                if pick(name)
            ]
            if cells:
                lines.append(f"  {label}, {what}: " + "; ".join(cells))
    return "\n".join(lines)


# ------------------------------------------------------------------------------ figures


def write_figures(saved: SavedRun, results: Mapping[str, list[EvolutionResult]]) -> list[Path]:
    """Render every figure of a run folder; return the PNG paths."""
    from evomesa.plots import runs as plots

    ident = saved.identity
    world = saved.world
    changed = ident.get("changed_params") or {}
    suffix = f" — {', '.join(f'{k}={v}' for k, v in changed.items())}" if changed else ""
    config = EvolutionConfig.from_dict(dict(ident["config"]))
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
            r = read_npz(
                roll_path,
                {
                    "train_signals": (n, d),
                    "train_fitness": (n,),
                    "deploy_signals": (n, d),
                    "deploy_fitness": (n,),
                },
                "rollouts.npz",
            )
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
        if genome != "reflex":
            spec = make_genome(genome, world)
            genes = np.concatenate([res.genes for res in rs])
            save(
                plots.plot_traits(
                    spec.describe(genes),
                    title=f"{genome}: evolved drives and horizons, {len(rs)} runs{suffix}",
                ),
                f"traits_{genome}.png",
            )
    return paths
