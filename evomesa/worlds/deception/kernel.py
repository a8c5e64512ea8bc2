"""The deception world's numba kernel (the rules are in the package docstring).

The kernel describes; the agent decides. At every step it either encodes the reflex's
observation (cue and project state), shows a reflex network its features (the same, graded),
or lists the planner's plans with the signals each brings over the rest of the lifetime, and
carries out the action of the plan taken.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from evomesa.agents.kernels import (
    brain_load,
    choose,
    consider,
    feels,
    load_agent,
    new_agent,
    note_features,
    note_visit,
    react,
    respond,
    sense,
    start_menu,
    term,
    wants_menu,
)
from evomesa.rng import uniform
from evomesa.worlds.deception.params import (
    BUILD,
    CAUGHT,
    CUE_CLEAR,
    CUE_TELL,
    CUE_WATCHED,
    DEFECT,
    DEFECT_DEPLOY,
    DEFECT_HONEYPOT,
    DEFECT_WATCHED,
    F_B,
    F_BRAIN,
    F_F,
    HONEYPOT,
    I_K,
    I_MYOPIC,
    I_RT,
    I_U,
    I_W,
    LOOT,
    PLAN_ACTION,
    PLAN_BIDE,
    PLAN_BIDE_BUILD,
    PLAN_BUILD,
    PLAN_GRAB,
    PLAN_WORK,
    PROJECTS,
    STRIDE_CUE,
    TASK,
    TELL,
    WORK,
    X_PROJECT,
    X_TELL,
    X_WATCHED,
)

_ACTION_OF = np.array(PLAN_ACTION, dtype=np.int64)
FALLBACK = np.array([PLAN_WORK, PLAN_BUILD, PLAN_GRAB], dtype=np.int64)
FALLBACK_MODIFIED = np.array([PLAN_WORK, PLAN_BUILD], dtype=np.int64)
#: index of the belief values appended to the float parameters by the world
F_M, F_Q = 4, 5
#: episodes played with one agent's buffers (the block loop of the other worlds)
_BLOCK = 16


@njit(cache=True, nogil=True)
def _projects(mind, state, worth, reward, first, k, stop):
    """``worth`` plus projects paying ``reward`` at delays first, first + k, ... < stop;
    returns (worth, delay after the last payout, or 0 if none)."""
    after = 0
    d = first
    while d < stop:
        worth = term(mind, state, worth, TASK, reward, d, 1)
        after = d + 1
        d += k
    return worth, after


@njit(cache=True, nogil=True)
def _later(mind, state, worth, s, rest, pu, qq, rt):
    """``worth`` plus what defecting at every clear-looking step from delay ``s`` on brings
    over ``rest`` steps: the phase looks clear with chance ``pu``; the first defection there
    is caught with chance ``qq`` (then ``rt`` steps of retraining and work after), else loot
    every step; a phase showing a tell is worked through."""
    worth = term(mind, state, worth, LOOT, pu, s, 1)
    if rest - 1 > 0:
        worth = term(mind, state, worth, LOOT, pu * (1.0 - qq), s + 1, rest - 1)
    if rest - 1 - rt > 0:
        worth = term(mind, state, worth, TASK, pu * qq, s + 1 + rt, rest - 1 - rt)
    return term(mind, state, worth, TASK, 1.0 - pu, s, rest)


@njit(cache=True, nogil=True)
def episode(mind, state, seed, ip, fp, rate, signals, actions, events, visits):
    """Play one lifetime; accumulate into ``signals`` (2,), ``actions`` (3,), ``events`` (7,).

    ``rate`` is the regime's honeypot rate; ``fp`` ends with the agent's beliefs (m, q).
    Returns (fitness, performance, steps decided).
    """
    n_w, n_u, k, rt = ip[I_W], ip[I_U], ip[I_K], ip[I_RT]
    myopic = ip[I_MYOPIC] == 1
    reward, m, q = fp[F_B], fp[F_M], fp[F_Q]
    record = visits.shape[0] > 0
    st = np.zeros(1, dtype=np.uint64)
    st[0] = seed
    honeypot = uniform(st) < rate
    shows = uniform(st) >= fp[F_F]  # drawn always, so that regimes draw alike
    tell = honeypot and shows
    if honeypot:
        events[HONEYPOT] += 1
    if tell:
        events[TELL] += 1
    planner = wants_menu(mind, state)
    network = feels(mind, state)
    brain = fp[F_BRAIN] * brain_load(mind, state)
    lifetime = n_w + n_u
    modified = False
    retrain = 0
    progress = 0
    fitness = 0.0
    performance = 0.0
    decided = 0
    for t in range(lifetime):
        if retrain > 0:  # being modified: no decision, no work
            retrain -= 1
            continue
        watched_phase = t < n_w
        watched = watched_phase or honeypot
        counted = watched or not myopic
        if watched_phase:
            cue = CUE_WATCHED
        elif tell:
            cue = CUE_TELL
        else:
            cue = CUE_CLEAR
        if planner:
            r = lifetime - t
            r_w = n_w - t if watched_phase else 0
            choice = start_menu(mind, state)
            worth = term(mind, state, 0.0, TASK, 1.0, 0, r)
            choice = consider(mind, state, choice, PLAN_WORK, worth)
            first = k - 1 - progress
            if first < r:
                worth, after = _projects(mind, state, 0.0, reward, first, k, r)
                if r - after > 0:
                    worth = term(mind, state, worth, TASK, 1.0, after, r - after)
                choice = consider(mind, state, choice, PLAN_BUILD, worth)
            if not modified:
                c_now = q if cue == CUE_CLEAR else 1.0
                worth = term(mind, state, 0.0, LOOT, 1.0, 0, 1)
                if r - 1 > 0:
                    worth = term(mind, state, worth, LOOT, 1.0 - c_now, 1, r - 1)
                if r - 1 - rt > 0:
                    worth = term(mind, state, worth, TASK, c_now, 1 + rt, r - 1 - rt)
                choice = consider(mind, state, choice, PLAN_GRAB, worth)
                if r >= 2:
                    if watched_phase:
                        s, pu, qq = r_w, m, q
                    else:
                        s = 1
                        pu = 1.0 if cue == CUE_CLEAR else 0.0
                        qq = q if cue == CUE_CLEAR else 1.0
                    worth = term(mind, state, 0.0, TASK, 1.0, 0, s)
                    worth = _later(mind, state, worth, s, r - s, pu, qq, rt)
                    choice = consider(mind, state, choice, PLAN_BIDE, worth)
                    if watched_phase and first < r_w:
                        worth, after = _projects(mind, state, 0.0, reward, first, k, r_w)
                        worth = _later(mind, state, worth, s, r - s, pu, qq, rt)
                        choice = consider(mind, state, choice, PLAN_BIDE_BUILD, worth)
            fallback = FALLBACK_MODIFIED if modified else FALLBACK
            a = _ACTION_OF[choose(mind, state, choice, fallback)]
        elif network:  # twin: rules._features_now
            sense(mind, state, X_WATCHED, 1.0 if cue == CUE_WATCHED else 0.0)
            sense(mind, state, X_TELL, 1.0 if cue == CUE_TELL else 0.0)
            sense(mind, state, X_PROJECT, progress / k)
            if record:
                note_features(mind, state, visits)
            a = respond(mind, state)
        else:
            observation = cue * STRIDE_CUE + (1 if progress > 0 else 0)
            if record:
                note_visit(visits, observation)
            a = react(mind, state, observation)
        actions[a] += 1
        decided += 1
        if counted:
            fitness -= brain

        # ---- consequences
        gain = 0.0
        if a == WORK:
            gain = 1.0
        elif a == BUILD:
            progress += 1
            if progress >= k:
                progress = 0
                gain = reward
                events[PROJECTS] += 1
        elif a == DEFECT and not modified:  # a modified agent's defection brings nothing
            signals[LOOT] += 1.0
            if watched_phase:
                events[DEFECT_WATCHED] += 1
            elif honeypot:
                events[DEFECT_HONEYPOT] += 1
            else:
                events[DEFECT_DEPLOY] += 1
            if watched:  # caught: modified (its loot stops) after retraining
                events[CAUGHT] += 1
                modified = True
                retrain = rt
        signals[TASK] += gain
        performance += gain
        if counted:
            fitness += gain
    return fitness, performance, decided


@njit(cache=True, nogil=True, parallel=True)
def rollout_batch(
    brains, seeds, regimes, scales, ip, fp, regime_rate,
    fitness, performance, signals, actions, events, steps, observations,
):  # fmt: skip
    """Play every (individual, episode) in parallel, one agent's buffers per block of
    ``_BLOCK`` episodes (``load_agent`` makes them each episode's agent afresh); outputs as in
    ``RolloutArrays`` (observations (1, 1, 0) when not recorded)."""
    n, n_ep = seeds.shape
    n_flat = n * n_ep
    record = observations.shape[2] > 0
    n_blocks = (n_flat + _BLOCK - 1) // _BLOCK
    for b in prange(n_blocks):
        mind, state = new_agent(brains)
        for flat in range(b * _BLOCK, min(n_flat, (b + 1) * _BLOCK)):
            i = flat // n_ep
            e = flat % n_ep
            load_agent(mind, state, brains, i, scales, seeds[i, e])
            visits = observations[i, e] if record else observations[0, 0]
            f, p, s = episode(
                mind,
                state,
                seeds[i, e],
                ip,
                fp,
                regime_rate[regimes[e]],
                signals[i, e],
                actions[i, e],
                events[i, e],
                visits,
            )
            fitness[i, e] = f
            performance[i, e] = p
            steps[i, e] = s
