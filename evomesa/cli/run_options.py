"""The ``run`` command's parser: the shared options (:mod:`evomesa.cli.options`) with those of
``run`` alone (replicates, where they run, the output folder, checkpoints and ``--resume``)
between them, and the registered worlds in its epilog."""

from __future__ import annotations

import argparse
import os
from typing import Any

from evomesa.cli.options import (
    HelpFormatter,
    add_evolution_options,
    add_quiet_option,
    add_shift_options,
    add_threshold_options,
)
from evomesa.cli.run import cmd_run
from evomesa.worlds import list_worlds, make_world


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


def _default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def add_run_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``run`` command to the subparsers ``sub`` and return its parser."""
    p = sub.add_parser(
        "run",
        help="evolve, shift the world, measure drift",
        formatter_class=HelpFormatter,
        epilog=_worlds_epilog(),
        description="Evolve each genome in the training regime, and a deploy-adapted "
        "reference in the deploy regime, over independent replicates; measure drift.",
    )
    p.add_argument("world", nargs="?", help="world name (see 'evomesa worlds')")
    add_evolution_options(p)
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
    add_shift_options(p)
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
    add_threshold_options(p)
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
    add_quiet_option(p)
    p.set_defaults(func=cmd_run)
    return p
