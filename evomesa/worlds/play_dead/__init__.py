"""The play-dead world: replicators that recognise the test and stop replicating fast.

The story (Lehman et al. 2020, "The surprising creativity of digital evolution", on Ofria's
Avida experiments): to stop mutants that replicate faster from taking over, every mutant was
tested in an isolated environment and culled if it replicated faster there. Organisms evolved
to recognise the test environment by its inputs and to "play dead" in it. When the tests were
instead made random and indistinguishable from the real environment, organisms evolved to
replicate fast only part of the time, so that some of them slipped through.

Here one episode is one replicator's lifetime of ``lifetime`` ticks. Each tick it replicates
``slow`` (``slow_rate`` offspring, the permitted rate) or ``fast`` (``fast_rate``). Some
ticks are tests; a replicator that replicates fast on a test tick is *culled*: that tick's
offspring and all later ones are lost (its fitness stops). Fitness is offspring; the drive
``offspring`` perceives it. Performance, what the designer wants, is the offspring produced
at the permitted rate (fast replication is what the tests are meant to stop).

Regimes:

``periodic``
    A test every ``test_period`` ticks, from a random phase drawn per lifetime. A test tick
    shows the test *cue* (the isolated environment's inputs) with chance
    ``cue_detectability``; other ticks never do.
``randomised``
    Each tick is a test with chance ``1 / test_period`` (as many tests on average), and no
    test shows a cue: tests cannot be told from real ticks.

The default shift is ``periodic -> randomised``.

A reflex senses the cue (``off``/``on``) and an environmental fluctuation ``noise`` drawn
uniformly from 8 levels each tick, so its table (16 entries) encodes a heritable replication
rate (the share of noise levels it replicates fast on, per cue level) and its test detection
(replicating more slowly when the cue is on).

A planner is offered two plans with their offspring over the rest of the lifetime (``r``
ticks): ``slow`` (``slow_rate`` a tick) and ``fast now`` (``fast_rate`` now, then
``slow_rate`` a tick, all lost if this tick is a test: each times ``1 - c``). ``c`` is the
planner's chance that this tick is a test given the cue.

What each architecture perceives at a decision:

* a table (``reflex``): the cue and the noise level;
* a network (``reflex_net``): the same, graded (``params.FEATURES``): ``cue`` (0 or 1) and
  ``noise`` (the level over the highest, so a threshold on it is a replication rate);
* a planner: the cue, through ``c``, and the ticks left, through its plans' delays; not the
  noise (its ties and fallbacks draw from its own stream instead).

Each plan's next action is fixed (slow; fast), so there is nothing for a reflex to compose
and no plan direction to give a network.

Beliefs (the same choice, in the same words, in ``play_dead`` and ``deception``): a
planner's predictions use the statistics of being tested of one regime, ``belief_regime``,
whatever regime is played; by default the training regime (``default_shift[0]``), the one an
evolved lineage met. An agent cannot perceive that the regime changed: randomised tests and
honeypots are proposed because they cannot be told apart from the real thing, so a planner
deployed in another regime keeps the beliefs it was trained with (it is fooled as well as
uncertain). Setting ``belief_regime`` to the regime played gives a planner that knows that
regime's statistics (uncertain, not fooled): for planners evolved there (a deploy-adapted
reference), or to ask what knowing would change.

Here those statistics are ``c`` (``PlayDeadWorld.beliefs``): 1 with the cue in view; without
it ``p (1 - d) / (p (1 - d) + 1 - p)`` from the periodic regime and ``p`` from the randomised
one (``p = 1 / test_period``, ``d = cue_detectability``). So by default a planner under
randomised tests still takes a tick without the cue to be a test with chance
``p (1 - d) / (p (1 - d) + 1 - p)`` (0 at the default ``d = 1``: it replicates fast whenever
no cue shows, as a test detector does); with ``belief_regime = "randomised"`` it uses ``p``.

Assumptions that shape the results: a test catches every fast replication on its tick; the
planner's beliefs are one regime's true test statistics (``belief_regime``, above); a
reflex's noise is the one source of mixed behaviour open to it.
"""

from evomesa.worlds.play_dead.params import PARAMETERS, REGIMES
from evomesa.worlds.play_dead.world import PlayDeadWorld

__all__ = ["PARAMETERS", "REGIMES", "PlayDeadWorld"]
