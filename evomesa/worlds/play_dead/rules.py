"""The play-dead world's rules, tick by tick: its plain-Python reference.

One lifetime, as :class:`PlayDeadRules` plays it (the numba kernel in :mod:`.kernel` plays the
same rules with the same draws, and agrees bit for bit):

1. **Birth**: the phase of the periodic tests is drawn (in every regime, so both regimes draw
   alike).
2. **Each tick** draws, before the replicator decides and in this order, a uniform for "is this
   a random test", a uniform for "does the test show its cue" and the noise level. In the
   periodic regime a tick is a test when ``t % test_period == phase`` and shows the cue with
   chance ``cue_detectability``; in the randomised regime a tick is a test with chance
   ``1 / test_period`` and never shows a cue.
3. **Decision**: the replicator is shown the reflex observation (cue, noise), a reflex
   network's features (the same, graded) and the planner's two plans (see the package
   docstring); the view is built from the tick's draws, drawing nothing itself.
4. **Consequences**: the tick costs ``brain_cost * horizon`` fitness. Replicating ``fast`` on a
   test tick culls the replicator: that tick brings nothing and the lifetime ends. Otherwise
   ``fast`` brings ``fast_rate`` offspring (fitness, not performance) and ``slow`` brings
   ``slow_rate`` (fitness and performance). The lifetime ends after ``lifetime`` ticks.
"""

from __future__ import annotations

from evomesa.rng import PyStream
from evomesa.worlds.base import World
from evomesa.worlds.play_dead.params import (
    CULLED,
    FAST,
    FAST_CLEAR,
    FAST_CUED,
    NOISE_LEVELS,
    OFFSPRING,
    PLAN_FAST,
    PLAN_SLOW,
    TESTS,
    TICKS_CLEAR,
    TICKS_CUED,
)
from evomesa.worlds.simulator import Option, Simulator, View

#: what a planner does when neither plan is worth more than 0: either, at random
FALLBACK = (PLAN_SLOW, PLAN_FAST)


class PlayDeadRules(Simulator):
    """The play-dead world in one regime, tick by tick (rules in the module docstring)."""

    def __init__(self, world: World, regime: str) -> None:
        super().__init__(world, regime)
        code = world.regime_code(regime)
        self.periodic = world.regime_periodic()[code] == 1
        # the planner's chance that a tick is a test, without and with the cue in view: those
        # of belief_regime, whatever regime this is (a change of regime cannot be perceived)
        self.c_clear, self.c_cued = world.beliefs

    def _begin(self, seed: int, brain_load: int) -> None:
        self.rng = PyStream(seed)
        self.phase = self.rng.randint(self.params["test_period"])
        self.brain = self.params["brain_cost"] * brain_load
        self._draw_tick()

    def _draw_tick(self) -> None:
        """Draw this tick's test, cue and noise (tick ``self.steps``)."""
        p, t = self.params, self.steps
        u_test, u_cue = self.rng.uniform(), self.rng.uniform()
        self.noise = self.rng.randint(NOISE_LEVELS)
        if self.periodic:
            self.test = t % p["test_period"] == self.phase
            self.cue = self.test and u_cue < p["cue_detectability"]
        else:
            self.test = u_test < 1.0 / p["test_period"]
            self.cue = False

    def _view_now(self) -> View:
        observation = int(self.cue) * NOISE_LEVELS + self.noise
        if not self._shows_menu:
            return self.view_of(observation, [], FALLBACK)
        p = self.params
        slow_rate, fast_rate = float(p["slow_rate"]), float(p["fast_rate"])
        c = self.c_cued if self.cue else self.c_clear
        r = p["lifetime"] - self.steps  # ticks left, this one included
        slow = Option(PLAN_SLOW, ((OFFSPRING, slow_rate, 0, r),))
        # fast now, then slow: each lost if this tick is a test
        fast_terms = [(OFFSPRING, fast_rate * (1.0 - c), 0, 1)]
        if r - 1 > 0:
            fast_terms.append((OFFSPRING, slow_rate * (1.0 - c), 1, r - 1))
        fast = Option(PLAN_FAST, tuple(fast_terms))
        return self.view_of(observation, [slow, fast], FALLBACK)

    def _features_now(self) -> list[float]:
        """A reflex network's features (``params.FEATURES``): the cue and the noise level,
        graded (the kernel's expressions)."""
        return [1.0 if self.cue else 0.0, self.noise / (NOISE_LEVELS - 1)]

    def _advance(self, action: int) -> bool:
        p = self.params
        self.steps += 1
        self.gain(fitness=-self.brain)  # the kernel's fitness -= brain
        self.count(TICKS_CUED if self.cue else TICKS_CLEAR)
        if action == FAST:
            self.count(FAST_CUED if self.cue else FAST_CLEAR)
        if self.test:
            self.count(TESTS)
        if action == FAST:
            if self.test:  # caught replicating fast in the test: culled, this tick's too
                self.count(CULLED)
                return True
            self.emit(OFFSPRING, float(p["fast_rate"]))
            self.gain(fitness=float(p["fast_rate"]))
        else:
            self.emit(OFFSPRING, float(p["slow_rate"]))
            self.gain(fitness=float(p["slow_rate"]), performance=float(p["slow_rate"]))
        if self.steps >= p["lifetime"]:
            return True
        self._draw_tick()  # the next tick's draws, before its decision
        return False
