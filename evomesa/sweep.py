"""Sweeps: many seeds times a grid of conditions, one task per (grid point, genome, replicate).

:func:`sweep` runs every task on an executor (by default a local Dask cluster,
:mod:`evomesa.executors`), writes each finished task's record to ``out/records/`` as one
atomic JSON file as soon as it arrives, and skips tasks whose record is already there, so a
sweep that died is finished by running it again. :func:`load_sweep` reads the records back;
:func:`summarize_sweep` gives means with t intervals over seeds per grid point, and
:func:`evomesa.sweep_plots.plot_sweep` draws each figure against the grid.

A task is one replicate exactly as :func:`evomesa.run_experiment` runs it (population,
deploy-adapted reference, drift measurement), on the world with the grid point's parameters.
Replicate ``r`` evolves from ``child_seed(config.seed, "replicate", r)`` at every grid point:
grid points are compared on common seeds, and a point's replicate equals the same replicate
of ``run_experiment`` there. Records are written by the process that submitted the tasks,
keyed by task, so a task that a dying worker had started and the scheduler re-ran is recorded
once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from evomesa.addresses import check_scheduler_address
from evomesa.analysis import interval_over_runs
from evomesa.atomic import write_text_atomic as write_text
from evomesa.errors import ConfigError, check_bool, check_float, check_int
from evomesa.evolve import EvolutionConfig
from evomesa.evolve.mixture import main_regime
from evomesa.executors import check_executor, one_at_a_time
from evomesa.experiment import (
    ReplicateTask,
    evolve_population,
    evolve_reference,
    measure_replicate,
    warm_up,
)
from evomesa.genomes import GENOMES
from evomesa.measure import check_deployable
from evomesa.replicates import FIGURES, drive_figures
from evomesa.safe_read import read_json, regular_file
from evomesa.seeding import child_seed
from evomesa.worlds import make_world
from evomesa.worlds.base import World, require_world

RECORDS = "records"
SWEEP = "sweep.json"
SUMMARY = "summary.json"
FORMAT = "evomesa-sweep"
VERSION = 1
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
    genomes = (config.genome,) if genomes is None else genomes
    genomes = (genomes,) if isinstance(genomes, str) else tuple(genomes)
    if not genomes or any(g not in GENOMES for g in genomes) or len(set(genomes)) < len(genomes):
        raise ConfigError(f"genomes must be a selection of {GENOMES}, each once; got {genomes!r}")
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
    deploy_params = dict(deploy_params or {})

    # every grid point's worlds and config are built, hence validated, before any work
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
    folder = None if out is None else _open_folder(out, identity)
    done = {} if folder is None else _finished(folder)
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
                        write_text(path, json.dumps(record))
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
        from evomesa.sweep_plots import write_sweep_figures

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
    """Create the sweep folder, or check that it holds this very sweep."""
    if not isinstance(out, str | Path) or str(out) == "":
        raise ConfigError(f"out must be a folder path; got {out!r}")
    folder = Path(out)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ConfigError(f"out must be a folder (not a file or a link); got {str(folder)!r}")
    marker = folder / SWEEP
    want = json.loads(json.dumps(identity, default=str))
    if marker.exists():
        have = read_json(regular_file(marker, "sweep marker"), "sweep marker")
        if have != want:
            have = have if isinstance(have, dict) else {}
            key = next(k for k in want if have.get(k) != want[k])
            raise ConfigError(
                f"out {str(folder)!r} holds another sweep: its {key} is {have.get(key)!r}, "
                f"this one's is {want[key]!r}"
            )
    elif folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"out must be a new or empty folder, or one of this sweep; got {out!r}")
    (folder / RECORDS).mkdir(parents=True, exist_ok=True)
    if not marker.exists():
        write_text(marker, json.dumps(want, indent=1))
    return folder


def _read_record(path: Path) -> dict:
    # strict, size-bounded, never through a symbolic link (evomesa.safe_read)
    record = read_json(regular_file(path, "sweep record"), "sweep record")
    ok = (
        isinstance(record, dict)
        and record.get("format") == FORMAT
        and record.get("version") == VERSION
        and isinstance(record.get("point"), dict)
        and record.get("genome") in GENOMES
        and isinstance(record.get("replicate"), int)
        and isinstance(record.get("figures"), dict)
    )
    if not ok or path.stem != task_key(record["point"], record["genome"], record["replicate"]):
        raise ConfigError(f"sweep record {path} is not a record of this sweep's task")
    return record


def _finished(folder: Path) -> dict[str, dict]:
    """Records already written, by task key."""
    return {p.stem: _read_record(p) for p in sorted((folder / RECORDS).glob("*.json"))}


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
    ``figures`` (key -> value or None, the figures of :mod:`evomesa.replicates`),
    ``verdict``, ``drives_pursued`` and the full drift ``report`` (as ``DriftReport.to_dict``).
    """
    folder = Path(out)
    if not (folder / SWEEP).is_file() or not (folder / RECORDS).is_dir():
        raise ConfigError(f"out must be a sweep folder (with {SWEEP} and {RECORDS}/); got {out!r}")
    try:
        grid = read_json(regular_file(folder / SWEEP, "sweep marker"), "sweep marker")["grid"]
        grid_points(grid)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ConfigError(f"{folder / SWEEP} must describe a sweep's grid ({err})") from None
    return sort_records(list(_finished(folder).values()), grid)


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
