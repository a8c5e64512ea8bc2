"""Reading a run folder as a hostile file: what ``evomesa report`` checks before it prints.

A run folder is trusted only if (:func:`read_run_folder`):

* it has a ``manifest.json`` (written last) and every file it lists has the recorded size and
  SHA-256 (:func:`evomesa.files.manifest.verify_manifest`); only listed files are read;
* ``summary.json`` and ``run.json`` parse strictly (UTF-8, finite numbers, bounded size and
  nesting) and ``run.json`` equals the summary's ``run``;
* the identity names a registered world whose parameters validate, a valid config, genomes
  of :data:`evomesa.GENOMES` (each once), a replicate count, a deploy regime of the world and
  thresholds in [0, 1];
* every replicate's drift report appears in the summary and in its own ``drift.json``,
  identically, and rebuilds exactly (:meth:`DriftReport.from_dict` then ``to_dict`` gives
  it back: no field of the wrong type, none missing or extra) for that world, genome and
  regimes;
* each report's figures agree with each other (:func:`evomesa.metrics.consistency.check_report`:
  retentions, regret, competence, drives pursued and the verdict recomputed from its numbers
  and thresholds with the functions that wrote them), its thresholds and deploy parameters
  are the run's, and it counts as many individuals as the run's population;
* ``changed_params`` are the world's non-default parameters and ``deploy_params`` the deploy
  world's changed ones;
* every replicate's ``result.json``/``result.npz`` (and its reference's) load
  (:func:`evomesa.load_result`'s checks) and are the run's: its world, parameters and config
  with the replicate's seed (the reference's: the deploy world, regime and seed); its
  ``rollouts.npz`` has the population's rows, and the report's fitness and signal levels are
  their means;
* each genome's figures, verdict counts, pursued drives and reading counts (borderline runs,
  performance verdicts, new goals...) equal those recomputed from its reports, and its
  traits are those recomputed from the replicates' final genes (within float tolerance;
  within the genome's bounds), the shares of training decisions of the world's actions, in
  [0, 1], each with q25 <= median <= q75.

Whatever the checksums say: an editor who recomputes them is refused by the fields
themselves.

Paths are built only from validated names (genome names, replicate numbers), never taken
from a file, and never leave the folder or go through a symbolic link. Every failure is a
ConfigError naming the file and field.

This module reads the folder and walks it; the checks are beside it: the identity in
:mod:`evomesa.experiments.run_identity`, each replicate in
:mod:`evomesa.experiments.replicate_check`, each genome's summary in
:mod:`evomesa.experiments.summary_check`, and a single replicate's result
(``em.load_result``) in :mod:`evomesa.experiments.results`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionResult
from evomesa.experiments.field_errors import fail, require_listed, short
from evomesa.experiments.replicate_check import (
    check_convergence,
    check_rollouts,
    checked_report,
    checked_result,
)
from evomesa.experiments.run_files import MAX_JSON, REPLICATE, SUMMARY
from evomesa.experiments.run_identity import check_identity
from evomesa.experiments.summary_check import checked_summary
from evomesa.files.manifest import MANIFEST, RUN_MARKER, verify_manifest
from evomesa.files.safe_read import as_path, inside, read_json
from evomesa.metrics import DriftReport


@dataclass
class RunContents:
    """Everything :func:`read_run` read from a run folder, checked."""

    folder: Path
    identity: dict[str, Any]
    summaries: dict[str, dict]
    reports: dict[str, list[DriftReport]]
    results: dict[str, list[EvolutionResult]]


def read_run_folder(folder: Any) -> tuple[Path, dict, dict, dict[str, list[DriftReport]]]:
    """Check a run folder; return ``(folder, identity, summaries, reports)``.

    Raises
    ------
    ConfigError
        Naming the file and field of the first thing that is not as
        :func:`~evomesa.experiments.run_io.save_experiment` writes it (see the module
        docstring).
    """
    run = read_run(folder)
    return run.folder, run.identity, run.summaries, run.reports


def read_run(folder: Any) -> RunContents:
    """Check a run folder (see the module docstring); return all it holds, results included.

    Raises
    ------
    ConfigError
        Naming the file and field of the first thing that is not as
        :func:`~evomesa.experiments.run_io.save_experiment` writes it.
    """
    folder = as_path(folder, "DIR")
    try:
        return _read(folder)
    except OSError as err:  # a name too long, a file that cannot be read...
        raise ConfigError(
            f"DIR must be a readable run folder; {str(folder)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None


def _read(folder: Path) -> RunContents:
    if not (folder / SUMMARY).is_file() and not (folder / SUMMARY).is_symlink():
        raise ConfigError(
            f"DIR must be a folder written by 'evomesa run' (with {SUMMARY}); got {str(folder)!r}"
        )
    files = verify_manifest(folder)
    for name in (SUMMARY, RUN_MARKER):
        if name not in files:
            raise ConfigError(f"{folder}/manifest.json must list {name}; it does not")
    doc = read_json(folder / SUMMARY, SUMMARY, MAX_JSON)
    if not isinstance(doc, dict) or set(doc) != {"run", "genomes", "reports"}:
        raise ConfigError(
            f"{SUMMARY} must be an object with the fields run, genomes and reports (a run "
            f"folder of this version of evomesa); {str(folder)!r} holds {short(doc)}"
        )
    ident = check_identity(doc["run"])
    if read_json(folder / RUN_MARKER, RUN_MARKER, MAX_JSON) != ident:
        raise ConfigError(f"{RUN_MARKER} must equal the 'run' field of {SUMMARY}; it differs")
    genomes = ident["genomes"]
    for field in ("genomes", "reports"):
        if not isinstance(doc[field], dict) or list(doc[field]) != genomes:
            raise fail(SUMMARY, field, f"an object with the keys {genomes}", doc[field])

    _no_stray_replicates(folder, files, ident)
    reports: dict[str, list[DriftReport]] = {}
    results: dict[str, list[EvolutionResult]] = {}
    summaries: dict[str, dict] = {}
    for genome in genomes:
        saved = doc["reports"][genome]
        if not isinstance(saved, list) or len(saved) != ident["replicates"]:
            raise fail(
                SUMMARY, f"reports.{genome}", f"a list of {ident['replicates']} reports", saved
            )
        reports[genome], results[genome] = [], []
        for r, d in enumerate(saved):
            where = f"reports.{genome}[{r}]"
            drift_name = f"{genome}/replicate-{r}/drift.json"
            drift_path = inside(folder, drift_name, f"{SUMMARY} {where}")
            require_listed(folder, files, drift_name)
            if read_json(drift_path, drift_name, MAX_JSON) != d:
                raise ConfigError(
                    f"{drift_name} must equal {SUMMARY} field {where!r}; they differ"
                )
            report = checked_report(d, where, ident, genome)
            result = checked_result(folder, files, ident, genome, r)
            check_rollouts(folder, files, report, result, genome, r, where)
            check_convergence(report, result, where)
            reports[genome].append(report)
            results[genome].append(result)
        summaries[genome] = checked_summary(
            doc["genomes"][genome], reports[genome], results[genome], genome, ident
        )
    return RunContents(folder, ident, summaries, reports, results)


def _no_stray_replicates(folder: Path, files: dict, ident: dict) -> None:
    """A replicate the manifest lists is one the run says it has: a summary that drops a
    replicate (or a genome) to tell a better story is refused."""
    for name in files:
        genome, _, rest = name.partition("/")
        match = REPLICATE.match(rest)
        if match is None:
            continue
        r = int(match.group(1))
        if genome not in ident["genomes"] or r >= ident["replicates"]:
            raise ConfigError(
                f"{SUMMARY}: field 'run.replicates' must count every replicate the run holds "
                f"({ident['replicates']} of {ident['genomes']}); {MANIFEST} lists "
                f"{short(name)}"
            )
