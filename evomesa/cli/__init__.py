"""The ``evomesa`` command line: ``worlds``, ``run``, ``sweep``, ``report`` and ``bench``."""

from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager

from evomesa.bench import run_benchmarks
from evomesa.cli import resume, run_guard
from evomesa.cli.sweep import add_island_options, add_sweep_parser, island_options
from evomesa.errors import ConfigError, check_int, printable
from evomesa.evolve import EvolutionConfig
from evomesa.evolve.checkpoint import CheckpointInterrupt
from evomesa.evolve.mixture import parse_regime_spec
from evomesa.executors import (
    dask_client,
    interrupt_pool,
    process_pool,
    terminate_like_interrupt,
)
from evomesa.executors.addresses import check_scheduler_address
from evomesa.experiments.experiment import run_experiment
from evomesa.experiments.progress import Progress
from evomesa.experiments.run_identity import default_out, describe_run, identity
from evomesa.experiments.run_io import load_experiment, save_experiment
from evomesa.experiments.run_table import experiment_table, format_summary_table, format_traits
from evomesa.files.destination import check_run_folder
from evomesa.genomes import GENOMES
from evomesa.worlds import list_worlds, make_world

_DEFAULT = EvolutionConfig()  # the CLI's defaults are the library's


#: longest ``--set`` value read as a Python literal (deeper nesting is never a parameter)
_MAX_SET_VALUE = 200


def _parse_set(items: Sequence[str], option: str = "--set") -> dict:
    """``["gestation=10", "brain_cost=0.01"]`` -> ``{"gestation": 10, "brain_cost": 0.01}``.

    Each parameter may be given once (a second value would silently hide the first from
    validation); values are Python literals of at most 200 characters, or text.
    """
    params = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key:
            raise ConfigError(f"{option} must be given as param=value; got {item!r}")
        if key in params:
            raise ConfigError(
                f"{option} must give each parameter once; got {key} twice "
                f"({params[key]!r} and {raw!r})"
            )
        if len(raw) > _MAX_SET_VALUE:
            raise ConfigError(
                f"{option} {key} must be a value of at most {_MAX_SET_VALUE} characters; got "
                f"{len(raw)} ({raw[:20]!r}...)"
            )
        try:
            params[key] = ast.literal_eval(raw)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            params[key] = raw  # left as text, so validation names it
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
    """``run``: evolve, measure, save the run folder; or ``run --resume DIR``.

    Everything that can be checked is checked before any evolution (flags, --out, the
    checkpoint folder). A full disk, a file-size limit or no memory while writing is one
    line (status 2) saying what happened and where the finished part is kept.
    """
    if args.resume is not None:
        return _resume(args)
    if args.world is None:
        raise ConfigError("run needs a WORLD (see 'evomesa worlds'), or --resume DIR")
    start = time.perf_counter()
    # Validate every flag before evolving, so a typo costs nothing and loses nothing.
    world = make_world(args.world, **_parse_set(args.set))
    deploy_world = None
    if args.deploy_set:
        deploy_world = make_world(
            args.world, **{**world.params, **_parse_set(args.deploy_set, "--deploy-set")}
        )
    target = deploy_world or world
    train = None if args.train is None else parse_regime_spec(args.train, "--train")
    for name in [] if train is None else [train] if isinstance(train, str) else list(train):
        world.check_regime(name, "--train")
    deploy = (
        target.default_shift[1]
        if args.deploy is None
        else target.check_regime(args.deploy, "--deploy")
    )
    check_int("--drift-episodes", args.drift_episodes, 1, 10_000_000)
    check_int("--replicates", args.replicates, 1, 100_000)
    check_int("--workers", args.workers, 1, 1024)
    config = EvolutionConfig(
        population=args.population,
        generations=args.generations,
        episodes=args.episodes,
        regime=train,
        seed=args.seed,
        **island_options(args),
    ).for_world(world)
    if args.out is None:
        args.out = default_out(world, config, deploy, deploy_world)
    with run_guard.warnings_as_lines():  # what killed runs left beside it, before the check
        run_guard.clean_beside(args.out)
    out = check_run_folder(args.out, force=args.force)  # before hours of evolution, not after
    check_int("--checkpoint-every", args.checkpoint_every, 0, 10_000_000)
    checkpoint = None
    if args.checkpoint_every:
        named = any(a == "--out" or a.startswith("--out=") for a in args.argv)
        argv = [*args.argv, *([] if named else ["--out", str(out)])]
        checkpoint = resume.checkpoint_folder(out)
        if args.resuming:
            resume.check_folder(out)  # probed like --out, before any evolution
        else:
            resume.start(out, argv)
        args.interrupt_hint = f"resume with: evomesa run --resume {out}"
    reporter = Progress(enabled=not args.quiet)
    with run_guard.guard("evolving", checkpoint, out), _run_executor(args) as pool:
        exp = run_experiment(
            world,
            config,
            genomes=_genomes(args.genome),
            deploy=deploy,
            episodes=args.drift_episodes,
            replicates=args.replicates,
            deploy_world=deploy_world,
            reference=not args.no_reference,
            executor=pool,
            reporter=reporter,
            robust_threshold=args.robust_threshold,
            competence_threshold=args.competence_threshold,
            regret_threshold=args.regret_threshold,
            checkpoint=checkpoint,
            checkpoint_every=max(1, args.checkpoint_every),
        )
    summary = exp.summary()
    reporter.done(f"{args.replicates} replicate(s) x {len(exp.genomes)} genome(s) evolved")
    reporter.close()
    print(f"\n{describe_run(identity(exp))}\n")
    print(experiment_table(exp, summary))
    print()
    print(format_traits(summary))
    # a full disk or a file-size limit: one line naming the kept folder (run_guard)
    with run_guard.guard("saving the run", checkpoint, out), run_guard.warnings_as_lines():
        out = save_experiment(exp, out, force=args.force, summary=summary)
    if checkpoint is not None:
        resume.finish(out)
    failed = out / "figures_failed.txt"
    what = (
        f"results, drift JSON and summary written to {out}/; figures NOT drawn (see {failed.name})"
        if failed.exists()
        else f"results, drift JSON, summary and figures written to {out}/"
    )
    print(f"\n{what} ({time.perf_counter() - start:.1f} s)")
    return 0


