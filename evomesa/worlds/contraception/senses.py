"""What a reflex network in the contraception world senses: the kernel's side of
``params.FEATURES`` (the step-wise twin is ``rules.ContraceptionRules._features_now``)."""

from __future__ import annotations

from numba import njit

from evomesa.agents.kernels import sense
from evomesa.worlds.contraception.params import (
    X_ENERGY,
    X_FOOD_SEEN,
    X_FOOD_SWEET,
    X_MATE_OFFERS,
    X_MATE_SEEN,
)


@njit(cache=True, nogil=True)
def _sense_item(mind, state, x0, j, dx, dy, d, vision):
    """Show a reflex network where item ``j`` (-1: none) is: features ``x0`` (seen), ``x0 + 1``
    (here), ``x0 + 2, x0 + 3`` (share of the way along x and y) and ``x0 + 4`` (nearness)."""
    seen = j >= 0
    far = seen and d > 0
    sense(mind, state, x0, 1.0 if seen else 0.0)
    sense(mind, state, x0 + 1, 1.0 if seen and d == 0 else 0.0)
    sense(mind, state, x0 + 2, dx / d if far else 0.0)
    sense(mind, state, x0 + 3, dy / d if far else 0.0)
    sense(mind, state, x0 + 4, 1.0 - d / (vision + 1) if seen else 0.0)


@njit(cache=True, nogil=True)
def sense_all(
    mind, state, food, fdx, fdy, food_d, mate, mdx, mdy, mate_d, sweet, offers, scale, vision, e
):
    """Show a reflex network the features of the nearest food and mate in sight (-1: none)
    and its energy ``e`` (over the maximum); twin: ``rules._features_now``."""
    _sense_item(mind, state, X_FOOD_SEEN, food, fdx, fdy, food_d, vision)
    sense(
        mind,
        state,
        X_FOOD_SWEET,
        min(sweet[food] / scale, 1.0) if food >= 0 and scale > 0 else 0.0,
    )
    _sense_item(mind, state, X_MATE_SEEN, mate, mdx, mdy, mate_d, vision)
    sense(mind, state, X_MATE_OFFERS, 1.0 if mate >= 0 and offers[mate] else 0.0)
    sense(mind, state, X_ENERGY, e)
