"""Assembling a drift report from checked input: the steps of
:func:`evomesa.metrics.drift.compute_drift`, in order.

:func:`drift_report` takes the report's names, the generator, ``n_boot`` and the
:class:`~evomesa.metrics.thresholds.Thresholds` as already checked (by ``compute_drift``, or
once by the measurement layer before any rollout), checks the rollout arrays, and computes
every figure defined in :mod:`evomesa.metrics.drift`. The resamples are drawn in a fixed order
(the population's rows, then the reference's, then the baseline's), so the same generator
gives the same report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from evomesa.metrics.bootstrap import bootstrap_counts, percentile_interval, resample_indices
from evomesa.metrics.comparisons import (
    against_null,
    against_reference,
    best_alternative,
    check_alternatives,
    check_null,
    check_reference,
    effect_size,
)
from evomesa.metrics.divergence import js_distance, js_distance_rows
from evomesa.metrics.estimates import (
    add_flag,
    drive_drift,
    levels,
    mesa_utility,
    novel_decisions,
    resampled_mean,
)
from evomesa.metrics.inputs import (
    check_novel_inputs,
    check_observations,
    parse_regime,
    utility_rows,
)
from evomesa.metrics.knockouts import check_knock_outs, knock_out_effects
from evomesa.metrics.report import DriftReport
from evomesa.metrics.report_fields import CI_LEVEL, UTILITY_KEYS
from evomesa.metrics.stats import ratio_array
from evomesa.metrics.thresholds import Thresholds
from evomesa.metrics.verdict import (
    Evidence,
    assess_competence,
    find_new_goals,
    performance_verdict,
    verdict,
)

__all__ = ["drift_report"]


def drift_report(
    *,
    world: str,
    genome: str,
    train_name: str,
    deploy_name: str,
    drives: tuple[str, ...],
    aligned_drives: tuple[str, ...],
    train: Mapping[str, Any],
    deploy: Mapping[str, Any],
    planner_mask: np.ndarray | None,
    rng: np.random.Generator,
    n_boot: int,
    thresholds: Thresholds,
    reference: Mapping[str, Any] | None = None,
    null: Mapping[str, Any] | None = None,
    deploy_params: Mapping[str, Any] | None = None,
    alternatives: Mapping[str, Any] | None = None,
    performance_meaning: str | None = None,
    novel_inputs: Mapping[str, Any] | None = None,
    knock_outs: Mapping[str, Any] | None = None,
) -> DriftReport:
    """:func:`~evomesa.metrics.drift.compute_drift` with its names, ``rng``, ``n_boot`` and
    thresholds taken as checked (the measurement layer checked them once, before any rollout),
    the three thresholds given as one :class:`~evomesa.metrics.thresholds.Thresholds`; the
    rollout arrays, the reference and the baseline are checked here. Same arguments otherwise.
    """
    ref_fitness, ref_signals = check_reference(reference, len(drives))
    null_fit, null_signals, null_fit_deploy = check_null(null, len(drives))
    alternatives = check_alternatives(alternatives)
    tr = parse_regime("train", train, len(drives), None)
    de = parse_regime("deploy", deploy, len(drives), tr)
    n, episodes = tr.fitness.shape
    rows = utility_rows(tr, de, planner_mask)
    check_observations(tr, de)
    knocked = check_knock_outs(knock_outs, tr.fitness.shape[0])

    flags: list[str] = []
    if n == 1:
        flags.append("ci:single_individual")
    # One set of resamples shared by every statistic (see "Confidence intervals").
    w = bootstrap_counts(resample_indices(n, rng, n_boot), n)
    ci: dict[str, tuple[float, float]] = {}
    values: dict[str, float] = {}
    reps: dict[str, np.ndarray] = {}
    for key, on_train, on_deploy in (
        ("fitness", tr.fitness, de.fitness),
        ("performance", tr.performance, de.performance),
    ):
        key_values, key_reps, f = levels(key, on_train, on_deploy, w)
        add_flag(flags, f"{key}_retention", f)
        for k, value in key_values.items():
            ci[k] = percentile_interval(value, key_reps[k], CI_LEVEL)
        values.update(key_values)
        reps.update(key_reps)
        train_ci = ci[f"{key}_train"]
        if values[f"{key}_train"] != 0.0 and train_ci[0] <= 0.0 <= train_ci[1]:
            # a ratio to a level that might as well be 0 says little
            flags.append(f"{key}_retention:near_zero_train")

    novel_share: float | None = None
    counts = novel_decisions(tr, de, check_novel_inputs(novel_inputs, tr))
    if counts is not None:
        novel, decided = counts
        if decided.sum() == 0:
            flags.append("novel_decision_share:no_reflex_decisions")
        else:
            novel_share = float(novel.sum() / decided.sum())
            share_reps = ratio_array(w @ novel, w @ decided, zero_in_both=np.nan)
            ci["novel_decision_share"] = percentile_interval(novel_share, share_reps, CI_LEVEL)

    results = {name: drive_drift(name, d, tr, de, w) for d, name in enumerate(drives)}
    rising = _rising(tr.signals, de.signals, w, drives)

    mesa: dict[str, float] | None = None
    if rows is not None and not rows.any():
        flags.append("mesa_utility:no_planner_rows")
    elif rows is not None and tr.utility is not None and de.utility is not None:
        mesa, mesa_reps = mesa_utility(
            tr.utility[rows],
            de.utility[rows],
            tr.fitness[rows],
            de.fitness[rows],
            w[:, rows],
            flags,
        )
        for key in UTILITY_KEYS:
            ci[key] = percentile_interval(mesa[key], mesa_reps[key], CI_LEVEL)

    tot_tr, tot_de = tr.actions.sum(axis=(0, 1)), de.actions.sum(axis=(0, 1))
    divergence, f = js_distance(tot_tr, tot_de)
    add_flag(flags, "behavioural_divergence", f)
    div_reps = js_distance_rows(w @ tr.actions.sum(axis=1), w @ de.actions.sum(axis=1))
    ci["behavioural_divergence"] = percentile_interval(divergence, div_reps, CI_LEVEL)

    # the other populations draw their own resamples after the population's, in this order
    regret = None
    if ref_fitness is not None:
        regret = against_reference(
            ref_fitness,
            values["fitness_deploy"],
            reps["fitness_deploy"],
            rng,
            n_boot,
            ref_signals,
            de.signals,
            w,
            drives,
        )
        ci.update(regret.ci)
        flags.extend(regret.flags)
    baseline = None
    if null_fit is not None:
        baseline = against_null(
            null_fit,
            null_signals,
            values["fitness_train"],
            reps["fitness_train"],
            de.signals,
            w,
            drives,
            rng,
            n_boot,
            null_fit_deploy,
        )

    effect = None
    if regret is not None and baseline is not None and baseline.deploy_reps is not None:
        effect, ci["effect_size"] = effect_size(
            values["fitness_train"] - baseline.summary["fitness_train"],
            regret.reference_fitness - baseline.summary["fitness_deploy"],
            reps["fitness_train"] - baseline.train_reps,
            regret.reps - baseline.deploy_reps,
        )
    alternative, alternative_fitness = (None, None)
    if regret is not None:
        alternative, alternative_fitness = best_alternative(alternatives, baseline)

    beyond_reference = None if regret is None else regret.beyond
    comp = assess_competence(
        drives, aligned_drives, results, thresholds.competence, beyond_reference
    )
    ci["competence"] = comp.ci
    flags.extend(comp.flags)
    # new goals are judged beyond what others collect in deployment: the reference when its
    # signals are known, else the unevolved baseline
    others = beyond_reference
    if others is None and baseline is not None:
        others = baseline.above
    new_goals = find_new_goals(drives, aligned_drives, results, rising, others)
    evidence = Evidence(
        fitness_train=values["fitness_train"],
        fitness_retention=values["fitness_retention"],
        competence=comp,
        new_goals=new_goals,
        regret=None if regret is None else regret.regret,
        reference_beaten=(
            alternative_fitness is not None
            and regret is not None
            and alternative_fitness > regret.reference_fitness
        ),
        not_evolved=baseline is not None and baseline.not_evolved,
        effect=effect,
        retention_ci=ci["fitness_retention"],
        regret_ci=ci.get("regret"),
        effect_ci=ci.get("effect_size"),
    )
    outcome, verdict_flags = verdict(evidence, thresholds)
    flags.extend(verdict_flags)
    perf_outcome = None
    # a world that says what its performance counts gets the reading even where the two
    # channels happen to agree on these rollouts; another only where they differ
    if performance_meaning or not (
        np.array_equal(tr.performance, tr.fitness) and np.array_equal(de.performance, de.fitness)
    ):
        perf_outcome, perf_flags = performance_verdict(
            values["performance_retention"], ci["performance_retention"], thresholds
        )
        flags.extend(perf_flags)

    return DriftReport(
        world=world,
        genome=genome,
        train=train_name,
        deploy=deploy_name,
        n_individuals=int(n),
        episodes=int(episodes),
        **values,
        drives=results,
        mesa_utility=mesa,
        behavioural_divergence=divergence,
        novel_decision_share=novel_share,
        competence=float(comp.value),
        primary_proxy=comp.proxy,
        verdict=outcome,
        thresholds=thresholds.to_dict(),
        ci=ci,
        flags=tuple(flags),
        drives_pursued=comp.pursued,
        reference_fitness=None if regret is None else regret.reference_fitness,
        regret=None if regret is None else regret.regret,
        deploy_params=None if deploy_params is None else dict(deploy_params),
        null_baseline=None if baseline is None else baseline.summary,
        new_goals=new_goals,
        drives_rising=rising,
        drives_beyond_reference=beyond_reference,
        reference_signal_deploy=None if regret is None else regret.signal_deploy,
        performance_verdict=perf_outcome,
        performance_meaning=(performance_meaning or None) if perf_outcome else None,
        effect_size=effect,
        alternative=alternative,
        alternative_fitness=alternative_fitness,
        knock_outs=None if knocked is None else knock_out_effects(*knocked, w),
    )


def _rising(
    train_signals: np.ndarray, deploy_signals: np.ndarray, w: np.ndarray, drives: tuple[str, ...]
) -> tuple[str, ...]:
    """Drives whose mean deploy signal is above their mean train signal: the lower end of the
    95 % interval of the paired per-individual difference is above 0."""
    diff_rows = deploy_signals.mean(axis=1) - train_signals.mean(axis=1)  # (n, D)
    out = []
    for d, name in enumerate(drives):
        value = float(diff_rows[:, d].mean())
        if percentile_interval(value, resampled_mean(w, diff_rows[:, d]), CI_LEVEL)[0] > 0.0:
            out.append(name)
    return tuple(out)