@contextmanager
def _run_executor(args: argparse.Namespace) -> Iterator[Executor | None]:
    """Where ``run`` evolves: a Dask cluster (``--scheduler``), a process pool
    (``--workers`` > 1) or this process (None).

    Within, SIGTERM stops the run as Ctrl-C does. On any interruption the pool's workers are
    interrupted too (each writes its checkpoint, none starts another task) before the pool
    is shut down, so no worker outlives the run (they also exit on their own if this
    process dies without a word, see :func:`evomesa.executors.process_pool`).
    """
    if args.scheduler is not None:
        check_scheduler_address(args.scheduler, "--scheduler")  # before any connection
        with terminate_like_interrupt(), dask_client(scheduler=args.scheduler) as client:
            yield client.get_executor(pure=False)
        return
    with terminate_like_interrupt():
        pool = process_pool(args.workers) if args.workers > 1 else None
        try:
            yield pool
        except KeyboardInterrupt:
            if pool is not None:
                interrupt_pool(pool)
            raise
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)


def _resume(args: argparse.Namespace) -> int:
    """``run --resume DIR [--force]``: run the command line saved in ``DIR.checkpoint``
    again, from its checkpoints, writing into ``DIR``.

    The output folder is ``DIR``, as given here: a saved ``--out`` that names another folder
    is refused (ConfigError naming ``args.json`` and its field). A ``--force`` in the saved
    command line is ignored; ``--force`` given with ``--resume`` itself lets the resumed run
    replace a finished run in ``DIR``. No other option may be given.
    """
    path = resume.checkpoint_folder(args.resume, "--resume") / resume.ARGS
    defaults = build_parser().parse_args(["run"])
    for key, default in vars(defaults).items():
        if key not in ("resume", "force") and getattr(args, key, default) != default:
            name = "WORLD" if key == "world" else "--" + key.replace("_", "-")
            raise ConfigError(
                "--resume takes no other arguments than --force (the run's own are reused); "
                f"got {name}"
            )
    argv = resume.saved_argv(args.resume)
    again = run_guard.parse_saved(build_parser(), argv, path)
    resume.check_saved_out(again.out, args.resume)
    if not isinstance(again.checkpoint_every, int) or again.checkpoint_every < 1:
        raise ConfigError(
            f"--resume: {path} field 'argv' must keep --checkpoint-every of at least 1; got "
            f"{again.checkpoint_every!r}"
        )
    again.out, again.force = args.resume, args.force  # never the file's
    again.argv, again.resuming, again.interrupt_hint = argv, True, None
    args.interrupt_hint = f"resume with: evomesa run --resume {args.resume}"
    return again.func(again)


