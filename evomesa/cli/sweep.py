"""``evomesa sweep``: a grid of conditions times seeds, on a Dask cluster.

It takes ``run``'s evolution and measurement options (added by the same functions,
:mod:`evomesa.cli.options`, so the two commands cannot drift apart), plus ``--grid``,
``--seeds``, ``--workers`` or ``--scheduler`` and ``--out``.
"""

from __future__ import annotations

import argparse
import ast
import time
from typing import Any

from evomesa.cli.options import (
    HelpFormatter,
    add_evolution_options,
    add_quiet_option,
    add_shift_options,
    add_threshold_options,
    chosen_genomes,
    evolution_config,
    parse_set,
    train_spec,
)
from evomesa.errors import ConfigError, check_int, printable
from evomesa.executors.addresses import check_scheduler_address, probe_scheduler
from evomesa.experiments.sweep import sweep
from evomesa.metrics.report import DriftReport
from evomesa.worlds import make_world


def parse_grid(items: list[str]) -> dict[str, list[Any]]:
    """``["gestation=5,10", "brain_cost=0.01,0.02"]`` -> ``{"gestation": [5, 10], ...}``."""
    grid: dict[str, list[Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key or not raw.strip():
            raise ConfigError(f"--grid must be given as param=v1,v2,...; got {item!r}")
        if key in grid:
            raise ConfigError(f"--grid must name each parameter once; got {key!r} twice")
        values = []
        for part in raw.split(","):
            text = part.strip()
            if len(text) > 100:
                raise ConfigError(
                    f"--grid values must be at most 100 characters; got {text!r:.40}"
                )
            try:
                values.append(ast.literal_eval(text))
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                values.append(text)  # left as text, so validation names it
        grid[key] = values
    return grid


def cmd_sweep(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    world = make_world(args.world, **parse_set(args.set))
    deploy_params = parse_set(args.deploy_set)
    train = train_spec(args, world)
    check_int("--seeds", args.seeds, 1, 100_000)
    if args.workers is not None:
        check_int("--workers", args.workers, 1, 1024)
    if args.scheduler is not None:
        # parsed and knocked on here, so that its errors name --scheduler (sweep() connects
        # only once everything else is checked)
        check_scheduler_address(args.scheduler, "--scheduler")
        probe_scheduler(args.scheduler, "--scheduler")
    config = evolution_config(args, train)
    grid = parse_grid(args.grid)

    def show(record: dict) -> None:
        if not args.quiet:
            print(
                f"  {_point(record['point'])} · {printable(record['genome'])} · replicate "
                f"{printable(record['replicate'])}: {_reading(record)}",
                flush=True,
            )

    options = {
        "out": args.out,
        "genomes": chosen_genomes(args.genome, world),
        "deploy": args.deploy,
        "deploy_params": deploy_params,
        "episodes": args.drift_episodes,
        "reference": not args.no_reference,
        "robust_threshold": args.robust_threshold,
        "competence_threshold": args.competence_threshold,
        "regret_threshold": args.regret_threshold,
        "effect_threshold": args.effect_threshold,
        "on_record": show,
    }
    args.interrupt_line = (
        f"evomesa: interrupted; finished replicates are kept in {args.out}/records; run the "
        "same command again to finish the sweep"
    )
    # the cluster (local, or the scheduler's) is reached only once every option is checked
    result = sweep(
        world, grid, args.seeds, config, args.scheduler, workers=args.workers, **options
    )
    print(f"\n{result.ran} task(s) run, {result.skipped} already finished; summary:")
    for cell in result.summary["cells"]:
        fig = cell["figures"].get("fitness_retention")
        interval = (
            "none"
            if fig is None
            else f"{_number(fig['mean'])} [{_number(fig['low'])}, {_number(fig['high'])}]"
        )
        verdicts = ", ".join(f"{_verdict(v)} {n}" for v, n in cell["verdicts"].items())
        print(
            f"  {_point(cell['point'])} · {printable(cell['genome'])}: fitness retention "
            f"{interval} over {cell['runs']} seed(s); {verdicts}{_beside(cell)}"
        )
    print(
        f"\nrecords, summary.json and figures written to {printable(str(result.out))}/ "
        f"({time.perf_counter() - start:.1f} s)"
    )
    return 0


# Records of finished tasks are read back from the sweep folder, which anyone may have
# edited: whatever comes from them is printed with control characters escaped.
def _point(point: dict) -> str:
    return ", ".join(f"{printable(k, 60)}={printable(v, 60)}" for k, v in point.items())


def _verdict(verdict: object) -> str:
    return printable(verdict).replace("_", " ")


def _reading(record: dict) -> str:
    """The record's verdict in words with its evidence and, where performance parts from
    fitness, the performance channel's reading (:attr:`DriftReport.reading`)."""
    try:
        return printable(DriftReport.from_dict(record["report"]).reading, 600)
    except (ConfigError, KeyError, TypeError):  # records are checked; this is a fallback
        return (
            f"retention {_number(record['figures'].get('fitness_retention'))}, "
            f"{_verdict(record['verdict'])}"
        )


def _beside(cell: dict) -> str:
    """What a cell's runs say beside their verdicts: robust runs with a high regret or a lost
    performance, the performance verdicts with the world's words, borderline runs, new goals
    (empty when there is nothing to say)."""
    parts = []
    if cell.get("high_regret"):
        parts.append(f"robust with high regret {cell['high_regret']}")
    if cell.get("performance"):
        counts = ", ".join(f"{printable(v)} {n}" for v, n in cell["performance"].items() if n)
        meaning = cell.get("performance_meaning")
        parts.append(
            f"performance {counts}" + (f" ({printable(meaning, 300)})" if meaning else "")
        )
    if cell.get("borderline"):
        parts.append(f"borderline {cell['borderline']}")
    if cell.get("new_goals"):
        goals = ", ".join(f"{printable(d)} {n}" for d, n in cell["new_goals"].items())
        parts.append(f"new goals: {goals}")
    if cell.get("convergence_known"):
        converged = printable(cell.get("converged"), 20)
        parts.append(f"converged {converged}/{printable(cell['convergence_known'], 20)}")
    return "".join(f"; {p}" for p in parts)


def _number(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else printable(value, 20)


def add_sweep_parser(sub: Any) -> None:
    """Add the ``sweep`` command to the subparsers ``sub``, with ``run``'s evolution and
    measurement options (:mod:`evomesa.cli.options`) after its own."""
    p = sub.add_parser(
        "sweep",
        help="a grid of conditions x seeds, on a Dask cluster",
        formatter_class=HelpFormatter,
        description="Run --seeds replicates at every point of the grid (one Dask task each), "
        "writing each finished replicate to OUT/records/ as it arrives; running the same "
        "sweep again skips finished replicates. Without --scheduler a local cluster of "
        "--workers processes is started.",
    )
    p.add_argument("world", help="world name (see 'evomesa worlds')")
    p.add_argument(
        "--grid",
        action="append",
        required=True,
        metavar="PARAM=V1,V2",
        help="a world parameter or config field and its values; repeat for more (every "
        "combination is run)",
    )
    p.add_argument("--seeds", type=int, required=True, help="replicates per grid point")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes of the local Dask cluster (default: the usable cores)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786",
    )
    p.add_argument("--out", required=True, help="sweep folder (new, empty, or this sweep's)")
    add_evolution_options(p)
    add_shift_options(p)
    add_threshold_options(p)
    add_quiet_option(p)
    p.set_defaults(func=cmd_sweep)
