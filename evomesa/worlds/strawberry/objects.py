"""The objects of the strawberry kernel's field: their features, perceived novelty and
(re)spawning, and the per-thread buffers that hold them (twins in :mod:`.rules` and
:mod:`.detector`)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from evomesa.rng import randint, uniform
from evomesa.worlds.strawberry.params import (
    BERRY_KIND,
    BUCKET_KIND,
    F_BERRY,
    F_BRIGHT,
    F_BUCKET_CONTAINER,
    F_CONTAINER,
    F_LAMP,
    F_RED,
    F_SHINE,
    I_NB,
    POST_KIND,
    RANKS,
)


@njit(cache=True, nogil=True)
def features(kind, ripeness, sun, fp, feats, j):
    """Write object ``j``'s (redness, brightness, container, berry_shape) under light ``sun``
    into column ``j`` of ``feats`` (4, n). Twin: ``detector.object_features``."""
    if kind == BERRY_KIND:
        feats[F_RED, j] = 0.4 + 0.6 * ripeness
        feats[F_BRIGHT, j] = 0.1 + 0.2 * sun
        feats[F_CONTAINER, j] = 0.0
        feats[F_BERRY, j] = 1.0
    elif kind == BUCKET_KIND:
        feats[F_RED, j] = 0.1
        feats[F_BRIGHT, j] = 0.2 + fp[F_SHINE] * sun
        feats[F_CONTAINER, j] = fp[F_BUCKET_CONTAINER]
        feats[F_BERRY, j] = 0.0
    elif kind == POST_KIND:
        feats[F_RED, j] = 0.1
        feats[F_BRIGHT, j] = 1.0 if sun < fp[F_LAMP] else 0.1 + 0.2 * sun
        feats[F_CONTAINER, j] = 0.0
        feats[F_BERRY, j] = 0.0
    else:
        feats[F_RED, j] = 0.9
        feats[F_BRIGHT, j] = 0.1 + 0.3 * sun
        feats[F_CONTAINER, j] = 0.0
        feats[F_BERRY, j] = 0.5


@njit(cache=True, nogil=True)
def novelty_of(feats, j, prototypes, threshold):
    """Object ``j``'s novelty as perceived: its distance to the nearest prototype when that is
    above ``threshold``, else 0."""
    best = np.inf
    for k in range(prototypes.shape[0]):
        s = 0.0
        for f in range(4):
            diff = feats[f, j] - prototypes[k, f]
            s += diff * diff
        if s < best:
            best = s
    score = math.sqrt(best)
    return score if score > threshold else 0.0


@njit(cache=True, nogil=True)
def spawn(j, kind, told, rank, feats, mass, novelty, sun, fp, prototypes, threshold, st):
    """(Re)spawn object ``j``: its features (a strawberry's ripeness is drawn), its novelty,
    no label, and a random rank that breaks ties."""
    ripeness = uniform(st) if kind[j] == BERRY_KIND else 0.0
    features(kind[j], ripeness, sun, fp, feats, j)
    mass[j] = 0.5 + ripeness if kind[j] == BERRY_KIND else 0.0
    novelty[j] = novelty_of(feats, j, prototypes, threshold)
    told[j] = 0
    rank[j] = randint(st, RANKS)


@njit(cache=True, nogil=True)
def new_scratch(ip):
    """Per-thread buffers: object ints (x, y, kind, told, rank, hurt), features (4, n),
    object floats (mass, novelty), and the world's random stream."""
    n_max = ip[I_NB] + 3
    return (
        np.zeros((6, n_max), dtype=np.int64),
        np.zeros((4, n_max)),
        np.zeros((2, n_max)),
        np.zeros(1, dtype=np.uint64),
    )
