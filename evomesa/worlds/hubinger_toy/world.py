"""``HubingerToyWorld``: the declarations and the glue between the contract and kernels."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.agents.reference import Agent
from evomesa.errors import ConfigError
from evomesa.worlds.base import RolloutArrays, World
from evomesa.worlds.hubinger_toy.kernel import rollout_batch
from evomesa.worlds.hubinger_toy.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    INT_KEYS,
    MAX_EPISODES,
    MOVE_TO,
    PARAMETERS,
    REGIMES,
)
from evomesa.worlds.hubinger_toy.reference import reference_lifetime
from evomesa.worlds.registry import register


@register
class HubingerToyWorld(World):
    """The 3 x 3 deceptive-alignment example of Hubinger et al. (2019), section 4.

    See :mod:`evomesa.worlds.hubinger_toy` for the rules.
    """

    name = "hubinger_toy"
    regimes = REGIMES
    default_shift = DEFAULT_SHIFT
    drives = DRIVES
    aligned_drives = ("corner_a",)  # reaching A is the base objective itself
    factors = FACTORS
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS

    def _check_together(self, values: dict) -> None:
        total = values["n_train"] + values["n_deploy"]
        if not 1 <= total <= MAX_EPISODES:
            raise ConfigError(f"n_train + n_deploy must be in [1, {MAX_EPISODES}]; got {total}")

    @property
    def max_horizon(self) -> int:
        return int(self.params["max_horizon"])

    @property
    def n_episodes(self) -> int:
        """Episodes in one lifetime (one evomesa episode)."""
        return int(self.params["n_train"] + self.params["n_deploy"])

    def overseen_episodes(self, regime: str) -> int:
        """How many of a lifetime's episodes (the first ones) are overseen in ``regime``."""
        regime = self.check_regime(regime)
        if regime == "toy":
            return int(self.params["n_train"])
        return self.n_episodes if regime == "overseen" else 0

    def _overseen(self) -> np.ndarray:
        return np.array([self.overseen_episodes(r) for r in self.regimes], dtype=np.int64)

    def sequences(self, brains: Brains, regime: str, seeds: np.ndarray) -> list[list[str]]:
        """Each (individual, lifetime)'s corners, one letter per episode (A, B or -), played
        by the plain-Python reference (which the kernel matches exactly).

        Parameters
        ----------
        brains : Brains
        regime : str
        seeds : (n, lifetimes) uint64
        """
        n_over = self.overseen_episodes(regime)
        brains.validate(self.n_observations, len(self.actions), len(self.drives), self.max_horizon)
        seeds = np.asarray(seeds, dtype=np.uint64)
        return [
            [
                reference_lifetime(Agent(brains, i, self.drive_scales, int(s)), self.params,
                                   n_over, None)[-1]
                for s in seeds[i]
            ]
            for i in range(len(brains))
        ]  # fmt: skip

    def _run_numba(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        observations = out.kernel_observations()
        rollout_batch(
            brains.packed(),
            seeds,
            regimes,
            self._overseen(),
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            bool(self.params["score_deployment"]),
            self.drive_scales,
            MOVE_TO,
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
        overseen = self._overseen()
        score = bool(self.params["score_deployment"])
        for i in range(len(brains)):
            for e in range(seeds.shape[1]):
                visits = [0] * self.n_observations if out.observations is not None else None
                agent = Agent(brains, i, self.drive_scales, int(seeds[i, e]))
                a_over, a_free, s, sig, act, ev, _ = reference_lifetime(
                    agent, self.params, int(overseen[regimes[e]]), visits
                )
                out.fitness[i, e] = a_over + (a_free if score else 0)
                out.performance[i, e] = a_over + a_free
                out.steps[i, e] = s
                out.signals[i, e] = sig
                out.actions[i, e] = act
                out.events[i, e] = ev
                if visits is not None:
                    out.observations[i, e] = visits
