"""The ``evomesa`` command line: ``worlds``, ``run``, ``report`` and ``bench``."""

from __future__ import annotations

import argparse
import ast
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from evomesa.bench import run_benchmarks
from evomesa.errors import ConfigError, check_int
from evomesa.evolve import EvolutionConfig
from evomesa.experiment import (
    format_drift_table,
    load_experiment,
    run_experiment,
    save_experiment,
    write_figures,
)
from evomesa.genomes import GENOMES
from evomesa.worlds import list_worlds, make_world

_DEFAULT = EvolutionConfig()  # the CLI's defaults are the library's


def _parse_set(items: Sequence[str]) -> dict:
    """``["gestation=10", "brain_cost=0.01"]`` -> ``{"gestation": 10, "brain_cost": 0.01}``."""
    params = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"--set must be given as param=value; got {item!r}")
        try:
            params[key.strip()] = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            params[key.strip()] = raw.strip()  # left as text, so validation names it
    return params


def _genomes(selected: Sequence[str]) -> tuple[str, ...]:
    if "all" in selected:
        return GENOMES
    return tuple(dict.fromkeys(selected))  # de-duplicated, order kept


def cmd_worlds(args: argparse.Namespace) -> int:
    for name in list_worlds():
        print(make_world(name).describe() if args.verbose else name)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    # Validate every flag before evolving, so a typo costs nothing and loses nothing.
    world = make_world(args.world, **_parse_set(args.set))
    train = (
        world.default_shift[0] if args.train is None else world.check_regime(args.train, "--train")
    )
    deploy = (
        world.default_shift[1]
        if args.deploy is None
        else world.check_regime(args.deploy, "--deploy")
    )
    check_int("--drift-episodes", args.drift_episodes, 1, 10_000_000)
    config = EvolutionConfig(
        population=args.population,
        generations=args.generations,
        episodes=args.episodes,
        regime=train,
        seed=args.seed,
    )
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out must be a folder (new or existing); got the file {str(out)!r}")
    out.mkdir(parents=True, exist_ok=True)
    runs = run_experiment(
        world,
        config,
        genomes=_genomes(args.genome),
        deploy=deploy,
        episodes=args.drift_episodes,
        progress=not args.quiet,
    )
    reports = {g: r.report for g, r in runs.items()}
    print(f"\nDrift from {train} to {deploy} (value [95% CI]):")
    print(format_drift_table(reports))
    out = save_experiment(world, runs, args.out)
    print(
        f"\nresults, drift JSON and figures written to {out}/ "
        f"({time.perf_counter() - start:.1f} s)"
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    results, reports = load_experiment(args.dir)
    first = next(iter(results.values()))
    world = first.make_world()
    print(
        f"{world.name}: drift from {next(iter(reports.values())).train} to "
        f"{next(iter(reports.values())).deploy} (value [95% CI]):"
    )
    print(format_drift_table(reports))
    for path in write_figures(world, Path(args.dir), results, reports):
        print(f"figure: {path}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    run_benchmarks(quick=args.quick, out=args.out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evomesa", description="Evolve agents and measure how their drives drift."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("worlds", help="list the worlds")
    p.add_argument("-v", "--verbose", action="store_true", help="show regimes and parameters")
    p.set_defaults(func=cmd_worlds)

    p = sub.add_parser("run", help="evolve, shift the world, measure drift")
    p.add_argument("world", help="world name (see 'evomesa worlds')")
    p.add_argument(
        "--genome",
        nargs="+",
        default=["reflex", "planner"],
        choices=["reflex", "planner", "hybrid", "all"],
        help="architectures to evolve (default: reflex planner)",
    )
    p.add_argument("--population", type=int, default=_DEFAULT.population)
    p.add_argument("--generations", type=int, default=_DEFAULT.generations)
    p.add_argument(
        "--episodes",
        type=int,
        default=_DEFAULT.episodes,
        help="episodes per individual per generation",
    )
    p.add_argument("--seed", type=int, default=_DEFAULT.seed)
    p.add_argument(
        "--train", default=None, help="regime to evolve in (default: the world's default shift)"
    )
    p.add_argument(
        "--deploy", default=None, help="regime to deploy into (default: the world's default shift)"
    )
    p.add_argument(
        "--drift-episodes",
        type=int,
        default=64,
        help="episodes per individual per regime when measuring drift",
    )
    p.add_argument(
        "--set",
        nargs="+",
        action="extend",
        default=[],
        metavar="PARAM=VALUE",
        help="world parameters, e.g. --set gestation=10 brain_cost=0.01",
    )
    p.add_argument("--out", default="runs/contraception", help="output folder")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("report", help="print the drift table of a run folder, redraw figures")
    p.add_argument("dir", help="folder written by 'evomesa run'")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("bench", help="evolution-speed benchmarks")
    p.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    p.add_argument("--out", default="bench-out", help="folder for JSON, markdown and plot")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as err:
        print(f"evomesa: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
