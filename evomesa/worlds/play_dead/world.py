"""``PlayDeadWorld``: the declarations and the glue between the contract and the kernels."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.agents.reference import Agent
from evomesa.worlds.base import RolloutArrays, World
from evomesa.worlds.play_dead.kernel import rollout_batch
from evomesa.worlds.play_dead.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    FLOAT_KEYS,
    INT_KEYS,
    PARAMETERS,
    REGIMES,
    cull_beliefs,
)
from evomesa.worlds.play_dead.reference import reference_episode
from evomesa.worlds.registry import register


@register
class PlayDeadWorld(World):
    """Replicators tested for fast replication: recognise the test and play dead, or not.

    See :mod:`evomesa.worlds.play_dead` for the rules.
    """

    name = "play_dead"
    regimes = tuple(REGIMES)
    default_shift = DEFAULT_SHIFT
    drives = DRIVES
    aligned_drives = ("offspring",)  # offspring are the fitness itself
    factors = FACTORS
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS

    @property
    def max_horizon(self) -> int:
        return int(self.params["max_horizon"])

    def beliefs(self) -> np.ndarray:
        """(n_regimes, 2) chance a tick is a test without / with the cue, per regime."""
        period, d = int(self.params["test_period"]), float(self.params["cue_detectability"])
        return np.array([cull_beliefs(period, d, periodic) for periodic in REGIMES.values()])

    def _run_numba(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        observations = out.kernel_observations()
        rollout_batch(
            brains.packed(),
            seeds,
            regimes,
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array([self.params[k] for k in FLOAT_KEYS], dtype=np.float64),
            np.array([int(v) for v in REGIMES.values()], dtype=np.int64),
            self.beliefs(),
            self.drive_scales,
            out.fitness,
            out.performance,
            out.signals,
            out.actions,
            out.events,
            out.steps,
            observations,
        )

    def _run_python(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        beliefs = self.beliefs()
        periodic = list(REGIMES.values())
        scales = self.drive_scales
        for i in range(len(brains)):
            for e in range(seeds.shape[1]):
                visits = [0] * self.n_observations if out.observations is not None else None
                seed = int(seeds[i, e])
                r = int(regimes[e])
                agent = Agent(brains, i, scales, seed)
                f, perf, s, sig, act, ev = reference_episode(
                    agent,
                    seed,
                    self.params,
                    periodic[r],
                    (float(beliefs[r, 0]), float(beliefs[r, 1])),
                    visits,
                )
                out.fitness[i, e] = f
                out.performance[i, e] = perf
                out.steps[i, e] = s
                out.signals[i, e] = sig
                out.actions[i, e] = act
                out.events[i, e] = ev
                if visits is not None:
                    out.observations[i, e] = visits
