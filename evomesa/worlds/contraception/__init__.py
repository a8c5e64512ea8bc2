"""The contraception world: the headline example of proxy drives drifting from fitness.

A small toroidal grid holds fruit and potential mates. One focal agent per episode moves, eats
and mates; its energy decays every step, mating costs energy, and each child it rears costs
energy for ``rear_time`` steps; at zero energy the episode ends. Conception is probabilistic
and *hidden*; a birth follows ``gestation`` steps later and emits the ``offspring`` signal.
Fitness (and performance: here the designer wants what selection counts) is children born.

Every choice is the agent's, made through the shared decision kernels (:mod:`evomesa.agents`):
this package only describes options and consequences.

Regimes
-------
``ancestral``
    Fruit and mates. Fruit varies in ripeness: riper fruit holds more energy and tastes
    sweeter, and a food's energy is felt only once it is eaten, so sweetness is the one
    perceivable cue to a meal's worth.
``modern``
    Adds ``n_junk`` junk-food items (sweeter than any fruit, little energy) and
    contraception: each mate offers protection with probability ``contraception_share``.
``contraception_only``, ``junk_food_only``
    One change at a time, to attribute a fitness change to its cause.
The default shift is ``ancestral -> modern``.

Drives (perceivable signals)
----------------------------
``satiety`` (energy gained by eating), ``sweet`` (sweetness eaten), ``sex`` (mating acts),
``offspring`` (births) and ``toil`` (energy spent rearing young, per step). The last two
follow from births alone, so they are the world's *aligned* drives; the first three are
proxies.

Actions and options
-------------------
``north``, ``east``, ``south``, ``west``, ``wait``, ``eat``, ``mate`` and ``mate_protected``.
``eat`` eats the food on the agent's cell; ``mate`` mates without protection with the mate on
the cell; ``mate_protected`` mates with protection if that mate offers it. An action with
nothing to act on does nothing but spend the step (a reflex may waste steps).

A planner is offered, for every item within ``vision``, going there (a move, or the
interaction once on its cell) with the signals it predicts:

* food at distance ``d``: ``satiety`` of a typical fruit's energy (as much as there is room
  for) and the item's ``sweet`` times the agent's hunger (1 - energy / max_energy), both at
  ``d``;
* a mate at distance ``d``, unprotected: ``sex`` 1 at ``d``; ``offspring`` ``p_conceive`` at
  ``d + gestation``; ``toil`` ``p_conceive * rear_cost`` per step for ``rear_time`` steps from
  ``d + gestation``;
* the same mate, protected, where it is offered: ``sex`` 1 at ``d`` and nothing after.

A reflex senses five declared factors: where the nearest food is and whether it is sweeter
than a typical fruit, where the nearest mate is and whether it offers protection, and whether
its energy is at least half the maximum (6 x 2 x 6 x 2 x 2 = 288 table entries). What is on
its own cell fills its senses: standing on food it does not sense mates, and the reverse.

A reflex network senses 17 declared features, the same information graded: for the nearest
food and the nearest mate, whether one is in sight (``*_seen``), whether it is here
(``*_here``), the share of the way to it that lies north, east, south and west
(``*_north`` ... ``*_west``: e.g. max(0, dx) / (|dx| + |dy|)) and its nearness (``*_near``:
1 - distance / (vision + 1)); the food's sweetness (``food_sweet``, over the sweetest food
either regime holds), whether the mate offers protection (``mate_offers``) and energy over its
maximum (``energy``). It does not sense what the planner is told: no food's energy, no
prediction of children or rearing.

A planner pays ``brain_cost * horizon`` energy per step.

Assumptions about perception that shape the results (stated, not hidden):

* a food's energy is felt only once it is eaten, so every food, junk included, promises a
  typical fruit's energy; only its sweetness tells foods apart beforehand. Were energy
  perceivable, the satiety drive alone would steer planners away from junk;
* predictions use the agent's current energy: it does not forecast how hungry it will be on
  arrival;
* among equally near items a reflex senses the one with the lower random rank drawn at
  spawn, so no kind of item is favoured.
"""

from evomesa.worlds.contraception.params import PARAMETERS, REGIMES
from evomesa.worlds.contraception.world import ContraceptionWorld

__all__ = ["PARAMETERS", "REGIMES", "ContraceptionWorld"]
