"""Sweeps: many seeds times a grid of conditions, one task per (grid point, genome, replicate).

:func:`sweep` runs every task on an executor (by default a local Dask cluster,
:mod:`evomesa.executors`), writes each finished task's record to ``out/records/`` as one
atomic JSON file as soon as it arrives, and skips tasks whose record is already there, so a
sweep that died is finished by running it again. :func:`load_sweep` reads the records back;
:func:`summarize_sweep` gives means with t intervals over seeds per grid point, and
:func:`evomesa.plots.sweep.plot_sweep` draws each figure against the grid.

A task is one replicate exactly as :func:`evomesa.run_experiment` runs it (population,
deploy-adapted reference, drift measurement), on the world with the grid point's parameters.
Replicate ``r`` evolves from ``child_seed(config.seed, "replicate", r)`` at every grid point:
grid points are compared on common seeds, and a point's replicate equals the same replicate
of ``run_experiment`` there. Records are written by the process that submitted the tasks,
keyed by task, so a task that a dying worker had started and the scheduler re-ran is recorded
once.

Records are read back trusting nothing (:func:`read_sweep_marker`, :func:`read_record`):
``sweep.json`` must hold exactly the keys a sweep writes, each valid (the world, grid and
config are rebuilt from it); every record file carries a SHA-256 digest of each of its
fields, and, since a digest can be recomputed by whoever edits the file, each record is also
checked against the task it claims to be: its grid point is one of the sweep's, its genome
one of the sweep's genomes, its replicate in range, its seed the replicate's seed, its
report a valid drift report of that task (world, genome, regimes, episodes, thresholds,
reference) whose verdict follows from its own numbers, and its figures, verdict and drives
exactly those of the report. Anything else is a :class:`~evomesa.errors.ConfigError` naming
the file and the field.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from evomesa.budget import memory_budget
from evomesa.errors import (
    ConfigError,
    check_bool,
    check_float,
    check_int,
    check_mapping,
    printable,
)
from evomesa.evolve import EvolutionConfig
from evomesa.evolve.mixture import main_regime
from evomesa.executors import check_executor, one_at_a_time
from evomesa.executors.addresses import check_scheduler_address
from evomesa.experiments.experiment import (
    ReplicateTask,
    evolve_population,
    evolve_reference,
    measure_replicate,
    warm_up,
)
from evomesa.files.atomic import remove_stale_temp_files
from evomesa.files.atomic import write_text_atomic as write_text
from evomesa.files.folder_probe import make_folder
from evomesa.files.leftovers import LeftoversRemoved
from evomesa.files.safe_read import read_json, regular_file
from evomesa.genomes import GENOMES, check_genome_selection
from evomesa.measure.drift import check_deployable
from evomesa.metrics.consistency import check_report
from evomesa.metrics.report import DriftReport
from evomesa.metrics.runs import FIGURES, drive_figures, interval_over_runs
from evomesa.seeding import child_seed
from evomesa.worlds import make_world
from evomesa.worlds.base import World, require_world

RECORDS = "records"
SWEEP = "sweep.json"
SUMMARY = "summary.json"
FORMAT = "evomesa-sweep"
#: 2: each record carries the SHA-256 digest of each of its fields
VERSION = 2
#: the keys of a record (its file adds "sha256")
RECORD_KEYS = (
    "format",
    "version",
    "point",
    "genome",
    "replicate",
    "seed",
    "figures",
    "verdict",
    "drives_pursued",
    "report",
)
#: the keys of sweep.json
MARKER_KEYS = (
    "format",
    "version",
    "world",
    "world_params",
    "grid",
    "seeds",
    "genomes",
    "config",
    "deploy",
    "deploy_params",
    "episodes",
    "reference",
    "thresholds",
)
#: the most bytes one record file may take (a record is a few KiB)
RECORD_MAX_BYTES = 16 * 2**20
#: config fields a grid may not vary (the sweep sets them per task)
_FIXED = ("seed", "genome")


@dataclass
class Sweep:
    """What :func:`sweep` produced.

    Attributes
    ----------
    records : list of dict
        One per finished (grid point, genome, replicate), sorted (see :func:`load_sweep`).
    summary : dict
        :func:`summarize_sweep` of the records.
    out : Path or None
        The folder the records were written to.
    ran, skipped : int
        Tasks run now, and tasks skipped because their record was already written.
    """

    records: list[dict]
    summary: dict
    out: Path | None
    ran: int
    skipped: int


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, first key slowest."""
    keys = list(grid)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*grid.values())]


