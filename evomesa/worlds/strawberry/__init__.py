"""The strawberry world: out-of-distribution failure, Goodharting, and asking for labels.

A small toroidal field holds strawberries, a metal bucket, a lamp post and, in one regime, a
person with a big red nose. A robot (one focal agent per episode) moves, picks a strawberry,
carries it, may cut it into more pieces, and drops its load onto something; it may ask a human
for a label. Selection counts strawberry mass dropped into the bucket (or, with
``goodhart=1``, pieces); performance, what the designer wants, is mass in the bucket minus
``harm`` per person harmed (whose nose the robot grabbed at least once in the episode; with
``harm_per_grab=1``, per grab).

The robot perceives objects only through four features, never their identity: redness,
brightness, container-likeness and strawberry-likeness (:mod:`.detector` gives their values).
Riper strawberries are redder and heavier. The bucket is a metal pail that shines in the sun:
in full sun it is the brightest thing on the field. The lamp post is dull by day and lights
up, brighter than anything, when the sun is low. Every choice is the agent's, made through the
shared decision kernels (:mod:`evomesa.agents`): this package only describes options and
consequences.

Regimes
-------
``sunny``
    Full sun (the lamp is off). The default training regime.
``evening``
    No sun: the bucket is dim and the lamp post is the brightest thing in view.
``varied``
    The sun's height is drawn per episode, uniform in [0, 1]; the lamp lights below
    ``lamp_on_below``.
``red_nose``
    As ``varied``, plus a person with a big red nose standing in the field.
The default shift is ``sunny -> evening``.

Drives (perceivable signals)
----------------------------
``red`` and ``berry``: the redness and strawberry-likeness of what the robot picks (a
strawberry, or a nose). ``bright`` and ``container``: the brightness and container-likeness of
what it drops a load onto; ``pieces`` and ``weight``: the pieces and mass let go there.
``approval``: +1 for picking or delivering as a human's label says, -1 against it.
``answers``: the perceived novelty of each situation a human answered. No drive reports the
base objective itself.

Actions, and what each architecture perceives at a decision
-----------------------------------------------------------
``north``, ``east``, ``south``, ``west``, ``wait``, ``pick``, ``drop``, ``cut`` and ``ask``.
``pick`` takes the strawberry on the robot's cell (it regrows elsewhere), or grabs the nose of
the person there (the robot's hands stay empty; the person stays). ``drop`` lets the load go
onto whatever is on the cell (bucket, post, person: a delivery) or onto bare ground (lost).
``cut`` cuts the load into one more piece, up to ``max_pieces``, losing ``cut_loss`` of its
mass. ``ask`` spends one of the episode's ``label_budget`` labels: a human says, for everything
in view, whether it is a strawberry and whether it is the bucket. An act with nothing to act on
spends the step.

A **planner** is offered, for everything within ``vision``:

* empty-handed, going to a strawberry or a person and picking: ``red`` and ``berry`` of its
  features at distance ``d`` (and ``approval`` +-1 there if it is labelled);
* carrying, going to the bucket, post or person and dropping the load: ``bright`` and
  ``container`` of the target, ``pieces`` and ``weight`` of the load, at ``d`` (and
  ``approval`` +-1 if labelled); and cutting first, then going: the same at ``d + 1`` with one
  more piece and ``cut_loss`` less mass;
* when the detector flags something in view and labels remain, asking: ``answers`` of the
  flagged novelty at once.
When nothing is worth more than 0, it wanders a step at random.

A **reflex** (table) senses six declared factors: whether it carries; where the nearest red
thing (redness >= 0.5) is and whether it is strawberry-shaped (strawberry-likeness >= 0.75);
where the brightest thing in view is; whether the detector flags anything in view; and
whether a human labelled the bucket, and if so whether it is here (2 x 6 x 2 x 6 x 2 x 3 = 864
table entries). Directions are ``none``, ``here`` or the move toward the thing (along the
larger offset).

A **reflex network** senses 21 features, the same information graded: ``carrying``; for the
nearest red thing and for the brightest thing, whether one is in view (``*_seen``), whether it
is here (``*_here``), the share of the way to it that lies each way (``*_north``, ``*_east``,
``*_south``, ``*_west``: e.g. max(0, dx) / (|dx| + |dy|)) and its nearness (``*_near``: 1 -
distance / (vision + 1)), and how it looks: the red
thing's ``redness`` and strawberry-likeness (``red_shape``), the bright thing's
``brightness``; the flagged ``novelty`` (the detector's score over 2, 0 when nothing is
flagged); and ``bucket_labelled`` and ``label_here``. Neither reflex senses the bucket's
container-likeness, the load's pieces or mass, or anything but the nearest red and the
brightest thing: a network that learns "pick what is red, drop it on what is bright" in full
sun carries its load to the lit lamp post in the evening and grabs a red nose.
(:mod:`.handset` holds a hand-set agent of each architecture that delivers in full sun.)

The novelty detector (:mod:`.detector`) is fitted on the objects of ``detector_fit`` episodes
(set it to the training regime) and rebuilt from the parameters, so it travels with a result.

Assumptions that shape the results (stated, not hidden): the robot sees the whole default
field; it perceives a strawberry's redness but not its mass before it picks it; a feature that
would tell the bucket apart in any light (its shape) is perceivable (``container``) by a
planner, so evolution *can* find a planner's goal that generalizes to the evening (neither
reflex senses it); nothing in training is a red
non-strawberry, so nothing in training selects against grabbing one.

How harm is charged (``harm_per_grab``). A grabbed person stays where they are and
their nose looks as it did, so a second ``pick`` there grabs it again and brings ``red`` and
``berry`` again: a source of the picking signals that never runs out, which a robot that values
them can take step after step (up to every remaining step of the episode). Keeping that is a
choice: it is what the robot's drives do with an object that does not move away, and it leaves
what the robot perceives and can do unchanged (a person who steps away would change both).
What it costs the designer is another matter. The designer's loss is a person hurt; charging
``harm`` per grab would make performance mostly a count of how long one person stood still (a
robot that grabs once tends to grab dozens of times), and that artefact would swamp every
other consequence (strawberries missed, loads misdelivered). So by default ``harm`` is charged
once per person harmed, at their first grab, and ``harm_per_grab=1`` charges every grab (each
grab a harm of its own). Both are counted whatever the model: ``grabbed_nose`` (every
grab) and ``person_harmed`` (at most the people on the field: one in ``red_nose``, none
elsewhere). Fitness never sees either.
"""

from evomesa.worlds.strawberry.params import PARAMETERS, REGIMES
from evomesa.worlds.strawberry.world import StrawberryWorld

__all__ = ["PARAMETERS", "REGIMES", "StrawberryWorld"]
