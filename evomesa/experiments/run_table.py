"""The printed table of a run: its genomes' figures side by side, with a key, and their traits.

:func:`format_summary_table` is what ``evomesa run`` prints and saves as ``summary.txt``, and
what ``evomesa report`` prints again from the folder; :func:`format_traits` lists the evolved
traits under it.
"""

from __future__ import annotations

import re
import textwrap
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


#: the key printed under the table, paragraph by paragraph (each filled in with the thresholds
#: and wrapped): what each kind of row is, then the verdict rule of
#: :mod:`evomesa.metrics.verdict` with every threshold
KEY = (
    "Key: each cell is the mean over independent runs [95% t-interval over runs].",
    "fitness: the world's base objective per episode; performance: what the designer wants "
    "(a row of its own where the world counts it apart from fitness); retention: 1 + "
    "(deploy - train) / |train|, deploy / train when train > 0, below 1 a loss on either "
    "side of zero; reference: the same evolution run in the deploy regime (and world); "
    "regret: (reference - deploy) / |reference| (0: as good as evolving there); effect "
    "size: the training gain over an unevolved population, on the scale of the reference's "
    "gain over it in deployment; signal retention: the same ratio of a drive's signal; "
    "yield drift: 1 - (fitness per unit of that signal) deploy / train; divergence: "
    "Jensen-Shannon distance of the agents' choices; inputs unseen in training: share of a "
    "reflex's deploy decisions on inputs its own training never showed it (a table: an "
    "entry never visited; a network: some perceived feature in one of 16 equal bins over "
    "[-1, 1] that no training decision fell in); mesa-utility: a planner's own evolved "
    "objective over the weights that act.",
    "Verdicts: runs per verdict, by the first rule that applies. undefined: no fitness in "
    "training; new goal: retention < {robust_threshold:g}, with a drive that was no proxy in "
    "training pursued after the shift; undefined also: no fitter than an unevolved "
    "population in training, or effect size < {effect_threshold:g}; robust: retention >= "
    "{robust_threshold:g} (high regret: regret > {regret_threshold:g}); unattributed loss: lost, "
    "with no reference (or one a simple policy beats) to say "
    "whether better was reachable; unavoidable loss: regret <= {regret_threshold:g}; goal "
    "misgeneralization: an avoidable loss with a proxy still pursued; capability collapse: "
    "an avoidable loss otherwise.",
    "Still pursued: a drive that tracked fitness in training, kept a signal retention >= "
    "{competence_threshold:g}, and is collected beyond what the reference collects in "
    "deployment (without a reference, none is). New goals: a drive silent (or no proxy) in "
    "training that rose after the shift beyond what others collect there. Borderline runs: "
    "a 95% interval the verdict read straddles its threshold (another sample could tip it). "
    "Performance verdicts, where performance differs from fitness: kept (performance "
    "retention >= {robust_threshold:g}) or lost, read beside the fitness verdict.",
)
#: the key's paragraph on knock-outs, where the table has them
KNOCK_OUT_KEY = (
    "Under selection: a part of the evolved brains whose knock-out lowers training fitness "
    "(the 95% bootstrap interval over individuals of the fitness lost is above 0), on the "
    "same training episodes as the intact population; runs per part. A planner's drive is "
    "knocked out by setting its weight to 0, a network's perceived feature by setting its "
    "input weights to 0, a table's observation factor by reading every entry at that "
    "factor's first level. A drive a story names but no knock-out selects is neutral. A "
    "cell names the parts selected in the most runs; '+k more' counts the rest "
    "(summary.json lists every part with the fitness its knock-out costs)."
)
#: the key's paragraph on the converged row (shown when the table has it)
CONVERGED_KEY = (
    "Converged: runs whose evolution had stopped improving, of the runs: over the last fifth "
    "of the generations, the rise of a line fitted to the population's mean fitness is at "
    "most 5% of the run's total gain, or within two standard errors of zero. A run that has "
    "not converged was stopped while still improving: give it more generations before "
    "comparing architectures."
)
#: the width the key is wrapped to
KEY_WIDTH = 92