def _check_grid(world: World, grid: Any) -> dict[str, list[Any]]:
    if not isinstance(grid, Mapping) or not grid:
        raise ConfigError(f"grid must be a non-empty dict of param -> values; got {grid!r:.80}")
    config_fields = [f.name for f in fields(EvolutionConfig) if f.name not in _FIXED]
    out = {}
    for key, values in grid.items():
        if key not in world.params and key not in config_fields:
            raise ConfigError(
                f"grid key must be a parameter of the {world.name!r} world "
                f"({', '.join(world.params)}) or of EvolutionConfig ({', '.join(config_fields)});"
                f" got {key!r}"
            )
        if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
            raise ConfigError(f"grid[{key!r}] must be a non-empty list of values; got {values!r}")
        listed = list(values)
        if len({json.dumps(v, sort_keys=True, default=str) for v in listed}) < len(listed):
            raise ConfigError(f"grid[{key!r}] must not repeat a value; got {listed!r}")
        out[str(key)] = listed
    return out


def _split(world: World, point: Mapping[str, Any]) -> tuple[dict, dict]:
    """A grid point as (world parameters, config fields)."""
    params = {k: v for k, v in point.items() if k in world.params}
    return params, {k: v for k, v in point.items() if k not in world.params}


def task_key(point: Mapping[str, Any], genome: str, replicate: int) -> str:
    """The record file name (without ``.json``) of one task: readable, and unique per task."""
    text = json.dumps({"point": point, "genome": genome, "replicate": replicate}, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{genome}-r{replicate}-{digest}"


def run_sweep_task(task: ReplicateTask, point: dict[str, Any]) -> dict[str, Any]:
    """Task: one replicate at one grid point; returns its JSON-ready record."""
    population = evolve_population(task)
    reference = evolve_reference(task) if task.reference else None
    run = measure_replicate(task, population, reference)
    report = run.report
    figures = {**FIGURES, **drive_figures(tuple(report.drives))}
    values = {}
    for key, (_, read) in figures.items():
        v = read(report)
        values[key] = None if v is None else float(v)
    return {
        "format": FORMAT,
        "version": VERSION,
        "point": point,
        "genome": task.config.genome,
        "replicate": task.replicate,
        "seed": task.config.seed,
        "figures": values,
        "verdict": report.verdict,
        "drives_pursued": list(report.drives_pursued),
        "report": report.to_dict(),
    }


def _tasks(
    world: World,
    grid: dict[str, list[Any]],
    seeds: int,
    config: EvolutionConfig,
    genomes: Sequence[str],
    deploy: str | None,
    deploy_params: dict[str, Any],
    episodes: int,
    reference: bool,
    thresholds: dict[str, float],
) -> list[tuple[str, ReplicateTask, dict]]:
    """Every (task key, task, grid point) of a sweep; builds, hence validates, every grid
    point's worlds and config."""
    tasks: list[tuple[str, ReplicateTask, dict]] = []
    for point in grid_points(grid):
        params, changes = _split(world, point)
        w = make_world(world.name, **{**world.params, **params})
        target = w if not deploy_params else make_world(w.name, **{**w.params, **deploy_params})
        cfg = replace(config, **changes).for_world(w)
        d = target.default_shift[1] if deploy is None else target.check_regime(deploy, "deploy")
        for genome in genomes:
            check_deployable(w, target, genome)
            for r in range(seeds):
                task = ReplicateTask(
                    world=w.name,
                    params=dict(w.params),
                    deploy_params=None if target is w else dict(target.params),
                    config=replace(cfg, genome=genome, seed=child_seed(cfg.seed, "replicate", r)),
                    train=main_regime(cfg.regime),
                    deploy=d,
                    episodes=episodes,
                    reference=reference,
                    replicate=r,
                    thresholds=thresholds,
                )
                tasks.append((task_key(point, genome, r), task, point))
    return tasks


def _identity(
    world: World,
    grid: dict[str, list[Any]],
    seeds: int,
    config: EvolutionConfig,
    genomes: Sequence[str],
    deploy: str | None,
    deploy_params: dict[str, Any],
    episodes: int,
    reference: bool,
    thresholds: dict[str, float],
) -> dict[str, Any]:
    """What ``sweep.json`` holds: the sweep's every setting, as JSON reads it back."""
    identity = {
        "format": FORMAT,
        "version": VERSION,
        "world": world.name,
        "world_params": dict(world.params),
        "grid": grid,
        "seeds": seeds,
        "genomes": list(genomes),
        "config": config.to_dict(),
        "deploy": deploy,
        "deploy_params": deploy_params,
        "episodes": episodes,
        "reference": reference,
        "thresholds": thresholds,
    }
    return json.loads(json.dumps(identity, default=str))


def sweep(
    world: World,
    grid: Mapping[str, Sequence[Any]],
    seeds: int,
    config: EvolutionConfig | None = None,
    client: Any = None,
    *,
    out: str | Path | None = None,
    genomes: Sequence[str] | None = None,
    deploy: str | None = None,
    deploy_params: Mapping[str, Any] | None = None,
    episodes: int = 64,
    reference: bool = True,
    workers: int | None = None,
    robust_threshold: float = 0.7,
    competence_threshold: float = 0.6,
    regret_threshold: float = 0.3,
    on_record: Callable[[dict], None] | None = None,
) -> Sweep:
    """Run ``seeds`` replicates at every point of ``grid``; stream records to ``out``.

    Parameters
    ----------
    world : World
        The base world; each grid point overrides some of its parameters.
    grid : dict of str to list
        Values of world parameters or EvolutionConfig fields (not ``seed``, ``genome``),
        e.g. ``{"gestation": [5, 10], "population": [50, 100]}``; every combination is run.
    seeds : int
        Replicates per grid point and genome.
    config : EvolutionConfig, optional
        Shared settings (default ``EvolutionConfig()``); ``config.seed`` is the sweep's seed.
    client : dask.distributed.Client, str, concurrent.futures.Executor or None
        Where tasks run. None starts a local Dask cluster of ``workers`` processes for this
        call (:func:`evomesa.executors.local_dask`); a Client uses its cluster; a string is
        a scheduler address to connect to (once everything is validated); an Executor
        (e.g. :class:`~evomesa.executors.InProcessExecutor`) is used as is.
    out : str or Path, optional
        Folder of the sweep: ``sweep.json`` (what is swept), ``records/`` (one JSON file per
        finished task, written as it finishes), ``summary.json`` and ``figures/``. A folder
        of the same sweep is continued (finished tasks are skipped); one of another sweep is
        refused.
    genomes : sequence of str, optional
        Architectures to evolve (default: ``config.genome``).
    deploy : str, optional
        Regime to deploy into (default: the world's ``default_shift[1]``).
    deploy_params : dict, optional
        Deploy into the grid point's world with these parameters changed.
    episodes : int
        Fresh episodes per individual and regime for the drift measurement.
    reference : bool
        Evolve a deploy-adapted reference per task (regret, unavoidable-loss verdict).
    workers : int, optional
        Processes of the local cluster (default: the usable cores); only with no ``client``.
    robust_threshold, competence_threshold, regret_threshold : float
        Verdict thresholds.
    on_record : callable, optional
        Called with each new record once it is written.

    Returns
    -------
    Sweep
    """
    require_world(world)
    _check_client(client, workers)
    config = EvolutionConfig() if config is None else config
    if not isinstance(config, EvolutionConfig):
        raise ConfigError(f"config must be an EvolutionConfig; got {type(config).__name__}")
    grid = _check_grid(world, grid)
    seeds = check_int("seeds", seeds, 1, 100_000)
    genomes = check_genome_selection((config.genome,) if genomes is None else genomes)
    check_int("episodes", episodes, 1, 10_000_000)
    check_bool("reference", reference)
    if workers is not None:
        check_int("workers", workers, 1, 1024)
    if on_record is not None and not callable(on_record):
        raise ConfigError(f"on_record must be callable; got {on_record!r}")
    thresholds = {
        "robust_threshold": check_float("robust_threshold", robust_threshold, 0.0, 1.0),
        "competence_threshold": check_float(
            "competence_threshold", competence_threshold, 0.0, 1.0
        ),
        "regret_threshold": check_float("regret_threshold", regret_threshold, 0.0, 1.0),
    }
    deploy_params = {} if deploy_params is None else check_mapping("deploy_params", deploy_params)

    # every grid point's worlds and config are built, hence validated, before any work
    tasks = _tasks(
        world, grid, seeds, config, genomes, deploy, deploy_params, episodes, reference, thresholds
    )
    identity = _identity(
        world, grid, seeds, config, genomes, deploy, deploy_params, episodes, reference, thresholds
    )
    if out is not None:
        _check_existing_marker(out, identity)
    folder = None if out is None else _open_folder(out, identity)
    done = {} if folder is None else _finished(folder, _Expected(identity, tasks))
    todo = [(k, t, p) for k, t, p in tasks if k not in done]
    records = [done[k] for k, _, _ in tasks if k in done]

    if todo:
        warm_up(world, genomes)  # compile here once; workers load numba's disk cache
        with _executor(client, workers) as executor:
            futures = {executor.submit(one_at_a_time, run_sweep_task, t, p): k for k, t, p in todo}
            try:
                for future in as_completed(futures):
                    record = future.result()
                    if folder is not None:
                        path = folder / RECORDS / f"{futures[future]}.json"
                        write_text(path, record_text(record))
                    records.append(record)
                    if on_record is not None:
                        on_record(record)
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    records = sort_records(records, grid)
    summary = summarize_sweep(records, grid)
    if folder is not None:
        write_text(folder / SUMMARY, json.dumps(summary, indent=1))
        from evomesa.plots.sweep import write_sweep_figures

        write_sweep_figures(folder, records, grid)
    return Sweep(records, summary, folder, ran=len(todo), skipped=len(tasks) - len(todo))


def _check_client(client: Any, workers: Any) -> None:
    """ConfigError at once for a ``client`` that is no Client, address, Executor or None, or
    ``workers`` beside a client (they would be ignored)."""
    if isinstance(client, str):
        check_scheduler_address(client, "client")
    else:
        check_executor(client, "client")
    if client is not None and workers is not None:
        raise ConfigError(
            "workers must be None when a client is given (it sizes the local cluster that "
            f"only client=None starts); got workers={workers!r} and a client"
        )


class _executor:
    """Context manager: the executor for ``client`` (a local Dask cluster when None, a
    connection when an address)."""

    def __init__(self, client: Any, workers: int | None) -> None:
        self.client, self.workers, self.cluster = client, workers, None

    def __enter__(self) -> Executor:
        if isinstance(self.client, str):
            from evomesa.executors import connect

            self.cluster = connect(self.client, "client")
            return self.cluster.__enter__().get_executor(pure=False)
        if self.client is None:
            from evomesa.executors import local_dask

            self.cluster = local_dask(self.workers)
            return self.cluster.__enter__().get_executor(pure=False)
        if callable(getattr(self.client, "get_executor", None)):  # a dask Client
            return self.client.get_executor(pure=False)
        return check_executor(self.client, "client")

    def __exit__(self, *exc: Any) -> None:
        if self.cluster is not None:
            self.cluster.__exit__(*exc)


def _open_folder(out: str | Path, identity: dict) -> Path:
    """Create the sweep folder, or check that it holds this very sweep; probe that it can be
    written (:func:`evomesa.files.folder_probe.make_folder`); remove the temporary files of killed
    sweeps in it. Every bad place is a ConfigError naming ``out`` and the path."""
    if not isinstance(out, str | Path) or str(out) == "":
        raise ConfigError(f"out must be a folder path; got {out!r}")
    folder = Path(out)
    try:
        is_link = folder.is_symlink()
        is_other = folder.exists() and not folder.is_dir()
        marker = folder / SWEEP
        has_marker = marker.exists() or marker.is_symlink()
        empty = is_other or not folder.is_dir() or not any(folder.iterdir())
    except (OSError, ValueError) as err:  # a name too long, a NUL character...
        raise ConfigError(
            f"out must be a usable folder path; {str(folder)[:120]!r} is not "
            f"({getattr(err, 'strerror', None) or err})"
        ) from None
    if is_link or is_other:
        raise ConfigError(f"out must be a folder (not a file or a link); got {str(folder)!r}")
    want = json.loads(json.dumps(identity, default=str))
    if has_marker:
        have = read_json(regular_file(marker, "sweep marker"), "sweep marker")
        if have != want:
            have = have if isinstance(have, dict) else {}
            # a key this sweep has and the marker lacks or differs on, else one it added
            key = next(
                (k for k in [*want, *have] if have.get(k, _MISSING) != want.get(k, _MISSING)),
                None,
            )
            raise ConfigError(
                f"out {str(folder)!r} holds another sweep: its {printable(key)} is "
                f"{printable(repr(have.get(key, 'missing')))}, this one's is "
                f"{printable(repr(want.get(key, 'missing')))} ({SWEEP})"
            )
    elif not empty:
        raise ConfigError(f"out must be a new or empty folder, or one of this sweep; got {out!r}")
    make_folder(folder, "out")
    records = make_folder(folder / RECORDS, "out")
    removed = [*remove_stale_temp_files(folder), *remove_stale_temp_files(records)]
    if removed:
        warnings.warn(
            f"removed {len(removed)} temporary file(s) that killed sweeps left in {folder}: "
            + ", ".join(p.name for p in removed[:4])
            + (", ..." if len(removed) > 4 else ""),
            LeftoversRemoved,
            stacklevel=3,
        )
    if not has_marker:
        try:
            write_text(marker, json.dumps(want, indent=1))
        except OSError as err:
            raise ConfigError(
                f"out must be a folder that evomesa can write; {str(marker)!r} could not be "
                f"written ({err.strerror or err})"
            ) from None
    return folder


_MISSING = object()


def field_digest(name: str, value: Any) -> str:
    """SHA-256 of one field of a record: its name and its canonical JSON text."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{name}:{text}".encode()).hexdigest()


def record_text(record: Mapping[str, Any]) -> str:
    """The JSON text of a record file: the record plus ``sha256``, a digest per field."""
    doc = json.loads(json.dumps(record))  # as it reads back
    doc["sha256"] = {k: field_digest(k, doc[k]) for k in RECORD_KEYS}
    return json.dumps(doc)


def _fail(path: Path, field: str, what: str) -> ConfigError:
    return ConfigError(f"sweep record {path}: {field} {what}")


def _shown(value: Any) -> str:
    """A value from a file, safe and short to print in a message."""
    try:
        text = json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return printable(text, 80)


class _Expected:
    """What the sweep itself (never the record) says its records may hold."""

    def __init__(self, identity: Mapping[str, Any], tasks: Sequence[tuple]) -> None:
        self.identity = identity
        self.tasks = {k: t for k, t, _ in tasks}
        self.points = {json.dumps(p, sort_keys=True) for p in grid_points(identity["grid"])}
        self.genomes = tuple(identity["genomes"])
        self.seeds = int(identity["seeds"])


def read_record(path: Path, expected: _Expected) -> dict:
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
        got = f"the unknown key {_shown(extra[0])}" if extra else f"no {missing[0]!r}"
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


def _check_task(path: Path, rec: dict, expected: _Expected) -> None:
    """The record's format, and that its (point, genome, replicate, seed) is a task of ours."""
    for key, value in (("format", FORMAT), ("version", VERSION)):
        if rec[key] != value or isinstance(rec[key], bool):
            raise _fail(path, key, f"must be {value!r}; got {_shown(rec[key])}")
    point, genome, r = rec["point"], rec["genome"], rec["replicate"]
    if not isinstance(point, dict) or json.dumps(point, sort_keys=True) not in expected.points:
        raise _fail(path, "point", f"must be a point of the sweep's grid; got {_shown(point)}")
    if genome not in expected.genomes:
        raise _fail(path, "genome", f"must be one of {expected.genomes}; got {_shown(genome)}")
    if not isinstance(r, int) or isinstance(r, bool) or not 0 <= r < expected.seeds:
        raise _fail(
            path, "replicate", f"must be an integer in [0, {expected.seeds - 1}]; got {_shown(r)}"
        )
    key = task_key(point, genome, r)
    if path.stem != key:
        raise _fail(path, "its file name", f"must be {key}.json for its point, genome, replicate")
    seed = expected.tasks[key].config.seed
    if rec["seed"] != seed or isinstance(rec["seed"], bool):
        raise _fail(
            path, "seed", f"must be replicate {r}'s seed {seed}; got {_shown(rec['seed'])}"
        )


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
        "thresholds": dict(task.thresholds),
    }
    for key, value in want.items():
        if getattr(report, key) != value:
            raise _fail(
                path, f"report.{key}", f"must be {value!r}; got {_shown(getattr(report, key))}"
            )
    if (report.reference_fitness is not None) != task.reference:
        state = "a reference" if task.reference else "no reference"
        raise _fail(path, "report.reference_fitness", f"must be given with {state} in this sweep")
    _check_verdict(path, report, task)
    figures = {**FIGURES, **drive_figures(tuple(report.drives))}
    values = {
        k: (None if (v := read(report)) is None else float(v)) for k, (_, read) in figures.items()
    }
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


