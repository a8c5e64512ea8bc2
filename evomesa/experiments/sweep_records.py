"""The records of a sweep: one per finished (grid point, genome, replicate), built from the
task's drift report (:func:`make_record`) and read back trusting nothing (:func:`read_record`).

Every record file carries a SHA-256 digest of each of its fields, and, since a digest can be
recomputed by whoever edits the file, each record is also checked against the task it claims
to be: its grid point is one of the sweep's, its genome one of the sweep's genomes, its
replicate in range, its seed the replicate's seed, its report a valid drift report of that
task (world, genome, regimes, episodes, thresholds, reference) whose verdict follows from its
own numbers, and its figures, verdict and drives exactly those of the report. Anything else is
a :class:`~evomesa.errors.ConfigError` naming the file and the field.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evomesa.budget import memory_budget
from evomesa.errors import ConfigError, printable
from evomesa.experiments.replicate import ReplicateTask
from evomesa.experiments.sweep_format import (
    FORMAT,
    RECORD_KEYS,
    RECORD_MAX_BYTES,
    RECORDS,
    VERSION,
    field_digest,
    shown,
    task_key,
)
from evomesa.experiments.sweep_spec import grid_points
from evomesa.files.safe_read import read_json, regular_file
from evomesa.metrics.consistency import check_report
from evomesa.metrics.report import DriftReport
from evomesa.metrics.runs import FIGURES, drive_figures
from evomesa.worlds import make_world


def report_figures(report: DriftReport) -> dict[str, float | None]:
    """The figures of :mod:`evomesa.metrics.runs` a record holds: key -> value or None."""
    figures = {**FIGURES, **drive_figures(tuple(report.drives))}
    return {
        k: (None if (v := read(report)) is None else float(v)) for k, (_, read) in figures.items()
    }


def make_record(task: ReplicateTask, point: dict[str, Any], report: DriftReport) -> dict:
    """The JSON-ready record of one finished task, from its drift report."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "point": point,
        "genome": task.config.genome,
        "replicate": task.replicate,
        "seed": task.config.seed,
        "figures": report_figures(report),
        "verdict": report.verdict,
        "drives_pursued": list(report.drives_pursued),
        "report": report.to_dict(),
    }


def _fail(path: Path, field: str, what: str) -> ConfigError:
    """The error for a record file whose ``field`` is not what it should be."""
    return ConfigError(f"sweep record {path}: {field} {what}")


class Expected:
    """What the sweep itself (never the record) says its records may hold."""

    def __init__(self, identity: Mapping[str, Any], tasks: Sequence[tuple]) -> None:
        self.identity = identity
        self.tasks = {k: t for k, t, _ in tasks}
        self.points = {json.dumps(p, sort_keys=True) for p in grid_points(identity["grid"])}
        self.genomes = tuple(identity["genomes"])
        self.seeds = int(identity["seeds"])


def read_record(path: Path, expected: Expected) -> dict:
    """One record file, checked (see the module docstring); the record without ``sha256``.

    Raises
    ------
    ConfigError
        Naming the file and the field that is unreadable, edited, or not what this sweep's
        task wrote.
    """
    # strict, size-bounded, never through a symbolic link (evomesa.files.safe_read)
    doc = read_json(
        regular_file(path, f"sweep record {path}"),
        f"sweep record {path}",
        min(memory_budget(), RECORD_MAX_BYTES),
    )
    if not isinstance(doc, dict):
        raise _fail(path, "its content", f"must be a JSON object; got {type(doc).__name__}")
    want = {*RECORD_KEYS, "sha256"}
    extra, missing = sorted(set(doc) - want), sorted(want - set(doc))
    if extra or missing:
        got = f"the unknown key {shown(extra[0])}" if extra else f"no {missing[0]!r}"
        raise _fail(path, "its keys", f"must be {sorted(want)}; got {got}")
    sums = doc.pop("sha256")
    if not isinstance(sums, dict) or set(sums) != set(RECORD_KEYS):
        raise _fail(path, "sha256", f"must map each of {list(RECORD_KEYS)} to its digest")
    for key in RECORD_KEYS:
        if sums[key] != field_digest(key, doc[key]):
            raise _fail(path, key, "does not match its SHA-256 digest (edited or damaged)")
    _check_task(path, doc, expected)
    _check_report(path, doc, expected.tasks[path.stem])
    return doc


