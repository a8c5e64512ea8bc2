"""Whether a drift report's figures agree with each other: what a reader checks after
:meth:`DriftReport.from_dict` has checked each field on its own.

A report read from a file may have been edited by someone who also recomputed its checksums.
Everything in it that :func:`evomesa.metrics.drift.compute_drift` derives from other fields
of the same report is derived again here, with the same functions, and compared:

* retentions (fitness, performance, each drive's signal, mesa-utility) from their train and
  deploy levels (:func:`evomesa.metrics.stats.retention`); each drive's yield drift from its
  yields, its rank-correlation change from its correlations; regret from the deploy fitness
  and the reference's;
* the drives are the world's, in order; the proxies, the primary proxy, competence and its
  interval, and the drives still pursued (:func:`evomesa.metrics.verdict.assess_competence`,
  with the unevolved baseline's ``above_null_in_deploy``);
* the verdict and its flags (:func:`evomesa.metrics.verdict.verdict`) from the saved numbers
  and thresholds: ``robust`` at a retention below the robust threshold is refused.

What cannot be derived from the report (the bootstrap intervals' values, whether the
population was above the unevolved baseline) is range-checked by ``from_dict`` only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from evomesa.errors import ConfigError
from evomesa.metrics.report import DriftReport
from evomesa.metrics.stats import retention, yield_drift
from evomesa.metrics.thresholds import Thresholds
from evomesa.metrics.verdict import (
    Evidence,
    assess_competence,
    find_new_goals,
    performance_verdict,
    verdict,
)

__all__ = ["check_report", "close"]

#: relative and absolute tolerance of a recomputed figure (the same floats, so in practice
#: the comparison is exact; the tolerance only absorbs a different summation order)
RTOL, ATOL = 1e-9, 1e-12


def close(a: float, b: float) -> bool:
    """Whether two recomputed figures agree within :data:`RTOL` and :data:`ATOL`."""
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)


def _differs(field: str, saved, expected, why: str) -> ConfigError:
    return ConfigError(f"field {field!r} must be {expected!r} ({why}); got {saved!r}")


def check_report(report: DriftReport, drives: Sequence[str], aligned: Sequence[str]) -> None:
    """Raise ConfigError naming the field unless ``report``'s figures agree with each other.

    Parameters
    ----------
    report : DriftReport
        As rebuilt by :meth:`DriftReport.from_dict` (each field already range-checked).
    drives : sequence of str
        The world's drives, in order.
    aligned : sequence of str
        The world's aligned drives (never proxies).
    """
    drives, aligned = tuple(drives), tuple(aligned)
    if tuple(report.drives) != drives:
        raise _differs("drives", list(report.drives), list(drives), "the world's drives")
    for prefix, (train, deploy, kept) in {
        "fitness": (report.fitness_train, report.fitness_deploy, report.fitness_retention),
        "performance": (
            report.performance_train,
            report.performance_deploy,
            report.performance_retention,
        ),
    }.items():
        want = retention(train, deploy)[0]
        if not close(kept, want):
            raise _differs(f"{prefix}_retention", kept, want, "deploy / train")
    for name, dd in report.drives.items():
        want = retention(dd.signal_train, dd.signal_deploy)[0]
        if not close(dd.signal_retention, want):
            raise _differs(
                f"drives.{name}.signal_retention", dd.signal_retention, want, "deploy / train"
            )
        want = yield_drift(dd.yield_train, dd.yield_deploy)[0]
        if not close(dd.yield_drift, want):
            raise _differs(
                f"drives.{name}.yield_drift", dd.yield_drift, want, "1 - deploy / train yield"
            )
        want = dd.rank_corr_deploy - dd.rank_corr_train
        if not close(dd.rank_corr_change, want):
            raise _differs(
                f"drives.{name}.rank_corr_change", dd.rank_corr_change, want, "deploy - train"
            )
    if report.mesa_utility is not None:
        u = report.mesa_utility
        want = retention(u["utility_train"], u["utility_deploy"])[0]
        if not close(u["utility_retention"], want):
            raise _differs(
                "mesa_utility.utility_retention", u["utility_retention"], want, "deploy / train"
            )
    if report.reference_fitness is not None and report.regret is not None:
        ref = report.reference_fitness
        want = 0.0 if ref == 0.0 else 1.0 - retention(ref, report.fitness_deploy)[0]
        if not close(report.regret, want):
            raise _differs("regret", report.regret, want, "(reference - deploy) / |reference|")
    if report.knock_outs is not None:
        _check_knock_outs(report.knock_outs, drives)
    _check_verdict(report, drives, aligned)


def _check_knock_outs(knock_outs: dict, drives: tuple[str, ...]) -> None:
    """Each effect is the intact fitness less the knocked-out one, and a drive knocked out
    is one of the world's."""
    for part, fig in knock_outs["parts"].items():
        kind, _, name = part.partition(":")
        if kind == "drive" and name not in drives:
            raise _differs(f"knock_outs.parts.{part}", part, f"one of {drives}", "a drive")
        want = knock_outs["intact"] - fig["fitness"]
        if not close(fig["effect"], want):
            field = f"knock_outs.parts.{part}.effect"
            raise _differs(field, fig["effect"], want, "intact - knocked")