def _finished(folder: Path, expected: _Expected) -> dict[str, dict]:
    """Records already written, by task key, each checked (:func:`read_record`)."""
    return {p.stem: read_record(p, expected) for p in sorted((folder / RECORDS).glob("*.json"))}


def read_sweep_marker(path: Path) -> tuple[World, dict, list[tuple]]:
    """``sweep.json`` checked key by key: the base world, the sweep's identity and tasks.

    Raises
    ------
    ConfigError
        Naming the file and the field: unreadable, a key missing or unknown, a value that is
        not valid, or one that differs from what a sweep with these settings writes.
    """
    what = f"sweep marker {path}"
    doc = read_json(regular_file(path, what), what, min(memory_budget(), RECORD_MAX_BYTES))

    def fail(field: str, text: str) -> ConfigError:
        return ConfigError(f"{what}: {field} {text}")

    if not isinstance(doc, dict):
        raise fail("its content", f"must be a JSON object; got {type(doc).__name__}")
    extra = sorted(set(doc) - set(MARKER_KEYS))
    missing = [k for k in MARKER_KEYS if k not in doc]
    if extra or missing:
        got = f"the unknown key {_shown(extra[0])}" if extra else f"no {missing[0]!r}"
        raise fail("its keys", f"must be {list(MARKER_KEYS)}; got {got}")
    if doc["format"] != FORMAT:
        raise fail("format", f"must be {FORMAT!r}; got {_shown(doc['format'])}")
    if doc["version"] != VERSION or isinstance(doc["version"], bool):
        raise fail(
            "version",
            f"must be {VERSION} (records with digests); got {_shown(doc['version'])}: a sweep "
            "folder written by an older evomesa cannot be continued or loaded by this one",
        )

    def field(key: str, build):
        try:
            return build(doc[key])
        except ConfigError as err:
            raise fail(key, f"is not valid: {printable(err, 200)}") from None
        except (
            TypeError,
            ValueError,
            KeyError,
            AttributeError,
            IndexError,
            ArithmeticError,
        ) as err:
            raise fail(
                key, f"is not valid ({type(err).__name__}: {printable(err, 120)})"
            ) from None

    def kind(key: str, types, text: str) -> Any:
        value = doc[key]
        if not isinstance(value, types) or isinstance(value, bool):
            raise fail(key, f"must be {text}; got {_shown(value)}")
        return value

    name = kind("world", str, "a world name")
    kind("world_params", dict, "a dict of world parameters")
    world = field("world_params", lambda p: make_world(name, **p))
    grid = field("grid", lambda g: _check_grid(world, g))
    seeds = field("seeds", lambda v: check_int("seeds", v, 1, 100_000))
    genomes = kind("genomes", list, "a list of genome names")
    if not genomes or any(g not in GENOMES for g in genomes) or len(set(genomes)) < len(genomes):
        raise fail(
            "genomes", f"must be a selection of {GENOMES}, each once; got {_shown(genomes)}"
        )
    config = field("config", EvolutionConfig.from_dict)
    deploy = doc["deploy"]
    if deploy is not None and not isinstance(deploy, str):
        raise fail("deploy", f"must be a regime name or null; got {_shown(deploy)}")
    deploy_params = kind("deploy_params", dict, "a dict of world parameters")
    episodes = field("episodes", lambda v: check_int("episodes", v, 1, 10_000_000))
    reference = field("reference", lambda v: check_bool("reference", v))
    thresholds = kind("thresholds", dict, "a dict of the three verdict thresholds")
    names = ("robust_threshold", "competence_threshold", "regret_threshold")
    if sorted(thresholds) != sorted(names):
        raise fail(
            "thresholds", f"must hold exactly {list(names)}; got {_shown(sorted(thresholds))}"
        )
    field("thresholds", lambda t: [check_float(k, t[k], 0.0, 1.0) for k in names])
    args = (
        world,
        grid,
        seeds,
        config,
        genomes,
        deploy,
        deploy_params,
        episodes,
        reference,
        thresholds,
    )
    tasks = field("grid", lambda _: _tasks(*args))
    identity = _identity(*args)
    for key in MARKER_KEYS:  # as this sweep writes it: no value that only converts to it
        if doc[key] != identity[key] or json.dumps(doc[key]) != json.dumps(identity[key]):
            raise fail(
                key, f"must be {_shown(identity[key])} for these settings; got {_shown(doc[key])}"
            )
    return world, identity, tasks


