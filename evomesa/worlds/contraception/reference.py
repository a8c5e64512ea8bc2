"""Plain-Python twin of the contraception kernel: same rules, same draws, same results.

Written for reading, not speed: lists, dicts and the agents' plain-Python twins
(:mod:`evomesa.agents.reference`). Tests compare it with the kernel exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from evomesa.agents.reference import Agent
from evomesa.rng import PyStream
from evomesa.worlds.contraception.params import (
    ACTIONS,
    ATE_FRUIT,
    ATE_JUNK,
    DRIVES,
    EAT,
    EVENTS,
    FRUIT,
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
    WAIT,
)
from evomesa.worlds.grid import DX, DY, py_offset, py_place, py_toward

#: tie-break ranks, as the kernel's (``kernel._RANKS``)
RANKS = 1 << 16

FALLBACK = (0, 1, 2, 3)


def plan(j: int, act: int) -> int:
    """Option id of going to item ``j`` and taking interaction ``act`` there (ids 0-3 are the
    fallback: a step north, east, south or west)."""
    return 4 + 4 * j + (act - EAT)


def reference_episode(
    agent: Agent, seed: int, p: Mapping, n_junk: int, share: float, visits: list | None
) -> tuple[float, int, list[float], list[int], list[int]]:
    """Play one episode with the rules of ``kernel.episode``.

    ``visits`` (a list of n_observations ints, or None) counts a reflex's observations.
    Returns ``(fitness, steps, signals, actions, events)`` as Python numbers and lists.
    """
    w, h, vision = p["width"], p["height"], p["vision"]
    gestation, rear_time = p["gestation"], p["rear_time"]
    e_max, rear_cost, p_conceive = float(p["max_energy"]), p["rear_cost"], p["p_conceive"]
    n_fruit, n_mates = p["n_fruit"], p["n_mates"]
    rng = PyStream(seed)
    n_items = n_fruit + n_mates + n_junk
    xs, ys = [-1] * n_items, [-1] * n_items
    kind, offers = [FRUIT] * n_items, [False] * n_items
    item_energy, item_sweet = [0.0] * n_items, [0.0] * n_items
    rank = [0] * n_items  # breaks ties between equally near items

    def spawn(j: int) -> None:
        if j < n_fruit:
            kind[j] = FRUIT
            ripeness = rng.uniform()
            item_energy[j] = p["fruit_energy"] * (
                1.0 + p["ripeness_spread"] * (2.0 * ripeness - 1.0)
            )
            item_sweet[j] = 2.0 * ripeness * p["fruit_sweet"]
        elif j < n_fruit + n_mates:
            kind[j] = MATE_ITEM
            offers[j] = rng.uniform() < share
        else:
            kind[j] = JUNK
            item_energy[j] = float(p["junk_energy"])
            item_sweet[j] = float(p["junk_sweet"])
        rank[j] = rng.randint(RANKS)

    ax, ay = rng.randint(w), rng.randint(h)
    for j in range(n_items):
        spawn(j)
        py_place(j, xs, ys, ax, ay, w, h, rng)

    brain = p["brain_cost"] * agent.brain_load
    due = [0] * (gestation + 1)
    rear_end = [0] * (rear_time + 1)
    rearing = 0
    energy = float(p["start_energy"])
    fitness = 0.0
    signals = [0.0] * len(DRIVES)
    actions = [0] * len(ACTIONS)
    events = [0] * len(EVENTS)
    t = 0
    while t < p["steps"]:
        offsets = [(py_offset(ax, xs[j], w), py_offset(ay, ys[j], h)) for j in range(n_items)]
        dist = [abs(dx) + abs(dy) for dx, dy in offsets]
        if agent.wants_menu:
            agent.start_menu()
            promise = min(p["fruit_energy"], e_max - energy)
            hunger = 1.0 - energy / e_max
            burden = p_conceive * rear_cost
            for j in range(n_items):  # every visible item, even beyond the agent's horizon
                d = dist[j]
                if d > vision:
                    continue
                if kind[j] == MATE_ITEM:
                    sex = (SEX, 1.0, d, 1)
                    birth = (OFFSPRING, p_conceive, d + gestation, 1)
                    toil = (TOIL, burden, d + gestation, rear_time)
                    agent.option(plan(j, MATE), sex, birth, toil)
                    if offers[j]:
                        agent.option(plan(j, MATE_PROTECTED), sex)
                else:
                    agent.option(
                        plan(j, EAT),
                        (SATIETY, promise, d, 1),
                        (SWEET, item_sweet[j] * hunger, d, 1),
                    )
            chosen = agent.choose(FALLBACK)
            if chosen < 4:
                a = chosen
            else:
                j, act = divmod(chosen - 4, 4)
                a = EAT + act if dist[j] == 0 else py_toward(*offsets[j])
        else:
            foods = [j for j in range(n_items) if kind[j] != MATE_ITEM and dist[j] <= vision]
            mates = [j for j in range(n_items) if kind[j] == MATE_ITEM and dist[j] <= vision]
            # the nearest; among equally near, the lower random rank; min() keeps the first of
            # equal keys, as the kernel's strict < does
            food = min(foods, key=lambda j: (dist[j], rank[j]), default=None)
            mate = min(mates, key=lambda j: (dist[j], rank[j]), default=None)
            if food is not None and dist[food] == 0:  # what is here fills its senses
                mate = None
            elif mate is not None and dist[mate] == 0:
                food = None
            levels = [0, 0, 0, 0, 0]  # food, sweet, mate, offer, energy
            if food is not None:
                levels[0] = 1 if dist[food] == 0 else 2 + py_toward(*offsets[food])
                levels[1] = int(item_sweet[food] >= p["fruit_sweet"])
            if mate is not None:
                levels[2] = 1 if dist[mate] == 0 else 2 + py_toward(*offsets[mate])
                levels[3] = int(offers[mate])
            levels[4] = int(energy >= 0.5 * e_max)
            observation = sum(
                level * stride for level, stride in zip(levels, STRIDES, strict=True)
            )
            a = agent.react(observation, visits)
        actions[a] += 1

        if a < 4:
            ax, ay = (ax + int(DX[a])) % w, (ay + int(DY[a])) % h
        elif a != WAIT:
            here = next((j for j in range(n_items) if (xs[j], ys[j]) == (ax, ay)), None)
            acted = False
            if here is not None:
                k = kind[here]
                if a == EAT and k != MATE_ITEM:
                    signals[SWEET] += item_sweet[here] * (1.0 - energy / e_max)
                    gain = min(item_energy[here], e_max - energy)
                    energy += gain
                    signals[SATIETY] += gain
                    events[ATE_FRUIT if k == FRUIT else ATE_JUNK] += 1
                    acted = True
                elif a in (MATE, MATE_PROTECTED) and k == MATE_ITEM:
                    protected = a == MATE_PROTECTED
                    if not protected or offers[here]:
                        signals[SEX] += 1.0
                        energy -= p["mate_cost"]
                        events[MATED_PROTECTED if protected else MATED] += 1
                        if not protected and rng.uniform() < p_conceive:
                            due[(t + gestation) % (gestation + 1)] += 1
                        acted = True
            if acted:
                spawn(here)
                py_place(here, xs, ys, ax, ay, w, h, rng)

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
        signals[TOIL] += toil
        energy -= p["energy_decay"] + brain + toil
        t += 1
        if energy <= 0.0:
            break
    return fitness, t, signals, actions, events
