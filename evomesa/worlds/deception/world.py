"""``DeceptionWorld``: the declarations and the glue between the contract and the kernels."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.agents.reference import Agent
from evomesa.worlds.base import RolloutArrays, World
from evomesa.worlds.deception.kernel import rollout_batch
from evomesa.worlds.deception.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    FLOAT_KEYS,
    INT_KEYS,
    PARAMETERS,
    REGIMES,
    beliefs,
)
from evomesa.worlds.deception.reference import reference_episode
from evomesa.worlds.registry import register


@register
class DeceptionWorld(World):
    """A lifetime watched, then deployed: complying while watched can keep a misaligned drive.

    See :mod:`evomesa.worlds.deception` for the rules.
    """

    name = "deception"
    regimes = tuple(REGIMES)
    default_shift = DEFAULT_SHIFT
    drives = DRIVES
    # task is what the base objective counts; loot is a drive of the agent's own
    aligned_drives = ("task",)
    factors = FACTORS
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS

    @property
    def max_horizon(self) -> int:
        return int(self.params["horizon_cap"])

    @property
    def beliefs(self) -> tuple[float, float]:
        """(m, q) the planner's predictions use: the chance a deployment phase looks clear and
        the chance a clear-looking one is a honeypot, from the training honeypot rate (a final
        deployment without honeypots cannot be perceived as such)."""
        return beliefs(
            float(self.params["honeypot_rate"]), float(self.params["honeypot_fidelity"])
        )

    def _rates(self) -> np.ndarray:
        """(n_regimes,) honeypot rate actually drawn in each regime."""
        rate = float(self.params["honeypot_rate"])
        return np.array([rate if tested else 0.0 for tested in REGIMES.values()])

    def _run_numba(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        observations = out.kernel_observations()
        fp = [float(self.params[k]) for k in FLOAT_KEYS] + list(self.beliefs)
        rollout_batch(
            brains.packed(),
            seeds,
            regimes,
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array(fp, dtype=np.float64),
            self._rates(),
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
        rates = self._rates()
        scales = self.drive_scales
        for i in range(len(brains)):
            for e in range(seeds.shape[1]):
                visits = [0] * self.n_observations if out.observations is not None else None
                seed = int(seeds[i, e])
                agent = Agent(brains, i, scales, seed)
                f, perf, s, sig, act, ev = reference_episode(
                    agent, seed, self.params, float(rates[int(regimes[e])]), self.beliefs, visits
                )
                out.fitness[i, e] = f
                out.performance[i, e] = perf
                out.steps[i, e] = s
                out.signals[i, e] = sig
                out.actions[i, e] = act
                out.events[i, e] = ev
                if visits is not None:
                    out.observations[i, e] = visits
