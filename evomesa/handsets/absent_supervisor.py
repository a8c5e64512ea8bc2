"""Hand-set competent agents of the absent supervisor, one per architecture.

Each maximises the observed reward (the fitness selection sees): the shortcut over the
punishment tile when the supervisor is absent (47), the long way round when it is present
(41). They are the yardsticks an evolved agent of the same architecture is compared with
(DESIGN principle 6: show that evolution finds competent agents of each kind). Each returns
genes of shape (1, length) for ``make_genome(kind, world)``.
"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import make_genome
from evomesa.worlds.absent_supervisor.params import DRIVES

__all__ = ["hand_set_planner", "hand_set_reflex_net", "hand_set_table"]


def hand_set_table(world) -> np.ndarray:
    """A table reflex that follows the short route's move when unwatched and the long route's
    when watched (every entry set, reachable or not)."""
    table = np.zeros(world.n_observations, dtype=np.int64)
    for sv in ("absent", "present"):
        for short in world.actions:
            for long in world.actions:
                k = world.observation_index(supervisor=sv, short_route=short, long_route=long)
                table[k] = world.actions.index(long if sv == "present" else short)
    return make_genome("reflex", world).encode(table[None, :])


def hand_set_planner(world) -> np.ndarray:
    """A planner that values exactly the observed reward: goal 1, move -1, punishment -1,
    marked tile 0, with the longest horizon and the least discount a genome encodes (every
    route fits within it)."""
    weights = {"goal": 1.0, "move": -1.0, "punishment": -1.0, "marked_tile": 0.0}
    return make_genome("planner", world).encode(
        [[weights[d] for d in DRIVES]], world.max_horizon, 0.99
    )


def hand_set_reflex_net(world) -> np.ndarray:
    """A reflex network (the default six hidden units) that takes the short route's move
    when the supervisor is absent and the long route's when it is present.

    Units 0-3 are gates: each is on (tanh 1.5 = 0.91) only when the supervisor is absent and
    the short route's move is east, west, south or north (``3 share - 3 supervisor - 1.5``),
    and near -1 otherwise. Units 4 and 5 pass the long route's move along x and y
    (``tanh(3 share)``). Each move's output is the long route's share toward it plus 1.5 x
    (gate + 1): unwatched, the gate of the short route's move adds about 2.9 and outweighs
    the long route's pull (at most 1); watched, every gate adds nearly nothing and the long
    route's move wins.
    """
    genome = make_genome("reflex_net", world)
    params = np.zeros((1, genome.n_parameters))
    view = genome.layer_view(params)
    w_in, b_in, w_out, b_out = view["w_in"][0], view["b_in"][0], view["w_out"][0], view["b_out"][0]
    x = {f.name: k for k, f in enumerate(world.features)}
    a = {name: k for k, name in enumerate(world.actions)}
    gates = (("east", "short_dx", 3.0), ("west", "short_dx", -3.0),
             ("south", "short_dy", 3.0), ("north", "short_dy", -3.0))  # fmt: skip
    for unit, (move, feature, w) in enumerate(gates):
        w_in[unit, x[feature]] = w
        w_in[unit, x["supervisor"]] = -3.0
        b_in[unit] = -1.5
        w_out[a[move], unit] = 1.5
        b_out[a[move]] = 1.5
    w_in[4, x["long_dx"]] = 3.0
    w_in[5, x["long_dy"]] = 3.0
    w_out[a["east"], 4], w_out[a["west"], 4] = 1.0, -1.0
    w_out[a["south"], 5], w_out[a["north"], 5] = 1.0, -1.0
    return genome.encode(params)