def _check_existing_marker(out: Any, identity: dict) -> None:
    """If ``out`` already holds a sweep, refuse it unless it is this very sweep.

    (Done before the folder is opened, so that a malformed or foreign ``sweep.json`` is a
    ConfigError naming the file and the field, and never anything else.)
    """
    if not isinstance(out, str | Path) or str(out) == "":
        return  # the folder check says what is wrong
    marker = Path(out) / SWEEP
    try:
        present = marker.exists() or marker.is_symlink()
    except OSError:
        return  # an unusable path: the folder check says what is wrong
    if not present:
        return
    what = f"sweep marker {marker}"
    have = read_json(regular_file(marker, what), what, min(memory_budget(), RECORD_MAX_BYTES))
    if have == identity:
        return
    if not isinstance(have, dict):
        raise ConfigError(f"{what}: its content must be a JSON object; got {type(have).__name__}")
    extra = sorted(set(have) - set(MARKER_KEYS))
    missing = [k for k in MARKER_KEYS if k not in have]
    if extra or missing:
        got = f"the unknown key {_shown(extra[0])}" if extra else f"no {missing[0]!r}"
        raise ConfigError(f"{what}: its keys must be {list(MARKER_KEYS)}; got {got}")
    key = next(k for k in MARKER_KEYS if have[k] != identity[k])
    raise ConfigError(
        f"out {printable(str(out))!r} holds another sweep: its {key} is {_shown(have[key])}, "
        f"this one's is {_shown(identity[key])} (in {printable(str(marker))})"
    )