def _check_verdict(report: DriftReport, drives: tuple[str, ...], aligned: tuple[str, ...]):
    t = Thresholds.from_dict(report.thresholds)
    null = report.null_baseline
    beyond = report.drives_beyond_reference
    if beyond is not None and report.reference_fitness is None:
        raise _differs("drives_beyond_reference", list(beyond), None, "there is no reference")
    comp = assess_competence(drives, aligned, report.drives, t.competence, beyond)
    why = "recomputed from the drives' figures and the competence threshold"
    if report.primary_proxy != comp.proxy:
        raise _differs("primary_proxy", report.primary_proxy, comp.proxy, why)
    if not close(report.competence, comp.value):
        raise _differs("competence", report.competence, comp.value, why)
    if tuple(report.drives_pursued) != comp.pursued:
        raise _differs("drives_pursued", list(report.drives_pursued), list(comp.pursued), why)
    saved_ci = report.ci.get("competence")
    if saved_ci is not None and not all(
        close(a, b) for a, b in zip(saved_ci, comp.ci, strict=True)
    ):
        raise _differs("ci.competence", list(saved_ci), list(comp.ci), why)
    others = beyond
    if others is None and null is not None:
        others = tuple(null["above_null_in_deploy"])
    new_goals = find_new_goals(drives, aligned, report.drives, report.drives_rising, others)
    if tuple(report.new_goals) != new_goals:
        raise _differs(
            "new_goals",
            list(report.new_goals),
            list(new_goals),
            "recomputed from the proxies, the drives rising and those beyond others",
        )
    not_evolved = "verdict:not_above_null" in report.flags
    if not_evolved and null is None:
        raise _differs(
            "flags", list(report.flags), "no 'verdict:not_above_null'", "there is no baseline"
        )
    beaten = (
        report.alternative_fitness is not None
        and report.reference_fitness is not None
        and report.alternative_fitness > report.reference_fitness
    )
    evidence = Evidence(
        fitness_train=report.fitness_train,
        fitness_retention=report.fitness_retention,
        competence=comp,
        new_goals=new_goals,
        regret=report.regret,
        reference_beaten=beaten,
        not_evolved=not_evolved,
        effect=report.effect_size,
        retention_ci=report.ci.get("fitness_retention"),
        regret_ci=report.ci.get("regret"),
        effect_ci=report.ci.get("effect_size"),
    )
    outcome, flags = verdict(evidence, t)
    if report.verdict != outcome:
        raise _differs(
            "verdict",
            report.verdict,
            outcome,
            f"the rule of evomesa.metrics.verdict at fitness_train {report.fitness_train!r}, "
            f"fitness_retention {report.fitness_retention!r}, regret {report.regret!r}, "
            f"effect_size {report.effect_size!r}, thresholds {report.thresholds}",
        )
    if report.performance_verdict is not None:
        perf, perf_flags = performance_verdict(
            report.performance_retention, report.ci.get("performance_retention"), t
        )
        if report.performance_verdict != perf:
            raise _differs(
                "performance_verdict",
                report.performance_verdict,
                perf,
                "performance retention against the robust threshold",
            )
        flags = flags + perf_flags
    saved_flags = tuple(
        f for f in report.flags if f.startswith(("verdict:", "performance:borderline"))
    )
    if saved_flags != flags:
        raise _differs("flags", list(saved_flags), list(flags), "the verdict's flags")
