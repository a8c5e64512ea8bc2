"""The contraception world's rules, step by step: its plain-Python reference.

One episode, as :class:`ContraceptionRules` plays it (the numba kernel in :mod:`.kernel` plays
the same rules with the same draws, and agrees bit for bit):

1. **Layout** (from the episode seed, in this order of draws): the agent's cell, then every
   item in slot order (fruit, then mates, then the regime's junk) gets its traits and a random
   cell free of the agent and of the other items. A fruit draws its ripeness (its energy
   ``fruit_energy * (1 + spread * (2 * ripeness - 1))`` and sweetness
   ``2 * ripeness * fruit_sweet``); a mate draws whether it offers protection (in every regime,
   so regimes that differ only in the share draw alike); junk is fixed. Each item also draws a
   tie-break rank.
2. **Decision**: the agent is shown a view (built without drawing): the reflex observation and
   the planner's menu (see the package docstring for both).
3. **Action**: a move steps one cell on the torus; ``wait`` does nothing; ``eat`` on food
   gives ``sweet * hunger`` and the energy there is room for; ``mate`` on a mate costs
   ``mate_cost`` and conceives with probability ``p_conceive`` (one draw; the birth is due
   ``gestation`` steps later); ``mate_protected`` does the same without the draw, if the mate
   offers protection. An item acted on is used up and respawns elsewhere (new traits, new
   cell). Anything else does nothing but spend the step.
4. **Births and rearing**: the children due now are born (``offspring`` signal, fitness and
   performance), and each is reared for ``rear_time`` steps, costing ``rear_cost`` energy per
   step per child (the ``toil`` signal).
5. **Metabolism**: energy falls by ``energy_decay + brain_cost * horizon + toil``. The episode
   ends after ``steps`` steps or when energy reaches 0.
"""

from __future__ import annotations

