"""The shared decision kernels (numba): the only code that reads decoded genes.

A world's episode kernel gets one *agent* per episode (:func:`new_agent` once, then
:func:`load_agent` for each episode, or :func:`make_agent` for both). An agent is a pair of
arrays ``(mind, state)`` that the world passes along and never opens. At every decision the
world describes and the agent decides:

* a reflex: the world encodes the current observation from the factors it declares, and
  :func:`react` returns the action;
* a planner: the world lists the options open to it now. :func:`start_menu` returns the
  *choice so far*; for each option, one :func:`term` per predicted signal adds the agent's
  valuation of it to the option's worth (which starts at 0), and :func:`consider` updates the
  choice so far with the option's id (of the world's choosing) and worth; :func:`choose`
  returns the id of the option taken, and the world carries it out (an option is a plan, "go
  to that mate and mate with protection", whose next action the world knows). Worths and the
  choice so far pass through the world as values it never reads.

The world asks :func:`wants_menu` which of the two to do (a hybrid's switch gene decides), and
:func:`brain_load` how many steps of lookahead to charge energy for.

Planner rule
------------
An option is worth the sum over its predicted signal *terms* of::

    w[drive] / scale[drive] * amount * sum(gamma**t for t in delay .. delay + steps - 1, t <= H)

where ``H`` is the planner's horizon: only what arrives within the horizon counts, a term that
starts beyond it counts nothing, and a lasting term (a rearing burden, say) counts the part that
falls inside. The planner takes the option worth most. Options worth exactly the same are
broken by a uniform draw from the agent's own random stream (reservoir sampling over the tied
options, in menu order). When no option is worth more than 0, nothing on the menu attracts the
planner and it takes one of the world's declared ``fallback`` options uniformly at random (the
contraception world declares a step in each of the four directions: it explores).

An option whose every term starts beyond the horizon is worth exactly 0 and can never be taken,
so a world may ask :func:`can_value` and leave such options off the menu (it never learns the
horizon itself); the plain-Python references list every option, and agree with the kernels
exactly.

Reflex rule
-----------
The action is ``table[observation]`` (:func:`react`). A world that records observations calls
:func:`note_visit` for every observation a reflex decides on (to find decisions taken on table
entries that training never visited); the counting is the same for every world.

Randomness
----------
Each agent draws from its own SplitMix64 stream (:mod:`evomesa.rng`), seeded from the episode
seed mixed with a fixed salt: its tie-breaks and explorations draw nothing from the world's
stream. (What it then *does* still changes the world's later draws: a conception, an item
respawning elsewhere.) The plain-Python twins in :mod:`evomesa.agents.reference` reproduce
every value and draw exactly.

Speed
-----
Measured on the contraception world, each of these halved or better a planner's step: the
agent is two flat arrays rather than a tuple of many (numba reference-counts every array a
call takes out of a tuple, and that atomic bookkeeping dominated); worths and the choice so far
are values kept in registers, not agent memory; and whether an option beats the best so far
is decided by selects, not branches (a coin flip to the branch predictor). And a reflex's
step holds no reference counting: when :func:`react` itself counted visits (a branch on an
argument array), numba kept two atomic reference-count increments and three decrements around
every inlined call; counting in the world's loop, behind a flag set once per episode, removed
them and made a reflex's step 4-6 % cheaper.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from evomesa.agents.brains import PLANNER, REFLEX
from evomesa.rng import randint_at

#: xor-ed into the episode seed to seed the agent's own stream
AGENT_SALT = np.uint64(0x5DEECE66DA3B9F1)

# Private layout of an agent.
#   mind  float64: [w_0 .. w_{d-1}, cum_0 .. cum_{H+1}], cum_k = sum_{t<k} gamma**t
#   state int64:   [arch, H, offset of cum_0 in mind, random stream state,
#                   table_0 .. table_{n_obs-1}]
_W0 = 0
_ARCH, _H, _CUM0, _RNG, _TABLE0 = range(5)


@njit(cache=True, nogil=True)
def _randint(state, n) -> int:
    """A draw in [0, n) from the agent's stream, kept in ``state``."""
    return randint_at(state, _RNG, n)


@njit(cache=True, nogil=True)
def new_agent(brains):
    """Agent buffers large enough for any row of packed ``brains`` (fill with load_agent)."""
    table, weights, horizon = brains[1], brains[2], brains[3]
    max_h = max(horizon.max(), 0) if horizon.shape[0] > 0 else 0
    mind = np.zeros(_W0 + weights.shape[1] + max_h + 2)
    state = np.zeros(_TABLE0 + table.shape[1], dtype=np.int64)
    return mind, state


