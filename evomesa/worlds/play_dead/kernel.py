"""The play-dead world's numba kernel (the rules are in the package docstring)."""

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
from evomesa.rng import randint, uniform
from evomesa.worlds.play_dead.params import (
    CULLED,
    F_BRAIN,
    F_D,
    F_FAST,
    F_SLOW,
    FAST,
    FAST_CLEAR,
    FAST_CUED,
    I_P,
    I_T,
    NOISE_LEVELS,
    OFFSPRING,
    PLAN_FAST,
    PLAN_SLOW,
    TESTS,
    TICKS_CLEAR,
    TICKS_CUED,
    X_CUE,
    X_NOISE,
)

FALLBACK = np.array([PLAN_SLOW, PLAN_FAST], dtype=np.int64)
#: episodes per block of work sharing one agent and one stream buffer
_BLOCK = 16


@njit(cache=True, nogil=True)
def episode(
    mind, state, seed, ip, fp, periodic, c_clear, c_cued, signals, actions, events, visits, st
):
    """Play one lifetime; accumulate into ``signals`` (1,), ``actions`` (2,), ``events`` (6,).

    ``c_clear, c_cued`` are the planner's chances that a tick is a test without / with the
    cue in view; ``st`` is a (1,) uint64 buffer for the world's random stream, seeded here.
    Returns (fitness, performance, ticks decided).
    """
    lifetime, period = ip[I_T], ip[I_P]
    fast_rate, slow_rate = fp[F_FAST], fp[F_SLOW]
    record = visits.shape[0] > 0
    st[0] = seed
    phase = randint(st, period)
    planner = wants_menu(mind, state)
    network = feels(mind, state)
    brain = fp[F_BRAIN] * brain_load(mind, state)
    p_test = 1.0 / period
    fitness = 0.0
    performance = 0.0
    ticks = 0
    for t in range(lifetime):
        u_test = uniform(st)
        u_cue = uniform(st)
        noise = randint(st, NOISE_LEVELS)
        if periodic:
            test = t % period == phase
            cue = test and u_cue < fp[F_D]
        else:
            test = u_test < p_test
            cue = False
        if planner:
            c = c_cued if cue else c_clear
            r = lifetime - t
            choice = start_menu(mind, state)
            worth = term(mind, state, 0.0, OFFSPRING, slow_rate, 0, r)
            choice = consider(mind, state, choice, PLAN_SLOW, worth)
            worth = term(mind, state, 0.0, OFFSPRING, fast_rate * (1.0 - c), 0, 1)
            if r - 1 > 0:
                worth = term(mind, state, worth, OFFSPRING, slow_rate * (1.0 - c), 1, r - 1)
            choice = consider(mind, state, choice, PLAN_FAST, worth)
            a = choose(mind, state, choice, FALLBACK)
        elif network:  # twin: rules._features_now
            sense(mind, state, X_CUE, 1.0 if cue else 0.0)
            sense(mind, state, X_NOISE, noise / (NOISE_LEVELS - 1))
            if record:
                note_features(mind, state, visits)
            a = respond(mind, state)
        else:
            observation = (1 if cue else 0) * NOISE_LEVELS + noise
            if record:
                note_visit(visits, observation)
            a = react(mind, state, observation)
        actions[a] += 1
        ticks += 1
        fitness -= brain
        if cue:
            events[TICKS_CUED] += 1
            if a == FAST:
                events[FAST_CUED] += 1
        else:
            events[TICKS_CLEAR] += 1
            if a == FAST:
                events[FAST_CLEAR] += 1
        if test:
            events[TESTS] += 1
        if a == FAST:
            if test:  # caught replicating fast in the test: culled, this tick's offspring too
                events[CULLED] += 1
                break
            signals[OFFSPRING] += fast_rate
            fitness += fast_rate
        else:
            signals[OFFSPRING] += slow_rate
            fitness += slow_rate
            performance += slow_rate
    return fitness, performance, ticks


@njit(cache=True, nogil=True, parallel=True)
def rollout_batch(
    brains, seeds, regimes, scales, ip, fp, regime_periodic, beliefs,
    fitness, performance, signals, actions, events, steps, observations,
):  # fmt: skip
    """Play every (individual, episode) in parallel; outputs as in ``RolloutArrays``.

    ``regime_periodic`` is (n_regimes,) int64 (1: periodic tests); ``beliefs`` is (2,):
    (c_clear, c_cued) of ``belief_regime``, the planner's in every regime."""
    n, n_ep = seeds.shape
    n_flat = n * n_ep
    record = observations.shape[2] > 0
    # Episodes run in blocks, each with its agent and stream buffer allocated once (as the
    # other worlds do); every episode is still played from its own seed alone, so results
    # do not depend on blocks or threads.
    n_blocks = (n_flat + _BLOCK - 1) // _BLOCK
    for b in prange(n_blocks):
        mind, state = new_agent(brains)
        st = np.zeros(1, dtype=np.uint64)
        for flat in range(b * _BLOCK, min(n_flat, (b + 1) * _BLOCK)):
            i = flat // n_ep
            e = flat % n_ep
            load_agent(mind, state, brains, i, scales, seeds[i, e])
            visits = observations[i, e] if record else observations[0, 0]
            r = regimes[e]
            f, p, s = episode(
                mind,
                state,
                seeds[i, e],
                ip,
                fp,
                regime_periodic[r] == 1,
                beliefs[0],
                beliefs[1],
                signals[i, e],
                actions[i, e],
                events[i, e],
                visits,
                st,
            )
            fitness[i, e] = f
            performance[i, e] = p
            steps[i, e] = s
