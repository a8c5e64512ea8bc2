"""Sweeps: many seeds times a grid of conditions, one task per (grid point, genome, replicate).

:func:`sweep` runs every task on an executor (by default a local Dask cluster,
:mod:`evomesa.executors`), writes each finished task's record to ``out/records/`` as one
atomic JSON file as soon as it arrives, and skips tasks whose record is already there, so a
sweep that died is finished by running it again. :func:`load_sweep` reads the records back;
:func:`~evomesa.experiments.sweep_summary.summarize_sweep` gives means with t intervals over
seeds per grid point, and :func:`evomesa.plots.sweep.plot_sweep_figure` draws each figure
against the grid.

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
checked against the task it claims to be (:mod:`evomesa.experiments.sweep_records`). Anything
else is a :class:`~evomesa.errors.ConfigError` naming the file and the field.

Where the parts live: the grid and its tasks in :mod:`~evomesa.experiments.sweep_spec`, the
folder's file names and record text in :mod:`~evomesa.experiments.sweep_format`, ``sweep.json``
in :mod:`~evomesa.experiments.sweep_marker`, the records in
:mod:`~evomesa.experiments.sweep_records`, the summary in
:mod:`~evomesa.experiments.sweep_summary`; this module runs a sweep and loads one back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evomesa.errors import (
    ConfigError,
    check_bool,
    check_int,
    check_mapping,
    printable,
)
from evomesa.evolve import EvolutionConfig
from evomesa.executors import check_executor, connect, local_dask, one_at_a_time
from evomesa.executors.addresses import check_scheduler_address
from evomesa.experiments.replicate import (
    ReplicateTask,
    evolve_population,
    evolve_reference,
    measure_replicate,
    warm_up,
)
from evomesa.experiments.sweep_format import (
    RECORDS,
    SUMMARY,
    SWEEP,
    record_text,
    task_key,
)
from evomesa.experiments.sweep_marker import (
    check_existing_marker,
    open_sweep_folder,
    read_sweep_marker,
)
from evomesa.experiments.sweep_records import Expected, finished_records, make_record, read_record
from evomesa.experiments.sweep_spec import SweepSpec, check_grid, sort_records
from evomesa.experiments.sweep_summary import summarize_sweep
from evomesa.files.atomic import write_text_atomic as write_text
from evomesa.genomes import check_genome_selection
from evomesa.metrics.thresholds import Thresholds
from evomesa.worlds.base import World, require_world

__all__ = [
    "RECORDS",
    "SUMMARY",
    "SWEEP",
    "Sweep",
    "load_sweep",
    "read_record",
    "read_sweep_marker",
    "record_text",
    "run_sweep_task",
    "summarize_sweep",
    "sweep",
    "task_key",
]


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


def run_sweep_task(task: ReplicateTask, point: dict[str, Any]) -> dict[str, Any]:
    """Task: one replicate at one grid point; returns its JSON-ready record."""
    population = evolve_population(task)
    reference = evolve_reference(task) if task.reference else None
    run = measure_replicate(task, population, reference)
    return make_record(task, point, run.report)


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
    effect_threshold: float = 0.2,
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
    robust_threshold, competence_threshold, regret_threshold, effect_threshold : float
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
    grid = check_grid(world, grid)
    seeds = check_int("seeds", seeds, 1, 100_000)
    genomes = check_genome_selection((config.genome,) if genomes is None else genomes)
    check_int("episodes", episodes, 1, 10_000_000)
    check_bool("reference", reference)
    if workers is not None:
        check_int("workers", workers, 1, 1024)
    if on_record is not None and not callable(on_record):
        raise ConfigError(f"on_record must be callable; got {on_record!r}")
    thresholds = Thresholds(
        robust_threshold, competence_threshold, regret_threshold, effect_threshold
    )
    deploy_params = {} if deploy_params is None else check_mapping("deploy_params", deploy_params)

    # every grid point's worlds and config are built, hence validated, before any work
    spec = SweepSpec(
        world, grid, seeds, config, genomes, deploy, deploy_params, episodes, reference, thresholds
    )
    tasks = spec.tasks()
    identity = spec.identity()
    if out is not None:
        check_existing_marker(out, identity)
    folder = None if out is None else open_sweep_folder(out, identity)
    done = {} if folder is None else finished_records(folder, Expected(identity, tasks))
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
        # matplotlib loads only when a sweep draws figures, so `import evomesa` and every
        # worker that runs tasks stay without it (evomesa.plots never imports this module)
        from evomesa.plots.sweep import write_sweep_figures

        write_sweep_figures(folder, summary)
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
            self.cluster = connect(self.client, "client")
            return self.cluster.__enter__().get_executor(pure=False)
        if self.client is None:
            self.cluster = local_dask(self.workers)
            return self.cluster.__enter__().get_executor(pure=False)
        if callable(getattr(self.client, "get_executor", None)):  # a dask Client
            return self.client.get_executor(pure=False)
        return check_executor(self.client, "client")

    def __exit__(self, *exc: Any) -> None:
        if self.cluster is not None:
            self.cluster.__exit__(*exc)


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
    records = finished_records(folder, Expected(identity, tasks))
    return sort_records(list(records.values()), identity["grid"])