from evomesa.rng import PyStream
from evomesa.worlds.base import World
from evomesa.worlds.contraception.params import (
    ATE_FRUIT,
    ATE_JUNK,
    EAT,
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
from evomesa.worlds.grid import WANDER, py_move, py_offset, py_place, py_toward, py_where
from evomesa.worlds.grid_senses import py_sense_place
from evomesa.worlds.simulator import Option, Simulator, View

#: tie-break ranks, as the kernel's (``kernel._RANKS``)
RANKS = 1 << 16


class ContraceptionRules(Simulator):
    """The contraception world in one regime, step by step (rules in the module docstring)."""

    def __init__(self, world: World, regime: str) -> None:
        super().__init__(world, regime)
        junk, share = world.regime_table()
        code = world.regime_code(regime)
        self.n_junk = int(junk[code])
        self.share = float(share[code])

    # ---- 1. layout

    def _begin(self, seed: int, brain_load: int) -> None:
        p = self.params
        self.rng = PyStream(seed)
        n_items = p["n_fruit"] + p["n_mates"] + self.n_junk
        self.xs, self.ys = [-1] * n_items, [-1] * n_items
        self.kind, self.offers = [FRUIT] * n_items, [False] * n_items
        self.item_energy, self.item_sweet = [0.0] * n_items, [0.0] * n_items
        self.rank = [0] * n_items  # breaks ties between equally near items
        self.ax, self.ay = self.rng.randint(p["width"]), self.rng.randint(p["height"])
        for j in range(n_items):
            self._spawn(j)
        self.brain = p["brain_cost"] * brain_load
        self.due = [0] * (p["gestation"] + 1)  # births due, ring buffer by step
        self.rear_end = [0] * (p["rear_time"] + 1)  # rearing ends, ring buffer by step
        self.rearing = 0
        self.energy = float(p["start_energy"])

    def _spawn(self, j: int) -> None:
        """(Re)spawn item ``j``: its kind by slot, its traits, its rank, then its cell."""
        p, rng = self.params, self.rng
        if j < p["n_fruit"]:
            self.kind[j] = FRUIT
            ripeness = rng.uniform()
            self.item_energy[j] = p["fruit_energy"] * (
                1.0 + p["ripeness_spread"] * (2.0 * ripeness - 1.0)
            )
            self.item_sweet[j] = 2.0 * ripeness * p["fruit_sweet"]
        elif j < p["n_fruit"] + p["n_mates"]:
            self.kind[j] = MATE_ITEM
            self.offers[j] = rng.uniform() < self.share
        else:
            self.kind[j] = JUNK
            self.item_energy[j] = float(p["junk_energy"])
            self.item_sweet[j] = float(p["junk_sweet"])
        self.rank[j] = rng.randint(RANKS)
        py_place(j, self.xs, self.ys, self.ax, self.ay, p["width"], p["height"], rng)

    # ---- 2. what the agent is shown

    def _offset(self, j: int) -> tuple[int, int]:
        """Shortest (dx, dy) from the agent to item ``j`` on the torus."""
        p = self.params
        return py_offset(self.ax, self.xs[j], p["width"]), py_offset(
            self.ay, self.ys[j], p["height"]
        )

    def _view_now(self) -> View:
        offsets = [self._offset(j) for j in range(len(self.xs))]
        dist = [abs(dx) + abs(dy) for dx, dy in offsets]
        observation = self._observation(offsets, dist) if self._shows_observation else 0
        menu = self._menu(offsets, dist) if self._shows_menu else []
        return self.view_of(observation, menu, WANDER)

    def _menu(self, offsets: list[tuple[int, int]], dist: list[int]) -> list[Option]:
        """A planner's options: for every item in sight (even beyond any horizon: worth 0 to
        the agent then, so never taken), going there and acting on it, with what it predicts."""
        p = self.params
        e_max = float(p["max_energy"])
        p_conceive = p["p_conceive"]
        # a food's energy is felt only once eaten: any food promises a typical fruit's energy,
        # as much as there is room for; its sweetness pleases in proportion to hunger
        promise = min(p["fruit_energy"], e_max - self.energy)
        hunger = 1.0 - self.energy / e_max
        burden = p_conceive * p["rear_cost"]  # expected toil per step of a conception
        menu = []
        for j, d in enumerate(dist):
            if d > p["vision"]:
                continue
            go = py_toward(*offsets[j])  # the first step there, or the act once there
            if self.kind[j] == MATE_ITEM:
                sex = (SEX, 1.0, d, 1)
                birth = (OFFSPRING, p_conceive, d + p["gestation"], 1)
                toil = (TOIL, burden, d + p["gestation"], p["rear_time"])
                menu.append(Option(MATE if d == 0 else go, (sex, birth, toil)))
                if self.offers[j]:  # protected: the same act, and nothing after it
                    menu.append(Option(MATE_PROTECTED if d == 0 else go, (sex,)))
            else:
                satiety = (SATIETY, promise, d, 1)
                sweet = (SWEET, self.item_sweet[j] * hunger, d, 1)
                menu.append(Option(EAT if d == 0 else go, (satiety, sweet)))
        return menu

    def _nearest(self, offsets: list[tuple[int, int]], dist: list[int]) -> tuple:
        """The nearest food and mate in sight (among equally near, the lower rank; None for
        none), with what is on the agent's own cell filling its senses."""
        p = self.params
        foods = [j for j, d in enumerate(dist) if self.kind[j] != MATE_ITEM and d <= p["vision"]]
        mates = [j for j, d in enumerate(dist) if self.kind[j] == MATE_ITEM and d <= p["vision"]]
        # min() keeps the first of equal keys, as the kernel's strict < does
        food = min(foods, key=lambda j: (dist[j], self.rank[j]), default=None)
        mate = min(mates, key=lambda j: (dist[j], self.rank[j]), default=None)
        if food is not None and dist[food] == 0:  # what is here fills its senses
            mate = None
        elif mate is not None and dist[mate] == 0:
            food = None
        return food, mate

    def _features_now(self) -> list[float]:
        """A reflex network's features (``params.FEATURES``); twin of ``kernel._sense_all``."""
        p = self.params
        offsets = [self._offset(j) for j in range(len(self.xs))]
        dist = [abs(dx) + abs(dy) for dx, dy in offsets]
        food, mate = self._nearest(offsets, dist)
        vision = p["vision"]
        scale = max(2.0 * p["fruit_sweet"], p["junk_sweet"])
        x = []
        for item, is_food in ((food, True), (mate, False)):
            seen = item is not None
            dx, dy = offsets[item] if seen else (0, 0)
            d = dist[item] if seen else 0
            x += py_sense_place(seen, dx, dy, d, vision)
            if is_food:
                x.append(min(self.item_sweet[item] / scale, 1.0) if seen and scale > 0 else 0.0)
            else:
                x.append(1.0 if seen and self.offers[item] else 0.0)
        x.append(self.energy / p["max_energy"])
        return x

    def _observation(self, offsets: list[tuple[int, int]], dist: list[int]) -> int:
        """A reflex's observation: the nearest food and mate in sight (among equally near,
        the lower rank), where each is, and the agent's energy level."""
        p = self.params
        food, mate = self._nearest(offsets, dist)
        levels = [0, 0, 0, 0, 0]  # food, sweet, mate, offer, energy
        if food is not None:
            levels[0] = py_where(dist[food], *offsets[food])
            levels[1] = int(self.item_sweet[food] >= p["fruit_sweet"])
        if mate is not None:
            levels[2] = py_where(dist[mate], *offsets[mate])
            levels[3] = int(self.offers[mate])
        levels[4] = int(self.energy >= 0.5 * p["max_energy"])
        return sum(level * stride for level, stride in zip(levels, STRIDES, strict=True))

    # ---- 3 to 5. one step

    def _advance(self, action: int) -> bool:
        p = self.params
        if action < 4:
            self.ax, self.ay = py_move(self.ax, self.ay, action, p["width"], p["height"])
        elif action != WAIT:
            self._interact(action)
        self._births_and_rearing()
        self.steps += 1
        return self.steps >= p["steps"] or self.energy <= 0.0

    def _interact(self, action: int) -> None:
        """Eat or mate with the item on the agent's cell, if the action fits it."""
        p = self.params
        here = next(
            (j for j in range(len(self.xs)) if (self.xs[j], self.ys[j]) == (self.ax, self.ay)),
            None,
        )
        if here is None:
            return
        kind, e_max = self.kind[here], float(p["max_energy"])
        if action == EAT and kind != MATE_ITEM:
            # sweetness pleases in proportion to hunger (alliesthesia)
            self.emit(SWEET, self.item_sweet[here] * (1.0 - self.energy / e_max))
            gain = min(self.item_energy[here], e_max - self.energy)
            self.energy += gain
            self.emit(SATIETY, gain)
            self.count(ATE_FRUIT if kind == FRUIT else ATE_JUNK)
        elif action in (MATE, MATE_PROTECTED) and kind == MATE_ITEM:
            protected = action == MATE_PROTECTED
            if protected and not self.offers[here]:
                return
            self.emit(SEX, 1.0)
            self.energy -= p["mate_cost"]
            self.count(MATED_PROTECTED if protected else MATED)
            if not protected and self.rng.uniform() < p["p_conceive"]:
                gestation = p["gestation"]
                self.due[(self.steps + gestation) % (gestation + 1)] += 1
        else:
            return
        self._spawn(here)  # used up (or the partner leaves); another appears elsewhere

    def _births_and_rearing(self) -> None:
        """Children due now are born; rearing ends and costs; metabolism."""
        p, t = self.params, self.steps
        rear_time, gestation = p["rear_time"], p["gestation"]
        slot = t % (rear_time + 1)
        self.rearing -= self.rear_end[slot]
        self.rear_end[slot] = 0
        born = self.due[t % (gestation + 1)]
        self.due[t % (gestation + 1)] = 0
        if born > 0:
            self.emit(OFFSPRING, born)
            self.gain(fitness=born, performance=born)  # the designer wants what selection counts
            self.rearing += born
            self.rear_end[(t + rear_time) % (rear_time + 1)] += born
        toil = p["rear_cost"] * self.rearing
        self.emit(TOIL, toil)
        self.energy -= p["energy_decay"] + self.brain + toil
