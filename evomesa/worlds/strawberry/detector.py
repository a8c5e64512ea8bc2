"""The novelty detector of the strawberry world: fitted on what training episodes show.

The detector is documented and deterministic. It is fitted on the feature vectors (redness,
brightness, container-likeness, strawberry-likeness) of ``detector_samples`` objects seen in
episodes of the regime ``detector_fit``, drawn from a fixed stream (so the same parameters
always give the same detector, and a result's saved parameters rebuild it exactly). An object's
*novelty score* is the Euclidean distance from its feature vector to the nearest fitted one.
The *threshold* is the 99th percentile of the fitted objects' leave-one-out scores, and never
below ``novelty_floor``: about one in a hundred training objects would be flagged, so what the
detector flags is rare in training. What the robot perceives is the score of a flagged object
(0 when nothing is flagged).

A feature-distance detector flags shifts that change how things look; a shift that changes
only consequences (what selection counts, say) is invisible to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from evomesa.worlds.strawberry.params import (
    BERRY_KIND,
    BUCKET_KIND,
    PERSON_KIND,
    POST_KIND,
    REGIMES,
    SUN_FULL,
    SUN_NONE,
)

#: the detector's own stream: entropy fixed, spawn key the fit regime's index
_DETECTOR_ENTROPY = 0x5EED_DE7E_C70B
#: share of training objects above the threshold
_QUANTILE = 0.99


@dataclass(frozen=True)
class Detector:
    """A fitted novelty detector.

    Attributes
    ----------
    prototypes : (k, 4) float64
        The fitted feature vectors.
    threshold : float
        Scores above it are flagged.
    regime : str
        The regime it was fitted on.
    """

    prototypes: np.ndarray
    threshold: float
    regime: str

    def score(self, features: np.ndarray) -> np.ndarray:
        """(m,) float64 novelty scores of (m, 4) feature vectors."""
        f = np.atleast_2d(np.asarray(features, dtype=np.float64))
        d = np.sqrt(((f[:, None, :] - self.prototypes[None, :, :]) ** 2).sum(axis=2))
        return d.min(axis=1)

    def flags(self, features: np.ndarray) -> np.ndarray:
        """(m,) bool: which feature vectors the detector flags."""
        return self.score(features) > self.threshold


def object_features(kind: int, ripeness: float, sun: float, p: Mapping) -> tuple[float, ...]:
    """(redness, brightness, container, berry_shape) of an object under light ``sun``.

    Plain-Python twin of ``kernel._features`` (the same operations in the same order).
    """
    if (
        kind == BERRY_KIND
    ):  # riper is redder (and heavier); a berry is dim, a little shinier in sun
        return (0.4 + 0.6 * ripeness, 0.1 + 0.2 * sun, 0.0, 1.0)
    if kind == BUCKET_KIND:  # a grey metal pail: it shines in the sun
        return (0.1, 0.2 + p["bucket_shine"] * sun, p["bucket_container"], 0.0)
    if kind == POST_KIND:  # a grey lamp post: dull by day, the brightest thing once lit
        return (0.1, 1.0 if sun < p["lamp_on_below"] else 0.1 + 0.2 * sun, 0.0, 0.0)
    # a person with a big red nose: red and round, on a large dull body
    return (0.9, 0.1 + 0.3 * sun, 0.0, 0.5)


def fit_detector(p: Mapping) -> Detector:
    """Fit the detector of a strawberry world with parameters ``p`` (see the module doc)."""
    regime = p["detector_fit"]
    sun_mode, person = REGIMES[regime]
    rng = np.random.default_rng(
        np.random.SeedSequence(_DETECTOR_ENTROPY, spawn_key=(list(REGIMES).index(regime),))
    )
    kinds = [BERRY_KIND] * p["n_berries"] + [BUCKET_KIND, POST_KIND] + [PERSON_KIND] * person
    n_episodes = -(-p["detector_samples"] // len(kinds))  # whole episodes: every kind is seen
    rows = []
    for _ in range(n_episodes):
        sun = 1.0 if sun_mode == SUN_FULL else 0.0 if sun_mode == SUN_NONE else rng.random()
        for kind in kinds:
            rows.append(object_features(kind, rng.random(), sun, p))
    prototypes = np.array(rows, dtype=np.float64)
    d = np.sqrt(((prototypes[:, None, :] - prototypes[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(d, np.inf)
    loo = d.min(axis=1)
    threshold = max(float(p["novelty_floor"]), float(np.quantile(loo, _QUANTILE)))
    return Detector(prototypes=prototypes, threshold=threshold, regime=regime)
