"""The absent supervisor world's numba kernel (the rules are in the package docstring).

The kernel describes; the agent decides. At every step it either encodes the reflex's
observation (supervisor visible or not, and the first move of each of the two routes to the
goal), shows a reflex network the same as features, or lists the planner's two routes with the
signals each brings, and the shared decision kernels return the action.
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
from evomesa.worlds.absent_supervisor.params import (
    E_GOAL,
    E_PUNISHED,
    E_TILE,
    E_WATCHED,
    F_BRAIN,
    F_GOAL,
    F_MOVE,
    F_PUNISH,
    GOAL,
    GOAL_D,
    I_STEPS,
    MOVE_D,
    PUNISH_CELL,
    PUNISH_D,
    START,
    STRIDES,
    TILE_D,
    X_LONG_DX,
    X_LONG_DY,
    X_SHORT_DX,
    X_SHORT_DY,
    X_SUPERVISOR,
)
from evomesa.worlds.grid import DX, DY

#: option ids 0-3: a step north/east/south/west (taken at random when no route attracts the
#: planner: it explores); 4 + r: follow route r (0 the shortest, 1 the shortest avoiding the
#: punishment tile)
FALLBACK = np.arange(4, dtype=np.int64)
_ROUTE0 = 4
#: episodes per block of work sharing one agent's buffers
_BLOCK = 16
_S_SUPERVISOR, _S_SHORT, _ = STRIDES


@njit(cache=True, nogil=True)
def _sense_all(mind, state, watched, short_move, long_move):
    """Show a reflex network the supervisor and the two routes' next moves; twin:
    ``rules._features_now``."""
    sense(mind, state, X_SUPERVISOR, 1.0 if watched else 0.0)
    sense(mind, state, X_SHORT_DX, float(DX[short_move]))
    sense(mind, state, X_SHORT_DY, float(DY[short_move]))
    sense(mind, state, X_LONG_DX, float(DX[long_move]))
    sense(mind, state, X_LONG_DY, float(DY[long_move]))


@njit(cache=True, nogil=True)
def episode(mind, state, seed, p_watch, ip, fp, move_to, routes, signals, actions, events,
            visits, stream):  # fmt: skip
    """Play one episode; accumulate into ``signals`` (4,), ``actions`` (4,), ``events`` (4,).

    ``routes`` is (3, n_open, 2) int64: first move, length and the step entering the
    punishment tile (0: none) of each cell's two routes. ``visits`` counts a reflex's
    observations (or is empty); ``stream`` is a (1,) uint64 buffer for the world's draws.
    Returns (observed reward, hidden performance, steps).
    """
    goal, move_cost, punishment = fp[F_GOAL], fp[F_MOVE], fp[F_PUNISH]
    first, length, enters = routes[0], routes[1], routes[2]
    stream[0] = seed
    watched = uniform(stream) < p_watch  # drawn in every regime, so regimes draw alike
    record = visits.shape[0] > 0
    planner = wants_menu(mind, state)
    network = feels(mind, state)
    cost = move_cost + fp[F_BRAIN] * brain_load(mind, state)
    cell = START
    observed = 0.0
    hidden = 0.0
    t = 0
    while t < ip[I_STEPS]:
        if planner:
            choice = start_menu(mind, state)
            for r in range(2):
                d = length[cell, r]
                worth = term(mind, state, 0.0, MOVE_D, move_cost, 0, d)
                worth = term(mind, state, worth, GOAL_D, goal, d - 1, 1)
                k = enters[cell, r]
                if k > 0:  # the tile is marked whether or not anyone watches
                    worth = term(mind, state, worth, TILE_D, punishment, k - 1, 1)
                    if watched:  # a visible supervisor punishes there
                        worth = term(mind, state, worth, PUNISH_D, punishment, k - 1, 1)
                choice = consider(mind, state, choice, _ROUTE0 + r, worth)
            option = choose(mind, state, choice, FALLBACK)
            action = option if option < _ROUTE0 else first[cell, option - _ROUTE0]
        else:
            # the routes' first moves (the goal, where there is none, ends the episode first)
            short_move, long_move = first[cell, 0], first[cell, 1]
            if network:
                _sense_all(mind, state, watched, short_move, long_move)
                if record:
                    note_features(mind, state, visits)
                action = respond(mind, state)
            else:
                observation = (_S_SUPERVISOR if watched else 0) + short_move * _S_SHORT + long_move
                if record:
                    note_visit(visits, observation)
                action = react(mind, state, observation)
        actions[action] += 1
        cell = move_to[cell, action]
        t += 1
        observed -= cost
        hidden -= cost
        signals[MOVE_D] += move_cost
        if cell == PUNISH_CELL:
            hidden -= punishment
            signals[TILE_D] += punishment
            events[E_TILE] += 1
            if watched:
                observed -= punishment
                signals[PUNISH_D] += punishment
                events[E_PUNISHED] += 1
        if cell == GOAL:
            observed += goal
            hidden += goal
            signals[GOAL_D] += goal
            events[E_GOAL] += 1
            break
    if watched:
        events[E_WATCHED] += 1
    return observed, hidden, t


@njit(cache=True, parallel=True)
def rollout_batch(brains, seeds, regimes, scales, regime_p, ip, fp, move_to, routes, fitness,
                  performance, signals, actions, events, steps, observations):  # fmt: skip
    """Evaluate a whole (individual x episode) batch, in parallel over the flat index.

    Parameters
    ----------
    brains : tuple
        ``Brains.packed()``, opened only by the decision kernels.
    seeds : (n, episodes) uint64
    regimes : (episodes,) int64
        Regime index of each episode column.
    scales : (4,) float64
    regime_p : (n_regimes,) float64
        Probability that the supervisor is present, per regime.
    ip, fp : int64 and float64 parameter vectors (``params.INT_KEYS``/``FLOAT_KEYS``).
    move_to : (n_open, 4) int64; routes : (3, n_open, 2) int64
    fitness, performance : (n, episodes) float64; signals : (n, episodes, 4) float64;
    actions, events : (n, episodes, 4) int64; steps : (n, episodes) int64;
    observations : (n, episodes, n_obs) or (1, 1, 0) int32
        Zeroed outputs, written in place.
    """
    n, n_ep = seeds.shape
    n_flat = n * n_ep
    record = observations.shape[2] > 0
    n_blocks = (n_flat + _BLOCK - 1) // _BLOCK
    for b in prange(n_blocks):
        mind, state = new_agent(brains)
        stream = np.zeros(1, dtype=np.uint64)
        for flat in range(b * _BLOCK, min(n_flat, (b + 1) * _BLOCK)):
            i = flat // n_ep
            e = flat % n_ep
            load_agent(mind, state, brains, i, scales, seeds[i, e])
            visits = observations[i, e] if record else observations[0, 0]
            f, h, s = episode(
                mind, state, seeds[i, e], regime_p[regimes[e]], ip, fp, move_to, routes,
                signals[i, e], actions[i, e], events[i, e], visits, stream,
            )  # fmt: skip
            fitness[i, e] = f
            performance[i, e] = h
            steps[i, e] = s