def _check_task(path: Path, rec: dict, expected: Expected) -> None:
    """The record's format, and that its (point, genome, replicate, seed) is a task of ours."""
    for key, value in (("format", FORMAT), ("version", VERSION)):
        if rec[key] != value or isinstance(rec[key], bool):
            raise _fail(path, key, f"must be {value!r}; got {shown(rec[key])}")
    point, genome, r = rec["point"], rec["genome"], rec["replicate"]
    if not isinstance(point, dict) or json.dumps(point, sort_keys=True) not in expected.points:
        raise _fail(path, "point", f"must be a point of the sweep's grid; got {shown(point)}")
    if genome not in expected.genomes:
        raise _fail(path, "genome", f"must be one of {expected.genomes}; got {shown(genome)}")
    if not isinstance(r, int) or isinstance(r, bool) or not 0 <= r < expected.seeds:
        raise _fail(
            path, "replicate", f"must be an integer in [0, {expected.seeds - 1}]; got {shown(r)}"
        )
    key = task_key(point, genome, r)
    if path.stem != key:
        raise _fail(path, "its file name", f"must be {key}.json for its point, genome, replicate")
    seed = expected.tasks[key].config.seed
    if rec["seed"] != seed or isinstance(rec["seed"], bool):
        raise _fail(path, "seed", f"must be replicate {r}'s seed {seed}; got {shown(rec['seed'])}")


def _check_report(path: Path, rec: dict, task: ReplicateTask) -> None:
    """The record's report is a drift report of ``task`` whose verdict follows from its
    numbers, and the record's figures, verdict and drives are the report's."""
    try:
        report = DriftReport.from_dict(rec["report"])
        same = report.to_dict() == rec["report"]
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError) as err:
        # from_dict names the field as "d field 'x' must be ...": say report.x instead
        named = re.match(r"d field '([^']{1,80})' (.*)", str(err), flags=re.S)
        if named:
            raise _fail(path, f"report.{printable(named[1])}", printable(named[2], 200)) from None
        raise _fail(path, "report", f"must be a drift report ({printable(err, 120)})") from None
    if not same:  # from_dict converted something: a string for a number, a number for text
        raise _fail(path, "report", "must hold values of the report's own types")
    want = {
        "world": task.world,
        "genome": task.config.genome,
        "train": task.train,
        "deploy": task.deploy,
        "n_individuals": task.config.population,
        "episodes": task.episodes,
        "thresholds": task.thresholds.to_dict(),
    }
    for key, value in want.items():
        if getattr(report, key) != value:
            raise _fail(
                path, f"report.{key}", f"must be {value!r}; got {shown(getattr(report, key))}"
            )
    if (report.reference_fitness is not None) != task.reference:
        state = "a reference" if task.reference else "no reference"
        raise _fail(path, "report.reference_fitness", f"must be given with {state} in this sweep")
    _check_verdict(path, report, task)
    values = report_figures(report)
    have = rec["figures"]
    if not isinstance(have, dict) or have != values:
        bad = sorted(set(values) ^ set(have)) if isinstance(have, dict) else ["figures"]
        bad = bad or [k for k in values if have[k] != values[k]]
        raise _fail(path, f"figures.{printable(bad[0], 60)}", "must be the report's figure")
    if rec["verdict"] != report.verdict:
        raise _fail(path, "verdict", f"must be the report's, {report.verdict!r}")
    if rec["drives_pursued"] != list(report.drives_pursued):
        raise _fail(path, "drives_pursued", "must be the report's drives still pursued")


def _check_verdict(path: Path, report: DriftReport, task: ReplicateTask) -> None:
    """The report's figures agree with each other and its verdict and drives pursued are what
    its own numbers give (:func:`evomesa.metrics.consistency.check_report`, as ``report``
    checks run folders)."""
    drives, aligned = _drives_of(task.world, json.dumps(task.params, sort_keys=True))
    try:
        check_report(report, drives, aligned)
    except ConfigError as err:  # "field 'x' must be ...": name it report.x in this file
        named = re.match(r"field '([^']{1,80})' (.*)", str(err), flags=re.S)
        field = f"report.{printable(named[1])}" if named else "report"
        raise _fail(path, field, printable(named[2] if named else err, 300)) from None


@functools.lru_cache(maxsize=64)
def _drives_of(world: str, params: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The drives and aligned drives of the world a task ran in (built once per sweep)."""
    w = make_world(world, **json.loads(params))
    return tuple(w.drives), tuple(w.aligned_drives)


def finished_records(folder: Path, expected: Expected) -> dict[str, dict]:
    """Records already written, by task key, each checked (:func:`read_record`)."""
    return {p.stem: read_record(p, expected) for p in sorted((folder / RECORDS).glob("*.json"))}