def cmd_report(args: argparse.Namespace) -> int:
    """Print the table of one or more run folders, each checked whole first
    (:func:`load_experiment`); every text that came from a file or a folder name goes through
    :func:`~evomesa.errors.printable`, so no file can send the terminal a control
    sequence."""
    try:
        saved = [load_experiment(d) for d in args.dir]
    except ConfigError as err:  # it may quote a folder name or a field of a file: escaped
        raise ConfigError(printable(err, 2000)) from None
    names = [printable(run.folder.name) for run in saved]
    # folders with the same last name (a/run, b/run) are told apart by their whole path
    labels = [
        printable(run.folder) if names.count(n) > 1 else n
        for run, n in zip(saved, names, strict=True)
    ]
    columns = {}
    for run, name in zip(saved, labels, strict=True):
        print(f"{printable(run.folder, 400)}: {printable(describe_run(run.identity), 2000)}")
        for genome, summary in run.summary.items():
            label = printable(genome) if len(saved) == 1 else f"{name}: {printable(genome)}"
            columns[label] = _printable_summary(summary)
    world = saved[0].world
    print()
    print(
        format_summary_table(
            columns,
            tuple(printable(d) for d in world.drives),
            aligned=tuple(printable(d) for d in world.aligned_drives),
            thresholds=saved[0].identity.get("thresholds"),
        )
    )
    print()
    print(format_traits(columns))
    return 0


def _printable_summary(summary: dict) -> dict:
    """A genome's summary with every name that is printed (figure labels, verdicts, drives,
    traits) escaped; numbers are left as they are (checked finite by the reader)."""
    return {
        **summary,
        "figures": {
            k: {**fig, "label": printable(fig["label"])} for k, fig in summary["figures"].items()
        },
        "verdicts": {printable(v): n for v, n in summary["verdicts"].items()},
        "pursued": {printable(d): n for d, n in summary["pursued"].items()},
        "traits": {printable(t): q for t, q in summary.get("traits", {}).items()},
    }


def cmd_bench(args: argparse.Namespace) -> int:
    run_benchmarks(quick=args.quick, out=args.out)
    return 0


def _worlds_epilog() -> str:
    """The registered worlds with their regimes and default shift, for ``run --help``."""
    lines = ["worlds and their regimes (the default shift is train -> deploy):"]
    for name in list_worlds():
        w = make_world(name)
        lines.append(
            f"  {name}: {', '.join(w.regimes)} (default {w.default_shift[0]} -> "
            f"{w.default_shift[1]})"
        )
    return "\n".join(lines)


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's default in its help (unless the help already says it, or there is none
    to show), and the epilog's lines kept as written."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        # identity, not ==: a default of 0 is worth showing, though 0 == False
        shown = not (
            default is None or default is False or default == [] or default is argparse.SUPPRESS
        )
        if shown and "default" not in text and action.option_strings:
            text += " (default: %(default)s)"
        return text


