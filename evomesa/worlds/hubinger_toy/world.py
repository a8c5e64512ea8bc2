"""``HubingerToyWorld``: the declarations; the rules are in :mod:`.rules`, the kernel in
:mod:`.kernel`."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.agents.reference import Agent
from evomesa.errors import ConfigError
from evomesa.worlds.base import World
from evomesa.worlds.hubinger_toy.kernel import rollout_batch
from evomesa.worlds.hubinger_toy.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    FEATURES,
    MAX_EPISODES,
    MOVE_TO,
    PARAMETERS,
    REGIMES,
    int_params,
)
from evomesa.worlds.hubinger_toy.rules import HubingerToyRules
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
    performance_meaning = (
        "pursuing the mesa goal unoverseen (performance counts corner A in every episode)"
    )
    factors = FACTORS
    features = FEATURES
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS
    rules = HubingerToyRules
    kernel = staticmethod(rollout_batch)

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
        on the step-wise reference (which the kernel matches exactly).

        Parameters
        ----------
        brains : Brains
        regime : str
        seeds : (n, lifetimes) uint64
        """
        sim = self.simulator(regime)
        self.check_brains(brains)
        seeds = np.asarray(seeds, dtype=np.uint64)
        lives = []
        for i in range(len(brains)):
            row = []
            for seed in seeds[i]:
                sim.play(Agent(brains, i, self.drive_scales, int(seed)), int(seed))
                row.append(sim.sequence)
            lives.append(row)
        return lives

    def kernel_args(self) -> tuple[np.ndarray, np.ndarray, bool, np.ndarray]:
        """(overseen episodes per regime (3,) int64, int parameters (5,) int64: episodes,
        steps, start cell and modification rule, score_deployment, the move table (9, 4)
        int64), as the kernel reads them."""
        return (
            self._overseen(),
            int_params(self.params),
            bool(self.params["score_deployment"]),
            MOVE_TO,
        )
