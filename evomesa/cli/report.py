"""``evomesa report DIR [DIR ...]``: the tables of one or more run folders side by side."""

from __future__ import annotations

import argparse
from typing import Any

from evomesa.errors import ConfigError, printable
from evomesa.experiments.run_identity import describe_run
from evomesa.experiments.run_io import load_experiment
from evomesa.experiments.run_table import format_summary_table, format_traits


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
    performance verdicts, new goals, the world's words for performance, traits) escaped;
    numbers are left as they are (checked finite by the reader)."""
    return {
        **summary,
        "figures": {
            k: {**fig, "label": printable(fig["label"])} for k, fig in summary["figures"].items()
        },
        "verdicts": {printable(v): n for v, n in summary["verdicts"].items()},
        "pursued": {printable(d): n for d, n in summary["pursued"].items()},
        "performance": {printable(v): n for v, n in summary["performance"].items()},
        "new_goals": {printable(d): n for d, n in summary["new_goals"].items()},
        "performance_meaning": (
            None
            if summary["performance_meaning"] is None
            else printable(summary["performance_meaning"], 400)
        ),
        "traits": {printable(t): q for t, q in summary.get("traits", {}).items()},
    }


def add_report_parser(sub: Any) -> None:
    """Add the ``report`` command to the subparsers ``sub``."""
    p = sub.add_parser("report", help="print the tables of one or more run folders side by side")
    p.add_argument("dir", nargs="+", help="folders written by 'evomesa run'")
    p.set_defaults(func=cmd_report)