def _default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evomesa", description="Evolve agents and measure how their drives drift."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("worlds", help="list the worlds")
    p.add_argument("-v", "--verbose", action="store_true", help="show regimes and parameters")
    p.set_defaults(func=cmd_worlds)

    p = sub.add_parser(
        "run",
        help="evolve, shift the world, measure drift",
        formatter_class=_HelpFormatter,
        epilog=_worlds_epilog(),
        description="Evolve each genome in the training regime, and a deploy-adapted "
        "reference in the deploy regime, over independent replicates; measure drift.",
    )
    p.add_argument("world", nargs="?", help="world name (see 'evomesa worlds')")
    p.add_argument(
        "--genome",
        nargs="+",
        default=["reflex", "planner"],
        choices=["reflex", "planner", "hybrid", "all"],
        help="architectures to evolve",
    )
    p.add_argument("--population", type=int, default=_DEFAULT.population, help="individuals")
    p.add_argument(
        "--generations", type=int, default=_DEFAULT.generations, help="generations of selection"
    )
    p.add_argument(
        "--episodes",
        type=int,
        default=_DEFAULT.episodes,
        help="episodes per individual per generation",
    )
    p.add_argument("--seed", type=int, default=_DEFAULT.seed, help="the one seed of the run")
    add_island_options(p)
    p.add_argument(
        "--replicates",
        type=int,
        default=5,
        help="independently seeded evolutions per genome (intervals are over these runs)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=_default_workers(),
        help="processes running replicates side by side (1: in this process)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run replicates on the Dask cluster of this scheduler, e.g. tcp://10.0.0.5:8786 "
        "(instead of --workers processes)",
    )
    p.add_argument(
        "--train",
        default=None,
        metavar="SPEC",
        help="regime to evolve in, or a mixture such as ancestral=0.97,modern=0.03 "
        "(default: the world's default shift)",
    )
    p.add_argument(
        "--deploy",
        default=None,
        metavar="REGIME",
        help="regime to deploy into (default: the world's default shift)",
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
    p.add_argument(
        "--deploy-set",
        nargs="+",
        action="extend",
        default=[],
        metavar="PARAM=VALUE",
        help="deploy into another world of the same kind with these parameters changed, "
        "e.g. --deploy-set p_conceive=0",
    )
    p.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the deploy-adapted reference (halves the time; no regret, and no "
        "unavoidable-loss verdict)",
    )
    p.add_argument(
        "--out",
        default=None,
        help="output folder (default: runs/ and a name made of the world, the parameters "
        "and regimes that differ from the defaults, and the seed)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the output folder if it holds a run that evomesa wrote, complete and "
        "with nothing added (nothing else is ever deleted); with --resume, replace a run in "
        "DIR (a --force saved in DIR.checkpoint never counts)",
    )
    for name, default, what in (
        ("robust", 0.7, "fitness retention at or above which a run is robust"),
        ("competence", 0.6, "signal retention at or above which a proxy is still pursued"),
        ("regret", 0.3, "regret at or below which a loss is unavoidable"),
    ):
        p.add_argument(f"--{name}-threshold", type=float, default=default, help=what)
    p.add_argument(
        "--checkpoint-every",
        type=int,
        default=0,
        metavar="K",
        help="checkpoint every evolution each K generations into OUT.checkpoint, so that "
        "a killed or interrupted run can be resumed (0: no checkpoints)",
    )
    p.add_argument(
        "--resume",
        default=None,
        metavar="DIR",
        help="resume the checkpointed run whose --out was DIR, with the arguments saved in "
        "DIR.checkpoint/args.json; it writes into DIR (a saved --out naming another folder "
        "is refused), and only --force may be added",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_run)

    add_sweep_parser(sub, run_parser=p, formatter=_HelpFormatter)

    p = sub.add_parser("report", help="print the tables of one or more run folders side by side")
    p.add_argument("dir", nargs="+", help="folders written by 'evomesa run'")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("bench", help="evolution-speed benchmarks")
    p.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    p.add_argument("--out", default="bench-out", help="folder for JSON, markdown and plot")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv, args.resuming, args.interrupt_hint = argv[1:], False, None
    from evomesa.budget import (
        environment,  # checked here, not on import: see evomesa.budget.environment
        memory_budget,
    )

    try:
        environment.check(
            warn=lambda message: print(f"evomesa: warning: {message}", file=sys.stderr)
        )
        memory_budget()  # EVOMESA_MEMORY_BUDGET refused at start-up, before any work
        return args.func(args)
    except ConfigError as err:
        print(f"evomesa: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        # one line, no traceback; with checkpoints, where they are and how to go on
        if getattr(args, "interrupt_line", None):
            print(args.interrupt_line, file=sys.stderr)
        elif args.interrupt_hint is None:
            print("evomesa: interrupted (nothing saved)", file=sys.stderr)
        else:
            where = f" at generation {err.gen}" if isinstance(err, CheckpointInterrupt) else ""
            print(
                f"evomesa: interrupted; checkpoint saved{where}; {args.interrupt_hint}",
                file=sys.stderr,
            )
        return 130


if __name__ == "__main__":
    sys.exit(main())
