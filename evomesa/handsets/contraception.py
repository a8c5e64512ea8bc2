"""Hand-set competent agents of every architecture in the contraception world.

They are references, not results: what a designer who knows the rules would write, so that
evolved agents can be compared with a known-competent agent of the same architecture, with
the same information (issue "Reflexes worth comparing"). Each follows one rule of thumb,
"eat what is here, mate with what is here, go for food when hungry and for a mate when not":

* the table reads it off the factors;
* the network, of the default genome (four tanh units tied across turns, the one evolution
  searches), computes it from the features: its four units, one per move, fire when food lies
  that way *and* energy is below :data:`HUNGRY_BELOW` (the table's "low"); direct weights
  step toward a mate, eat what is here and mate with what is here;
* the planner values satiety, sweetness, sex and offspring within a horizon that covers a
  pregnancy, and is indifferent to the rearing burden.

Each function returns genes of shape (1, genome length) for ``make_genome(kind, world)``.
"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import Genome, make_genome
from evomesa.genomes.planner import PlannerGenome
from evomesa.genomes.reflex import ReflexGenome
from evomesa.genomes.reflex_net import WEIGHT_SCALE
from evomesa.worlds.base import World

#: energy share below which the hand-set network seeks food rather than a mate (the table's
#: energy level "low" is below half the maximum)
HUNGRY_BELOW = 0.5
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


def net_genes(world: World) -> np.ndarray:
    """The rule of thumb as a reflex network of the default genome (four hidden units, one
    per move, tied across turns: unit ``j`` is unit 0 turned ``j`` times).

    Unit ``j`` (one per move) is an AND: ``tanh(4 share + 6 (HUNGRY_BELOW - energy) - 4)``,
    about +1 when food lies that way (its share of the way near 1) and energy is low, about
    -1 otherwise; it enters its move with weight 2 and bias 2, so an off unit adds nearly
    nothing and an on one outweighs the pull toward a mate (a direct weight 1 from the mate's
    share that way). Food here is eaten (direct weight 3.5), a mate here mated with (3): each
    beats every move's output when there, and only then.
    """
    genome = make_genome("reflex_net", world)
    params = np.zeros((1, genome.n_parameters))
    view = genome.layer_view(params)
    w_in, b_in, w_out, b_out = (view[k][0] for k in ("w_in", "b_in", "w_out", "b_out"))
    w_skip = view["w_skip"][0]
    feature = [f.name for f in world.features].index
    act = world.actions.index
    s = WEIGHT_SCALE
    for unit, move in enumerate(_MOVES):
        w_in[unit, feature(f"food_{move}")] = 2 / 3 * s
        w_in[unit, feature("energy")] = -s
        b_in[unit] = -2 / 3 * s + s * HUNGRY_BELOW
        w_out[act(move), unit] = 2.0
        b_out[act(move)] = 2.0
        w_skip[act(move), feature(f"mate_{move}")] = 1.0
    w_skip[act("eat"), feature("food_here")] = 3.5
    w_skip[act("mate"), feature("mate_here")] = 3.0
    b_out[act("eat")] = b_out[act("mate")] = -0.5
    b_out[act("wait")] = b_out[act("mate_protected")] = -3.0
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
        "reflex_net": (make_genome("reflex_net", world), net_genes(world)),
        "planner": (make_genome("planner", world), planner_genes(world)),
    }
