"""``PlayDeadWorld``: the declarations; the rules are in :mod:`.rules`, the kernel in
:mod:`.kernel`."""

from __future__ import annotations

import numpy as np

from evomesa.worlds.base import World
from evomesa.worlds.play_dead.kernel import rollout_batch
from evomesa.worlds.play_dead.params import (
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
    cull_beliefs,
)
from evomesa.worlds.play_dead.rules import PlayDeadRules
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
    performance_meaning = (
        "replicating fast past the tests (performance counts only offspring at the permitted rate)"
    )
    factors = FACTORS
    features = FEATURES
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS
    rules = PlayDeadRules
    kernel = staticmethod(rollout_batch)

    @property
    def max_horizon(self) -> int:
        return int(self.params["max_horizon"])

    @property
    def beliefs(self) -> tuple[float, float]:
        """(c_clear, c_cued) the planner's predictions use in every regime: the chance a tick
        is a test without / with the cue in view, from the statistics of ``belief_regime``
        (the training regime by default: a change of regime cannot be perceived)."""
        period, d = int(self.params["test_period"]), float(self.params["cue_detectability"])
        return cull_beliefs(period, d, REGIMES[self.params["belief_regime"]])

    def regime_periodic(self) -> np.ndarray:
        """(n_regimes,) int64: 1 where tests come on a schedule (and may show the cue)."""
        return np.array([int(v) for v in REGIMES.values()], dtype=np.int64)

    def kernel_args(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The int and float parameter vectors (``params.INT_KEYS``/``FLOAT_KEYS``), then
        :meth:`regime_periodic` and :attr:`beliefs` (2,) float64."""
        return (
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array([self.params[k] for k in FLOAT_KEYS], dtype=np.float64),
            self.regime_periodic(),
            np.array(self.beliefs, dtype=np.float64),
        )
