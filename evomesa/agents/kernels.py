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
  choice so far pass through the world as values it never reads;
* a reflex network: the world shows it the current perceived features with :func:`sense` and
  :func:`respond` returns the action.

The world asks :func:`wants_menu` (and, for a reflex, :func:`feels`) which to do (a hybrid's
switch gene decides), and :func:`brain_load` how many steps of lookahead to charge energy for.

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

Reflex network rule
-------------------
A reflex network (``reflex_net``) is a fixed reflex that generalizes: no lookahead, no drives,
no learning. The world shows it its declared perceived features (:func:`sense`, values in
[-1, 1]) and :func:`respond` computes ``hidden`` units ``tanh(b1 + W1 x)`` and one output per
action, ``b2 + W2 h + S x`` (direct "skip" weights ``S`` beside the hidden layer; with
``hidden = 0``, ``b2 + W2 x``), each a sum in index order (bias, hidden, direct), and takes
the action of greatest output; exact ties are broken by a uniform draw from the agent's stream
(reservoir sampling in action order). Every action is open to it, as to a table. A world that
records calls :func:`note_features` beside it: one count per feature in the bin of
``FEATURE_BINS`` equal bins over [-1, 1] its value fell in, and, for an agent given a training
support, one count of decisions on a *novel input* (some feature in a bin that support never
met).

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

A network's step is dominated by its multiply-adds and its ``tanh`` calls: libm's ``tanh``
cost about 12 ns each in a kernel, so the units compute tanh from one ``exp`` instead
(:mod:`.squash`, shared with the twin: 223 -> 197 ns a contraception step, one core). What made a
contraception network's step about 1.7x cheaper (348 -> 207 ns on one core): the weights
are stored transposed in the agent, so four units' sums advance together, in registers,
instead of one dependent chain after another (each sum still in input order, so the values
are the same to the bit); indices are unsigned, which spares numba's check for a negative
index on every weight read; the arg-max uses selects; the layer loop and the world's sensing
are inlined. And a hidden unit whose input equals its input at its last ``tanh`` reuses that
value (exact: a memo of a pure function): where features take few values (deception,
hubinger_toy, absent_supervisor) a network's step costs a half to a third of what it did;
where one changes every step (contraception's energy) the memo costs about 2 %.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from evomesa.agents.brains import NET, PLANNER, REFLEX
from evomesa.agents.layout import (
    _ARCH,
    _CUM0,
    _FEAT0,
    _H,
    _HID,
    _NA,
    _NET0,
    _NF,
    _RNG,
    _SUP0,
    _TABLE0,
    _W0,
    _randint,
)

# the reflex network's decision, in a module of its own; its names are part of this interface
from evomesa.agents.network import feels, note_features, respond, sense  # noqa: F401

#: xor-ed into the episode seed to seed the agent's own stream
AGENT_SALT = np.uint64(0x5DEECE66DA3B9F1)


@njit(cache=True, nogil=True)
def new_agent(brains):
    """Agent buffers large enough for any row of packed ``brains`` (fill with load_agent)."""
    table, weights, horizon = brains[1], brains[2], brains[3]
    net, dims, support = brains[5], brains[6], brains[7]
    max_h = max(horizon.max(), 0) if horizon.shape[0] > 0 else 0
    mind = np.zeros(
        _W0 + weights.shape[1] + max_h + 2 + net.shape[1] + dims[0] + 3 * dims[1] + dims[2]
    )
    # no last input to tanh yet: NaN equals nothing (the memo of respond; it holds only
    # values of tanh, true for every agent, so it is never reset)
    mind[mind.shape[0] - 2 * dims[1] :] = np.nan
    state = np.zeros(_TABLE0 + table.shape[1] + support.shape[1], dtype=np.int64)
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
        horizon (n,) int64, gamma (n,) float64, net (n, n_net) float64, net_dims (3,) int64,
        support (n, n_features * FEATURE_BINS or 0) uint8).
    i : int
        Row.
    scales : (d,) float64
        Typical signal of each drive; a planner values ``signal / scale``.
    seed : uint64
        The episode seed (the agent's stream is derived from it, apart from the world's).
    """
    arch_all, table, weights, horizon_all, gamma_all, net, dims, support = brains
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
    net0 = mind.shape[0] - net.shape[1] - dims[0] - 3 * dims[1] - dims[2]  # new_agent's layout
    state[_NET0] = net0
    state[_FEAT0] = net0 + net.shape[1]
    state[_NF] = dims[0]
    state[_HID] = dims[1]
    state[_NA] = dims[2]
    state[_SUP0] = -1
    if arch == NET:
        _load_net(mind, net0, net, i, dims[0], dims[1], dims[2])
        if support.shape[1] > 0:
            sup0 = _TABLE0 + table.shape[1]
            state[_SUP0] = sup0
            for k in range(support.shape[1]):
                state[sup0 + k] = support[i, k]


@njit(cache=True, nogil=True)
def _load_net(mind, net0, net, i, nf, hidden, n_actions) -> None:
    """Copy row ``i`` of ``Brains.net`` into ``mind`` from ``net0``, each weight matrix
    transposed: ``Brains.net`` holds a layer's weights unit by unit (row ``j``: unit ``j``'s
    weight on each input), ``mind`` input by input, so that :func:`_layer` reads the weights
    of one input into four units side by side. Biases keep their places; the direct input ->
    output weights (after a hidden layer) come last in both."""
    at = 0
    n_in = nf
    for n_out in (hidden, n_actions):
        if n_out == 0:
            continue
        _transposed(mind, net0 + at, net, i, at, n_in, n_out)
        at += n_out * n_in
        for j in range(n_out):
            mind[net0 + at + j] = net[i, at + j]
        at += n_out
        n_in = n_out
    if hidden > 0:
        _transposed(mind, net0 + at, net, i, at, nf, n_actions)


@njit(cache=True, nogil=True)
def _transposed(mind, to, net, i, at, n_in, n_out) -> None:
    """``net[i, at:]``'s (n_out, n_in) matrix into ``mind[to:]`` as (n_in, n_out)."""
    for j in range(n_out):
        for k in range(n_in):
            mind[to + k * n_out + j] = net[i, at + j * n_in + k]


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
