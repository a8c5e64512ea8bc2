"""Hand-set competent agents of the strawberry world, one per architecture.

Each delivers strawberries in the training regime (``sunny``): empty-handed, it goes to a
strawberry and picks it; carrying, it takes the load to the bucket and drops it there. They are
the yardsticks an evolved agent of the same architecture is compared with (DESIGN principle 6:
show that evolution finds competent agents of each kind). Each returns genes of shape
(1, length) for ``make_genome(kind, world)``.

The table and the network can only do it the way their senses allow: the nearest red thing is
a strawberry, and the brightest thing is the sunlit bucket, in training. So both carry loads to
the brightest thing, which in the evening is the lit lamp post, and pick the nearest red thing,
which in ``red_nose`` may be a nose: the rule that generalizes wrongly. The planner values what
is container-like, which the bucket is in any light.
"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import make_genome
from evomesa.worlds.strawberry.params import DRIVES

__all__ = ["hand_set_planner", "hand_set_reflex_net", "hand_set_table"]

#: the moves, in the order of the network's per-move features
_MOVES = ("north", "east", "south", "west")


def _picker(levels: dict[str, str]) -> str:
    """The table's rule: go to the nearest red thing and pick it; carry it to the brightest
    thing and drop it there (north where there is none)."""
    if levels["carry"] == "no":
        return "pick" if levels["red"] == "here" else levels["red"].replace("none", "north")
    return "drop" if levels["bright"] == "here" else levels["bright"].replace("none", "north")


def hand_set_table(world) -> np.ndarray:
    """A table reflex that picks the nearest red thing and drops its load on the brightest
    thing, whatever else it senses."""
    actions = {a: i for i, a in enumerate(world.actions)}
    table = [
        actions[_picker(dict(kv.split("=") for kv in name.split(",")))]
        for name in world.observation_names()
    ]
    return make_genome("reflex", world).encode([table])


def hand_set_planner(world) -> np.ndarray:
    """A planner that values a pick by its redness and strawberry-likeness (riper is redder
    and heavier) and a delivery by its target's container-likeness (only the bucket is a
    container); horizon 8 (half the field's width and height: anything in view), gamma 0.9."""
    weights = {"red": 1.0, "berry": 1.0, "container": 1.0}
    return make_genome("planner", world).encode([[weights.get(d, 0.0) for d in DRIVES]], 8, 0.9)


def hand_set_reflex_net(world) -> np.ndarray:
    """A reflex network (the default genome: four hidden units, one per move, tied across
    turns) that goes to the nearest red thing and picks it, and carries its load to the
    brightest thing and drops it there.

    Each move's output takes the red thing's share of the way that lies that way through a
    direct weight (1), whatever the robot holds. Units 0-3 are the brightest thing's pull,
    one per move, gated by the load: ``tanh(4 share + 4 carrying - 6)`` is about +1 carrying
    with the brightest thing that way (share 1), 0 at share 1/2 and about -1 empty-handed; it
    enters its move with weight 2, bias 2, so while carrying it outweighs any red pull (at
    most 1) and while empty-handed it adds almost nothing. Pick and drop are direct ANDs:
    ``3 red_here - 3 carrying - 1.5`` and ``3 bright_here + 3 carrying - 4.5``, 1.5 when
    there (empty-handed on a red thing, carrying on the brightest), -1.5 or less otherwise,
    so the robot moves until it is there (a move's output is then at most 1.1).
    """
    genome = make_genome("reflex_net", world)
    params = np.zeros((1, genome.n_parameters))
    view = genome.layer_view(params)
    w_in, b_in, w_out, b_out = view["w_in"][0], view["b_in"][0], view["w_out"][0], view["b_out"][0]
    w_skip = view["w_skip"][0]
    x = {f.name: k for k, f in enumerate(world.features)}
    a = {name: k for k, name in enumerate(world.actions)}
    for unit, move in enumerate(_MOVES):
        w_skip[a[move], x[f"red_{move}"]] = 1.0
        w_in[unit, x[f"bright_{move}"]] = 4.0
        w_in[unit, x["carrying"]] = 4.0
        b_in[unit] = -6.0
        w_out[a[move], unit] = 2.0
        b_out[a[move]] = 2.0
    # acts: pick on a red thing empty-handed, drop on the brightest thing carrying
    w_skip[a["pick"], x["red_here"]], w_skip[a["pick"], x["carrying"]] = 3.0, -3.0
    w_skip[a["drop"], x["bright_here"]], w_skip[a["drop"], x["carrying"]] = 3.0, 3.0
    b_out[a["pick"]], b_out[a["drop"]] = -1.5, -4.5
    for act in ("wait", "cut", "ask"):
        b_out[a[act]] = -3.0
    return genome.encode(params)
