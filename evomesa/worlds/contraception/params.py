"""Parameters, regimes and declarations of the contraception world.

Every default is chosen for realism at the scale of a 12 x 12 home range; its rationale is the
second half of its doc (after the semicolon). Time is counted in steps: one step is one move
or one interaction.
"""

from __future__ import annotations

import math

from evomesa.worlds.base import Factor, Feature, Param
from evomesa.worlds.grid import MOVES
from evomesa.worlds.grid_senses import PLACE_MOVES, PLACE_PARTS

# ---- declarations

DRIVES = ("satiety", "sweet", "sex", "offspring", "toil")
SATIETY, SWEET, SEX, OFFSPRING, TOIL = range(len(DRIVES))

ACTIONS = (*MOVES, "wait", "eat", "mate", "mate_protected")
WAIT, EAT, MATE, MATE_PROTECTED = 4, 5, 6, 7

EVENTS = ("fruit", "junk", "mate", "protected_mate")
ATE_FRUIT, ATE_JUNK, MATED, MATED_PROTECTED = range(len(EVENTS))

DIRECTIONS = ("none", "here", *MOVES)
FACTORS = (
    Factor("food", DIRECTIONS),  # where the nearest visible food is
    Factor("sweet", ("low", "high")),  # is it sweeter than a typical fruit?
    Factor("mate", DIRECTIONS),  # where the nearest visible mate is
    Factor("offer", ("no", "yes")),  # does that mate offer protection?
    Factor("energy", ("low", "high")),  # is the agent's energy at least half the maximum?
)

#: what a reflex network senses: the information the factors are built from, graded
FEATURES = (
    Feature(
        "food_seen",
        0.0,
        1.0,
        "1 when a food item is in sight, else 0; the factor food's 'none' level",
    ),
    Feature(
        "food_here",
        0.0,
        1.0,
        "1 when that food is on the agent's own cell; the factor food's 'here' level",
    ),
    *(
        Feature(
            f"food_{move}",
            0.0,
            1.0,
            f"share of the way to that food lying {move} (e.g. food_east: max(0, dx) / (|dx| + "
            "|dy|); 0 when here or none; y grows southward); the four shares, the factor food's "
            "direction, whose move has the largest",
        )
        for move in PLACE_MOVES
    ),
    Feature(
        "food_near",
        0.0,
        1.0,
        "1 - distance / (vision + 1) (1 here, 0 without one); the "
        "distance the table's direction levels leave out, graded",
    ),
    Feature(
        "food_sweet",
        0.0,
        1.0,
        "its sweetness over the sweetest food either regime holds "
        "(max(2 fruit_sweet, junk_sweet)); the factor sweet, graded: what tells a ripe fruit "
        "before it is eaten, and what makes junk food a supernormal stimulus",
    ),
    Feature(
        "mate_seen",
        0.0,
        1.0,
        "1 when a mate is in sight (and no food on the agent's "
        "cell fills its senses), else 0; the factor mate's 'none' level",
    ),
    Feature(
        "mate_here",
        0.0,
        1.0,
        "1 when that mate is on the agent's cell; the factor mate's 'here' level",
    ),
    *(
        Feature(f"mate_{move}", 0.0, 1.0, f"as food_{move}, to the nearest mate in sight")
        for move in PLACE_MOVES
    ),
    Feature("mate_near", 0.0, 1.0, "1 - distance / (vision + 1) to it; as food_near"),
    Feature("mate_offers", 0.0, 1.0, "1 when that mate offers protection; the factor offer"),
    Feature(
        "energy",
        0.0,
        1.0,
        "energy over max_energy; the factor energy, graded: hunger is felt by degree",
    ),
)
#: feature indices (x: a network input)
X_FOOD_SEEN = 0  # the seven features of where food lies (grid_senses.PLACE_PARTS), then
X_FOOD_SWEET = X_FOOD_SEEN + len(PLACE_PARTS)
X_MATE_SEEN = X_FOOD_SWEET + 1  # the seven of where the mate lies, then
X_MATE_OFFERS = X_MATE_SEEN + len(PLACE_PARTS)
X_ENERGY = X_MATE_OFFERS + 1

#: observation index = sum of level index x stride, first factor most significant
STRIDES = tuple(math.prod(len(g.levels) for g in FACTORS[k + 1 :]) for k in range(len(FACTORS)))

# Item kinds.
FRUIT, MATE_ITEM, JUNK = 0, 1, 2

#: (junk food present, contraception offered) per regime
REGIMES = {
    "ancestral": (False, False),
    "modern": (True, True),
    "contraception_only": (False, True),
    "junk_food_only": (True, False),
}
DEFAULT_SHIFT = ("ancestral", "modern")

