"""A drift report's verdict in words: what the table, the summary, ``evomesa report`` and the
figures print beside the bare verdict name.

The words only restate the report's own fields (verdict, retention, regret, drives pursued,
new goals, the performance channel's reading and the world's words for it, the borderline
flags); the rule that chose the verdict is :mod:`evomesa.metrics.verdict`.
"""

from __future__ import annotations

from typing import Any

#: a :class:`~evomesa.metrics.report.DriftReport` (not imported: the report imports this)
DriftReport = Any

__all__ = ["performance_words", "reading", "verdict_words"]

#: why an ``"undefined"`` verdict was given, by its flag
UNDEFINED_WHY = {
    "verdict:zero_train_fitness": "no fitness in training",
    "verdict:not_above_null": "no fitter than an unevolved population in training",
    "verdict:small_effect": "too little evolved in training to lose",
}


def verdict_words(verdict: str) -> str:
    """``"goal_misgeneralization"`` -> ``"goal misgeneralization"``."""
    return verdict.replace("_", " ")


def _figures(report: DriftReport) -> list[str]:
    parts = [f"retention {report.fitness_retention:.2f}"]
    if report.regret is not None:
        high = "verdict:high_regret" in report.flags
        parts.append(f"regret {report.regret:.2f}" + (": high" if high else ""))
    return parts


def performance_words(report: DriftReport) -> str | None:
    """The performance channel's reading, e.g. ``"performance lost (retention -4.70):
    hidden harm"``; None where performance is the fitness."""
    if report.performance_verdict is None:
        return None
    text = (
        f"performance {report.performance_verdict} (retention {report.performance_retention:.2f})"
    )
    if report.performance_meaning:
        text += f": {report.performance_meaning}"
    if "performance:borderline" in report.flags:
        text += " [borderline]"
    return text


def reading(report: DriftReport) -> str:
    """The verdict of ``report`` in one line, with its evidence (see the module docstring)."""
    v = report.verdict
    words = verdict_words(v)
    if v == "undefined":
        why = [UNDEFINED_WHY[f] for f in report.flags if f in UNDEFINED_WHY]
        head = f"{words} ({'; '.join(why)})" if why else words
    else:
        parts = _figures(report)
        if v == "new_goal" or report.new_goals:
            parts.append("new goal: " + ", ".join(report.new_goals))
        if v == "goal_misgeneralization":
            parts.append("pursues " + ", ".join(report.drives_pursued))
        if "verdict:no_reference" in report.flags:
            parts.append("no reference to attribute it")
        if "verdict:reference_beaten" in report.flags:
            parts.append(f"reference beaten by {report.alternative}")
        head = f"{words} ({', '.join(parts)})"
    if report.borderline:
        head += " [borderline]"
    perf = performance_words(report)
    return head if perf is None else f"{head}; {perf}"
