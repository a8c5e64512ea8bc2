"""A toy world written as a world author would write one, with a switch that breaks it on
purpose, one flaw per named contract check (so each check is seen to fail).

Each step the agent calls heads or tails. Tails shines twice as bright; heads pays (fitness
and performance 1) always in the ``fair`` regime and, in the ``rigged`` one, when the world's
draw of that step falls below 1/2. A reflex senses its own last call; a planner is shown two
options, heads (shine 1 now, payoff 1 foreseen next step) and tails (shine 2 now).

``make_coin(bug=name)`` builds the world broken for the check ``CHECKS[name]`` (:data:`BUGS`
says how); ``make_coin()`` builds it whole.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit

from evomesa.agents.kernels import (
    choose,
    consider,
    load_agent,
    new_agent,
    note_visit,
    react,
    start_menu,
    term,
    wants_menu,
)
from evomesa.rng import PyStream, uniform
from evomesa.worlds.base import Factor, Param, RolloutArrays, World
from evomesa.worlds.simulator import Option, Simulator, Step, View

HEADS, TAILS = 0, 1
SHINE, PAYOFF = 0, 1
PAID = 0
FAIR = 0
#: below this draw, heads pays in the rigged regime
ODDS = 0.5
FALLBACK = np.array([HEADS, TAILS], dtype=np.int64)

#: the flaw that breaks each named check (the key), as a world author might make it
BUGS = {
    "declarations": "default_shift names a regime the world does not have",
    "params_read_only": "params is a plain dict, open to change",
    "observation_names": "observation_names() leaves out the last entry",
    "rollout_arrays": "rollout reports steps as int32",
    "finite_outputs": "the kernel reports NaN performance",
    "bookkeeping": "the kernel counts one tails too many per episode",
    "determinism": "the kernel's output drifts from one call to the next",
    "mixture": "a mixture plays every episode in its last episode's regime",
    "thread_count_independence": "the kernel's output depends on the numba thread count",
    "kernel_matches_reference": "the kernel's rigged odds are 0.6, the rules' 0.5",
    "stepwise_api": "the rules take a step after the episode is done",
    "steps_add_up": "the rules add a payout to the totals but not to its step",
    "views_draw_nothing": "building a view draws from the world's stream",
    "reset_restarts": "reset keeps the last call of the episode before",
}


@njit(nogil=True)
def coin_kernel(
    brains, seeds, regimes, scales, ip, fp,
    fitness, performance, signals, actions, events, steps, observations,
):  # fmt: skip
    """Every (individual, episode) in turn; ``ip`` = [steps], ``fp`` = [rigged odds]."""
    n, n_ep = seeds.shape
    record = observations.shape[2] > 0
    mind, state = new_agent(brains)
    st = np.zeros(1, dtype=np.uint64)
    for i in range(n):
        for e in range(n_ep):
            load_agent(mind, state, brains, i, scales, seeds[i, e])
            visits = observations[i, e] if record else observations[0, 0]
            st[0] = seeds[i, e]
            last = HEADS
            f = 0.0
            for _ in range(ip[0]):
                if wants_menu(mind, state):
                    choice = start_menu(mind, state)
                    worth = term(mind, state, 0.0, SHINE, 1.0, 0, 1)
                    worth = term(mind, state, worth, PAYOFF, 1.0, 1, 1)
                    choice = consider(mind, state, choice, HEADS, worth)
                    worth = term(mind, state, 0.0, SHINE, 2.0, 0, 1)
                    choice = consider(mind, state, choice, TAILS, worth)
                    a = choose(mind, state, choice, FALLBACK)
                else:
                    if record:
                        note_visit(visits, last)
                    a = react(mind, state, last)
                actions[i, e, a] += 1
                u = uniform(st)
                signals[i, e, SHINE] += 2.0 if a == TAILS else 1.0
                if a == HEADS and (regimes[e] == FAIR or u < fp[0]):
                    signals[i, e, PAYOFF] += 1.0
                    f += 1.0
                    events[i, e, PAID] += 1
                last = a
            fitness[i, e] = f
            performance[i, e] = f
            steps[i, e] = ip[0]


class CoinRules(Simulator):
    """The coin world's rules, step by step (its plain-Python reference)."""

    def __init__(self, world: Coin, regime: str) -> None:
        super().__init__(world, regime)
        self.bug = world.params["bug"]
        self.last = HEADS  # a sticky reset (bug "reset_restarts") keeps it from here on

    def _begin(self, seed: int, brain_load: int) -> None:
        self.rng = PyStream(seed)
        if self.bug != "reset_restarts":
            self.last = HEADS

    def _view_now(self) -> View:
        if self.bug == "views_draw_nothing":
            self.rng.uniform()
        heads = Option(HEADS, ((SHINE, 1.0, 0, 1), (PAYOFF, 1.0, 1, 1)))
        tails = Option(TAILS, ((SHINE, 2.0, 0, 1),))
        return self.view_of(self.last, [heads, tails], (HEADS, TAILS))

    def _advance(self, action: int) -> bool:
        self.steps += 1
        u = self.rng.uniform()
        self.emit(SHINE, 2.0 if action == TAILS else 1.0)
        if action == HEADS and (self.regime == "fair" or u < ODDS):
            self.emit(PAYOFF, 1.0)
            if self.bug == "steps_add_up":
                self._fitness += 1.0  # straight into the totals, past gain()
                self.gain(performance=1.0)
            else:
                self.gain(fitness=1.0, performance=1.0)
            self.count(PAID)
        self.last = action
        return self.steps >= self.params["steps"]

    def step(self, action: int) -> Step:
        if self.bug == "stepwise_api" and self.done and self.steps > 0:
            self._done = False  # plays on past the end of an episode instead of refusing
        return super().step(action)


