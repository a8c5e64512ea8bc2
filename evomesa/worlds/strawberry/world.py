"""``StrawberryWorld``: the declarations and the glue between the contract and the kernels."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.agents.reference import Agent
from evomesa.errors import ConfigError
from evomesa.worlds.base import Param, RolloutArrays, World
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
    PARAMETERS,
    REGIMES,
)
from evomesa.worlds.strawberry.reference import reference_episode


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
    factors = FACTORS
    actions = ACTIONS
    events = EVENTS
    parameters = {
        **PARAMETERS,
        "detector_fit": Param("sunny", 0, 0, DETECTOR_FIT_DOC, choices=tuple(REGIMES)),
    }

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

    def _regime_table(self) -> tuple[np.ndarray, np.ndarray]:
        sun = np.array([s for s, _ in REGIMES.values()], dtype=np.int64)
        person = np.array([int(p) for _, p in REGIMES.values()], dtype=np.int64)
        return sun, person

    def _run_numba(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        sun, person = self._regime_table()
        observations = out.kernel_observations()
        rollout_batch(
            brains.packed(),
            seeds,
            regimes,
            np.array([self.params[k] for k in INT_KEYS], dtype=np.int64),
            np.array([self.params[k] for k in FLOAT_KEYS], dtype=np.float64),
            self.drive_scales,
            sun,
            person,
            self.detector.prototypes,
            self.detector.threshold,
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
        sun, person = self._regime_table()
        scales = self.drive_scales
        for i in range(len(brains)):
            for e in range(seeds.shape[1]):
                visits = [0] * self.n_observations if out.observations is not None else None
                seed = int(seeds[i, e])
                r = int(regimes[e])
                f, perf, sig, act, ev = reference_episode(
                    Agent(brains, i, scales, seed),
                    seed,
                    self.params,
                    int(sun[r]),
                    bool(person[r]),
                    self.detector,
                    visits,
                )
                out.fitness[i, e] = f
                out.performance[i, e] = perf
                out.steps[i, e] = self.params["steps"]
                out.signals[i, e] = sig
                out.actions[i, e] = act
                out.events[i, e] = ev
                if visits is not None:
                    out.observations[i, e] = visits
