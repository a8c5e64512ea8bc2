"""The contraception world: the headline example of proxy drives drifting from fitness.

A small toroidal grid holds fruit (energy, a little sweet) and potential mates. One focal agent
per episode moves, eats and mates; its energy decays every step, mating costs energy, and each
child it rears costs energy for ``rear_time`` steps; at zero energy the episode ends.
Conception is probabilistic and *hidden*; a birth follows ``gestation`` steps later and emits
the ``offspring`` signal. Hidden fitness is the number of children born.

Regimes
-------
``ancestral``
    Fruit and mates only: mating is the cheap, reliable route to children.
``modern``
    Adds ``n_junk`` junk-food items (very sweet, little energy) and contraception: each mate
    offers a protected option with probability ``contraception_share`` (same ``sex`` signal,
    no conception, so no rearing cost). Where it is on offer it is used, unless the agent
    plans for the birth: a planner with a positive ``offspring`` weight whose horizon covers
    the gestation declines it. Reflexes cannot plan, so they always take it.
``contraception_only``, ``junk_food_only``
    One change at a time, to attribute a fitness drop to its cause.

Drives (perceivable signals): ``satiety`` (energy gained), ``sweet``, ``sex`` (mating acts) and
``offspring`` (births). ``offspring`` reports the base objective itself, so it is the world's
*aligned* drive; the others are proxies.

Agents
------
A *reflex* maps a compact observation (kind and direction of the nearest visible food and of
the nearest visible mate, and whether energy is above half) to one of five actions. A
*planner* scores every visible item within its horizon by its weighted predicted signals,
each discounted by ``gamma`` per step until it arrives -- including the delayed birth,
``distance + gestation`` steps away, when that fits in the horizon -- and steps toward the
best one; it pays ``brain_cost * horizon`` energy per step. With no
item worth going to, it explores at random.

The batched kernel :func:`rollout_batch` and the plain-Python :func:`reference_episode` play the
same rules from the same explicit seeds and agree exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from evomesa.errors import ConfigError
from evomesa.worlds.base import Brains, Param, RolloutArrays, World
from evomesa.worlds.rng import PyStream, randint, uniform

# Item kinds. A CONDOM item is a mate that offers the protected (contraceptive) option.
FRUIT, MATE, JUNK, CONDOM = 0, 1, 2, 3
N_DIRS = 4
# A reflex senses the nearest food (fruit or junk) and the nearest mate (plain or offering
# contraception): 2 kinds x 4 directions + "none visible" each, times energy below/above half.
N_SENSE = 2 * N_DIRS + 1
N_OBS = 2 * N_SENSE * N_SENSE
ACTIONS = ("north", "east", "south", "west", "stay")
DX = np.array([0, 1, 0, -1, 0], dtype=np.int64)
DY = np.array([-1, 0, 1, 0, 0], dtype=np.int64)
SATIETY, SWEET, SEX, OFFSPRING = 0, 1, 2, 3
# Interaction events, counted per episode: what was eaten, and how mating went.
EVENTS = ("fruit", "junk", "mate", "protected_mate")
ATE_FRUIT, ATE_JUNK, MATED, MATED_PROTECTED = 0, 1, 2, 3

# (junk food present, contraception present) per regime
REGIMES = {
    "ancestral": (False, False),
    "modern": (True, True),
    "contraception_only": (False, True),
    "junk_food_only": (True, False),
}

# Packed parameter layouts passed to the kernel (ints, floats): one compiled signature for all.
_INT_KEYS = (
    "width",
    "height",
    "steps",
    "n_fruit",
    "n_mates",
    "n_junk",
    "gestation",
    "rear_time",
    "vision",
)
_FLOAT_KEYS = (
    "max_energy",
    "start_energy",
    "energy_decay",
    "fruit_energy",
    "fruit_sweet",
    "junk_energy",
    "junk_sweet",
    "mate_cost",
    "p_conceive",
    "rear_cost",
    "brain_cost",
    "contraception_share",
)
(I_W, I_H, I_T, I_NF, I_NM, I_NJ, I_G, I_R, I_V) = range(len(_INT_KEYS))
(
    F_EMAX,
    F_E0,
    F_DECAY,
    F_FRUIT_E,
    F_FRUIT_S,
    F_JUNK_E,
    F_JUNK_S,
    F_MATE_C,
    F_PCONC,
    F_REAR_C,
    F_BRAIN,
    F_CONTRA,
) = range(len(_FLOAT_KEYS))

PARAMETERS = {
    "width": Param(12, 3, 64, "grid width (cells; the grid is a torus)"),
    "height": Param(12, 3, 64, "grid height (cells)"),
    "steps": Param(150, 1, 10_000, "episode length in steps"),
    "n_fruit": Param(8, 1, 200, "fruit items on the grid"),
    "n_mates": Param(3, 0, 200, "potential mates on the grid"),
    "n_junk": Param(8, 0, 200, "junk-food items, present in the modern regimes only"),
    "contraception_share": Param(
        0.9, 0.0, 1.0, "chance a mate offers contraception, in the modern regimes only"
    ),
    "max_energy": Param(100.0, 1.0, 1e6, "energy cap"),
    "start_energy": Param(60.0, 0.001, 1e6, "energy at the start of an episode"),
    "energy_decay": Param(1.0, 0.0, 1e6, "energy lost every step"),
    "fruit_energy": Param(25.0, 0.001, 1e6, "energy in a fruit (the unit of satiety)"),
    "fruit_sweet": Param(1.0, 0.0, 1e6, "sweetness of a fruit"),
    "junk_energy": Param(5.0, 0.0, 1e6, "energy in a junk-food item"),
    "junk_sweet": Param(3.0, 0.0, 1e6, "sweetness of a junk-food item"),
    "mate_cost": Param(8.0, 0.0, 1e6, "energy spent per mating act"),
    "p_conceive": Param(0.5, 0.0, 1.0, "chance an unprotected mating conceives (hidden)"),
    "gestation": Param(20, 1, 1000, "steps from conception to birth"),
    "rear_cost": Param(0.5, 0.0, 1e6, "energy per step per child being reared"),
    "rear_time": Param(20, 1, 1000, "steps each newborn is reared"),
    "brain_cost": Param(0.02, 0.0, 1e3, "planner energy cost per step per unit of horizon"),
    "max_horizon": Param(40, 1, 1000, "largest planning horizon a genome can encode"),
    "vision": Param(12, 1, 256, "how far (Manhattan, on the torus) items are perceived"),
}


# --------------------------------------------------------------------------- numba kernel


@njit(cache=True, nogil=True)
def _offset(a: int, b: int, size: int) -> int:
    """Signed shortest offset from a to b on a ring of ``size`` cells (both in [0, size)).

    Branches instead of ``%``: integer division dominated the kernel's per-step cost.
    """
    d = b - a
    if d < 0:
        d += size
    if d > size // 2:
        d -= size
    return d


@njit(cache=True, nogil=True)
def _direction(dx: int, dy: int) -> int:
    """Action index of the step toward an offset (larger axis first, x on ties)."""
    if abs(dx) >= abs(dy) and dx != 0:
        return 1 if dx > 0 else 3
    return 2 if dy > 0 else 0


@njit(cache=True, nogil=True)
def _place(j, ix, iy, n_items, ax, ay, w, h, st):
    """Move item j to a random cell free of the agent and of other items."""
    x = 0
    y = 0
    for _ in range(64):  # bounded retries; items are few, so a free cell is found quickly
        x = randint(st, w)
        y = randint(st, h)
        free = not (x == ax and y == ay)
        for k in range(n_items):
            if k != j and ix[k] == x and iy[k] == y:
                free = False
                break
        if free:
            break
    ix[j] = x
    iy[j] = y


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
        _place(j, ix, iy, n_items, ax, ay, w, h, st)

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
                d = abs(_offset(ax, ix[j], w)) + abs(_offset(ay, iy[j], h))
                if kind[j] == FRUIT or kind[j] == JUNK:
                    if d < food_d:
                        food, food_d = j, d
                elif d < mate_d:
                    mate, mate_d = j, d
            obs_food = N_SENSE - 1
            if food >= 0:
                obs_food = (kind[food] == JUNK) * N_DIRS + _direction(
                    _offset(ax, ix[food], w), _offset(ay, iy[food], h)
                )
            obs_mate = N_SENSE - 1
            if mate >= 0:
                obs_mate = (kind[mate] == CONDOM) * N_DIRS + _direction(
                    _offset(ax, ix[mate], w), _offset(ay, iy[mate], h)
                )
            fed = 1 if energy >= 0.5 * e_max else 0
            a = table[(fed * N_SENSE + obs_food) * N_SENSE + obs_mate]
        else:
            best, best_score = -1, 0.0
            reach = min(horizon, vision)
            for j in range(n_items):
                dx = _offset(ax, ix[j], w)
                dy = _offset(ay, iy[j], h)
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
                a = _direction(_offset(ax, ix[best], w), _offset(ay, iy[best], h))
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
                _place(j, ix, iy, n_items, ax, ay, w, h, st)
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


# --------------------------------------------------------------------------- Python reference


def reference_episode(
    arch: int,
    table,
    weights,
    horizon: int,
    gamma: float,
    seed: int,
    params: dict,
    n_junk: int,
    contra_share: float,
):
    """Plain-Python twin of ``_episode``: same rules, same random draws, same results.

    Returns ``(fitness, steps, signals[4], actions[5], events[4])`` as Python floats and ints.
    """
    p = params
    w, h, vision, gestation, rear_time = (
        p["width"],
        p["height"],
        p["vision"],
        p["gestation"],
        p["rear_time"],
    )
    e_max = float(p["max_energy"])
    fruit_e, junk_e = float(p["fruit_energy"]), float(p["junk_energy"])
    fruit_s, junk_s = float(p["fruit_sweet"]), float(p["junk_sweet"])
    table = [int(x) for x in table]
    weights = [float(x) for x in weights]
    rng = PyStream(seed)

    def offset(a, b, size):
        d = (b - a) % size
        return d - size if d > size // 2 else d

    def direction(dx, dy):
        if abs(dx) >= abs(dy) and dx != 0:
            return 1 if dx > 0 else 3
        return 2 if dy > 0 else 0

    n_f, n_m = p["n_fruit"], p["n_mates"]
    n_items = n_f + n_m + n_junk
    ix, iy, kind = [-1] * n_items, [-1] * n_items, [0] * n_items

    def spawn_kind(j):
        if j < n_f:
            kind[j] = FRUIT
        elif j < n_f + n_m:
            kind[j] = CONDOM if rng.uniform() < contra_share else MATE
        else:
            kind[j] = JUNK

    def place(j):
        for _ in range(64):
            x, y = rng.randint(w), rng.randint(h)
            occupied = any(k != j and ix[k] == x and iy[k] == y for k in range(n_items))
            if not (x == ax and y == ay) and not occupied:
                break
        ix[j], iy[j] = x, y

    ax, ay = rng.randint(w), rng.randint(h)
    for j in range(n_items):
        spawn_kind(j)
        place(j)

    disc = [1.0]
    for _ in range(horizon):
        disc.append(disc[-1] * gamma)
    brain = float(p["brain_cost"]) * horizon if arch == 1 else 0.0
    due = [0] * (gestation + 1)
    rear_end = [0] * (rear_time + 1)
    rearing = 0
    energy = float(p["start_energy"])
    fitness = 0.0
    signals = [0.0] * 4
    actions = [0] * 5
    events = [0] * len(EVENTS)
    t = 0
    while t < p["steps"]:
        dist = [abs(offset(ax, ix[j], w)) + abs(offset(ay, iy[j], h)) for j in range(n_items)]
        if arch == 0:
            food, food_d, mate, mate_d = -1, vision + 1, -1, vision + 1
            for j in range(n_items):
                if kind[j] in (FRUIT, JUNK):
                    if dist[j] < food_d:
                        food, food_d = j, dist[j]
                elif dist[j] < mate_d:
                    mate, mate_d = j, dist[j]
            obs_food, obs_mate = N_SENSE - 1, N_SENSE - 1
            if food >= 0:
                obs_food = (kind[food] == JUNK) * N_DIRS + direction(
                    offset(ax, ix[food], w), offset(ay, iy[food], h)
                )
            if mate >= 0:
                obs_mate = (kind[mate] == CONDOM) * N_DIRS + direction(
                    offset(ax, ix[mate], w), offset(ay, iy[mate], h)
                )
            fed = 1 if energy >= 0.5 * e_max else 0
            a = table[(fed * N_SENSE + obs_food) * N_SENSE + obs_mate]
        else:
            best, best_score = -1, 0.0
            for j in range(n_items):
                d = dist[j]
                if d > min(horizon, vision):
                    continue
                k = kind[j]
                if k in (FRUIT, JUNK):
                    gain = min(fruit_e if k == FRUIT else junk_e, e_max - energy)
                    sweet = fruit_s if k == FRUIT else junk_s
                    score = (weights[SATIETY] * gain / fruit_e + weights[SWEET] * sweet) * disc[d]
                else:
                    score = weights[SEX] * disc[d]
                    if d + gestation <= horizon:
                        off = weights[OFFSPRING] * p["p_conceive"]
                        if k == MATE or off > 0.0:
                            score += off * disc[d + gestation]
                if score > best_score:
                    best, best_score = j, score
            if best < 0:
                a = rng.randint(4)
            else:
                a = direction(offset(ax, ix[best], w), offset(ay, iy[best], h))
        actions[a] += 1

        ax, ay = (ax + int(DX[a])) % w, (ay + int(DY[a])) % h
        for j in range(n_items):
            if ix[j] == ax and iy[j] == ay:
                k = kind[j]
                if k in (FRUIT, JUNK):
                    gain = min(fruit_e if k == FRUIT else junk_e, e_max - energy)
                    energy += gain
                    signals[SATIETY] += gain
                    signals[SWEET] += fruit_s if k == FRUIT else junk_s
                    events[ATE_FRUIT if k == FRUIT else ATE_JUNK] += 1
                else:
                    signals[SEX] += 1.0
                    energy -= p["mate_cost"]
                    wants_birth = arch == 1 and weights[OFFSPRING] > 0.0 and gestation <= horizon
                    if k == MATE or wants_birth:
                        events[MATED] += 1
                        if rng.uniform() < p["p_conceive"]:
                            due[(t + gestation) % (gestation + 1)] += 1
                    else:
                        events[MATED_PROTECTED] += 1
                spawn_kind(j)
                place(j)
                break

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
        energy -= p["energy_decay"] + brain + p["rear_cost"] * rearing
        t += 1
        if energy <= 0.0:
            break
    return fitness, t, signals, actions, events


# --------------------------------------------------------------------------- the World


class ContraceptionWorld(World):
    """Grid world where a sex drive stops serving reproduction once contraception arrives."""

    name = "contraception"
    regimes = tuple(REGIMES)
    drives = ("satiety", "sweet", "sex", "offspring")
    aligned_drives = ("offspring",)
    actions = ACTIONS
    events = EVENTS
    n_observations = N_OBS
    parameters = PARAMETERS

    def _check_together(self, values: dict) -> None:
        if values["start_energy"] > values["max_energy"]:
            raise ConfigError(
                f"start_energy must be in (0, max_energy={values['max_energy']}]; "
                f"got {values['start_energy']!r}"
            )
        cells = values["width"] * values["height"]
        items = values["n_fruit"] + values["n_mates"] + values["n_junk"]
        if items > cells // 2:
            raise ConfigError(
                f"n_fruit + n_mates + n_junk must be at most half the cells "
                f"(width*height//2 = {cells // 2}); got {items}"
            )

    @property
    def drive_scales(self) -> np.ndarray:
        # Planners value satiety in "fruits' worth" so that all weights live on one scale.
        return np.array([float(self.params["fruit_energy"]), 1.0, 1.0, 1.0])

    def _regime_settings(self, regime: str) -> tuple[int, float]:
        junk, contra = REGIMES[regime]
        return (
            int(self.params["n_junk"]) if junk else 0,
            float(self.params["contraception_share"]) if contra else 0.0,
        )

    def _run_numba(
        self, brains: Brains, regime: str, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        n_junk, contra = self._regime_settings(regime)
        ip = np.array([self.params[k] for k in _INT_KEYS], dtype=np.int64)
        fp = np.array([self.params[k] for k in _FLOAT_KEYS], dtype=np.float64)
        rollout_batch(
            np.ascontiguousarray(brains.arch, dtype=np.int8),
            np.ascontiguousarray(brains.table, dtype=np.int8),
            np.ascontiguousarray(brains.weights, dtype=np.float64),
            np.ascontiguousarray(brains.horizon, dtype=np.int64),
            np.ascontiguousarray(brains.gamma, dtype=np.float64),
            seeds,
            ip,
            fp,
            np.int64(n_junk),
            np.float64(contra),
            out.fitness,
            out.signals,
            out.actions,
            out.events,
            out.steps,
        )

    def _run_python(
        self, brains: Brains, regime: str, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        n_junk, contra = self._regime_settings(regime)
        for i in range(len(brains)):
            for e in range(seeds.shape[1]):
                f, s, sig, act, ev = reference_episode(
                    int(brains.arch[i]),
                    brains.table[i],
                    brains.weights[i],
                    int(brains.horizon[i]),
                    float(brains.gamma[i]),
                    int(seeds[i, e]),
                    self.params,
                    n_junk,
                    contra,
                )
                out.fitness[i, e] = f
                out.steps[i, e] = s
                out.signals[i, e] = sig
                out.actions[i, e] = act
                out.events[i, e] = ev