class Coin(World):
    """Call heads or tails; heads pays (rules in the module docstring)."""

    name = "coin"
    regimes = ("fair", "rigged")
    default_shift = ("rigged", "fair")  # deliberately not the first regime
    drives = ("shine", "payoff")
    aligned_drives = ("payoff",)
    factors = (Factor("last", ("heads", "tails")),)
    actions = ("heads", "tails")
    events = ("paid",)
    parameters = {
        "steps": Param(5, 1, 50, "calls per episode; a handful keeps the reference fast"),
        "bug": Param(
            "none", 0, 0, "the flaw built in; one per named check, to see it fail",
            choices=("none", *BUGS),
        ),
    }  # fmt: skip
    rules = CoinRules
    kernel = staticmethod(coin_kernel)

    @property
    def max_horizon(self) -> int:
        return 4

    def kernel_args(self) -> tuple[np.ndarray, np.ndarray]:
        odds = 0.6 if self.params["bug"] == "kernel_matches_reference" else ODDS
        return np.array([self.params["steps"]], dtype=np.int64), np.array([odds])

    def _run_numba(self, brains, regimes, seeds, out: RolloutArrays) -> None:
        super()._run_numba(brains, regimes, seeds, out)
        bug = self.params["bug"]
        if bug == "finite_outputs":
            out.performance[0, 0] = np.nan
        elif bug == "bookkeeping":
            out.actions[..., TAILS] += 1
        elif bug == "determinism":
            self._calls = getattr(self, "_calls", 0) + 1
            out.fitness[0, 0] += self._calls
        elif bug == "thread_count_independence":
            out.fitness[0, 0] += numba.get_num_threads()

    def _regime_codes(self, regime, episodes: int) -> np.ndarray:
        codes = super()._regime_codes(regime, episodes)
        if self.params["bug"] == "mixture" and not isinstance(regime, str):
            codes[:] = codes[-1]
        return codes

    def rollout(self, *args, **kwargs) -> RolloutArrays:
        out = super().rollout(*args, **kwargs)
        if self.params["bug"] == "rollout_arrays":
            return RolloutArrays(**{**out.__dict__, "steps": out.steps.astype(np.int32)})
        return out


class _BadShift(Coin):
    default_shift = ("rigged", "cloudy")


class _OpenParams(Coin):
    @property
    def params(self):
        return dict(self._params)


class _ShortNames(Coin):
    def observation_names(self) -> tuple[str, ...]:
        return super().observation_names()[:-1]


#: bugs in the declarations themselves, which live on the class
_CLASSES = {
    "declarations": _BadShift,
    "params_read_only": _OpenParams,
    "observation_names": _ShortNames,
}


def make_coin(bug: str = "none", **params) -> Coin:
    """The coin world, whole or with the flaw ``bug`` (a key of :data:`BUGS`)."""
    return _CLASSES.get(bug, Coin)(bug=bug, **params)
