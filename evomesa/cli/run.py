"""``evomesa run``: evolve, shift the world, measure drift and save the run folder; or
``run --resume DIR``. Its parser is :mod:`evomesa.cli.run_options`."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

import evomesa.cli.resume as resume
import evomesa.cli.run_guard as run_guard
from evomesa.cli.options import chosen_genomes, evolution_config, parse_set, train_spec
from evomesa.errors import ConfigError, check_int
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
from evomesa.experiments.run_io import save_experiment
from evomesa.experiments.run_table import experiment_table, format_traits
from evomesa.files.destination import check_run_folder
from evomesa.files.leftovers import clean_beside
from evomesa.worlds import make_world


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
    world = make_world(args.world, **parse_set(args.set))
    deploy_world = None
    if args.deploy_set:
        deploy_world = make_world(
            args.world, **{**world.params, **parse_set(args.deploy_set, "--deploy-set")}
        )
    target = deploy_world or world
    train = train_spec(args, world)
    deploy = (
        target.default_shift[1]
        if args.deploy is None
        else target.check_regime(args.deploy, "--deploy")
    )
    check_int("--drift-episodes", args.drift_episodes, 1, 10_000_000)
    check_int("--replicates", args.replicates, 1, 100_000)
    check_int("--workers", args.workers, 1, 1024)
    config = evolution_config(args, train).for_world(world)
    if args.out is None:
        args.out = default_out(world, config, deploy, deploy_world)
    with run_guard.warnings_as_lines():  # what killed runs left beside it, before the check
        clean_beside(args.out)
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
            genomes=chosen_genomes(args.genome, world),
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
            effect_threshold=args.effect_threshold,
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

    The saved command line is parsed by the whole command line's parser, ``args.parser``
    (set by :func:`evomesa.cli.main`), so its errors read as the command line's own.
    """
    path = resume.checkpoint_folder(args.resume, "--resume") / resume.ARGS
    defaults = args.parser.parse_args(["run"])
    for key, default in vars(defaults).items():
        if key not in ("resume", "force") and getattr(args, key, default) != default:
            name = "WORLD" if key == "world" else "--" + key.replace("_", "-")
            raise ConfigError(
                "--resume takes no other arguments than --force (the run's own are reused); "
                f"got {name}"
            )
    argv = resume.saved_argv(args.resume)
    again = run_guard.parse_saved(args.parser, argv, path)
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
