"""The step-wise reference of a world (DESIGN sections 3 and 6): ``reset(seed)``, ``step(action)``.

Every world writes its rules once, in plain Python, as a :class:`Simulator` subclass; its numba
episode kernel agrees with it bit for bit. An agent is shown one standard :class:`View` at each
decision and every step returns one standard :class:`Step`, so anything can act in a world: an
evomesa genome (:meth:`Simulator.play`, which the ``python`` backend of
:meth:`World.rollout` runs), a hand-written policy, or a person stepping through it::

    sim = world.simulator("modern")
    view = sim.reset(seed=3)
    while True:
        step = sim.step(view.menu[0].action if view.menu else view.fallback[0])
        if step.done:
            break
        view = step.view
    sim.totals()   # the episode's channels, exactly as the kernel reports them

A subclass implements :meth:`Simulator._begin` (lay out the episode from its seed),
:meth:`Simulator._view_now` (what the agent senses now; draws nothing from the world's stream) and
:meth:`Simulator._advance` (apply one action, run the world to the next decision or the end).
It reports consequences through :meth:`emit`, :meth:`gain` and :meth:`count`, which keep both the
step's increments and the episode's running totals, added in the kernel's order (what it
reports while laying out the episode, in ``_begin``, arrives with the first step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from evomesa.agents.view import Option, Term, View
from evomesa.errors import ConfigError, check_int

__all__ = ["Decider", "Option", "Simulator", "Step", "Term", "Totals", "View", "WorldDeclarations"]

_SEED_END = 1 << 64
#: the features of a view in a world that declares none (one read-only array, not one per view)
_NO_FEATURES = np.zeros(0, dtype=np.float64)
_NO_FEATURES.flags.writeable = False


@dataclass(frozen=True)
class Step:
    """What one step brought: increments of the three channels, events, and what comes next.

    Attributes
    ----------
    signals : (n_drives,) float64
        Signal per drive this step.
    fitness, performance : float
        Base objective and designer's objective gained this step (may be negative).
    events : (n_events,) int64
        Interactions this step, in the world's ``events`` order.
    done : bool
        The episode is over; call ``reset`` before stepping again.
    view : View or None
        The next decision's view (None once done).
    """

    signals: np.ndarray
    fitness: float
    performance: float
    events: np.ndarray
    done: bool
    view: View | None


@dataclass(frozen=True)
class Totals:
    """An episode's channels so far, exactly as the world's kernel reports them.

    Attributes
    ----------
    fitness, performance : float
    signals : (n_drives,) float64
    actions : (n_actions,) int64
        How often each action was taken.
    events : (n_events,) int64
    steps : int
        Steps survived (the world's own count: decisions, or time steps where some pass
        without a decision).
    """

    fitness: float
    performance: float
    signals: np.ndarray
    actions: np.ndarray
    events: np.ndarray
    steps: int


class WorldDeclarations(Protocol):
    """What a simulator reads of its world (a :class:`~evomesa.worlds.base.World`; a world's
    own rules may read more of it)."""

    drives: tuple[str, ...]
    actions: tuple[str, ...]
    events: tuple[str, ...]

    @property
    def params(self) -> Mapping[str, int | float | str]: ...

    @property
    def max_horizon(self) -> int: ...

    def check_regime(self, regime: str, name: str = "regime") -> str: ...


class Decider(Protocol):
    """What :meth:`Simulator.play` asks of an agent (:class:`evomesa.agents.reference.Agent`)."""

    @property
    def wants_menu(self) -> bool: ...

    @property
    def brain_load(self) -> int: ...

    def decide(self, view: View, visits: list[int] | None = None) -> int: ...


class Simulator:
    """Step-wise reference of one world in one regime (subclass per world).

    Parameters
    ----------
    world : World
    regime : str
        One of ``world.regimes``.
    """

    #: the parts of a view its decider reads: both for anyone stepping through the world;
    #: :meth:`play` shows evomesa's genomes only the part they read (a reflex its observation,
    #: a planner its menu), so the rules may skip building the other. Views draw nothing from
    #: the world's stream, so what is skipped changes no draw and no result.
    _shows_observation = True
    _shows_menu = True
    _shows_features = True

    def __init__(self, world: WorldDeclarations, regime: str) -> None:
        self.world = world
        self.regime = world.check_regime(regime)
        self.params = world.params
        self.steps = 0
        self._done = True
        self._view: View | None = None

    # ---- the public loop

    def reset(self, seed: int, *, brain_load: int = 0) -> View:
        """Start an episode from ``seed`` (an integer in [0, 2**64)).

        ``brain_load`` is the agent's planning horizon, which worlds with a brain cost charge
        for (0 for a reflex, or for an agent that is not one of evomesa's genomes).
        """
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
            raise ConfigError(f"seed must be an integer in [0, 2**64); got {seed!r}")
        if not 0 <= int(seed) < _SEED_END:
            raise ConfigError(f"seed must be an integer in [0, 2**64); got {int(seed)}")
        brain_load = check_int("brain_load", brain_load, 0, self.world.max_horizon)
        world = self.world
        self._fitness = 0.0
        self._performance = 0.0
        self._signals = [0.0] * len(world.drives)
        self._actions = [0] * len(world.actions)
        self._events = [0] * len(world.events)
        self.steps = 0
        self._done = False
        # what the world reports while laying out the episode arrives with the first step
        self._clear_step()
        self._begin(int(seed), brain_load)
        self._view = self._view_now()
        return self._view

    def step(self, action: int) -> Step:
        """Take ``action`` (an index into ``world.actions``) and run to the next decision."""
        if self._done:
            raise ConfigError("step needs an episode in play; call reset(seed) first")
        n_actions = len(self.world.actions)
        if isinstance(action, (bool, np.bool_)) or not isinstance(action, (int, np.integer)):
            raise ConfigError(f"action must be an integer in [0, {n_actions}); got {action!r}")
        if not 0 <= int(action) < n_actions:
            raise ConfigError(f"action must be an integer in [0, {n_actions}); got {int(action)}")
        self._actions[int(action)] += 1
        self._done = bool(self._advance(int(action)))
        self._view = None if self._done else self._view_now()
        step = Step(
            signals=np.array(self._step_signals, dtype=np.float64),
            fitness=self._step_fitness,
            performance=self._step_performance,
            events=np.array(self._step_events, dtype=np.int64),
            done=self._done,
            view=self._view,
        )
        self._clear_step()
        return step

    def play(self, agent: Decider, seed: int, visits: list[int] | None = None) -> Totals:
        """Play one episode from ``seed`` with one of evomesa's decoded genomes (what the
        ``python`` backend of :meth:`World.rollout` runs); return its totals.

        ``visits`` (n_observations ints, or None) counts the observations a reflex decided on.
        Plays as :meth:`step` would, without building a :class:`Step` or a view's unread part.
        """
        planner = agent.wants_menu
        feels = bool(getattr(agent, "feels", False))
        self._shows_observation, self._shows_menu = not (planner or feels), planner
        self._shows_features = feels
        try:
            view = self.reset(seed, brain_load=agent.brain_load)
            while view is not None:
                # the agent picks only actions the world lists: no check needed
                action = agent.decide(view, visits)
                self._actions[action] += 1
                self._done = bool(self._advance(action))
                view = self._view = None if self._done else self._view_now()
        finally:
            self._shows_observation = self._shows_menu = self._shows_features = True
        return self.totals()

    def _clear_step(self) -> None:
        self._step_signals = [0.0] * len(self.world.drives)
        self._step_events = [0] * len(self.world.events)
        self._step_fitness = 0.0
        self._step_performance = 0.0

    @property
    def done(self) -> bool:
        return self._done

    @property
    def view(self) -> View | None:
        """The current decision's view (None before ``reset`` and once done)."""
        return self._view

    def totals(self) -> Totals:
        """The episode's channels so far (the kernel's sums, bit for bit)."""
        return Totals(
            fitness=self._fitness,
            performance=self._performance,
            signals=np.array(self._signals, dtype=np.float64),
            actions=np.array(self._actions, dtype=np.int64),
            events=np.array(self._events, dtype=np.int64),
            steps=self.steps,
        )

    # ---- for subclasses: report consequences (each adds to the step and to the episode)

    def emit(self, drive: int, amount: float) -> None:
        """Add ``amount`` to the signal of ``drive``."""
        self._signals[drive] += amount
        self._step_signals[drive] += amount

    def gain(self, fitness: float | None = None, performance: float | None = None) -> None:
        """Add to fitness and/or performance (pass only the channels the kernel adds to, so
        the running totals see the kernel's additions and no others)."""
        if fitness is not None:
            self._fitness += fitness
            self._step_fitness += fitness
        if performance is not None:
            self._performance += performance
            self._step_performance += performance

    def count(self, event: int, times: int = 1) -> None:
        """Count ``times`` occurrences of ``event``."""
        self._events[event] += times
        self._step_events[event] += times

    def view_of(self, observation: int, menu: list[Option], fallback: tuple[int, ...]) -> View:
        """Build the standard view; its features come from :meth:`_features_now` (in a world
        that declares them, when the decider reads them)."""
        features = _NO_FEATURES
        if self._shows_features and getattr(self.world, "features", ()):
            features = np.array(self._features_now(), dtype=np.float64)
        return View(
            t=self.steps,
            observation=int(observation),
            features=features,
            menu=tuple(menu),
            fallback=tuple(fallback),
        )

    # ---- what a world writes

    def _begin(self, seed: int, brain_load: int) -> None:
        """Lay out a new episode from ``seed`` (and note ``brain_load`` if it is charged for)."""
        raise NotImplementedError

    def _view_now(self) -> View:
        """What the agent is shown now. Draws nothing from the world's random stream: what it
        shows a reflex and what it shows a planner are both built at every decision."""
        raise NotImplementedError

    def _features_now(self) -> list[float]:
        """The perceived features now, one per ``world.features`` entry, computed with the
        same float operations as the kernel's :func:`~evomesa.agents.kernels.sense` calls
        (worlds that declare features write it)."""
        raise NotImplementedError

    def _advance(self, action: int) -> bool:
        """Apply ``action`` and run the world to the next decision; return True when the
        episode ended."""
        raise NotImplementedError