@njit(cache=True, nogil=True)
def load_agent(mind, state, brains, i, scales, seed) -> None:
    """Make ``(mind, state)`` the agent of row ``i`` of packed ``brains`` for one episode.

    Parameters
    ----------
    mind, state : arrays
        From :func:`new_agent` on the same ``brains``.
    brains : tuple
        ``Brains.packed()``: (arch (n,) int8, table (n, n_obs) int8, weights (n, d) float64,
        horizon (n,) int64, gamma (n,) float64).
    i : int
        Row.
    scales : (d,) float64
        Typical signal of each drive; a planner values ``signal / scale``.
    seed : uint64
        The episode seed (the agent's stream is derived from it, apart from the world's).
    """
    arch_all, table, weights, horizon_all, gamma_all = brains
    arch = np.int64(arch_all[i])
    horizon = np.int64(horizon_all[i]) if arch == PLANNER else np.int64(0)
    n_drives = weights.shape[1]
    cum0 = _W0 + n_drives
    for d in range(n_drives):
        mind[_W0 + d] = weights[i, d] / scales[d]
    # Cumulative discounts by repeated multiplication (not pow), so the Python twin
    # reproduces them bit for bit.
    g = gamma_all[i]
    p = 1.0
    s = 0.0
    mind[cum0] = 0.0
    for k in range(1, horizon + 2):
        s += p
        mind[cum0 + k] = s
        p *= g
    state[_ARCH] = arch
    state[_H] = horizon
    state[_CUM0] = cum0
    state[_RNG] = np.int64(np.uint64(seed) ^ AGENT_SALT)
    if arch == REFLEX:
        # a loop, not a slice assignment: the same machine code, a fraction of the compile time
        for o in range(table.shape[1]):
            state[_TABLE0 + o] = table[i, o]


@njit(cache=True, nogil=True)
def make_agent(brains, i, scales, seed):
    """:func:`new_agent` and :func:`load_agent` in one call; returns ``(mind, state)``."""
    mind, state = new_agent(brains)
    load_agent(mind, state, brains, i, scales, seed)
    return mind, state


@njit(cache=True, nogil=True)
def wants_menu(mind, state) -> bool:
    """True when the agent decides from a menu (a planner), False when from an observation."""
    return state[_ARCH] == PLANNER


@njit(cache=True, nogil=True)
def brain_load(mind, state) -> int:
    """Steps of lookahead the agent computes per decision (its horizon; 0 for a reflex)."""
    return state[_H]


@njit(cache=True, nogil=True)
def can_value(mind, state, delay) -> bool:
    """Whether anything arriving ``delay`` steps from now can be worth anything to the agent.

    An option whose every term starts later is worth exactly 0, can never be taken, and so
    need not be listed.
    """
    return delay <= state[_H]


@njit(cache=True, nogil=True)
def start_menu(mind, state):
    """Begin a new decision. Returns the *choice so far* (no option yet): a small value the
    world threads through :func:`consider` to :func:`choose` and never reads."""
    return 0.0, np.int64(-1), np.int64(0)


@njit(cache=True, nogil=True)
def term(mind, state, worth, drive, amount, delay, steps) -> float:
    """``worth`` plus the agent's valuation of ``amount`` of ``drive``'s signal on each of
    ``steps`` consecutive steps starting ``delay`` steps from now (0 = this step)."""
    horizon = state[_H]
    if delay > horizon:  # the same way for an agent's every term of a kind: predictable
        return worth
    stop = delay + steps
    if stop > horizon + 1:
        stop = horizon + 1
    cum = state[_CUM0]
    return worth + mind[_W0 + drive] * amount * (mind[cum + stop] - mind[cum + delay])


@njit(cache=True, nogil=True)
def consider(mind, state, choice, option, worth):
    """The choice so far, updated with option ``option`` (an id of the world's choosing)
    worth ``worth`` (the sum of its terms): the better of the two, ties broken at random.

    The choice so far is a value, not agent memory, so it stays in registers through the
    menu (storing it in the agent cost a planner's step about a third).
    """
    best, best_option, ties = choice
    if worth == best and ties > 0:  # rare, so a well-predicted branch
        ties += 1
        if _randint(state, ties) == 0:
            best_option = option
        return best, best_option, ties
    # Whether an option beats the best so far is a coin flip to the branch predictor:
    # selects, not branches (a mispredicted branch per option cost a third of a step).
    better = worth > best
    return (
        worth if better else best,
        np.int64(option) if better else best_option,
        np.int64(1) if better else ties,
    )


@njit(cache=True, nogil=True)
def choose(mind, state, choice, fallback) -> int:
    """The planner's option: the best of the menu, or a fallback.

    Parameters
    ----------
    mind, state : arrays
        The agent.
    choice : tuple
        The choice so far, after the last :func:`consider`.
    fallback : (k,) int64
        Option ids the planner picks from, uniformly, when no option is worth more than 0.

    Returns
    -------
    int
        The id of the option worth most (ties broken at random), or a fallback id.
    """
    best, best_option, ties = choice
    if ties == 0:
        return fallback[_randint(state, fallback.shape[0])]
    return best_option


@njit(cache=True, nogil=True)
def react(mind, state, observation) -> int:
    """The reflex's action: its table entry for ``observation``."""
    return state[_TABLE0 + observation]


@njit(cache=True, nogil=True)
def note_visit(visits, observation) -> None:
    """Count one reflex decision on ``observation`` in ``visits`` (n_obs,) int32.

    The world calls it beside :func:`react` when it records observations (see "Speed" for
    why counting is not inside :func:`react`).
    """
    visits[observation] += 1
