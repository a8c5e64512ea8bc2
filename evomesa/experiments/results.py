"""Results read back from a run folder: one replicate (:func:`load_result`, ``em.load_result``)
or a whole run (:class:`SavedRun`).

A replicate's result folder inside a run folder is never trusted on its own: besides the
result's own checks, :func:`load_result` verifies the run's manifest and checks that the
result is the one the run's ``run.json`` says that replicate evolved.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionResult
from evomesa.evolve.result import load_unlisted
from evomesa.experiments.field_errors import fail, require_listed
from evomesa.experiments.replicate_check import check_member
from evomesa.experiments.run_files import MAX_JSON, REPLICATE, SUMMARY
from evomesa.experiments.run_identity import check_identity
from evomesa.files.manifest import MANIFEST, RUN_MARKER, verify_manifest
from evomesa.files.safe_read import as_path, inside, read_json
from evomesa.genomes import GENOMES
from evomesa.metrics import DriftReport
from evomesa.worlds import make_world
from evomesa.worlds.base import World


def run_of(folder: Path) -> tuple[Path, str, int, bool] | None:
    """``(run folder, genome, replicate, is_reference)`` if ``folder`` sits where
    :func:`evomesa.experiments.run_io.save_experiment` puts a replicate's result (``RUN/GENOME/
    replicate-R``, its reference in ``.../reference``) inside a folder holding a run's
    ``run.json``, ``summary.json`` or ``manifest.json``; None otherwise."""
    path = Path(os.path.abspath(folder))
    reference = path.name == "reference"
    rep = path.parent if reference else path
    match = REPLICATE.fullmatch(rep.name)
    genome = rep.parent.name
    if match is None or genome not in GENOMES:
        return None
    root = rep.parent.parent
    if not any(
        (root / n).exists() or (root / n).is_symlink() for n in (RUN_MARKER, SUMMARY, MANIFEST)
    ):
        return None
    return root, genome, int(match.group(1)), reference


def check_replicate_folder(folder: Path) -> None:
    """If ``folder`` is a replicate's result inside a run folder (:func:`run_of`), raise
    ConfigError unless the run's manifest verifies and lists its files, and the result is
    what the run's identity says that replicate evolved (checked by ``load_result`` after
    the result's own checks: see
    :func:`~evomesa.experiments.replicate_check.check_member`)."""
    where = run_of(folder)
    if where is None:
        return
    root, genome, r, reference = where
    files = verify_manifest(root)
    rel = f"{genome}/replicate-{r}" + ("/reference" if reference else "")
    for name in ("result.json", "result.npz", RUN_MARKER):
        require_listed(root, files, name if name == RUN_MARKER else f"{rel}/{name}")


def check_replicate_identity(folder: Path, result: EvolutionResult) -> None:
    """The second half of :func:`check_replicate_folder`, once ``result`` is loaded."""
    where = run_of(folder)
    if where is None:
        return
    root, genome, r, reference = where
    marker = str(root / RUN_MARKER)
    ident = check_identity(read_json(root / RUN_MARKER, RUN_MARKER, MAX_JSON), marker)
    if genome not in ident["genomes"] or r >= ident["replicates"]:
        raise fail(
            marker,
            "genomes",
            f"to hold replicate {r} of {genome}",
            ident["genomes"],
        )
    if reference and not ident["reference"]:
        raise fail(marker, "reference", "true (a reference folder exists)", False)
    rel = f"{genome}/replicate-{r}" + ("/reference" if reference else "")
    check_member(result, ident, genome, r, reference, f"{root}/{rel}/result.json")


def load_result(path: str | Path) -> EvolutionResult:
    """Reload a result written by :meth:`EvolutionResult.save`, checking everything read.

    Parameters
    ----------
    path : str or PathLike
        The result folder.

    Returns
    -------
    EvolutionResult

    Raises
    ------
    ConfigError
        Naming the file and field, if the folder is not a complete, consistent result of this
        version: see :func:`evomesa.evolve.result_check.check_saved` for what is checked. A
        replicate's folder inside a run folder (``RUN/GENOME/replicate-R``, or its
        ``reference``) is also checked against the run: the run's manifest must verify and
        list its files, and the result must be the one the run's ``run.json`` describes
        (:func:`check_replicate_folder`).
    """
    folder = as_path(path)
    try:
        check_replicate_folder(folder)
        result = load_unlisted(folder)
        check_replicate_identity(folder, result)
    except OSError as err:  # a name too long, a file that cannot be read...
        raise ConfigError(
            f"path must be a readable result folder; {str(folder)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None
    return result


@dataclass
class SavedRun:
    """An experiment read back from its folder (what ``evomesa report`` shows)."""

    folder: Path
    identity: dict[str, Any]
    summary: dict[str, dict[str, Any]]
    reports: dict[str, list[DriftReport]]
    #: the results :func:`~evomesa.experiments.run_io.load_experiment` read and checked with
    #: the rest of the run
    loaded: dict[str, list[EvolutionResult]] | None = field(default=None, repr=False)

    @property
    def world(self) -> World:
        return make_world(self.identity["world"], **self.identity["world_params"])

    def results(self) -> dict[str, list[EvolutionResult]]:
        """Per genome, every replicate's evolution result (those
        :func:`~evomesa.experiments.run_io.load_experiment` checked with the rest of the run,
        or each checked by :func:`~evomesa.load_result`; paths built from checked genome
        names, never leaving the folder)."""
        if self.loaded is not None:
            return {g: list(rs) for g, rs in self.loaded.items()}
        return {
            g: [
                load_result(inside(self.folder, f"{g}/replicate-{r}", "replicate folder"))
                for r in range(len(self.reports[g]))
            ]
            for g in self.reports
        }
