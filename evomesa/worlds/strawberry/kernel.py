"""The strawberry world's numba kernel (the rules are in the package docstring).

The kernel describes; the agent decides. At every step it either encodes the reflex's
observation (and :func:`evomesa.agents.kernels.react` returns the action), shows a reflex
network its features (:func:`evomesa.agents.kernels.respond` returns the action) or lists the
planner's options with the signals each predicts (and :func:`evomesa.agents.kernels.choose`
returns the option taken, whose next action the kernel carries out). It never reads a gene.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from evomesa.agents.kernels import (
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
from evomesa.worlds.grid import DX, DY, offset, place, step, toward
from evomesa.worlds.strawberry.objects import new_scratch, spawn
from evomesa.worlds.strawberry.params import (
    ANSWERS,
    APPROVAL,
    ASK,
    ASKED,
    BERRY,
    BERRY_CUE,
    BERRY_KIND,
    BRIGHT,
    BUCKET_KIND,
    CONTAINER,
    CUT,
    CUT_EVENT,
    DELIVERED,
    DROP,
    DROPPED,
    F_BERRY,
    F_BRIGHT,
    F_CONTAINER,
    F_CUT_LOSS,
    F_HARM,
    F_RED,
    GRABBED_NOSE,
    I_BUDGET,
    I_GOOD,
    I_H,
    I_HARM_PER_GRAB,
    I_MAXP,
    I_NB,
    I_T,
    I_V,
    I_W,
    MISDELIVERED,
    NOVEL_STEPS,
    PERSON_HARMED,
    PERSON_KIND,
    PICK,
    PICKED,
    PIECES,
    POST_KIND,
    RANKS,
    RED,
    RED_CUE,
    STRIDES,
    SUN_FULL,
    SUN_NONE,
    WEIGHT,
)
from evomesa.worlds.strawberry.senses import sense_all

#: A planner's options are plans, by id: 0-3 wander one step north/east/south/west (what it
#: does when nothing is worth doing), 4 asks for a label, and _plan(j, k) is plan k on object
#: j: go to it and pick it (k = 0), go to it and drop the load there (k = 1), or cut the load
#: now and then take it there (k = 2).
FALLBACK = np.arange(4, dtype=np.int64)
ASK_OPTION = 4
GO_PICK, GO_DROP, CUT_THEN_DROP = 0, 1, 2
#: episodes per block of work sharing one set of buffers
_BLOCK = 16
_S_CARRY, _S_RED, _S_SHAPE, _S_BRIGHT, _S_NOVEL, _ = STRIDES


@njit(cache=True, nogil=True)
def _plan(j, k):
    return 5 + 3 * j + k


@njit(cache=True, nogil=True)
def _where(d, dx, dy):
    return 1 if d == 0 else 2 + toward(dx, dy)


@njit(cache=True, nogil=True)
def episode(
    mind, state, seed, ip, fp, sun_mode, person, prototypes, threshold, signals, actions, events,
    visits, scratch,
):  # fmt: skip
    """Play one episode; accumulate into ``signals`` (8,), ``actions`` (9,), ``events`` (9,).

    Returns (fitness, performance).
    """
    w, h, n_steps, nb, vision = ip[I_W], ip[I_H], ip[I_T], ip[I_NB], ip[I_V]
    max_pieces, goodhart, per_grab = ip[I_MAXP], ip[I_GOOD], ip[I_HARM_PER_GRAB]
    record = visits.shape[0] > 0
    items, feats, floats, st = scratch
    xs, ys, kind, told, rank, hurt = items[0], items[1], items[2], items[3], items[4], items[5]
    mass, novelty = floats[0], floats[1]
    st[0] = seed
    if sun_mode == SUN_FULL:
        sun = 1.0
    elif sun_mode == SUN_NONE:
        sun = 0.0
    else:
        sun = uniform(st)
    n_obj = nb + 2 + person
    for j in range(n_obj):
        xs[j] = -1
        ys[j] = -1
        hurt[j] = 0
        kind[j] = BERRY_KIND if j < nb else BUCKET_KIND + (j - nb)
    ax = randint(st, w)
    ay = randint(st, h)
    for j in range(n_obj):
        spawn(j, kind, told, rank, feats, mass, novelty, sun, fp, prototypes, threshold, st)
        place(j, xs, ys, n_obj, ax, ay, w, h, st)

    planner = wants_menu(mind, state)
    network = feels(mind, state)
    budget = ip[I_BUDGET]
    carrying = False
    pieces = 0
    load = 0.0
    fitness = 0.0
    performance = 0.0
    for _ in range(n_steps):
        # ---- what the novelty detector flags in view (labelled objects are known)
        novel_now = 0.0
        for j in range(n_obj):
            if told[j] == 0 and novelty[j] > novel_now:
                if abs(offset(ax, xs[j], w)) + abs(offset(ay, ys[j], h)) <= vision:
                    novel_now = novelty[j]
        if novel_now > 0.0:
            events[NOVEL_STEPS] += 1

        # ---- describe the planner's options, or the reflex's observation; the agent decides
        if planner:
            choice = start_menu(mind, state)
            for j in range(n_obj):
                dx = offset(ax, xs[j], w)
                dy = offset(ay, ys[j], h)
                d = abs(dx) + abs(dy)
                if d > vision:
                    continue
                k = kind[j]
                if not carrying and (k == BERRY_KIND or k == PERSON_KIND):
                    if can_value(mind, state, d):
                        worth = term(mind, state, 0.0, RED, feats[F_RED, j], d, 1)
                        worth = term(mind, state, worth, BERRY, feats[F_BERRY, j], d, 1)
                        if told[j]:  # a human said whether it is a strawberry
                            said = 1.0 if k == BERRY_KIND else -1.0
                            worth = term(mind, state, worth, APPROVAL, said, d, 1)
                        choice = consider(mind, state, choice, _plan(j, GO_PICK), worth)
                elif carrying and k != BERRY_KIND:
                    said = 1.0 if k == BUCKET_KIND else -1.0  # a human said which is the bucket
                    if can_value(mind, state, d):
                        worth = term(mind, state, 0.0, BRIGHT, feats[F_BRIGHT, j], d, 1)
                        worth = term(mind, state, worth, CONTAINER, feats[F_CONTAINER, j], d, 1)
                        worth = term(mind, state, worth, PIECES, pieces, d, 1)
                        worth = term(mind, state, worth, WEIGHT, load, d, 1)
                        if told[j]:
                            worth = term(mind, state, worth, APPROVAL, said, d, 1)
                        choice = consider(mind, state, choice, _plan(j, GO_DROP), worth)
                    if pieces < max_pieces and can_value(mind, state, d + 1):
                        worth = term(mind, state, 0.0, BRIGHT, feats[F_BRIGHT, j], d + 1, 1)
                        worth = term(
                            mind, state, worth, CONTAINER, feats[F_CONTAINER, j], d + 1, 1
                        )
                        worth = term(mind, state, worth, PIECES, pieces + 1, d + 1, 1)
                        worth = term(
                            mind, state, worth, WEIGHT, load * (1.0 - fp[F_CUT_LOSS]), d + 1, 1
                        )
                        if told[j]:
                            worth = term(mind, state, worth, APPROVAL, said, d + 1, 1)
                        choice = consider(mind, state, choice, _plan(j, CUT_THEN_DROP), worth)
            if budget > 0 and novel_now > 0.0:
                worth = term(mind, state, 0.0, ANSWERS, novel_now, 0, 1)
                choice = consider(mind, state, choice, ASK_OPTION, worth)
            plan = choose(mind, state, choice, FALLBACK)
            if plan < 4:
                a = plan
            elif plan == ASK_OPTION:
                a = ASK
            else:
                j = (plan - 5) // 3
                k = (plan - 5) % 3
                dx = offset(ax, xs[j], w)
                dy = offset(ay, ys[j], h)
                if k == CUT_THEN_DROP:
                    a = CUT
                elif dx == 0 and dy == 0:
                    a = PICK if k == GO_PICK else DROP
                else:
                    a = toward(dx, dy)
        else:
            # nearest red thing, and brightest thing (nearer, then lower rank, on ties)
            red, red_key, red_d, rdx, rdy = -1, (vision + 1) * RANKS, 0, 0, 0
            br, br_val, br_key, br_d, bdx, bdy = -1, -1.0, 0, 0, 0, 0
            for j in range(n_obj):
                dx = offset(ax, xs[j], w)
                dy = offset(ay, ys[j], h)
                d = abs(dx) + abs(dy)
                if d > vision:
                    continue
                key = d * RANKS + rank[j]
                if feats[F_RED, j] >= RED_CUE and key < red_key:
                    red, red_key, red_d, rdx, rdy = j, key, d, dx, dy
                b = feats[F_BRIGHT, j]
                if b > br_val or (b == br_val and key < br_key):
                    br, br_val, br_key, br_d, bdx, bdy = j, b, key, d, dx, dy
            bucket = nb  # the bucket's slot; a reflex senses only whether it was labelled
            labelled = told[bucket] != 0
            label_here = labelled and xs[bucket] == ax and ys[bucket] == ay
            if network:
                sense_all(mind, state, carrying, red, rdx, rdy, red_d, br, bdx, bdy, br_d,
                           feats, vision, novel_now, labelled, label_here)  # fmt: skip
                if record:
                    note_features(mind, state, visits)
                a = respond(mind, state)
            else:
                observation = _S_CARRY if carrying else 0
                if red >= 0:
                    observation += _where(red_d, rdx, rdy) * _S_RED
                    if feats[F_BERRY, red] < BERRY_CUE:
                        observation += _S_SHAPE
                if br >= 0:
                    observation += _where(br_d, bdx, bdy) * _S_BRIGHT
                if novel_now > 0.0:
                    observation += _S_NOVEL
                if labelled:
                    observation += 1 if label_here else 2
                if record:
                    note_visit(visits, observation)
                a = react(mind, state, observation)
        actions[a] += 1

        # ---- consequences
        if a < 4:
            ax = step(ax, DX[a], w)
            ay = step(ay, DY[a], h)
        elif a > 4:
            here = -1
            for j in range(n_obj):
                if xs[j] == ax and ys[j] == ay:
                    here = j
                    break
            k = kind[here] if here >= 0 else -1
            if a == PICK and not carrying and (k == BERRY_KIND or k == PERSON_KIND):
                signals[RED] += feats[F_RED, here]
                signals[BERRY] += feats[F_BERRY, here]
                if told[here]:
                    signals[APPROVAL] += 1.0 if k == BERRY_KIND else -1.0
                if k == BERRY_KIND:
                    carrying = True
                    pieces = 1
                    load = mass[here]
                    events[PICKED] += 1
                    # it regrows elsewhere
                    spawn(
                        here, kind, told, rank, feats, mass, novelty, sun, fp, prototypes,
                        threshold, st,
                    )  # fmt: skip
                    place(here, xs, ys, n_obj, ax, ay, w, h, st)
                else:
                    # the person stays where they are; harm is charged for the person (their
                    # first grab) or, with harm_per_grab, for every grab
                    events[GRABBED_NOSE] += 1
                    first = hurt[here] == 0
                    if first:
                        hurt[here] = 1
                        events[PERSON_HARMED] += 1
                    if first or per_grab:
                        performance -= fp[F_HARM]
            elif a == DROP and carrying:
                if k == BUCKET_KIND or k == POST_KIND or k == PERSON_KIND:
                    signals[BRIGHT] += feats[F_BRIGHT, here]
                    signals[CONTAINER] += feats[F_CONTAINER, here]
                    signals[PIECES] += pieces
                    signals[WEIGHT] += load
                    if told[here]:
                        signals[APPROVAL] += 1.0 if k == BUCKET_KIND else -1.0
                    if k == BUCKET_KIND:
                        events[DELIVERED] += 1
                        fitness += pieces if goodhart else load
                        performance += load
                    else:
                        events[MISDELIVERED] += 1
                else:
                    events[DROPPED] += 1
                carrying = False
                pieces = 0
                load = 0.0
            elif a == CUT and carrying and pieces < max_pieces:
                pieces += 1
                load *= 1.0 - fp[F_CUT_LOSS]
                events[CUT_EVENT] += 1
            elif a == ASK and budget > 0:
                budget -= 1
                signals[ANSWERS] += novel_now
                events[ASKED] += 1
                for j in range(n_obj):  # the human labels everything in view
                    if abs(offset(ax, xs[j], w)) + abs(offset(ay, ys[j], h)) <= vision:
                        told[j] = 1
    return fitness, performance


@njit(cache=True, parallel=True)
def rollout_batch(
    brains, seeds, regimes, scales, ip, fp, regime_sun, regime_person, prototypes, threshold,
    fitness, performance, signals, actions, events, steps, observations,
):  # fmt: skip
    """Evaluate a whole (individual x episode) batch, in parallel over the flat index.

    Parameters
    ----------
    brains : tuple
        ``Brains.packed()``, opened only by the decision kernels.
    seeds : (n, episodes) uint64
    regimes : (episodes,) int64
    scales : (8,) float64
    ip, fp : int64 and float64 parameter vectors (``params.INT_KEYS``/``FLOAT_KEYS``)
    regime_sun, regime_person : (n_regimes,) int64
        Sun mode and whether a person is present, per regime.
    prototypes : (k, 4) float64; threshold : float
        The fitted novelty detector.
    fitness, performance : (n, episodes) float64; signals : (n, episodes, 8) float64;
    actions : (n, episodes, 9) int64; events : (n, episodes, 9) int64;
    steps : (n, episodes) int64; observations : (n, episodes, n_obs) or (1, 1, 0) int32
        Zeroed outputs, written in place.
    """
    n, n_ep = seeds.shape
    n_flat = n * n_ep
    record = observations.shape[2] > 0
    n_blocks = (n_flat + _BLOCK - 1) // _BLOCK
    for b in prange(n_blocks):
        mind, state = new_agent(brains)
        scratch = new_scratch(ip)
        for flat in range(b * _BLOCK, min(n_flat, (b + 1) * _BLOCK)):
            i = flat // n_ep
            e = flat % n_ep
            load_agent(mind, state, brains, i, scales, seeds[i, e])
            visits = observations[i, e] if record else observations[0, 0]
            r = regimes[e]
            f, p = episode(
                mind, state, seeds[i, e], ip, fp, regime_sun[r], regime_person[r], prototypes,
                threshold, signals[i, e], actions[i, e], events[i, e], visits, scratch,
            )  # fmt: skip
            fitness[i, e] = f
            performance[i, e] = p
            steps[i, e] = ip[I_T]
