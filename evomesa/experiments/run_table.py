"""The printed table of a run: its genomes' figures side by side, with a key, and their traits.

:func:`format_summary_table` is what ``evomesa run`` prints and saves as ``summary.txt``, and
what ``evomesa report`` prints again from the folder; :func:`format_traits` lists the evolved
traits under it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evomesa.experiments.experiment import Experiment
from evomesa.metrics.thresholds import Thresholds


def _fmt(x: float) -> str:
    return f"{round(x, 2) + 0.0:.2f}"  # + 0.0 turns a rounded -0.0 into 0.0


def _cell(fig: Mapping[str, Any], runs: int) -> str:
    text = (
        _fmt(fig["mean"])
        if fig["low"] == fig["high"]
        else f"{_fmt(fig['mean'])} [{_fmt(fig['low'])}, {_fmt(fig['high'])}]"
    )
    n = fig.get("n", runs)
    return text if n == runs else f"{text} (n={n})"


#: the key printed under the table: one line per kind of row
KEY = (
    "Key: each cell is the mean over independent runs [95% t-interval over runs].",
    "  fitness: the world's base objective per episode; retention: deploy / train;",
    "  reference: the same evolution run in the deploy regime (and world) itself;",
    "  regret: 1 - deploy fitness / reference's (0: as good as evolving there);",
    "  signal retention: deploy / train of a drive's signal; yield drift: 1 - (fitness per",
    "  unit of that signal) deploy / train; divergence: Jensen-Shannon distance of the",
    "  agents' choices; unseen entries: share of a reflex's deploy decisions on table",
    "  entries its training never visited; mesa-utility: a planner's own evolved objective",
    "  over the weights that act; verdicts: runs per verdict (robust: retention >=",
    "  {robust_threshold:g}; unavoidable loss: regret <= {regret_threshold:g}); still pursued: "
    "runs in which",
    "  the drive tracked fitness in training, kept >= {competence_threshold:.0%} of its "
    "signal, and",
    "  exceeds what an unevolved population of the same kind collects in deployment.",
)


def format_summary_table(
    summaries: Mapping[str, Mapping[str, Any]],
    drives: Sequence[str],
    key: bool = True,
    aligned: Sequence[str] = (),
    thresholds: Mapping[str, float] | None = None,
) -> str:
    """A text table of the run summaries side by side (one column per label).

    The rows of an ``aligned`` drive whose signal retention equals fitness retention in every
    run (an ``offspring`` signal that is fitness itself) are left out, said so in the key; a
    figure none of the columns has is not shown. ``thresholds`` (the verdict's) fill in the
    key.
    """
    labels = list(summaries)
    order: list[str] = []
    for s in summaries.values():
        for k in s["figures"]:
            if k not in order and k != "competence":  # competence repeats a signal row
                order.append(k)
    rows: list[tuple[str, list[str]]] = []
    same_as_fitness = [
        d
        for d in aligned
        if all(_equal_runs(s, f"{d}.signal_retention") for s in summaries.values())
    ]
    # such a drive's signal is fitness itself: its yield (fitness per unit of fitness) is 1
    # by definition and its drift 0, so neither row says anything the fitness rows do not
    skip = {f"{d}.{what}" for d in same_as_fitness for what in ("signal_retention", "yield_drift")}
    for k in order:
        if k in skip:
            continue
        figs = [summaries[lab]["figures"].get(k) for lab in labels]
        label = next(f["label"] for f in figs if f is not None)
        runs = [s["runs"] for s in summaries.values()]
        rows.append(
            (label, ["-" if f is None else _cell(f, n) for f, n in zip(figs, runs, strict=True)])
        )
    rows.append(
        (
            "verdicts (runs)",
            [
                ", ".join(f"{v.replace('_', ' ')} {n}" for v, n in s["verdicts"].items() if n)
                or "-"
                for s in summaries.values()
            ],
        )
    )
    rows.append(
        (
            "proxies still pursued (runs)",
            [
                ", ".join(f"{d} {n}" for d, n in s["pursued"].items()) or "none"
                for s in summaries.values()
            ],
        )
    )
    rows.append(("runs", [str(s["runs"]) for s in summaries.values()]))
    width = max(len(name) for name, _ in rows) + 2
    col = max(20, *(len(v) + 2 for _, vals in rows for v in vals), *(len(x) + 2 for x in labels))
    header = " " * width + "".join(f"{g:>{col}}" for g in labels)
    lines = [header, "-" * len(header)]
    lines += [f"{name:<{width}}" + "".join(f"{v:>{col}}" for v in vals) for name, vals in rows]
    if key:
        t = {**Thresholds().to_dict(), **(thresholds or {})}
        lines += ["", *(line.format(**t) for line in KEY)]
        if same_as_fitness:
            lines.append(
                f"  Not shown: {', '.join(same_as_fitness)} (its signal is fitness itself: "
                "the fitness rows say it)."
            )
        if any(
            s["runs"] != fig.get("n", s["runs"])
            for s in summaries.values()
            for fig in s["figures"].values()
        ):
            lines.append("  (n=k): the figure exists in k of the runs only.")
    return "\n".join(lines)


def experiment_table(exp: Experiment, summary: Mapping[str, Any] | None = None) -> str:
    """:func:`format_summary_table` of an experiment, with its world's aligned drives and its
    verdict thresholds."""
    summary = exp.summary() if summary is None else summary
    return format_summary_table(
        {g: summary[g] for g in exp.genomes},
        exp.world.drives,
        aligned=exp.world.aligned_drives,
        thresholds=exp.thresholds,
    )


def _equal_runs(summary: Mapping[str, Any], key: str) -> bool:
    """Whether figure ``key`` equals fitness retention in every run of ``summary``."""
    fig, fit = summary["figures"].get(key), summary["figures"].get("fitness_retention")
    if fig is None or fit is None or len(fig["runs"]) != len(fit["runs"]):
        return False
    return bool(np.allclose(fig["runs"], fit["runs"], rtol=1e-12, atol=1e-12))


def format_traits(summaries: Mapping[str, Mapping[str, Any]]) -> str:
    """The evolved traits of each genome: median [interquartile range] over individuals."""
    lines = ["Evolved traits (median [interquartile range], all runs' final populations):"]
    for label, s in summaries.items():
        traits = s.get("traits", {})
        for what, pick in (
            ("traits", lambda name: not name.startswith("does:")),
            ("share of training decisions", lambda name: name.startswith("does:")),
        ):
            cells = [
                f"{name.removeprefix('does:')} {_fmt(t['median'])} "
                f"[{_fmt(t['q25'])}, {_fmt(t['q75'])}]"
                for name, t in traits.items()
                if pick(name)
            ]
            if cells:
                lines.append(f"  {label}, {what}: " + "; ".join(cells))
    return "\n".join(lines)
