"""Plain-Python twin of the decision kernels in :mod:`evomesa.agents.kernels`.

Same rules, same float operations in the same order, same random draws: a world's plain-Python
reference decides through this and agrees with its numba kernel exactly. Written to be
obviously right rather than fast: the planner here collects the whole menu, then scores it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evomesa.agents.brains import FEATURE_BINS, NET, PLANNER, Brains
from evomesa.agents.kernels import AGENT_SALT
from evomesa.agents.squash import squash
from evomesa.agents.view import View
from evomesa.rng import PyStream


class Agent:
    """One individual's decision rule for one episode (twin of ``kernels.load_agent``).

    Parameters
    ----------
    brains : Brains
    i : int
        Row of ``brains``.
    scales : (d,) array-like of float
        Typical signal per drive.
    seed : int
        The episode seed.

    A planner's menu is listed with :meth:`start_menu` and :meth:`option` (an option id and
    its terms, each ``(drive, amount, delay, steps)``) and read with :meth:`choose`.
    """

    def __init__(self, brains: Brains, i: int, scales: Sequence[float], seed: int) -> None:
        self.arch = int(brains.arch[i])
        self.horizon = int(brains.horizon[i]) if self.arch == PLANNER else 0
        self.table = [int(a) for a in brains.table[i]]
        # numpy divides elementwise exactly as the kernel does
        self.weights = [float(x) for x in np.asarray(brains.weights[i]) / np.asarray(scales)]
        gamma = float(brains.gamma[i])
        # cum[k] = sum of gamma**t for t < k, for k up to H + 1
        self.cum = [0.0]
        p, s = 1.0, 0.0
        for _ in range(self.horizon + 1):
            s += p
            self.cum.append(s)
            p *= gamma
        self.stream = PyStream(int(seed) ^ int(AGENT_SALT))
        self.menu: list[tuple[int, list[tuple[int, float, int, int]]]] = []
        self.n_features, self.hidden, self.n_actions = (int(x) for x in brains.net_dims)
        self.net = [float(x) for x in brains.net[i]] if self.arch == NET else []
        has_support = self.arch == NET and brains.support is not None
        self.support = [int(x) for x in brains.support[i]] if has_support else None

    @property
    def feels(self) -> bool:
        """True for a reflex network (it decides from the view's features)."""
        return self.arch == NET

    @property
    def wants_menu(self) -> bool:
        return self.arch == PLANNER

    @property
    def brain_load(self) -> int:
        return self.horizon

    # ---- planner

    def start_menu(self) -> None:
        self.menu = []

    def option(self, option: int, *terms: tuple[int, float, int, int]) -> None:
        """List option ``option`` with its predicted terms ``(drive, amount, delay, steps)``."""
        self.menu.append((int(option), list(terms)))

    def worth(self, terms: Sequence[tuple[int, float, int, int]]) -> float:
        """An option's worth: its terms' valuations added in order, from 0."""
        worth = 0.0
        last = self.horizon + 1
        for drive, amount, delay, steps in terms:
            if delay > self.horizon:
                continue
            stop = min(delay + steps, last)
            worth = worth + self.weights[drive] * amount * (self.cum[stop] - self.cum[delay])
        return worth

    def choose(self, fallback: Sequence[int]) -> int:
        """The id of the best option listed (ties: reservoir sampling), or a fallback id."""
        best, best_option, ties = 0.0, -1, 0
        for option, terms in self.menu:
            worth = self.worth(terms)
            if worth == best and ties > 0:
                ties += 1
                if self.stream.randint(ties) == 0:
                    best_option = option
            elif worth > best:
                best, best_option, ties = worth, option, 1
        if ties == 0:
            return int(fallback[self.stream.randint(len(fallback))])
        return best_option

    def decide(self, view: View, visits: list | None = None) -> int:
        """The action this agent takes on ``view`` (a world simulator's standard view): a
        planner scores the menu (:meth:`choose`), a reflex reads its table (:meth:`react`)."""
        if self.arch == NET:
            return self.respond(view.features, visits)
        if self.arch != PLANNER:
            return self.react(view.observation, visits)
        # menu entries are ids 0, 1, ...; the fallbacks get the negative ids, which index
        # view.fallback from its end (-n is its first)
        self.menu = [(k, list(option.terms)) for k, option in enumerate(view.menu)]
        chosen = self.choose(range(-len(view.fallback), 0))
        return view.fallback[chosen] if chosen < 0 else view.menu[chosen].action

    # ---- reflex

    def react(self, observation: int, visits: list | None = None) -> int:
        """The table's action; also counts the visit in ``visits`` when given (the kernels
        split this into ``react`` and ``note_visit``)."""
        if visits is not None:
            visits[observation] += 1
        return self.table[observation]

    # ---- reflex network

    def respond(self, features: Sequence[float], visits: list | None = None) -> int:
        """The network's action on ``features`` (twin of ``kernels.respond``); also counts
        the decision in ``visits`` when given (twin of ``kernels.note_features``)."""
        x = [float(v) for v in features]
        nf, hidden, n_actions, net = self.n_features, self.hidden, self.n_actions, self.net
        inputs = x
        at = 0
        if hidden > 0:
            bias0 = hidden * nf
            h = []
            for j in range(hidden):
                s = net[bias0 + j]
                for k in range(nf):
                    s += net[j * nf + k] * x[k]
                h.append(squash(s))
            x = h
            at = bias0 + hidden
        n_in = len(x)
        bias0 = at + n_actions * n_in
        skip0 = bias0 + n_actions
        best, best_action, ties = 0.0, -1, 0
        for a in range(n_actions):
            s = net[bias0 + a]
            for k in range(n_in):
                s += net[at + a * n_in + k] * x[k]
            if hidden > 0:
                for k in range(nf):
                    s += net[skip0 + a * nf + k] * inputs[k]
            if ties > 0 and s == best:
                ties += 1
                if self.stream.randint(ties) == 0:
                    best_action = a
            elif ties == 0 or s > best:
                best, best_action, ties = s, a, 1
        if visits is not None:
            self._note(features, visits)
        return best_action

    def _note(self, features: Sequence[float], visits: list) -> None:
        novel = False
        for k, value in enumerate(features):
            b = min(max(int((float(value) + 1.0) * (0.5 * FEATURE_BINS)), 0), FEATURE_BINS - 1)
            visits[k * FEATURE_BINS + b] += 1
            if self.support is not None and self.support[k * FEATURE_BINS + b] == 0:
                novel = True
        if novel:
            visits[-1] += 1
