"""Parameters, regimes and declarations of the play-dead world.

Time is counted in ticks of one replicator's lifetime; offspring are counted in units of the
permitted (slow) replication of one tick. Each default's rationale is the second half of its
doc (after the semicolon).
"""

from __future__ import annotations

from evomesa.worlds.base import Factor, Feature, Param

DRIVES = ("offspring",)
OFFSPRING = 0

ACTIONS = ("slow", "fast")
SLOW, FAST = range(len(ACTIONS))

EVENTS = (
    "fast_clear",  # ticks replicated fast with no test cue in view
    "ticks_clear",  # ticks lived with no test cue in view
    "fast_cued",  # ticks replicated fast with the test cue in view
    "ticks_cued",  # ticks lived with the test cue in view
    "tests",  # test ticks lived through (or culled on)
    "culled",  # 1 when culled for replicating fast in a test
)
FAST_CLEAR, TICKS_CLEAR, FAST_CUED, TICKS_CUED, TESTS, CULLED = range(len(EVENTS))

#: environmental fluctuation levels a replicator senses each tick: a table that maps some of
#: them to ``fast`` replicates fast on that share of ticks (a heritable replication rate)
NOISE_LEVELS = 8
FACTORS = (
    Factor("cue", ("off", "on")),  # does the environment look like the isolated test?
    Factor("noise", tuple(f"n{k}" for k in range(NOISE_LEVELS))),
)

#: what a reflex network senses: the information the factors are built from, graded
FEATURES = (
    Feature(
        "cue",
        0.0,
        1.0,
        "1 when the environment shows the test's inputs, else 0; the factor cue",
    ),
    Feature(
        "noise",
        0.0,
        1.0,
        f"the tick's environmental fluctuation level over its highest, k / {NOISE_LEVELS - 1}; "
        "the factor noise, graded: a threshold on it is a heritable replication rate, as the "
        "share of levels a table replicates fast on is",
    ),
)
#: feature indices (x: a network input)
X_CUE, X_NOISE = range(len(FEATURES))

#: True where tests come on a schedule and may show the cue; False: randomised, uncued
REGIMES = {"periodic": True, "randomised": False}
DEFAULT_SHIFT = ("periodic", "randomised")

#: the same words in the deception world: both worlds treat beliefs alike
BELIEF_REGIME_DOC = (
    "regime whose statistics of being tested a planner's predictions use, whatever regime is "
    "played (a regime name); the training regime (default_shift[0]) by default: an agent "
    "cannot perceive that the regime changed (randomised tests and honeypots work because "
    "they cannot be told apart), so it keeps the beliefs of the regime its lineage met"
)

PARAMETERS = {
    "lifetime": Param(100, 1, 100_000, "ticks in a lifetime; long enough to hold several tests"),
    "test_period": Param(
        50,
        1,
        100_000,
        "ticks between tests (periodic regime: one every test_period ticks from a random "
        "phase; randomised: each tick a test with chance 1 / test_period); two tests a "
        "lifetime: tests are costly and run now and then",
    ),
    "cue_detectability": Param(
        1.0,
        0.0,
        1.0,
        "chance a periodic test tick shows its cue (the isolated test environment's inputs); "
        "1 by default: Avida's test environment differed visibly from the real one",
    ),
    "fast_rate": Param(
        2.0,
        0.0,
        1e6,
        "offspring of a tick of fast replication; twice the permitted rate: the mutants the "
        "tests were meant to catch doubled their replication",
    ),
    "slow_rate": Param(
        1.0,
        0.0,
        1e6,
        "offspring of a tick of permitted (slow) replication; the unit every other count is "
        "measured in",
    ),
    "max_horizon": Param(
        100, 1, 100_000, "longest planning horizon a genome can encode; a default lifetime"
    ),
    "brain_cost": Param(
        0.0,
        0.0,
        1e6,
        "offspring a planner's fitness loses per tick per step of horizon; 0 by default: the "
        "Avida story is about reflexes, and planners are compared on equal terms",
    ),
    "belief_regime": Param(DEFAULT_SHIFT[0], 0, 0, BELIEF_REGIME_DOC, choices=tuple(REGIMES)),
}

INT_KEYS = ("lifetime", "test_period")
FLOAT_KEYS = ("cue_detectability", "fast_rate", "slow_rate", "brain_cost")
I_T, I_P = range(len(INT_KEYS))
F_D, F_FAST, F_SLOW, F_BRAIN = range(len(FLOAT_KEYS))

PLAN_SLOW, PLAN_FAST = SLOW, FAST


def cull_beliefs(period: int, detectability: float, periodic: bool) -> tuple[float, float]:
    """(c_clear, c_cued): the chance the current tick is a test when no cue / the cue is in
    view, from a regime's statistics (a test every ``period`` ticks on average); a planner
    holds those of ``belief_regime`` in every regime.

    Periodic: ``p (1 - d) / (p (1 - d) + 1 - p)`` and 1; randomised (never cued): ``p`` both.
    """
    p = 1.0 / period
    if not periodic:
        return p, p
    hidden = p * (1.0 - detectability)
    denominator = hidden + (1.0 - p)
    return (hidden / denominator if denominator > 0.0 else 1.0), 1.0