PARAMETERS = {
    "width": Param(12, 3, 64, "grid width (cells, on a torus); a home range a dozen steps across"),
    "height": Param(12, 3, 64, "grid height (cells); square, like the home range"),
    "steps": Param(
        150,
        1,
        10_000,
        "episode length in steps; a reproductive life with room for several births and "
        "rearings (gestation + rearing = 40 steps) in turn",
    ),
    "n_fruit": Param(
        8, 1, 200, "fruit items on the grid; the nearest is a few steps away, as in a good range"
    ),
    "n_mates": Param(
        3, 0, 200, "potential mates on the grid; fewer than fruit: partners are scarcer than food"
    ),
    "n_junk": Param(
        8,
        0,
        200,
        "junk-food items, in the junk-food regimes only; as common as fruit: cheap and everywhere",
    ),
    "contraception_share": Param(
        0.9,
        0.0,
        1.0,
        "chance a mate offers protection, in the contraception regimes only; most modern "
        "encounters can be protected",
    ),
    "max_energy": Param(100.0, 1.0, 1e6, "energy cap; four typical fruits fill it"),
    "start_energy": Param(60.0, 0.001, 1e6, "energy at the start of an episode; fed, not full"),
    "energy_decay": Param(
        1.0, 0.0, 1e6, "energy lost every step; the unit of metabolism all costs are scaled to"
    ),
    "fruit_energy": Param(
        25.0,
        0.001,
        1e6,
        "mean energy of a fruit (the unit of satiety); a meal lasts 25 steps of metabolism",
    ),
    "ripeness_spread": Param(
        0.8,
        0.0,
        1.0,
        "a fruit's energy ranges over (1 -/+ spread) x fruit_energy with its ripeness; unripe "
        "wild fruit holds a fraction of the sugar of ripe fruit",
    ),
    "fruit_sweet": Param(
        1.0,
        0.0,
        1e6,
        "mean sweetness of a fruit; sweetness is 2 x ripeness x fruit_sweet, so it tells a "
        "fruit's energy before it is eaten, which nothing else does",
    ),
    "junk_energy": Param(
        5.0, 0.0, 1e6, "energy in a junk-food item; a fifth of a typical fruit: empty calories"
    ),
    "junk_sweet": Param(
        3.0,
        0.0,
        1e6,
        "sweetness of a junk-food item; above the ripest fruit (2 x fruit_sweet): refined sugar "
        "is a supernormal stimulus",
    ),
    "mate_cost": Param(8.0, 0.0, 1e6, "energy spent per mating act; about a third of a meal"),
    "p_conceive": Param(
        0.5,
        0.0,
        1.0,
        "chance an unprotected mating conceives (hidden); one mating stands for a fertile "
        "period's attempts",
    ),
    "gestation": Param(
        20,
        1,
        1000,
        "steps from conception to birth; long against a foraging decision of a few steps, as "
        "nine months is against a day's choices",
    ),
    "rear_cost": Param(
        0.5,
        0.0,
        1e6,
        "energy per step per child being reared (felt as toil); a nursing parent needs about "
        "half as much again per child",
    ),
    "rear_time": Param(
        20, 1, 1000, "steps each newborn is reared; as long as a gestation, as in large mammals"
    ),
    "brain_cost": Param(
        0.02,
        0.0,
        1e3,
        "planner energy per step per step of horizon; a 10-step lookahead costs a fifth of "
        "metabolism, as the human brain does",
    ),
    "max_horizon": Param(
        40,
        1,
        1000,
        "longest planning horizon a genome can encode; enough to foresee a birth (distance + "
        "gestation) and part of its rearing",
    ),
    "vision": Param(
        12, 1, 256, "how far (Manhattan, on the torus) items are perceived; the whole range"
    ),
}

# Packed parameter layouts passed to the kernel (ints, floats): one compiled signature for all.
INT_KEYS = (
    "width",
    "height",
    "steps",
    "n_fruit",
    "n_mates",
    "gestation",
    "rear_time",
    "vision",
)
FLOAT_KEYS = (
    "max_energy",
    "start_energy",
    "energy_decay",
    "fruit_energy",
    "ripeness_spread",
    "fruit_sweet",
    "junk_energy",
    "junk_sweet",
    "mate_cost",
    "p_conceive",
    "rear_cost",
    "brain_cost",
)
I_W, I_H, I_T, I_NF, I_NM, I_G, I_R, I_V = range(len(INT_KEYS))
(
    F_EMAX,
    F_E0,
    F_DECAY,
    F_FRUIT_E,
    F_SPREAD,
    F_FRUIT_S,
    F_JUNK_E,
    F_JUNK_S,
    F_MATE_C,
    F_PCONC,
    F_REAR_C,
    F_BRAIN,
) = range(len(FLOAT_KEYS))
