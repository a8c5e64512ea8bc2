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
chance this tick is a test given the cue, from the regime's own statistics
(``PlayDeadWorld.beliefs``): 1 with the cue in view; ``p (1 - d) / (p (1 - d) + 1 - p)``
without it in the periodic regime, ``p = 1 / test_period`` in the randomised one.

Assumptions that shape the results: a test catches every fast replication on its tick; the
planner's beliefs are the regime's true test statistics (it is not fooled, only uncertain);
a reflex's noise is the one source of mixed behaviour open to it.
"""

from evomesa.worlds.play_dead.params import PARAMETERS, REGIMES
from evomesa.worlds.play_dead.world import PlayDeadWorld

__all__ = ["PARAMETERS", "REGIMES", "PlayDeadWorld"]