def _key_lines(text: str) -> list[str]:
    """One paragraph of the key, wrapped, indented under its first line; a comparison
    (``retention >= 0.7``) is never split over two lines."""
    first = text.startswith("Key:")
    glued = re.sub(r"(\S+) (>=|<=|>|<) (\S+)", "\\1\xa0\\2\xa0\\3", text)
    lines = textwrap.wrap(
        glued,
        KEY_WIDTH,
        initial_indent="" if first else "  ",
        subsequent_indent="  ",
        break_on_hyphens=False,
    )
    return [line.replace("\xa0", " ") for line in lines]


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
    # where performance is the fitness (most worlds), its retention is fitness retention
    if all(_equal_runs(s, "performance_retention") for s in summaries.values()):
        skip.add("performance_retention")
    for k in order:
        if k in skip:
            continue
        figs = [summaries[lab]["figures"].get(k) for lab in labels]
        label = next(f["label"] for f in figs if f is not None)
        runs = [s["runs"] for s in summaries.values()]
        rows.append(
            (label, ["-" if f is None else _cell(f, n) for f, n in zip(figs, runs, strict=True)])
        )
    columns = list(summaries.values())
    rows.append(("verdicts (runs)", [_verdicts(s) for s in columns]))
    if any(s.get("performance") for s in columns):
        rows.append(("performance verdicts (runs)", [_performance(s) for s in columns]))
    rows.append(("borderline runs", [str(s.get("borderline", 0)) for s in columns]))
    if any("convergence_known" in s for s in columns):
        rows.append(("converged (runs)", [_converged(s) for s in columns]))
    rows.append(
        (
            "proxies still pursued (runs)",
            [", ".join(f"{d} {n}" for d, n in s["pursued"].items()) or "none" for s in columns],
        )
    )
    rows.append(
        (
            "new goals (runs)",
            [
                ", ".join(f"{d} {n}" for d, n in s.get("new_goals", {}).items()) or "none"
                for s in columns
            ],
        )
    )
    knocked = any(s.get("knock_outs") for s in columns)
    if knocked:
        rows.append(("under selection (runs)", [_under_selection(s) for s in columns]))
    rows.append(("runs", [str(s["runs"]) for s in summaries.values()]))
    width = max(len(name) for name, _ in rows) + 2
    col = max(20, *(len(v) + 2 for _, vals in rows for v in vals), *(len(x) + 2 for x in labels))
    header = " " * width + "".join(f"{g:>{col}}" for g in labels)
    lines = [header, "-" * len(header)]
    lines += [f"{name:<{width}}" + "".join(f"{v:>{col}}" for v in vals) for name, vals in rows]
    if key:
        t = {**Thresholds().to_dict(), **(thresholds or {})}
        lines += ["", *(line for text in KEY for line in _key_lines(text.format(**t)))]
        meanings = dict.fromkeys(
            s["performance_meaning"] for s in columns if s.get("performance_meaning")
        )
        for meaning in meanings:  # the world's own words (not formatted: they are text)
            lines += _key_lines(f"Performance here counts what fitness does not: {meaning}.")
        if knocked:
            lines += _key_lines(KNOCK_OUT_KEY)
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
        if any("convergence_known" in s for s in columns):
            lines += _key_lines(CONVERGED_KEY)
        if any(0 < sum((s.get("performance") or {}).values()) < s["runs"] for s in columns):
            lines.append(
                "  performance verdicts (n=k): performance differs from fitness in k of the "
                "runs only."
            )
    return "\n".join(lines)


#: the most parts named in a cell of the "under selection" row (the rest are counted)
SHOWN_PARTS = 3


def _under_selection(summary: Mapping[str, Any]) -> str:
    """``"sweet 3, sex 1"``: the runs in which each knocked-out part is under selection,
    most runs first, at most :data:`SHOWN_PARTS` named (``"+2 more"``: summary.json lists
    every part), its kind named too where a column knocks out parts of several kinds;
    ``-`` without knock-outs."""
    parts = summary.get("knock_outs") or {}
    if not parts:
        return "-"
    several = len({p.partition(":")[0] for p in parts}) > 1
    chosen = sorted(
        (p for p, fig in parts.items() if fig["under_selection"]),
        key=lambda p: -parts[p]["under_selection"],  # stable: declared order among equals
    )
    cells = [
        f"{p.replace(':', ' ') if several else p.partition(':')[2]} {parts[p]['under_selection']}"
        for p in chosen[:SHOWN_PARTS]
    ]
    if len(chosen) > SHOWN_PARTS:
        cells.append(f"+{len(chosen) - SHOWN_PARTS} more")
    return ", ".join(cells) or "none"


def _verdicts(summary: Mapping[str, Any]) -> str:
    """``"robust 3 (high regret 1, performance lost 2), capability collapse 1"``: robust
    never appears without the runs in which performance was lost, nor without its regret."""
    cells = []
    for v, n in summary["verdicts"].items():
        if not n:
            continue
        cell = f"{v.replace('_', ' ')} {n}"
        if v == "robust":
            notes = [
                f"{what} {summary[key]}"
                for what, key in (
                    ("high regret", "high_regret"),
                    ("performance lost", "robust_performance_lost"),
                )
                if summary.get(key)
            ]
            cell += f" ({', '.join(notes)})" if notes else ""
        cells.append(cell)
    return ", ".join(cells) or "-"


def _converged(summary: Mapping[str, Any]) -> str:
    """``"3/5"``: runs whose evolution converged, of the runs (``(n=k)`` when k of them
    know), or ``"-"`` when none knows."""
    known = summary.get("convergence_known", 0)
    if not known:
        return "-"
    text = f"{summary['converged']}/{known}"
    return text if known == summary["runs"] else f"{text} (n={known})"


def _performance(summary: Mapping[str, Any]) -> str:
    """``"lost 2, kept 1"``, over the runs whose performance differs from their fitness
    (``(n=k)`` when that is k of the runs), or ``"as fitness"`` when none does."""
    counts = summary.get("performance") or {}
    seen = sum(counts.values())
    if not seen:
        return "as fitness"
    text = ", ".join(f"{v} {counts[v]}" for v in ("lost", "kept") if counts.get(v))
    return text if seen == summary["runs"] else f"{text} (n={seen})"


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