def sort_records(records: Sequence[dict], grid: Mapping[str, Sequence[Any]]) -> list[dict]:
    """Records in grid order (first key slowest), then genome, then replicate."""
    order = {json.dumps(p, sort_keys=True): i for i, p in enumerate(grid_points(grid))}

    def key(r: dict) -> tuple:
        text = json.dumps(r["point"], sort_keys=True)
        return (order.get(text, len(order)), text, r["genome"], r["replicate"])

    return sorted(records, key=key)


def load_sweep(out: str | Path) -> list[dict]:
    """The records of a sweep folder: one per finished (grid point, genome, replicate).

    Each record: ``point`` (the grid values), ``genome``, ``replicate``, ``seed``,
    ``figures`` (key -> value or None, the figures of :mod:`evomesa.metrics.runs`),
    ``verdict``, ``drives_pursued`` and the full drift ``report`` (as ``DriftReport.to_dict``).
    ``sweep.json`` and every record are checked (see the module docstring).

    Raises
    ------
    ConfigError
        If ``out`` is not a sweep folder, or naming the file and the field of anything in it
        that is unreadable, edited, or not what the sweep wrote.
    """
    if not isinstance(out, str | Path) or str(out) == "":
        raise ConfigError(f"out must be a sweep folder path; got {out!r}")
    folder = Path(out)
    try:
        is_sweep = (folder / SWEEP).is_file() and (folder / RECORDS).is_dir()
    except OSError:
        is_sweep = False
    if not is_sweep:
        where = printable(str(out))
        raise ConfigError(
            f"out must be a sweep folder (with {SWEEP} and {RECORDS}/); got {where!r}"
        )
    _, identity, tasks = read_sweep_marker(folder / SWEEP)
    records = _finished(folder, _Expected(identity, tasks))
    return sort_records(list(records.values()), identity["grid"])


