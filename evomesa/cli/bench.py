"""``evomesa bench [--quick] [--out DIR]``: the evolution-speed benchmarks
(:mod:`evomesa.bench`)."""

from __future__ import annotations

import argparse
from typing import Any

from evomesa.bench.run import run_benchmarks


def cmd_bench(args: argparse.Namespace) -> int:
    """Run every benchmark once into ``--out``."""
    run_benchmarks(quick=args.quick, out=args.out)
    return 0


def add_bench_parser(sub: Any) -> None:
    """Add the ``bench`` command to the subparsers ``sub``."""
    p = sub.add_parser("bench", help="evolution-speed benchmarks")
    p.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    p.add_argument("--out", default="bench-out", help="folder for JSON, markdown and plot")
    p.set_defaults(func=cmd_bench)
