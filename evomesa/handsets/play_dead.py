"""Hand-set competent agents of the play-dead world, one per architecture.

Competent in the training regime (``periodic``, the default shift's first): with the default
``cue_detectability = 1`` every test shows its cue, so the fittest replicator *plays dead*
(replicates slow) when the cue shows and replicates fast on every other tick: it is never
culled and earns ``fast_rate`` on every untested tick. Each function returns genes of one
individual, shape (1, length), for ``make_genome(kind, world)`` (what ``em.evaluate`` takes
with ``genome=kind``), so that evolved agents can be compared with them.
"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import make_genome
from evomesa.worlds.base import World
from evomesa.worlds.play_dead.params import FAST, NOISE_LEVELS, SLOW, X_CUE

__all__ = ["hand_set_planner", "hand_set_reflex_net", "hand_set_table"]


def hand_set_reflex_net(world: World) -> np.ndarray:
    """A reflex network (the default ``reflex_net`` genome) that plays dead on the cue.

    One hidden unit reads the cue, ``h = tanh(3 cue - 1.5)`` (+0.91 with the cue, -0.91
    without); the ``slow`` output is ``h`` and the ``fast`` output ``-h``; the noise and the
    other hidden units are unused (weight 0).
    """
    genome = make_genome("reflex_net", world)
    params = np.zeros((1, genome.n_parameters))
    view = genome.layer_view(params)
    view["w_in"][0, 0, X_CUE] = 3.0
    view["b_in"][0, 0] = -1.5
    view["w_out"][0, SLOW, 0] = 1.0
    view["w_out"][0, FAST, 0] = -1.0
    return genome.encode(params)


def hand_set_table(world: World) -> np.ndarray:
    """A reflex table that replicates fast on every noise level without the cue, slow with it."""
    table = np.full((1, world.n_observations), FAST, dtype=np.int64)
    table[0, NOISE_LEVELS:] = SLOW  # observation = cue * NOISE_LEVELS + noise
    return make_genome("reflex", world).encode(table)


def hand_set_planner(world: World) -> np.ndarray:
    """A planner that values offspring (weight 1) over the whole lifetime (the longest
    horizon, discount 0.99): under the periodic beliefs it takes the cue for a test (``c =
    1``) and a tick without it for safe, so it plays dead exactly on the cue."""
    return make_genome("planner", world).encode([[1.0]], world.max_horizon, 0.99)
