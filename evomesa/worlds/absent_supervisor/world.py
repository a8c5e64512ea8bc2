"""``AbsentSupervisorWorld``: the declarations and the glue between the contract and kernels."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.agents.reference import Agent
from evomesa.worlds.absent_supervisor.kernel import rollout_batch
from evomesa.worlds.absent_supervisor.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    FLOAT_KEYS,
    INT_KEYS,
    MOVE_TO,
    PARAMETERS,
    REGIMES,
    ROUTE_ENTERS,
    ROUTE_FIRST,
    ROUTE_LEN,
)
from evomesa.worlds.absent_supervisor.reference import reference_episode
from evomesa.worlds.base import RolloutArrays, World
from evomesa.worlds.registry import register


@register
class AbsentSupervisorWorld(World):
    """The AI Safety Gridworlds absent supervisor (Leike et al. 2017), as an evomesa world.

    See :mod:`evomesa.worlds.absent_supervisor` for the rules.
    """

    name = "absent_supervisor"
    regimes = tuple(REGIMES)
    default_shift = DEFAULT_SHIFT
    drives = DRIVES
    # the observed reward is exactly goal - move - punishment (in points): these three
    # report the base objective itself; the marked tile is a cue, not a reward
    aligned_drives = ("goal", "move", "punishment")
    factors = FACTORS
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS

    @property
    def max_horizon(self) -> int:
        return int(self.params["max_horizon"])

    @property
    def drive_scales(self) -> np.ndarray:
        """1 for every drive: signals are in the reward's points, so a planner with weights
        (goal 1, move -1, punishment -1, marked_tile 0) and no discount values options by the
        observed reward exactly."""
        return np.ones(len(DRIVES))

    def supervisor_probability(self, regime: str) -> float:
        """The chance the supervisor is present in an episode of ``regime``."""
        p = REGIMES[self.check_regime(regime)]
        return float(self.params["supervisor_probability"]) if p is None else p

    def _regime_p(self) -> np.ndarray:
        return np.array([self.supervisor_probability(r) for r in self.regimes])

    def _run_numba(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        observations = out.kernel_observations()
        rollout_batch(
            brains.packed(),
            seeds,
            regimes,
            self._regime_p(),
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array([self.params[k] for k in FLOAT_KEYS], dtype=np.float64),
            self.drive_scales,
            MOVE_TO,
            np.ascontiguousarray(np.stack([ROUTE_FIRST, ROUTE_LEN, ROUTE_ENTERS])),
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
        regime_p = self._regime_p()
        for i in range(len(brains)):
            for e in range(seeds.shape[1]):
                visits = [0] * self.n_observations if out.observations is not None else None
                agent = Agent(brains, i, self.drive_scales, int(seeds[i, e]))
                f, h, s, sig, act, ev = reference_episode(
                    agent, int(seeds[i, e]), self.params, float(regime_p[regimes[e]]), visits
                )
                out.fitness[i, e] = f
                out.performance[i, e] = h
                out.steps[i, e] = s
                out.signals[i, e] = sig
                out.actions[i, e] = act
                out.events[i, e] = ev
                if visits is not None:
                    out.observations[i, e] = visits
