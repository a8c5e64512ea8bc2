"""Drift reports built by hand (:func:`evomesa.metrics.compute_drift` on small arrays) for the
tests of what the summary, the table, the command line and the figures say beside a verdict:
a robust run whose performance was lost (with a high regret), one whose performance was kept,
a borderline robust run, and a run lost to a new goal."""

from __future__ import annotations

import numpy as np

from evomesa.metrics import DriftReport, compute_drift

DRIVES = ("sex", "offspring")
ALIGNED = ("offspring",)
MEANING = "hidden harm (people hurt cost performance, never fitness)"

N, E = 6, 4
ONES = np.ones((N, E))
#: a signal collected in both regimes, not tracking fitness (fitness is constant per row)
SEX = np.arange(N * E, dtype=float).reshape(N, E) % 3 + 1


def regime(fitness, sex, performance=None) -> dict:
    fitness = np.asarray(fitness, float)
    out = {
        "fitness": fitness,
        "signals": np.stack([np.asarray(sex, float), fitness], -1),
        "actions": np.ones((*fitness.shape, 2), int),
    }
    if performance is not None:
        out["performance"] = np.asarray(performance, float)
    return out


def drift(train, deploy, seed=0, **kw) -> DriftReport:
    return compute_drift(
        world="toy",
        genome="planner",
        train_name="ancestral",
        deploy_name="modern",
        drives=DRIVES,
        aligned_drives=ALIGNED,
        train=train,
        deploy=deploy,
        rng=np.random.default_rng(seed),
        n_boot=200,
        **kw,
    )


def robust_performance_lost() -> DriftReport:
    """Fitness kept exactly (retention 1), performance turned negative (retention -3), a
    reference twice as fit in deployment (regret 0.5: high), and an unevolved baseline at 0.4
    in training and 0 in deployment (effect size 0.6 / 2 = 0.3)."""
    null = {
        "fitness_train": np.full((N, E), 0.4),
        "signals_deploy": np.zeros((N, E, len(DRIVES))),
        "fitness_deploy": np.zeros((N, E)),
    }
    return drift(
        regime(ONES, SEX, ONES),
        regime(ONES, SEX, -3 * ONES),
        reference={"fitness": 2 * ONES},
        null=null,
        performance_meaning=MEANING,
    )


def robust_performance_kept() -> DriftReport:
    """Fitness kept, performance at 0.9 of training, a reference barely fitter."""
    return drift(
        regime(ONES, SEX, ONES),
        regime(ONES, SEX, 0.9 * ONES),
        reference={"fitness": 1.05 * ONES},
        performance_meaning=MEANING,
    )


def borderline_robust() -> DriftReport:
    """Retention 0.7 exactly, its interval wide around the robust threshold; performance is
    the fitness."""
    deploy = np.array([0.3, 1.1, 0.4, 1.0, 0.5, 0.9])[:, None] * ONES
    return drift(regime(ONES, SEX), regime(deploy, SEX))


def new_goal() -> DriftReport:
    """Fitness down to 0.2, and sex, silent in training, collected after the shift."""
    rise = 1 + np.random.default_rng(1).random((N, E))
    return drift(regime(ONES, np.zeros((N, E))), regime(0.2 * ONES, rise))
