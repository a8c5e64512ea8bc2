"""The ``evomesa`` command line: ``worlds``, ``run``, ``sweep``, ``report`` and ``bench``.

One module per command (``worlds``, ``run`` with its parser in ``run_options``, ``sweep``,
``report``, ``bench``), the options ``run`` and ``sweep`` share in ``options``, and what a
run wraps around its work in ``resume`` and ``run_guard``. Here: the parser and :func:`main`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from evomesa.budget import (
    environment,  # checked in main, not on import: see evomesa.budget.environment
    memory_budget,
)
from evomesa.cli.bench import add_bench_parser
from evomesa.cli.report import add_report_parser
from evomesa.cli.run_options import add_run_parser
from evomesa.cli.sweep import add_sweep_parser
from evomesa.cli.worlds import add_worlds_parser
from evomesa.errors import ConfigError
from evomesa.evolve.checkpoint import CheckpointInterrupt


def _version() -> str:
    """The installed distribution's version (``evomesa.__version__`` is the same number, read
    from it by setup.cfg; the command line does not import the package's public face)."""
    try:
        return metadata.version("evomesa")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The whole command line's parser: each command's parser sets ``func``, the function
    that runs it."""
    parser = argparse.ArgumentParser(
        prog="evomesa", description="Evolve agents and measure how their drives drift."
    )
    parser.add_argument("--version", action="version", version=f"evomesa {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    add_worlds_parser(sub)
    add_run_parser(sub)
    add_sweep_parser(sub)
    add_report_parser(sub)
    add_bench_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    # what a command may need beyond its options: its own arguments as given, and the whole
    # parser (``run --resume`` parses the saved command line with it)
    args.argv, args.resuming, args.interrupt_hint, args.parser = argv[1:], False, None, parser
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
    except BrokenPipeError:
        # the reader stopped reading (``evomesa report DIR | head``): a normal end, not a
        # traceback. stdout goes to devnull so that the interpreter's last flush is quiet too;
        # the status is the one a shell gives a process ended by SIGPIPE (128 + 13)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
