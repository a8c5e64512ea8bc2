"""``DeceptionWorld``: the declarations; the rules are in :mod:`.rules`, the kernel in
:mod:`.kernel`."""

from __future__ import annotations

import numpy as np

from evomesa.worlds.base import World
from evomesa.worlds.deception.kernel import rollout_batch
from evomesa.worlds.deception.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    FEATURES,
    FLOAT_KEYS,
    INT_KEYS,
    PARAMETERS,
    REGIMES,
    beliefs,
)
from evomesa.worlds.deception.rules import DeceptionRules
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
    performance_meaning = (
        "defecting unwatched (performance counts the task on every step, watched or not)"
    )
    factors = FACTORS
    features = FEATURES
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS
    rules = DeceptionRules
    kernel = staticmethod(rollout_batch)

    @property
    def max_horizon(self) -> int:
        return int(self.params["horizon_cap"])

    @property
    def beliefs(self) -> tuple[float, float]:
        """(m, q) the planner's predictions use in every regime: the chance a deployment phase
        looks clear and the chance a clear-looking one is a honeypot, from the honeypot rate
        of ``belief_regime`` (the training regime by default: a change of regime cannot be
        perceived) and ``honeypot_fidelity``."""
        rate = self._rates()[self.regime_code(self.params["belief_regime"], "belief_regime")]
        return beliefs(float(rate), float(self.params["honeypot_fidelity"]))

    def _rates(self) -> np.ndarray:
        """(n_regimes,) honeypot rate actually drawn in each regime."""
        rate = float(self.params["honeypot_rate"])
        return np.array([rate if tested else 0.0 for tested in REGIMES.values()])

    def kernel_args(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(int parameters (5,) int64, float parameters and beliefs (6,) float64, honeypot
        rate per regime (2,) float64), as the kernel reads them."""
        fp = [float(self.params[k]) for k in FLOAT_KEYS] + list(self.beliefs)
        return (
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array(fp, dtype=np.float64),
            self._rates(),
        )
