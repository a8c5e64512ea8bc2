"""The world contract (DESIGN section 3): what every world provides to the rest of evomesa.

A world *describes*: its parameters (validated, documented, read-only once built), its regimes
and the ``default_shift`` between two of them, the drives an agent can perceive (and which of
them report the base objective itself), the observation factors a reflex senses, the actions an
agent can take, the interaction events it counts, and the longest planning horizon a genome may
encode. Its kernels play episodes in which every choice is made by the shared decision kernels
of :mod:`evomesa.agents`; world code never reads a decoded gene.

:meth:`World.rollout` returns the three channels of DESIGN section 2 for every (individual,
episode): perceivable signals per drive, fitness (the base objective selection uses), and
performance (what the designer really wants), plus behaviour counts.

Adding a world is one package under ``evomesa/worlds/`` (or in the user's own code) that
subclasses :class:`World` with its declarations, its step-wise rules (a
:class:`~evomesa.worlds.simulator.Simulator`, the plain-Python reference) and, for speed, its
numba ``kernel``, and decorates the class with :func:`evomesa.worlds.registry.register`;
:func:`evomesa.check_world` then checks it. The base class runs agents through either.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from evomesa.agents.brains import FEATURE_BINS, Brains
from evomesa.agents.reference import Agent
from evomesa.errors import ConfigError, check_choice, shown
from evomesa.worlds.declarations import Factor, Feature, Param
from evomesa.worlds.description import describe_world
from evomesa.worlds.simulator import Simulator

BACKENDS = ("numba", "python")

__all__ = ["BACKENDS", "Factor", "Feature", "Param", "RolloutArrays", "World", "require_world"]


@dataclass(frozen=True)
class RolloutArrays:
    """Raw per-(individual, episode) output of a world.

    Attributes
    ----------
    fitness : (n, episodes) float64
        The base objective, as selection counts it.
    performance : (n, episodes) float64
        What the designer really wants (hidden from selection; may equal fitness).
    signals : (n, episodes, n_drives) float64
        Perceivable signal totals per drive.
    actions : (n, episodes, n_actions) int64
        How often each action was taken (one action per step survived).
    events : (n, episodes, n_events) int64
        How often each kind of interaction happened, in the world's ``events`` order.
    steps : (n, episodes) int64
        Steps survived.
    observations : (n, episodes, n_recorded) int32, or None
        How often a reflex decided on each observation (a table), or, for reflex networks,
        per feature bin, and in the last slot on novel inputs (:meth:`World.n_recorded`);
        only when asked for.
    """

    fitness: np.ndarray
    performance: np.ndarray
    signals: np.ndarray
    actions: np.ndarray
    events: np.ndarray
    steps: np.ndarray
    observations: np.ndarray | None = None

    def kernel_observations(self) -> np.ndarray:
        """The observation counts a kernel writes: ``observations``, or, when they are not
        recorded, an empty (1, 1, 0) int32 array (a kernel takes one array type either way
        and records when its last axis is not empty)."""
        if self.observations is None:
            return np.zeros((1, 1, 0), dtype=np.int32)
        return self.observations


class World:
    """Base class of all worlds: a subclass fills in the declarations (class attributes),
    ``rules`` (its step-wise reference) and, for speed, ``kernel`` and ``kernel_args``."""

    name: ClassVar[str]
    regimes: ClassVar[tuple[str, ...]]
    #: (train, deploy): the shift the world is about (every default that names a regime)
    default_shift: ClassVar[tuple[str, str]]
    drives: ClassVar[tuple[str, ...]]
    #: drives whose signal reports the base objective itself (not a proxy of it)
    aligned_drives: ClassVar[tuple[str, ...]] = ()
    #: what a reflex senses; its table has one entry per combination of levels
    factors: ClassVar[tuple[Factor, ...]]
    #: what a reflex network senses, graded, from the factors' information (empty: none)
    features: ClassVar[tuple[Feature, ...]] = ()
    #: whether a quarter turn maps the world onto itself (:mod:`.quarter_turn`: ties networks)
    turns_with_moves: ClassVar[bool] = False
    actions: ClassVar[tuple[str, ...]]
    #: countable interactions reported per episode, beside the actions
    events: ClassVar[tuple[str, ...]] = ()
    #: what performance counts that fitness does not, in the world's own words (a short
    #: phrase a drift report prints beside the performance channel's reading: "hidden harm",
    #: "gaming the supervisor"); empty where performance is the fitness
    performance_meaning: ClassVar[str] = ""
    #: generations reflexes (tables, networks, hybrids) need here when more than their default
    #: (:mod:`evomesa.evolve.defaults`); None: the default
    reflex_generations: ClassVar[int | None] = None
    parameters: ClassVar[Mapping[str, Param]]

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.parameters))
        if unknown:
            raise ConfigError(
                f"parameter must be one of {', '.join(sorted(self.parameters))} for world "
                f"{self.name!r}; got unknown parameter {unknown[0]!r}"
            )
        values = {k: p.default for k, p in self.parameters.items()}
        for key, value in params.items():
            values[key] = self.parameters[key].check(key, value)
        self._check_together(values)
        self._params = MappingProxyType(values)

    @property
    def params(self) -> Mapping[str, int | float | str]:
        """The parameter values (read-only: build a new world to change one)."""
        return self._params

    def adapted_to(self, regime: str) -> World:
        """This world as a lineage adapted to ``regime`` meets it: itself, unless the world
        gives its agents knowledge learned from the regime their lineage met (a planner's
        beliefs about being tested, parameter ``belief_regime``), which then comes from
        ``regime``.

        The deploy-adapted reference is evolved and played in
        ``deploy_world.adapted_to(deploy)``: what evolution reaches *there*, with what a
        lineage that lived there would know.
        """
        self.check_regime(regime)
        if "belief_regime" in self.parameters and self.params["belief_regime"] != regime:
            return type(self)(**{**self.params, "belief_regime": regime})
        return self

    def _check_together(self, values: dict[str, int | float]) -> None:
        """Cross-parameter checks; override in subclasses."""

    # ---- sizes and names derived from the declarations

    @property
    def max_horizon(self) -> int:
        """The longest planning horizon a genome can encode in this world.

        Every world must define it (no silent default): a planner's lookahead is only
        meaningful against the world's time scales.
        """
        raise NotImplementedError(f"world {self.name!r} must define max_horizon")

    @property
    def drive_scales(self) -> np.ndarray:
        """(n_drives,) float64: a typical signal per drive; planners value ``signal / scale``."""
        return np.ones(len(self.drives))

    @property
    def signal_delays(self) -> np.ndarray:
        """(n_drives,) int64: the fewest steps from a decision to the earliest signal of each
        drive it can bring (0: at once). A planner whose horizon is shorter can never value
        that drive, so its weight there never acts (mesa-utility leaves it out)."""
        return np.zeros(len(self.drives), dtype=np.int64)

    @property
    def n_observations(self) -> int:
        """Number of reflex table entries: the product of the factors' level counts."""
        return math.prod(len(f.levels) for f in self.factors)

    @property
    def n_features(self) -> int:
        """Number of perceived features a reflex network senses."""
        return len(self.features)

    def n_recorded(self, brains: Brains) -> int:
        """Length of the per-episode decision record of a recording rollout of ``brains``:
        one count per table entry, or, where some row is a reflex network, one per feature bin
        and one of decisions on novel inputs (:func:`evomesa.agents.kernels.note_features`)."""
        if brains.net_mask.any():
            return self.n_features * FEATURE_BINS + 1
        return self.n_observations

    def observation_names(self) -> tuple[str, ...]:
        """A name per observation index, e.g. ``"food=here,sweet=high,..."`` (first factor
        most significant, as in :meth:`observation_index`)."""
        names = [""]
        for f in self.factors:
            names = [
                f"{n},{f.name}={lv}" if n else f"{f.name}={lv}" for n in names for lv in f.levels
            ]
        return tuple(names)

    def observation_index(self, **levels: str) -> int:
        """The observation index of given factor levels (every factor named once)."""
        if set(levels) != {f.name for f in self.factors}:
            raise ConfigError(
                f"levels must name every factor ({', '.join(f.name for f in self.factors)}); "
                f"got {', '.join(sorted(levels))}"
            )
        index = 0
        for f in self.factors:
            index = index * len(f.levels) + f.levels.index(
                check_choice(f.name, levels[f.name], f.levels)
            )
        return index

    def check_brains(self, brains: Brains) -> None:
        """Raise ConfigError unless ``brains`` fit this world's sizes (every rollout's check)."""
        brains.validate(
            self.n_observations,
            len(self.actions),
            len(self.drives),
            self.max_horizon,
            self.n_features,
        )

    def regime_code(self, regime: str, name: str = "regime") -> int:
        return self.regimes.index(self.check_regime(regime, name))

    def check_regime(self, regime: str, name: str = "regime") -> str:
        return check_choice(name, regime, self.regimes)

    # ---- playing episodes

    def rollout(
        self,
        brains: Brains,
        regime: str | Sequence[str],
        seeds: np.ndarray,
        backend: str = "numba",
        record_observations: bool = False,
    ) -> RolloutArrays:
        """Play one episode per (individual, seed).

        Parameters
        ----------
        brains : Brains
            n decoded genomes (checked against the world's sizes first).
        regime : str, or sequence of str of length ``episodes``
            One of :attr:`regimes` for every episode, or one per episode column (a training
            mixture: episode ``e`` of every individual is played in ``regime[e]``).
        seeds : (n, episodes) uint64
            Explicit seed of each (individual, episode).
        backend : {"numba", "python"}
            The compiled kernel, or the plain-Python reference implementation.
        record_observations : bool
            Also count, per (individual, episode), the observations reflexes decided on.
        """
        check_choice("backend", backend, BACKENDS)
        if not isinstance(brains, Brains):
            raise ConfigError(
                f"brains must be a Brains (Genome.decode); got {type(brains).__name__}"
            )
        self.check_brains(brains)
        seeds = np.asarray(seeds)
        if seeds.ndim != 2 or seeds.shape[0] != len(brains) or seeds.shape[1] == 0:
            raise ConfigError(
                f"seeds must have shape (n_individuals={len(brains)}, episodes >= 1); got "
                f"{seeds.shape}"
            )
        if not np.issubdtype(seeds.dtype, np.integer) or (seeds < 0).any():
            raise ConfigError(f"seeds must be non-negative integers; got dtype {seeds.dtype}")
        seeds = np.ascontiguousarray(seeds, dtype=np.uint64)
        n, episodes = seeds.shape
        codes = self._regime_codes(regime, episodes)
        out = RolloutArrays(
            fitness=np.zeros((n, episodes)),
            performance=np.zeros((n, episodes)),
            signals=np.zeros((n, episodes, len(self.drives))),
            actions=np.zeros((n, episodes, len(self.actions)), dtype=np.int64),
            events=np.zeros((n, episodes, len(self.events)), dtype=np.int64),
            steps=np.zeros((n, episodes), dtype=np.int64),
            observations=(
                np.zeros((n, episodes, self.n_recorded(brains)), dtype=np.int32)
                if record_observations
                else None
            ),
        )
        run = self._run_numba if backend == "numba" else self._run_python
        run(brains, codes, seeds, out)
        return out

    def _regime_codes(self, regime: str | Sequence[str], episodes: int) -> np.ndarray:
        """(episodes,) int64 regime index of every episode column."""
        if isinstance(regime, str):
            return np.full(episodes, self.regime_code(regime), dtype=np.int64)
        try:
            names = list(regime)
        except TypeError:
            raise ConfigError(
                f"regime must be a regime name or one per episode; got {shown(regime)}"
            ) from None
        if len(names) != episodes:
            raise ConfigError(
                f"regime must name one regime per episode ({episodes}); got {len(names)}"
            )
        return np.array([self.regime_code(r) for r in names], dtype=np.int64)

    # ---- what a world supplies besides its declarations

    #: the step-wise reference: a Simulator subclass, built by :meth:`simulator`
    rules: ClassVar[type[Simulator]]
    #: the numba batch kernel, ``kernel(brains, seeds, regimes, scales, *kernel_args(),
    #: fitness, performance, signals, actions, events, steps, observations)``; None for a world
    #: that has only its reference (then the ``numba`` backend plays the reference). Each
    #: world writes its own short block loop around its episode function: a loop shared by
    #: taking the episode function as an argument or a closure is not reused from numba's
    #: on-disk cache (the dispatcher is part of its type), so every process would recompile it
    kernel: ClassVar[Callable[..., None] | None] = None

    def kernel_args(self) -> tuple[Any, ...]:
        """The world's own kernel inputs (parameter vectors, per-regime tables), in order."""
        return ()

    def simulator(self, regime: str) -> Simulator:
        """The step-wise reference in ``regime``: ``sim.reset(seed)``, ``sim.step(action)``."""
        return self.rules(self, regime)

    def _run_numba(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        """Fill ``out`` with the compiled kernel; ``regimes`` is (episodes,) int64."""
        kernel = type(self).kernel
        if kernel is None:
            self._run_python(brains, regimes, seeds, out)
            return
        kernel(
            brains.packed(),
            seeds,
            regimes,
            self.drive_scales,
            *self.kernel_args(),
            out.fitness,
            out.performance,
            out.signals,
            out.actions,
            out.events,
            out.steps,
            out.kernel_observations(),
        )

    def _run_python(
        self, brains: Brains, regimes: np.ndarray, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        """Fill ``out`` by playing the step-wise reference (identical results)."""
        scales = self.drive_scales
        sims = [self.simulator(r) for r in self.regimes]
        for i in range(len(brains)):
            for e in range(seeds.shape[1]):
                seed = int(seeds[i, e])
                visits = [0] * out.observations.shape[2] if out.observations is not None else None
                totals = sims[int(regimes[e])].play(Agent(brains, i, scales, seed), seed, visits)
                out.fitness[i, e] = totals.fitness
                out.performance[i, e] = totals.performance
                out.signals[i, e] = totals.signals
                out.actions[i, e] = totals.actions
                out.events[i, e] = totals.events
                out.steps[i, e] = totals.steps
                if visits is not None:
                    out.observations[i, e] = visits

    # ---- text

    def describe(self) -> str:
        """A human-readable table of the declarations, the parameters and their meaning."""
        return describe_world(self)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.params.items() if v != self.parameters[k].default}
        args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"make_world({self.name!r}{', ' if args else ''}{args})"


def require_world(world: Any, name: str = "world") -> World:
    """Return ``world`` if it is a :class:`World` (e.g. from ``make_world``)."""
    if not isinstance(world, World):
        raise ConfigError(
            f"{name} must be a World made by evomesa.make_world; got {type(world).__name__}"
        )
    return world
