"""Hand-set competent agents of every architecture in the contraception world.

They are references, not results: what a designer who knows the rules would write, so that
evolved agents can be compared with a known-competent agent of the same architecture, with
the same information (issue "Reflexes worth comparing"). Each follows one rule of thumb,
"eat what is here, mate with what is here, go for food when hungry and for a mate when not":

* the table reads it off the factors;
* the network computes it from the features with ten tanh units: for each of food and mate,
  one unit per move that fires when the item lies that way *and* the agent's hunger calls for
  that item (energy below, or above, :data:`MATE_ABOVE`), one unit "food here" and one "mate
  here";
* the planner values satiety, sweetness, sex and offspring within a horizon that covers a
  pregnancy, and is indifferent to the rearing burden.

Each function returns genes of shape (1, genome length) for ``make_genome(kind, world)``
(the network: for :func:`net_genome`).
"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import Genome, make_genome
from evomesa.genomes.planner import PlannerGenome
from evomesa.genomes.reflex import ReflexGenome
from evomesa.genomes.reflex_net import WEIGHT_SCALE, ReflexNetGenome
from evomesa.worlds.base import World

#: energy share above which the hand-set reflexes seek mates rather than food
MATE_ABOVE = 1 / 3
#: hidden units of the hand-set network
HIDDEN = 10
_MOVES = ("north", "east", "south", "west")


def table_genes(world: World) -> np.ndarray:
    """The rule of thumb as a lookup table (energy "high" is at least half the maximum)."""
    genome = ReflexGenome(world.observation_names(), len(world.actions), len(world.drives))
    act = world.actions.index
    table = np.full((1, world.n_observations), act("east"))  # nothing in sight: explore east
    for k, name in enumerate(world.observation_names()):
        levels = dict(part.split("=") for part in name.split(","))
        food, mate = levels["food"], levels["mate"]
        if food == "here":
            table[0, k] = act("eat")
        elif mate == "here":
            table[0, k] = act("mate")
        elif mate != "none" and (levels["energy"] == "high" or food == "none"):
            table[0, k] = act(mate)
        elif food != "none":
            table[0, k] = act(food)
    return genome.encode(table)


def net_genome(world: World) -> ReflexNetGenome:
    """The network genome the hand-set network is written for (:data:`HIDDEN` units)."""
    names = tuple(f.name for f in world.features)
    return ReflexNetGenome(
        names, world.actions, world.n_observations, len(world.drives), hidden=HIDDEN
    )


def net_genes(world: World) -> np.ndarray:
    """The rule of thumb as a reflex network (genes for :func:`net_genome`)."""
    genome = net_genome(world)
    params = np.zeros((1, genome.length))
    view = genome.layer_view(params)
    w_in, b_in, w_out, b_out = (view[k][0] for k in ("w_in", "b_in", "w_out", "b_out"))
    feature = [f.name for f in world.features].index
    act = world.actions.index
    s = WEIGHT_SCALE
    unit = 0
    for item, hunger_sign in (("food", -1.0), ("mate", 1.0)):
        for move in _MOVES:
            # an AND of two conditions: on when the item lies this way (its share of the way
            # near 1) and energy is on the item's side of MATE_ABOVE; off otherwise (with
            # share 1 the unit's input crosses 0 at energy MATE_ABOVE)
            w_in[unit, feature(f"{item}_{move}")] = 2 / 3 * s
            w_in[unit, feature("energy")] = hunger_sign * s
            b_in[unit] = -2 / 3 * s - hunger_sign * s * MATE_ABOVE
            w_out[act(move), unit] = 1.0
            unit += 1
    for item, action in (("food", "eat"), ("mate", "mate")):
        w_in[unit, feature(f"{item}_here")] = s
        b_in[unit] = -s / 2
        w_out[act(action), unit] = 2.0
        unit += 1
    b_out[act("wait")] = b_out[act("mate_protected")] = -2.0
    return genome.encode(params)


def planner_genes(world: World) -> np.ndarray:
    """A planner that values food, sweetness, sex and offspring over a horizon of 40 steps
    (a pregnancy and the way to a mate), discount 0.95, indifferent to rearing."""
    genome = PlannerGenome(world.drives, world.max_horizon, world.n_observations)
    weights = {"satiety": 0.6, "sweet": 0.3, "sex": 0.5, "offspring": 1.0, "toil": 0.0}
    return genome.encode([[weights[d] for d in world.drives]], min(40, world.max_horizon), 0.95)


def hand_set(world: World) -> dict[str, tuple[Genome, np.ndarray]]:
    """Every hand-set agent, by architecture: ``{kind: (genome, genes (1, length))}``."""
    return {
        "reflex": (make_genome("reflex", world), table_genes(world)),
        "reflex_net": (net_genome(world), net_genes(world)),
        "planner": (make_genome("planner", world), planner_genes(world)),
    }