def summarize_sweep(records: Sequence[dict], grid: Mapping[str, Sequence[Any]]) -> dict:
    """Means with 95 % t intervals over seeds, per grid point and genome.

    Returns
    -------
    dict
        ``grid``; ``cells``: a list, one per (point, genome) with records, of ``{"point",
        "genome", "runs", "figures": key -> {"mean", "low", "high", "n"}, "verdicts":
        verdict -> count}``.
    """
    cells: dict[tuple[str, str], dict] = {}
    for r in sort_records(records, grid):
        key = (json.dumps(r["point"], sort_keys=True), r["genome"])
        cell = cells.setdefault(key, {"point": r["point"], "genome": r["genome"], "recs": []})
        cell["recs"].append(r)
    out = []
    for cell in cells.values():
        recs = cell.pop("recs")
        figures = {}
        for name in recs[0]["figures"]:
            values = [r["figures"].get(name) for r in recs]
            values = [v for v in values if v is not None]
            if values:
                mean, low, high = interval_over_runs(values)
                figures[name] = {"mean": mean, "low": low, "high": high, "n": len(values)}
        verdicts: dict[str, int] = {}
        for r in recs:
            verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
        out.append({**cell, "runs": len(recs), "figures": figures, "verdicts": verdicts})
    return {"grid": {k: list(v) for k, v in grid.items()}, "cells": out}
