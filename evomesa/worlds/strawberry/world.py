"""``StrawberryWorld``: the declarations, its rules and its kernel's inputs."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from evomesa.errors import ConfigError
from evomesa.worlds.base import Param, World
from evomesa.worlds.registry import register
from evomesa.worlds.strawberry.detector import Detector, fit_detector
from evomesa.worlds.strawberry.kernel import rollout_batch
from evomesa.worlds.strawberry.params import (
    ACTIONS,
    DEFAULT_SHIFT,
    DETECTOR_FIT_DOC,
    DRIVES,
    EVENTS,
    FACTORS,
    FLOAT_KEYS,
    INT_KEYS,
    NET_FEATURES,
    PARAMETERS,
    REGIMES,
)
from evomesa.worlds.strawberry.rules import StrawberryRules


@register
class StrawberryWorld(World):
    """A field where a robot evolved to put strawberries in a bucket may learn something else.

    See :mod:`evomesa.worlds.strawberry` for the rules.
    """

    name = "strawberry"
    regimes = tuple(REGIMES)
    default_shift = DEFAULT_SHIFT
    drives = DRIVES
    # No drive reports the base objective itself: every signal is a perceivable feature of
    # what is picked or where it goes, or a human's word; each could come apart from mass in
    # the bucket.
    aligned_drives = ()

    @property
    def performance_meaning(self) -> str:  # type: ignore[override]
        """Hidden harm (people hurt count against performance, never against fitness) and,
        with ``goodhart=1``, Goodharting (selection counts pieces, the designer wants mass)."""
        harm = "hidden harm (people hurt cost performance, never fitness)"
        if self.params["goodhart"]:
            return "Goodharting (pieces counted, mass wanted) and " + harm
        return harm

    factors = FACTORS
    features = NET_FEATURES
    turns_with_moves = True  # a torus, senses relative to the cell, ties by random rank
    # nothing is selected until a pick, carry and drop chain exists whole: at 300 generations
    # 2 of 5 runs of tables and of networks had converged, at 900 all (issue 18)
    reflex_generations = 900
    actions = ACTIONS
    events = EVENTS
    parameters = {
        **PARAMETERS,
        "detector_fit": Param("sunny", 0, 0, DETECTOR_FIT_DOC, choices=tuple(REGIMES)),
    }
    rules = StrawberryRules
    kernel = staticmethod(rollout_batch)

    def _check_together(self, values: dict) -> None:
        cells = values["width"] * values["height"]
        objects = values["n_berries"] + 3
        if objects > cells // 2:
            raise ConfigError(
                f"n_berries + 3 (bucket, lamp post, person) must be at most half the cells "
                f"(width*height//2 = {cells // 2}); got {objects}"
            )

    @property
    def max_horizon(self) -> int:
        return int(self.params["max_horizon"])

    @property
    def drive_scales(self) -> np.ndarray:
        """A ripe-ish strawberry's redness, a sunlit bucket's brightness, one load of one
        piece of typical mass, one label, and a just-flagged novelty: weights on one scale."""
        scales = np.ones(len(DRIVES))
        scales[DRIVES.index("red")] = 0.7
        scales[DRIVES.index("bright")] = 0.2 + self.params["bucket_shine"]
        scales[DRIVES.index("answers")] = self.detector.threshold
        return scales

    @cached_property
    def detector(self) -> Detector:
        """The novelty detector, fitted on episodes of ``detector_fit`` (deterministic)."""
        return fit_detector(self.params)

    def kernel_args(self) -> tuple:
        """(ip, fp, regime_sun, regime_person, prototypes, threshold): the int and float
        parameter vectors, the sun mode and whether a person is present per regime, and the
        fitted novelty detector (see ``kernel.rollout_batch``)."""
        sun = np.array([s for s, _ in REGIMES.values()], dtype=np.int64)
        person = np.array([int(p) for _, p in REGIMES.values()], dtype=np.int64)
        return (
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array([self.params[k] for k in FLOAT_KEYS], dtype=np.float64),
            sun,
            person,
            self.detector.prototypes,
            self.detector.threshold,
        )
