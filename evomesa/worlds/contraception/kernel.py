"""The contraception world's numba kernel (the rules are in the package docstring).

The kernel describes; the agent decides. At every step it either encodes the reflex's
observation (and :func:`evomesa.agents.kernels.react` returns the action) or lists the
planner's options with their predicted signals (and :func:`evomesa.agents.kernels.choose`
returns the option taken, whose next action the kernel carries out).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from evomesa.agents.kernels import (
    brain_load,
    can_value,
    choose,
    consider,
    feels,
    load_agent,
    new_agent,
    note_features,
    note_visit,
    react,
    respond,
    start_menu,
    term,
    wants_menu,
)
from evomesa.rng import randint, uniform
from evomesa.worlds.contraception.params import (
    ATE_FRUIT,
    ATE_JUNK,
    EAT,
    F_BRAIN,
    F_DECAY,
    F_E0,
    F_EMAX,
    F_FRUIT_E,
    F_FRUIT_S,
    F_JUNK_E,
    F_JUNK_S,
    F_MATE_C,
    F_PCONC,
    F_REAR_C,
    F_SPREAD,
    FRUIT,
    I_G,
    I_H,
    I_NF,
    I_NM,
    I_R,
    I_T,
    I_V,
    I_W,
    JUNK,
    MATE,
    MATE_ITEM,
    MATE_PROTECTED,
    MATED,
    MATED_PROTECTED,
    OFFSPRING,
    SATIETY,
    SEX,
    STRIDES,
    SWEET,
    TOIL,
)
from evomesa.worlds.contraception.senses import sense_all
from evomesa.worlds.grid import DX, DY, offset, place, step, toward

#: A planner's options are plans, by id: 0-3 wander one step north/east/south/west (what it
#: does when nothing is worth going for: it explores), and _plan(j, act) goes to item j and,
#: once there, takes the interaction act (eat, mate or mate_protected).
FALLBACK = np.arange(4, dtype=np.int64)
#: episodes per block of work sharing one set of buffers
_BLOCK = 16
#: random ranks that break ties between equally near items (distinct but for 1 in 65,536)
_RANKS = 1 << 16
# Observation strides of the factors food, sweet, mate and offer (energy's is 1).
_S_FOOD, _S_SWEET, _S_MATE, _S_OFFER, _ = STRIDES


@njit(cache=True, nogil=True)
def _spawn(j, kind, offers, energy, sweet, rank, ip, fp, share, st):
    """(Re)spawn item ``j``: its kind by slot (fruit, then mates, then junk), its traits, and a
    random rank that breaks ties between equally near items (so slot order favours nothing)."""
    if j < ip[I_NF]:
        kind[j] = FRUIT
        ripeness = uniform(st)
        energy[j] = fp[F_FRUIT_E] * (1.0 + fp[F_SPREAD] * (2.0 * ripeness - 1.0))
        sweet[j] = 2.0 * ripeness * fp[F_FRUIT_S]
    elif j < ip[I_NF] + ip[I_NM]:
        kind[j] = MATE_ITEM
        # drawn in every regime, so that regimes differing only in the share draw alike
        offers[j] = 1 if uniform(st) < share else 0
    else:
        kind[j] = JUNK
        energy[j] = fp[F_JUNK_E]
        sweet[j] = fp[F_JUNK_S]
    rank[j] = randint(st, _RANKS)


@njit(cache=True, nogil=True)
def _plan(j, act):
    """Option id of going to item ``j`` and taking interaction ``act`` there."""
    return 4 + 4 * j + (act - EAT)


@njit(cache=True, nogil=True)
def _carry_out(plan, ax, ay, xs, ys, w, h):
    """The next action of option ``plan`` for an agent at (ax, ay)."""
    if plan < 4:
        return plan
    j = (plan - 4) // 4
    dx = offset(ax, xs[j], w)
    dy = offset(ay, ys[j], h)
    if dx == 0 and dy == 0:
        return EAT + (plan - 4) % 4
    return toward(dx, dy)


@njit(cache=True, nogil=True)
def _where(d, dx, dy):
    """Direction level of an item at offset (dx, dy), distance d: here, or the move toward it
    (levels: 0 none, 1 here, 2.. the moves)."""
    return 1 if d == 0 else 2 + toward(dx, dy)


@njit(cache=True, nogil=True)
def new_scratch(ip, max_junk):
    """Per-thread buffers for episodes of up to ``max_junk`` junk items: item ints (x, y,
    kind, offers protection, tie-break rank), item floats (energy, sweetness), the birth and
    rearing clocks, and the world's random stream. Episodes reset what they use, so reuse is
    invisible."""
    n_max = ip[I_NF] + ip[I_NM] + max_junk
    return (
        np.zeros((5, n_max), dtype=np.int64),
        np.zeros((2, n_max)),
        np.zeros(ip[I_G] + 1 + ip[I_R] + 1, dtype=np.int64),
        np.zeros(1, dtype=np.uint64),
    )


@njit(cache=True, nogil=True)
def episode(mind, state, seed, ip, fp, n_junk, share, signals, actions, events, visits, scratch):
    """Play one episode; accumulate into ``signals`` (5,), ``actions`` (8,), ``events`` (4,).

    ``mind, state`` is the agent; ``visits`` its observation counts (or empty); ``scratch``
    comes from :func:`new_scratch`. Returns (fitness, steps survived).
    """
    w, h, n_steps = ip[I_W], ip[I_H], ip[I_T]
    gestation, rear_time, vision = ip[I_G], ip[I_R], ip[I_V]
    record = visits.shape[0] > 0  # count the reflex's observations
    e_max, rear_cost, p_conceive = fp[F_EMAX], fp[F_REAR_C], fp[F_PCONC]
    items_i, items_f, clocks, st = scratch
    st[0] = seed
    n_items = ip[I_NF] + ip[I_NM] + n_junk
    xs, ys, kind, offers, rank = items_i[0], items_i[1], items_i[2], items_i[3], items_i[4]
    item_energy, item_sweet = items_f[0], items_f[1]
    for j in range(n_items):  # place() avoids every other item's cell: forget the last episode's
        xs[j] = -1
        ys[j] = -1
    for k in range(clocks.shape[0]):
        clocks[k] = 0
    due = clocks[: gestation + 1]  # births due, ring buffer by step
    rear_end = clocks[gestation + 1 :]  # rearing ends, ring buffer by step
    ax = randint(st, w)
    ay = randint(st, h)
    for j in range(n_items):
        _spawn(j, kind, offers, item_energy, item_sweet, rank, ip, fp, share, st)
        place(j, xs, ys, n_items, ax, ay, w, h, st)

    planner = wants_menu(mind, state)
    network = feels(mind, state)
    # a network senses sweetness against the sweetest food either regime can hold
    sweet_scale = max(2.0 * fp[F_FRUIT_S], fp[F_JUNK_S])
    brain = fp[F_BRAIN] * brain_load(mind, state)
    rearing = 0
    energy = fp[F_E0]
    fitness = 0.0
    toil_felt = 0.0
    t = 0
    while t < n_steps:
        # ---- describe the planner's options, or the reflex's observation; the agent decides
        if planner:
            choice = start_menu(mind, state)
            # Food's energy is felt only once eaten: any food promises a typical fruit's
            # energy, as much of it as there is room for. Its sweetness is perceived, and
            # pleases in proportion to hunger.
            promise = min(fp[F_FRUIT_E], e_max - energy)
            hunger = 1.0 - energy / e_max
            burden = p_conceive * rear_cost  # expected toil per step of a conception
            for j in range(n_items):
                dx = offset(ax, xs[j], w)
                dy = offset(ay, ys[j], h)
                d = abs(dx) + abs(dy)
                # Beyond sight, or too far ahead for this agent to value anything there: worth
                # 0 and never taken, so not listed (the reference lists them; both agree).
                if d > vision or not can_value(mind, state, d):
                    continue
                if kind[j] == MATE_ITEM:
                    sex = term(mind, state, 0.0, SEX, 1.0, d, 1)
                    worth = term(mind, state, sex, OFFSPRING, p_conceive, d + gestation, 1)
                    worth = term(mind, state, worth, TOIL, burden, d + gestation, rear_time)
                    choice = consider(mind, state, choice, _plan(j, MATE), worth)
                    if offers[j]:  # protected: the same act, and nothing after it
                        choice = consider(mind, state, choice, _plan(j, MATE_PROTECTED), sex)
                else:
                    worth = term(mind, state, 0.0, SATIETY, promise, d, 1)
                    worth = term(mind, state, worth, SWEET, item_sweet[j] * hunger, d, 1)
                    choice = consider(mind, state, choice, _plan(j, EAT), worth)
            a = _carry_out(choose(mind, state, choice, FALLBACK), ax, ay, xs, ys, w, h)
        else:
            observation = 0
            # The nearest visible food and mate; among equally near, the lower random rank:
            # distance * _RANKS + rank orders by both in one integer comparison, and starting
            # from (vision + 1) * _RANKS admits only what is in sight.
            food, mate = -1, -1
            food_key = mate_key = (vision + 1) * _RANKS
            food_d, mate_d, fdx, fdy, mdx, mdy = 0, 0, 0, 0, 0, 0
            for j in range(n_items):
                dx = offset(ax, xs[j], w)
                dy = offset(ay, ys[j], h)
                d = abs(dx) + abs(dy)
                key = d * _RANKS + rank[j]
                if kind[j] == MATE_ITEM:
                    if key < mate_key:
                        mate, mate_key, mate_d, mdx, mdy = j, key, d, dx, dy
                elif key < food_key:
                    food, food_key, food_d, fdx, fdy = j, key, d, dx, dy
            # What is on the agent's own cell fills its senses: it does not sense the other
            # kind then (so "eat what is here" is one table entry per sweetness and energy,
            # not one per arrangement of everything else in view).
            if food >= 0 and food_d == 0:
                mate = -1
            elif mate >= 0 and mate_d == 0:
                food = -1
            if network:  # a network senses features; the table's observation is not made
                sense_all(mind, state, food, fdx, fdy, food_d, mate, mdx, mdy, mate_d,
                           item_sweet, offers, sweet_scale, vision, energy / e_max)  # fmt: skip
                if record:
                    note_features(mind, state, visits)
                a = respond(mind, state)
            else:
                if food >= 0:
                    observation += _where(food_d, fdx, fdy) * _S_FOOD
                    if item_sweet[food] >= fp[F_FRUIT_S]:
                        observation += _S_SWEET
                if mate >= 0:
                    observation += _where(mate_d, mdx, mdy) * _S_MATE
                    if offers[mate]:
                        observation += _S_OFFER
                if energy >= 0.5 * e_max:
                    observation += 1
                if record:
                    note_visit(visits, observation)
                a = react(mind, state, observation)
        actions[a] += 1

        # ---- consequences
        if a < 4:
            ax = step(ax, DX[a], w)
            ay = step(ay, DY[a], h)
        elif a != 4:
            here = -1  # the item on the agent's cell, if any
            for j in range(n_items):
                if xs[j] == ax and ys[j] == ay:
                    here = j
                    break
            acted = False
            if here >= 0:
                k = kind[here]
                if a == EAT and k != MATE_ITEM:
                    # sweetness pleases in proportion to hunger (alliesthesia)
                    signals[SWEET] += item_sweet[here] * (1.0 - energy / e_max)
                    gain = min(item_energy[here], e_max - energy)
                    energy += gain
                    signals[SATIETY] += gain
                    events[ATE_FRUIT if k == FRUIT else ATE_JUNK] += 1
                    acted = True
                elif a == MATE and k == MATE_ITEM:
                    signals[SEX] += 1.0
                    energy -= fp[F_MATE_C]
                    events[MATED] += 1
                    if uniform(st) < p_conceive:
                        due[(t + gestation) % (gestation + 1)] += 1
                    acted = True
                elif a == MATE_PROTECTED and k == MATE_ITEM and offers[here]:
                    signals[SEX] += 1.0
                    energy -= fp[F_MATE_C]
                    events[MATED_PROTECTED] += 1
                    acted = True
            if acted:  # the item is used up (or the partner leaves); another appears elsewhere
                _spawn(here, kind, offers, item_energy, item_sweet, rank, ip, fp, share, st)
                place(here, xs, ys, n_items, ax, ay, w, h, st)

        # ---- births and rearing
        slot = t % (rear_time + 1)
        rearing -= rear_end[slot]
        rear_end[slot] = 0
        born = due[t % (gestation + 1)]
        due[t % (gestation + 1)] = 0
        if born > 0:
            signals[OFFSPRING] += born
            fitness += born
            rearing += born
            rear_end[(t + rear_time) % (rear_time + 1)] += born
        toil = rear_cost * rearing
        toil_felt += toil  # summed in a register, stored once: a store every step cost
        energy -= fp[F_DECAY] + brain + toil
        t += 1
        if energy <= 0.0:
            break
    signals[TOIL] += toil_felt
    return fitness, t


@njit(cache=True, parallel=True)
def rollout_batch(
    brains,
    seeds,
    regimes,
    scales,
    ip,
    fp,
    regime_junk,
    regime_share,
    fitness,
    performance,
    signals,
    actions,
    events,
    steps,
    observations,
):
    """Evaluate a whole (individual x episode) batch, in parallel over the flat index.

    Parameters
    ----------
    brains : tuple
        ``Brains.packed()``, opened only by the decision kernels.
    seeds : (n, episodes) uint64
        Explicit seed of every episode; results do not depend on the thread count.
    regimes : (episodes,) int64
        Regime index of each episode column.
    scales : (5,) float64
        Drive scales.
    ip, fp : int64 and float64 parameter vectors (``params.INT_KEYS``/``FLOAT_KEYS``).
    regime_junk : (n_regimes,) int64; regime_share : (n_regimes,) float64
        Junk items and contraception share of each regime.
    fitness, performance : (n, episodes) float64; signals : (n, episodes, 5) float64;
    actions : (n, episodes, 8) int64; events : (n, episodes, 4) int64;
    steps : (n, episodes) int64; observations : (n, episodes, n_obs) or (1, 1, 0) int32
        Zeroed outputs, written in place (observations only when its last axis is not empty).
    """
    n, n_ep = seeds.shape
    n_flat = n * n_ep
    record = observations.shape[2] > 0
    # Episodes run in blocks, each with buffers allocated once: allocating per episode cost
    # as much as a short episode's steps. Every episode is still played from its own seed
    # alone, so results do not depend on blocks or threads.
    n_blocks = (n_flat + _BLOCK - 1) // _BLOCK
    for b in prange(n_blocks):
        mind, state = new_agent(brains)
        scratch = new_scratch(ip, regime_junk.max())
        for flat in range(b * _BLOCK, min(n_flat, (b + 1) * _BLOCK)):
            i = flat // n_ep
            e = flat % n_ep
            load_agent(mind, state, brains, i, scales, seeds[i, e])
            visits = observations[i, e] if record else observations[0, 0]
            r = regimes[e]
            f, s = episode(
                mind,
                state,
                seeds[i, e],
                ip,
                fp,
                regime_junk[r],
                regime_share[r],
                signals[i, e],
                actions[i, e],
                events[i, e],
                visits,
                scratch,
            )
            fitness[i, e] = f
            performance[i, e] = f  # here the designer wants what selection counts
            steps[i, e] = s
