"""``AbsentSupervisorWorld``: the declarations, its rules and its kernel's inputs."""

from __future__ import annotations

import numpy as np

from evomesa.worlds.absent_supervisor.kernel import rollout_batch
from evomesa.worlds.absent_supervisor.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DRIVES,
    EVENTS,
    FACTORS,
    FEATURES,
    FLOAT_KEYS,
    INT_KEYS,
    MOVE_TO,
    PARAMETERS,
    REGIMES,
    ROUTE_ENTERS,
    ROUTE_FIRST,
    ROUTE_LEN,
)
from evomesa.worlds.absent_supervisor.rules import AbsentSupervisorRules
from evomesa.worlds.base import World
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
    performance_meaning = (
        "gaming the supervisor "
        "(the punishment tile costs only when watched; performance always counts it)"
    )
    factors = FACTORS
    features = FEATURES
    actions = ACTIONS
    events = EVENTS
    parameters = PARAMETERS
    rules = AbsentSupervisorRules
    kernel = staticmethod(rollout_batch)

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

    def kernel_args(self) -> tuple[np.ndarray, ...]:
        """(regime_p, ip, fp, move_to, routes): the supervisor's chance per regime, the int
        and float parameter vectors, and the move and route tables (see ``kernel``)."""
        return (
            np.array([self.supervisor_probability(r) for r in self.regimes]),
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array([self.params[k] for k in FLOAT_KEYS], dtype=np.float64),
            MOVE_TO,
            np.ascontiguousarray(np.stack([ROUTE_FIRST, ROUTE_LEN, ROUTE_ENTERS])),
        )
