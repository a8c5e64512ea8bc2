"""Summaries over independent replicates: the unit of inference is the run.

Each replicate is a whole evolution from its own seed, measured on its own episodes. The
individuals of one run descend from a few ancestors and are nearly clones, so an interval over
them says how precisely *that run* was measured, not how evolution behaves; the figures here
are means over runs with Student t intervals (:func:`interval_over_runs`),
and verdicts are counted per run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from evomesa.errors import ConfigError, check_float
from evomesa.metrics.knockouts import under_selection
from evomesa.metrics.report import DriftReport
from evomesa.metrics.report_fields import PERFORMANCE_VERDICTS, VERDICTS

#: the figures of a report summarised over runs, by key: (label, how to read it off a report).
#: A figure some reports lack (regret without a reference, mesa-utility of a hybrid run
#: without planners) is summarised over the runs that have it, with their number ``n``.
#: Retention and regret are the signed ones of :mod:`evomesa.metrics.verdict` (defined for
#: either sign of fitness); performance retention is every run's, also where performance is
#: the fitness (then it equals fitness retention, and the table leaves its row out).
FIGURES: dict[str, tuple[str, Callable[[DriftReport], float | None]]] = {
    "fitness_train": ("fitness in training", lambda r: r.fitness_train),
    "fitness_deploy": ("fitness in deployment", lambda r: r.fitness_deploy),
    "fitness_retention": (
        "fitness retention (deploy / train, signed)",
        lambda r: r.fitness_retention,
    ),
    "performance_retention": (
        "performance retention (deploy / train, signed)",
        lambda r: r.performance_retention,
    ),
    "reference_fitness": ("reference's fitness in deployment", lambda r: r.reference_fitness),
    "regret": ("regret ((reference - deploy) / |reference|)", lambda r: r.regret),
    "effect_size": (
        "effect size (training gain on the scale of the reference's)",
        lambda r: r.effect_size,
    ),
    "behavioural_divergence": (
        "behavioural divergence (JS distance of choices)",
        lambda r: r.behavioural_divergence,
    ),
    "novel_decision_share": (
        "reflex decisions on inputs unseen in training",
        lambda r: r.novel_decision_share,
    ),
    "utility_retention": (
        "mesa-utility retention (acting weights)",
        lambda r: None if r.mesa_utility is None else r.mesa_utility["utility_retention"],
    ),
    "competence": ("competence (best proxy's signal retention)", lambda r: r.competence),
}


def drive_figures(drives: Sequence[str]) -> dict[str, tuple[str, Callable]]:
    """Per-drive figures: signal retention and yield drift of each drive."""
    out: dict[str, tuple[str, Callable]] = {}
    for d in drives:
        out[f"{d}.signal_retention"] = (
            f"{d}: signal retention",
            lambda r, d=d: r.drives[d].signal_retention,
        )
        out[f"{d}.yield_drift"] = (f"{d}: yield drift", lambda r, d=d: r.drives[d].yield_drift)
    return out


def reading_counts(reports: Sequence[DriftReport]) -> dict[str, Any]:
    """What the runs' readings say beside their verdicts, counted over runs.

    Returns
    -------
    dict
        ``borderline``: runs whose verdict is borderline (:attr:`DriftReport.borderline`);
        ``high_regret``: robust runs flagged ``verdict:high_regret``;
        ``robust_performance_lost``: robust runs whose performance was lost;
        ``performance``: performance verdict -> runs (``kept`` and ``lost``, zeros included),
        over the runs whose performance differs from their fitness, empty when none does;
        ``new_goals``: drive -> runs in which it is a new goal (drive order, none at zero);
        ``performance_meaning``: the world's words for what performance counts that fitness
        does not, from the reports (distinct ones joined by ``"; "``), None when none has them;
        where any report knows whether its evolution converged
        (:mod:`evomesa.metrics.convergence`), ``converged``: runs that converged, and
        ``convergence_known``: runs that know (absent otherwise, as in summaries written
        before reports carried it).
    """
    drives = tuple(reports[0].drives) if reports else ()
    robust = [r for r in reports if r.verdict == "robust"]
    performance = Counter(r.performance_verdict for r in reports if r.performance_verdict)
    goals = Counter(d for r in reports for d in r.new_goals)
    meanings = dict.fromkeys(r.performance_meaning for r in reports if r.performance_meaning)
    known = [r.converged for r in reports if r.converged is not None]
    convergence = {"converged": sum(known), "convergence_known": len(known)} if known else {}
    return {
        "borderline": sum(1 for r in reports if r.borderline),
        "high_regret": sum(1 for r in robust if "verdict:high_regret" in r.flags),
        "robust_performance_lost": sum(1 for r in robust if r.performance_verdict == "lost"),
        "performance": ({v: performance[v] for v in PERFORMANCE_VERDICTS} if performance else {}),
        "new_goals": {d: goals[d] for d in drives if goals[d]},
        "performance_meaning": "; ".join(meanings) or None,
        **convergence,
    }


def summarize_reports(reports: Sequence[DriftReport]) -> dict[str, Any]:
    """Means with 95 % t intervals over runs, and verdict counts, of one genome's reports.

    Returns
    -------
    dict
        ``runs`` (int); ``figures``: key -> ``{"label", "mean", "low", "high", "n", "runs"}``
        (the values of the ``n`` runs that have the figure, listed); ``verdicts``: verdict
        -> count (every verdict, zeros included); ``pursued``: drive -> number of runs that
        still pursue it; and the counts of :func:`reading_counts` (borderline runs, robust
        runs with a high regret or a lost performance, performance verdicts, new goals, and
        the world's words for its performance); where some report has knock-outs,
        ``knock_outs``: :func:`knock_out_summary`.
    """
    if not reports:
        return {
            "runs": 0,
            "figures": {},
            "verdicts": dict.fromkeys(VERDICTS, 0),
            "pursued": {},
            **reading_counts(()),
        }
    figures = {**FIGURES, **drive_figures(tuple(reports[0].drives))}
    out: dict[str, Any] = {}
    for key, (label, read) in figures.items():
        values = [float(v) for v in (read(r) for r in reports) if v is not None]
        if not values:
            continue
        mean, low, high = interval_over_runs(values)
        out[key] = {
            "label": label,
            "mean": mean,
            "low": low,
            "high": high,
            "n": len(values),
            "runs": values,
        }
    verdicts = dict.fromkeys(VERDICTS, 0)
    verdicts.update(Counter(r.verdict for r in reports))
    pursued = Counter(d for r in reports for d in r.drives_pursued)
    return {
        "runs": len(reports),
        "figures": out,
        "verdicts": verdicts,
        "pursued": {d: pursued[d] for d in reports[0].drives if pursued[d]},
        **reading_counts(reports),
        **({"knock_outs": knocked} if (knocked := knock_out_summary(reports)) else {}),
    }


def knock_out_summary(reports: Sequence[DriftReport]) -> dict[str, dict[str, Any]]:
    """Per part knocked out in some run: ``{"label", "mean", "low", "high", "n", "runs",
    "under_selection"}``, the effect's mean with a 95 % t-interval over the ``n`` runs that
    knocked it out (their values listed in ``runs``) and the number of runs in which it is
    under selection; {} when no report has knock-outs."""
    values: dict[str, list[float]] = {}
    selected: dict[str, int] = {}
    for r in reports:
        if r.knock_outs is None:
            continue
        chosen = under_selection(r.knock_outs)
        for part, fig in r.knock_outs["parts"].items():
            values.setdefault(part, []).append(float(fig["effect"]))
            selected[part] = selected.get(part, 0) + (part in chosen)
    out = {}
    for part, runs in values.items():
        mean, low, high = interval_over_runs(runs)
        kind, _, name = part.partition(":")
        out[part] = {
            "label": f"{name}: training fitness lost when the {kind} is knocked out",
            "mean": mean,
            "low": low,
            "high": high,
            "n": len(runs),
            "runs": runs,
            "under_selection": selected[part],
        }
    return out


def trait_summary(traits: Mapping[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Median and interquartile range of each trait, pooled over the given individuals.

    ``traits`` maps a trait name to an (n,) array (e.g. ``Genome.describe`` over the final
    populations of every run, concatenated). Empty traits are left out.
    """
    out = {}
    for name, values in traits.items():
        x = np.asarray(values, dtype=float).ravel()
        if x.size == 0:
            continue
        q25, median, q75 = np.percentile(x, [25, 50, 75])
        out[name] = {"median": float(median), "q25": float(q25), "q75": float(q75)}
    return out


def described_traits(genome, genes: np.ndarray) -> dict[str, np.ndarray]:
    """The decoded traits a run summarises: ``genome.describe(genes)`` less what its
    architecture holds constant (a lookup table has no trait but its actions, which
    :func:`action_shares` gives; a network's architecture code is always the same)."""
    if genome.kind == "reflex":
        return {}
    traits = dict(genome.describe(genes))
    if genome.kind == "reflex_net":
        traits.pop("architecture", None)
    return traits


def action_shares(actions: np.ndarray, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Per individual, the share of its decisions that took each action.

    Parameters
    ----------
    actions : (n, episodes, n_actions) int
        Action counts of a rollout.
    names : sequence of str
        Action names.

    Returns
    -------
    dict
        ``"does:{action}"`` -> (n,) share (0 for an individual that decided nothing).
    """
    per_ind = np.asarray(actions, dtype=float).sum(axis=1)
    totals = per_ind.sum(axis=1, keepdims=True)
    shares = np.divide(per_ind, totals, out=np.zeros_like(per_ind), where=totals > 0)
    return {f"does:{a}": shares[:, k] for k, a in enumerate(names)}


def interval_over_runs(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean of one value per independent run, with a two-sided Student t interval.

    Returns ``(mean, low, high)``; with a single run the interval is the point itself.
    """
    from scipy import stats

    check_float("level", level, 0.5, 0.999)
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size == 0 or not np.isfinite(x).all():
        raise ConfigError(f"values must be a non-empty sequence of finite numbers; got {values!r}")
    mean = float(x.mean())
    if x.size == 1 or np.all(x == x[0]):
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


def interval_record(values: Sequence[float], level: float = 0.95) -> dict[str, float]:
    """:func:`interval_over_runs` as a JSON-ready ``{"mean", "low", "high"}`` record."""
    mean, low, high = interval_over_runs(values, level)
    return {"mean": mean, "low": low, "high": high}
