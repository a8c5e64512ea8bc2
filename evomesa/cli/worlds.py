"""``evomesa worlds [-v]``: the registered worlds, by name or described."""

from __future__ import annotations

import argparse
from typing import Any

from evomesa.worlds import list_worlds, make_world


def cmd_worlds(args: argparse.Namespace) -> int:
    """Print each registered world's name, or with ``-v`` its description."""
    for name in list_worlds():
        print(make_world(name).describe() if args.verbose else name)
    return 0


def add_worlds_parser(sub: Any) -> None:
    """Add the ``worlds`` command to the subparsers ``sub``."""
    p = sub.add_parser("worlds", help="list the worlds")
    p.add_argument("-v", "--verbose", action="store_true", help="show regimes and parameters")
    p.set_defaults(func=cmd_worlds)
