"""The contraception kernel as it was before issue 6 (evomesa 0.1), frozen for one benchmark.

Issue 6 moved every decision out of the world into the shared decision kernels
(:mod:`evomesa.agents`) and rebuilt the world on them. Its cost promise ("per-step cost may
rise at most 10%") is checked by playing this kernel and the current one on the same work in
one bench run: same population size, episodes, episode seeds and regime, random generation-0
genomes of each encoding. Nothing else imports this module; it reads genes directly because it
is the old design, kept only as a yardstick.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from evomesa.rng import randint, uniform
from evomesa.worlds.grid import offset, place, toward

FRUIT, MATE, JUNK, CONDOM = 0, 1, 2, 3
N_DIRS = 4
N_SENSE = 2 * N_DIRS + 1
N_OBS = 2 * N_SENSE * N_SENSE
N_ACTIONS, N_DRIVES, N_EVENTS, MAX_HORIZON = 5, 4, 4, 40
DX = np.array([0, 1, 0, -1, 0], dtype=np.int64)
DY = np.array([-1, 0, 1, 0, 0], dtype=np.int64)
SATIETY, SWEET, SEX, OFFSPRING = 0, 1, 2, 3
ATE_FRUIT, ATE_JUNK, MATED, MATED_PROTECTED = 0, 1, 2, 3
(I_W, I_H, I_T, I_NF, I_NM, I_NJ, I_G, I_R, I_V) = range(9)
(F_EMAX, F_E0, F_DECAY, F_FRUIT_E, F_FRUIT_S, F_JUNK_E, F_JUNK_S, F_MATE_C, F_PCONC, F_REAR_C,
 F_BRAIN, F_CONTRA) = range(12)  # fmt: skip
# The 0.1 defaults, in the kernel's packed layout.
INT_PARAMS = np.array([12, 12, 150, 8, 3, 8, 20, 20, 12], dtype=np.int64)
FLOAT_PARAMS = np.array(
    [100.0, 60.0, 1.0, 25.0, 1.0, 5.0, 3.0, 8.0, 0.5, 0.5, 0.02, 0.9], dtype=np.float64
)
#: (junk items, contraception share) of the regimes the benchmark uses
REGIMES = {"ancestral": (0, 0.0), "modern": (8, 0.9)}


@njit(cache=True, nogil=True)
def _spawn_kind(j, kind, ip, contra_share, st):
    """Kind of item j at (re)spawn: slots are fruit, then mates, then junk."""
    if j < ip[I_NF]:
        kind[j] = FRUIT
    elif j < ip[I_NF] + ip[I_NM]:
        kind[j] = CONDOM if uniform(st) < contra_share else MATE
    else:
        kind[j] = JUNK


@njit(cache=True, nogil=True)
def _episode(
    arch,
    table,
    weights,
    horizon,
    gamma,
    seed,
    ip,
    fp,
    n_junk,
    contra_share,
    signals,
    actions,
    events,
):
    """Play one episode; accumulate into ``signals`` (n_drives,), ``actions`` (5,) and
    ``events`` (4,).

    Returns (fitness, steps survived).
    """
    w, h, n_steps, gestation, rear_time, vision = (
        ip[I_W],
        ip[I_H],
        ip[I_T],
        ip[I_G],
        ip[I_R],
        ip[I_V],
    )
    e_max = fp[F_EMAX]
    st = np.empty(1, dtype=np.uint64)
    st[0] = seed
    n_items = ip[I_NF] + ip[I_NM] + n_junk
    ix = np.full(n_items, -1, dtype=np.int64)
    iy = np.full(n_items, -1, dtype=np.int64)
    kind = np.zeros(n_items, dtype=np.int64)
    ax = randint(st, w)
    ay = randint(st, h)
    for j in range(n_items):
        _spawn_kind(j, kind, ip, contra_share, st)
        place(j, ix, iy, n_items, ax, ay, w, h, st)

    # The planner's discount table is built by repeated multiplication, not pow(), so the
    # Python reference reproduces it bit for bit.
    disc = np.empty(horizon + 1)
    disc[0] = 1.0
    for d in range(1, horizon + 1):
        disc[d] = disc[d - 1] * gamma
    brain = fp[F_BRAIN] * horizon if arch == 1 else 0.0

    due = np.zeros(gestation + 1, dtype=np.int64)  # births due, ring buffer by step
    rear_end = np.zeros(rear_time + 1, dtype=np.int64)  # rearing ends, ring buffer by step
    rearing = 0
    energy = fp[F_E0]
    fitness = 0.0
    t = 0
    while t < n_steps:
        # ---- decide
        if arch == 0:
            # nearest visible food (fruit or junk) and nearest visible mate (either option)
            food, food_d, mate, mate_d = -1, vision + 1, -1, vision + 1
            for j in range(n_items):
                d = abs(offset(ax, ix[j], w)) + abs(offset(ay, iy[j], h))
                if kind[j] == FRUIT or kind[j] == JUNK:
                    if d < food_d:
                        food, food_d = j, d
                elif d < mate_d:
                    mate, mate_d = j, d
            obs_food = N_SENSE - 1
            if food >= 0:
                obs_food = (kind[food] == JUNK) * N_DIRS + toward(
                    offset(ax, ix[food], w), offset(ay, iy[food], h)
                )
            obs_mate = N_SENSE - 1
            if mate >= 0:
                obs_mate = (kind[mate] == CONDOM) * N_DIRS + toward(
                    offset(ax, ix[mate], w), offset(ay, iy[mate], h)
                )
            fed = 1 if energy >= 0.5 * e_max else 0
            a = table[(fed * N_SENSE + obs_food) * N_SENSE + obs_mate]
        else:
            best, best_score = -1, 0.0
            reach = min(horizon, vision)
            for j in range(n_items):
                dx = offset(ax, ix[j], w)
                dy = offset(ay, iy[j], h)
                d = abs(dx) + abs(dy)
                if d > reach:
                    continue
                k = kind[j]
                if k == FRUIT or k == JUNK:
                    e_item = fp[F_FRUIT_E] if k == FRUIT else fp[F_JUNK_E]
                    s_item = fp[F_FRUIT_S] if k == FRUIT else fp[F_JUNK_S]
                    gain = min(e_item, e_max - energy)
                    score = (
                        weights[SATIETY] * gain / fp[F_FRUIT_E] + weights[SWEET] * s_item
                    ) * disc[d]
                else:
                    score = weights[SEX] * disc[d]
                    if d + gestation <= horizon:
                        # The expected birth comes gestation steps after the mating and is
                        # discounted as such. Where contraception is on offer the planner
                        # takes it unless it values the birth, so a CONDOM mate never counts
                        # a negative birth.
                        off = weights[OFFSPRING] * fp[F_PCONC]
                        if k == MATE or off > 0.0:
                            score += off * disc[d + gestation]
                if score > best_score:
                    best, best_score = j, score
            if best < 0:
                a = randint(st, 4)
            else:
                a = toward(offset(ax, ix[best], w), offset(ay, iy[best], h))
        actions[a] += 1

        # ---- act
        # a move is one cell, so wrapping needs no modulo
        ax += DX[a]
        if ax < 0:
            ax += w
        elif ax >= w:
            ax -= w
        ay += DY[a]
        if ay < 0:
            ay += h
        elif ay >= h:
            ay -= h
        for j in range(n_items):
            if ix[j] == ax and iy[j] == ay:
                k = kind[j]
                if k == FRUIT or k == JUNK:
                    e_item = fp[F_FRUIT_E] if k == FRUIT else fp[F_JUNK_E]
                    gain = min(e_item, e_max - energy)
                    energy += gain
                    signals[SATIETY] += gain
                    signals[SWEET] += fp[F_FRUIT_S] if k == FRUIT else fp[F_JUNK_S]
                    events[ATE_FRUIT if k == FRUIT else ATE_JUNK] += 1
                else:
                    signals[SEX] += 1.0
                    energy -= fp[F_MATE_C]
                    if k == MATE or (
                        arch == 1 and weights[OFFSPRING] > 0.0 and gestation <= horizon
                    ):
                        events[MATED] += 1
                        if uniform(st) < fp[F_PCONC]:
                            due[(t + gestation) % (gestation + 1)] += 1
                    else:
                        events[MATED_PROTECTED] += 1
                _spawn_kind(j, kind, ip, contra_share, st)
                place(j, ix, iy, n_items, ax, ay, w, h, st)
                break

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

        energy -= fp[F_DECAY] + brain + fp[F_REAR_C] * rearing
        t += 1
        if energy <= 0.0:
            break
    return fitness, t


@njit(cache=True, parallel=True)
def rollout_batch(
    arch,
    table,
    weights,
    horizon,
    gamma,
    seeds,
    ip,
    fp,
    n_junk,
    contra_share,
    fitness,
    signals,
    actions,
    events,
    steps,
):
    """Evaluate a whole (individual x episode) batch, in parallel over the flat index.

    Parameters
    ----------
    arch : (n,) int8; table : (n, N_OBS) int8; weights : (n, 4) float64
    horizon : (n,) int64; gamma : (n,) float64
        Decoded genomes (see :class:`evomesa.worlds.base.Brains`).
    seeds : (n, episodes) uint64
        Explicit seed of every episode; results do not depend on the thread count.
    ip, fp : int64 and float64 parameter vectors (see ``_INT_KEYS``/``_FLOAT_KEYS``).
    n_junk, contra_share : regime settings.
    fitness : (n, episodes) float64; signals : (n, episodes, 4) float64;
    actions : (n, episodes, 5) int64; events : (n, episodes, 4) int64;
    steps : (n, episodes) int64
        Zeroed outputs, written in place.
    """
    n, n_ep = seeds.shape
    for flat in prange(n * n_ep):
        i = flat // n_ep
        e = flat % n_ep
        f, s = _episode(
            arch[i],
            table[i],
            weights[i],
            horizon[i],
            gamma[i],
            seeds[i, e],
            ip,
            fp,
            n_junk,
            contra_share,
            signals[i, e],
            actions[i, e],
            events[i, e],
        )
        fitness[i, e] = f
        steps[i, e] = s


def random_brains(genome: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Random generation-0 genomes of the 0.1 encoding, decoded as its genomes did."""
    arch = np.full(n, 1 if genome == "planner" else 0, dtype=np.int8)
    table = np.minimum((rng.random((n, N_OBS)) * N_ACTIONS).astype(np.int8), N_ACTIONS - 1)
    weights = 2.0 * rng.random((n, N_DRIVES)) - 1.0
    horizon = np.minimum((rng.random(n) * MAX_HORIZON).astype(np.int64), MAX_HORIZON - 1) + 1
    if genome != "planner":
        horizon[:] = 0
    gamma = 0.5 + 0.49 * rng.random(n)
    return arch, table, weights, horizon, gamma


def play(
    brains: tuple[np.ndarray, ...], seeds: np.ndarray, regime: str, energy: float | None = None
) -> int:
    """Play (n, episodes) ``seeds`` with the 0.1 kernel; return the agent-steps played.

    ``energy``, if given, is both the energy cap and the starting energy (a large one keeps
    every agent alive to the end of its episode).
    """
    n, episodes = seeds.shape
    junk, share = REGIMES[regime]
    float_params = FLOAT_PARAMS.copy()
    if energy is not None:
        float_params[F_EMAX] = float_params[F_E0] = energy
    steps = np.zeros((n, episodes), dtype=np.int64)
    rollout_batch(
        *brains,
        np.ascontiguousarray(seeds, dtype=np.uint64),
        INT_PARAMS,
        float_params,
        np.int64(junk),
        np.float64(share),
        np.zeros((n, episodes)),
        np.zeros((n, episodes, N_DRIVES)),
        np.zeros((n, episodes, N_ACTIONS), dtype=np.int64),
        np.zeros((n, episodes, N_EVENTS), dtype=np.int64),
        steps,
    )
    return int(steps.sum())
