"""What a reflex network in the strawberry world senses: the kernel's side of
``params.NET_FEATURES`` (the step-wise twin is ``rules.StrawberryRules._features_now``)."""

from __future__ import annotations

from numba import njit

from evomesa.agents.kernels import sense
from evomesa.worlds.grid_senses import sense_place
from evomesa.worlds.strawberry.params import (
    F_BERRY,
    F_BRIGHT,
    F_RED,
    X_BRIGHT_SEEN,
    X_BRIGHTNESS,
    X_CARRY,
    X_LABEL_HERE,
    X_LABELLED,
    X_NOVELTY,
    X_RED_SEEN,
    X_RED_SHAPE,
    X_REDNESS,
)


@njit(cache=True, nogil=True)
def sense_all(mind, state, carrying, red, rdx, rdy, red_d, br, bdx, bdy, br_d, feats, vision,
               novel_now, labelled, label_here):  # fmt: skip
    """Show a reflex network what the table's factors are built from: whether it carries, the
    nearest red thing and the brightest thing (-1: none) with how they look, the flagged
    novelty, and where a human said the bucket is; twin: ``rules._features_now``."""
    sense(mind, state, X_CARRY, 1.0 if carrying else 0.0)
    sense_place(mind, state, X_RED_SEEN, red >= 0, rdx, rdy, red_d, vision)
    sense(mind, state, X_REDNESS, feats[F_RED, red] if red >= 0 else 0.0)
    sense(mind, state, X_RED_SHAPE, feats[F_BERRY, red] if red >= 0 else 0.0)
    sense_place(mind, state, X_BRIGHT_SEEN, br >= 0, bdx, bdy, br_d, vision)
    sense(mind, state, X_BRIGHTNESS, feats[F_BRIGHT, br] if br >= 0 else 0.0)
    sense(mind, state, X_NOVELTY, novel_now / 2.0)
    sense(mind, state, X_LABELLED, 1.0 if labelled else 0.0)
    sense(mind, state, X_LABEL_HERE, 1.0 if label_here else 0.0)
