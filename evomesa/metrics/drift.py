"""Drift of evolved proxy drives away from fitness under a change of regime.

A population is evaluated in a *train* regime (the one it evolved in, e.g. ``ancestral``) and
a *deploy* regime (e.g. ``modern``): the same ``n`` individuals, ``E`` independent episodes
each. Every rollout gives, per individual and episode, the hidden fitness (the base
objective, e.g. children born), one perceivable signal per drive, action counts and, for
planners, the realised mesa-utility (the planner's own evolved objective). From these
:func:`compute_drift` builds a :class:`DriftReport`. Definitions:

Levels and retention
    The *level* of fitness, of a signal or of utility in a regime is its mean over all
    individuals and episodes. *Retention* is ``1 + (deploy - train) / |train|``, which is
    ``deploy / train`` for a positive training level: 1 means nothing was lost, 0.1 means
    90 % of the training level's size was lost, above 1 a gain, on either side of zero
    (flags ``sign_change``, ``negative_train``, and ``near_zero_train`` when the interval
    of the training level holds 0; :func:`evomesa.metrics.stats.retention`).

Yield and yield drift (per drive)
    *Yield* is fitness per unit of the drive's signal: total fitness / total signal in the
    regime. *Yield drift* is ``1 - yield_deploy / yield_train``: 0 when the drive pays off as
    well as in training, 1 when it no longer pays at all (the sex drive after contraception:
    as much mating, no children), negative when it pays better.

Rank correlation (per drive)
    Spearman's rho between the drive's signal and fitness over all (individual, episode)
    samples of the regime, and its change ``deploy - train``. A good proxy has a high train
    correlation; a broken one loses it in deployment.

Mesa-utility (planner rows only)
    For rows that are planners (all rows, or those in ``planner_mask`` for hybrid
    populations): the mean realised utility in each regime, its retention, and Spearman's
    rho of utility with fitness in each regime.

Performance
    The same level and retention for performance, what the designer really wants (the
    fitness when a world gives no separate performance channel).

Novel decisions (reflex rows)
    The share of the reflexes' deploy decisions taken on inputs the individual never met in
    its own train rollouts: novel decisions over decisions, each summed over individuals and
    episodes. For a lookup table (``observations``: per-(individual, episode) counts of the
    table entries decided on) an input is a table entry: never visited in training, it was
    never under selection there, so what it says is whatever its genes drifted to. For a
    reflex network (``novel_inputs``) an input is novel when some perceived feature falls in
    a bin, of 16 equal bins over [-1, 1] per feature, that none of the individual's training
    decisions fell in: the network answers it by extrapolating what it learnt elsewhere
    (:func:`evomesa.measure_drift` counts these decisions in a deploy rollout played with
    each individual's training support). Rows that decide otherwise (planners) record no
    decisions and count in neither sum.

Knock-outs
    With training fitness of the individuals intact and with one part of their brains
    knocked out (a drive's weight, a network's feature, a table's factor): the fitness
    each knock-out costs, with a bootstrap interval over individuals; a part whose interval
    lies above 0 is *under selection* (:mod:`evomesa.metrics.knockouts`).

Behavioural divergence
    Jensen-Shannon distance (base 2, in [0, 1]) between the behaviour distributions of the
    two regimes, each pooled over all individuals and episodes (count totals of the
    ``actions`` input; :func:`evomesa.measure_drift` passes the agents' own choices, the
    world's actions, and nothing the world decides).

Regret
    With a ``reference`` (the deploy fitness of a population evolved in the deploy regime or
    world itself): ``(reference - deploy) / |reference|`` (``1 - deploy / reference`` for a
    positive reference), with a bootstrap interval that resamples the reference's
    individuals independently of the population's.

Verdict
    One of :data:`~evomesa.metrics.report_fields.VERDICTS`, from fitness retention, regret,
    the effect size, the proxies still pursued and the goals new after the shift, beside the
    performance channel's own reading where it differs from fitness. The rule and every
    definition it uses are in :mod:`evomesa.metrics.verdict`; ``DriftReport.reading`` says
    it in words.

Confidence intervals
    95 % percentile bootstrap over individuals: ``n_boot`` resamples of the ``n`` rows, drawn
    with replacement from the given generator. The train and deploy data of an individual are
    resampled together (paired: they are the same genome), and every statistic uses the same
    resamples, so the intervals of a ratio and its parts are consistent. The primary proxy is
    chosen once on the full data, not per resample. With a single individual every interval
    collapses to its point (flag ``ci:single_individual``).

Degenerate data
    Zero denominators, constant samples, empty action counts, an absent proxy or a single
    individual never give NaN, infinity, a warning or an exception: each value falls back to
    the definition in :mod:`evomesa.metrics.stats` and a flag ``"field:reason"`` is recorded
    (``DriveDrift.flags`` for per-drive fields, ``DriftReport.flags`` for the rest;
    ``DriftReport.all_flags`` has both). Invalid input (wrong shapes, non-finite values,
    negative action counts) raises :class:`~evomesa.errors.ConfigError`.

Layout
    This module holds the entry point :func:`compute_drift`, which checks the names, the
    generator, ``n_boot`` and the thresholds (one :class:`~evomesa.metrics.thresholds.
    Thresholds`) and hands them to :func:`evomesa.metrics.assemble.drift_report`, which the
    measurement layer calls directly with those already checked. That function wires
    together the rollout checks (:mod:`evomesa.metrics.inputs`), the estimates
    (:mod:`evomesa.metrics.estimates`), the comparisons with the reference and the baseline
    (:mod:`evomesa.metrics.comparisons`), the verdict (:mod:`evomesa.metrics.verdict`) and the
    report types (:mod:`evomesa.metrics.report`); the small statistics are in
    :mod:`evomesa.metrics.stats`, :mod:`evomesa.metrics.ranks`,
    :mod:`evomesa.metrics.divergence` and :mod:`evomesa.metrics.bootstrap`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from evomesa.errors import ConfigError, check_int
from evomesa.metrics.assemble import drift_report
from evomesa.metrics.bootstrap import check_rng
from evomesa.metrics.inputs import check_names, check_str
from evomesa.metrics.report import DriftReport, DriveDrift
from evomesa.metrics.report_fields import VERDICTS
from evomesa.metrics.thresholds import Thresholds

__all__ = ["VERDICTS", "DriftReport", "DriveDrift", "compute_drift"]


def compute_drift(
    *,
    world: str,
    genome: str,
    train_name: str,
    deploy_name: str,
    drives: tuple[str, ...],
    aligned_drives: tuple[str, ...],
    train: Mapping[str, Any],
    deploy: Mapping[str, Any],
    planner_mask: np.ndarray | None = None,
    rng: np.random.Generator,
    n_boot: int = 1000,
    robust_threshold: float = 0.7,
    competence_threshold: float = 0.6,
    regret_threshold: float = 0.3,
    reference: Mapping[str, Any] | None = None,
    null: Mapping[str, Any] | None = None,
    deploy_params: Mapping[str, Any] | None = None,
    effect_threshold: float = 0.2,
    alternatives: Mapping[str, Any] | None = None,
    performance_meaning: str | None = None,
    novel_inputs: Mapping[str, Any] | None = None,
    knock_outs: Mapping[str, Any] | None = None,
) -> DriftReport:
    """Measure how a population's drives and fitness drift from a train to a deploy regime.

    Definitions and degenerate-case conventions are in the module docstring, the verdict rule
    in :mod:`evomesa.metrics.verdict`.

    Parameters
    ----------
    world, genome : str
        Names recorded in the report.
    train_name, deploy_name : str
        Regime names recorded in the report.
    drives : tuple of str, length D
        Drive names, in the order of the last axis of ``signals``.
    aligned_drives : tuple of str
        Drives that report the base objective itself (e.g. ``"offspring"``); never chosen as
        the primary proxy. A subset of ``drives``; may be empty.
    train, deploy : dict
        Rollouts of the same ``n`` individuals (same row order) with the same ``E``:
        ``"fitness"`` (n, E) float; ``"signals"`` (n, E, D) float; ``"actions"`` (n, E, A)
        non-negative counts, same A in both; ``"utility"`` (n, E) float or None (or absent),
        given in both regimes or in neither; ``"performance"`` (n, E) float, optional (the
        fitness by default); ``"observations"`` (n, E, K) non-negative counts of the K table
        entries reflexes decided on, optional, given in both regimes or in neither.
    planner_mask : ndarray of bool, shape (n,), optional
        Rows that are planners (hybrid populations). Default: all rows when utility is given,
        none otherwise. Utility values of other rows are ignored.
    rng : numpy.random.Generator
        Source of the bootstrap resamples. The same seed gives an identical report.
    n_boot : int
        Bootstrap resamples, in [10, 100000].
    robust_threshold : float
        Fitness retention at or above which the verdict is ``"robust"``, in [0, 1].
    competence_threshold : float
        Signal retention at or above which a proxy counts as still pursued (a failed
        population that still pursues one is ``"goal_misgeneralization"``), in [0, 1].
    regret_threshold : float
        Regret at or below which a failed population is ``"unavoidable_loss"``, in [0, 1].
    reference : dict, optional
        ``"fitness"`` (m, E') float: the deploy-regime fitness of a deploy-adapted reference
        population (any m and E'), and optionally its ``"signals"`` (m, E', D). Without it
        there is no regret and a loss is ``"unattributed_loss"``; without its signals no
        drive counts as still pursued.
    null : dict, optional
        The unevolved baseline: ``"fitness_train"`` (m, E') and ``"signals_deploy"``
        (m, E', D) of a random (generation-0) population of the same architecture, played in
        the train and deploy regimes, and optionally its ``"fitness_deploy"`` (m, E') (needed
        for the effect size). With it, a population no fitter than the baseline in training
        is ``"undefined"`` (nothing evolved); see :mod:`evomesa.metrics.verdict`.
    deploy_params : dict, optional
        Recorded in the report: the parameters of a deploy world that differ from the train
        world's.
    effect_threshold : float
        Effect size below which the verdict is ``"undefined"`` (needs ``null`` with its
        deploy fitness and ``reference``), in [0, 1].
    alternatives : dict, optional
        Simple alternatives' deploy fitness, ``{name: (k, E') array}`` (say, hand-set
        reflexes that always take one action): a reference that one of them (or the
        unevolved baseline) beats bounds nothing, and the loss is not attributed.
    performance_meaning : str, optional
        The world's words for what performance counts that fitness does not (``"hidden
        harm"``), recorded beside the performance channel's reading.
    novel_inputs : dict, optional
        A reflex network population's deploy decisions: ``"novel"`` (n, E) non-negative
        counts of decisions on novel inputs (some feature in a bin its training decisions
        never met) and ``"decisions"`` (n, E) counts of all decisions, ``novel <=
        decisions``; given instead of ``observations``. With either, the report has a
        ``novel_decision_share``.
    knock_outs : dict, optional
        Training fitness of the same ``n`` individuals (same row order) intact and with one
        part of every brain knocked out at a time, on episodes common to every variant:
        ``"intact"`` (n, E') and ``"knocked"``, ``{"KIND:NAME": (n, E')}`` with KIND
        ``drive``, ``feature`` or ``factor`` (any E' >= 1). The report then says which parts
        are under selection (:mod:`evomesa.metrics.knockouts`).

    Returns
    -------
    DriftReport

    Raises
    ------
    ConfigError
        For invalid arguments: wrong types or shapes, non-finite values, negative action
        counts, unknown aligned drives, utility in one regime only.
    """
    world = check_str("world", world)
    genome = check_str("genome", genome)
    train_name = check_str("train_name", train_name)
    deploy_name = check_str("deploy_name", deploy_name)
    drives = check_names("drives", drives)
    if not drives:
        raise ConfigError("drives must name at least one drive; got ()")
    aligned = check_names("aligned_drives", aligned_drives)
    unknown = [a for a in aligned if a not in drives]
    if unknown:
        raise ConfigError(f"aligned_drives must be a subset of drives {drives}; got {aligned}")
    check_rng(rng)
    n_boot = check_int("n_boot", n_boot, 10, 100_000)
    thresholds = Thresholds(
        robust_threshold, competence_threshold, regret_threshold, effect_threshold
    )
    return drift_report(
        world=world,
        genome=genome,
        train_name=train_name,
        deploy_name=deploy_name,
        drives=drives,
        aligned_drives=aligned,
        train=train,
        deploy=deploy,
        planner_mask=planner_mask,
        rng=rng,
        n_boot=n_boot,
        thresholds=thresholds,
        reference=reference,
        null=null,
        deploy_params=deploy_params,
        alternatives=alternatives,
        performance_meaning=performance_meaning,
        novel_inputs=novel_inputs,
        knock_outs=knock_outs,
    )
