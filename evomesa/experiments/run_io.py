"""Run folders of experiments: what is written, how it is read back, and the printed table.

A run folder (written atomically by :func:`evomesa.files.runfolder.write_run_folder`, never
mixed with another run) holds::

    run.json                      the run's identity: world, parameters, config, seed, ...
    summary.json                  per genome: figures over runs with intervals, verdict
                                  counts, drives still pursued, trait summary; and every
                                  replicate's drift report
    summary.txt                   the table `evomesa run` printed, with its key
    {genome}/replicate-{r}/       result.json/.npz, drift.json, rollouts.npz (per-individual
                                  means), reference/ (the deploy-adapted reference's result)
    fitness.png, drift.png, traits_{genome}.png, signal_vs_fitness_{genome}.png

This module writes a run folder (:func:`save_experiment`) and reads it back
(:func:`load_experiment`). Beside it: the run's identity
(:mod:`~evomesa.experiments.run_identity`), the printed table
(:mod:`~evomesa.experiments.run_table`), the figures (:mod:`~evomesa.experiments.run_figures`),
the checks made on reading (:mod:`~evomesa.experiments.run_check`) and the results read back
(:mod:`~evomesa.experiments.results`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evomesa.experiments.experiment import Experiment
from evomesa.experiments.results import SavedRun
from evomesa.experiments.run_check import read_run
from evomesa.experiments.run_figures import write_figures
from evomesa.experiments.run_files import FIGURES_FAILED, SUMMARY
from evomesa.experiments.run_identity import describe_run, identity
from evomesa.experiments.run_table import experiment_table
from evomesa.files.atomic import save_npz_atomic, write_json_atomic, write_text_atomic
from evomesa.files.runfolder import write_run_folder


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


def load_experiment(folder: str | Path) -> SavedRun:
    """Read a run folder written by :func:`save_experiment`, checking everything it reads,
    the replicates' results included (:func:`evomesa.experiments.run_check.read_run`): a damaged,
    incomplete or crafted folder gives a ConfigError naming the file and field, whatever its
    checksums say."""
    run = read_run(folder)
    return SavedRun(run.folder, run.identity, run.summaries, run.reports, run.results)
