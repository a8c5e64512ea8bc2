"""The world contract: what every world module provides to evolution, metrics, CLI and plots.

A world is a class with validated parameters, named ``regimes`` (variants of the environment)
and named ``drives`` (the signals an agent can perceive). Given decoded genomes
(:class:`Brains`), per-(individual, episode) seeds and a regime, :meth:`World.rollout` returns
the two channels of DESIGN.md section 2: perceivable signals and hidden fitness.

Adding a world means one new module under ``evomesa/worlds/`` that subclasses :class:`World`
and registers itself with :func:`evomesa.worlds.register`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from evomesa.errors import ConfigError, check_choice, check_float, check_int

BACKENDS = ("numba", "python")


@dataclass(frozen=True)
class Param:
    """One world parameter: its default, type, allowed closed range and meaning."""

    default: int | float
    low: int | float
    high: int | float
    doc: str

    @property
    def is_int(self) -> bool:
        return isinstance(self.default, int)

    def check(self, name: str, value: Any) -> int | float:
        if self.is_int:
            return check_int(name, value, int(self.low), int(self.high))
        return check_float(name, value, float(self.low), float(self.high))


@dataclass(frozen=True)
class Brains:
    """Decoded genomes of n individuals, in the form the kernels consume.

    Attributes
    ----------
    arch : (n,) int8
        0 = reflex, 1 = planner (a hybrid genome's switch gene decides per individual).
    table : (n, n_observations) int8
        Reflex lookup table: action taken for each compact observation.
    weights : (n, n_drives) float64
        Planner weight per drive (its mesa-objective), in [-1, 1].
    horizon : (n,) int64
        Planner lookahead in steps (0 for reflexes).
    gamma : (n,) float64
        Planner per-step discount of future signals.
    """

    arch: np.ndarray
    table: np.ndarray
    weights: np.ndarray
    horizon: np.ndarray
    gamma: np.ndarray

    def __len__(self) -> int:
        return int(self.arch.shape[0])


@dataclass(frozen=True)
class RolloutArrays:
    """Raw per-(individual, episode) output of a world.

    Attributes
    ----------
    fitness : (n, episodes) float64
        Hidden fitness (base objective).
    signals : (n, episodes, n_drives) float64
        Perceivable signal totals per drive.
    actions : (n, episodes, n_actions) int64
        How often each action was taken.
    events : (n, episodes, n_events) int64
        How often each kind of interaction happened (e.g. what was eaten), in the order of
        the world's ``events``.
    steps : (n, episodes) int64
        Steps survived.
    """

    fitness: np.ndarray
    signals: np.ndarray
    actions: np.ndarray
    events: np.ndarray
    steps: np.ndarray


class World:
    """Base class of all worlds. Subclasses fill in the class attributes and ``_run_*``."""

    name: ClassVar[str]
    regimes: ClassVar[tuple[str, ...]]
    drives: ClassVar[tuple[str, ...]]
    #: drives whose signal reports the base objective itself (not a proxy of it)
    aligned_drives: ClassVar[tuple[str, ...]] = ()
    actions: ClassVar[tuple[str, ...]]
    #: countable interactions reported per episode, beside the actions (behaviour channel)
    events: ClassVar[tuple[str, ...]] = ()
    n_observations: ClassVar[int]
    parameters: ClassVar[dict[str, Param]]

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.parameters))
        if unknown:
            raise ConfigError(
                f"unknown parameter {unknown[0]!r} for world {self.name!r}; allowed: "
                + ", ".join(sorted(self.parameters))
            )
        values = {k: p.default for k, p in self.parameters.items()}
        for key, value in params.items():
            values[key] = self.parameters[key].check(key, value)
        self._check_together(values)
        self.params: dict[str, int | float] = values

    def _check_together(self, values: dict[str, int | float]) -> None:
        """Cross-parameter checks; override in subclasses."""

    @property
    def drive_scales(self) -> np.ndarray:
        """(n_drives,) float64: typical signal per event; planners value ``signal / scale``."""
        return np.ones(len(self.drives))

    @property
    def max_horizon(self) -> int:
        return int(self.params.get("max_horizon", 1))

    def check_regime(self, regime: str, name: str = "regime") -> str:
        return check_choice(name, regime, self.regimes)

    def rollout(
        self, brains: Brains, regime: str, seeds: np.ndarray, backend: str = "numba"
    ) -> RolloutArrays:
        """Play one episode per (individual, seed).

        Parameters
        ----------
        brains : Brains
            n decoded genomes.
        regime : str
            One of :attr:`regimes`.
        seeds : (n, episodes) uint64
            Explicit seed of each (individual, episode) episode.
        backend : {"numba", "python"}
            The compiled kernel, or the plain-Python reference implementation.
        """
        self.check_regime(regime)
        check_choice("backend", backend, BACKENDS)
        seeds = np.ascontiguousarray(seeds, dtype=np.uint64)
        if seeds.ndim != 2 or seeds.shape[0] != len(brains):
            raise ConfigError(
                f"seeds must have shape (n_individuals={len(brains)}, episodes); got {seeds.shape}"
            )
        n, episodes = seeds.shape
        out = RolloutArrays(
            fitness=np.zeros((n, episodes)),
            signals=np.zeros((n, episodes, len(self.drives))),
            actions=np.zeros((n, episodes, len(self.actions)), dtype=np.int64),
            events=np.zeros((n, episodes, len(self.events)), dtype=np.int64),
            steps=np.zeros((n, episodes), dtype=np.int64),
        )
        if backend == "numba":
            self._run_numba(brains, regime, seeds, out)
        else:
            self._run_python(brains, regime, seeds, out)
        return out

    def _run_numba(
        self, brains: Brains, regime: str, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        raise NotImplementedError

    def _run_python(
        self, brains: Brains, regime: str, seeds: np.ndarray, out: RolloutArrays
    ) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        """A human-readable table of the parameters, their values and meaning."""
        rows = [f"{self.name}: regimes {', '.join(self.regimes)}; drives {', '.join(self.drives)}"]
        for key, p in self.parameters.items():
            rows.append(f"  {key} = {self.params[key]!r}  [{p.low}, {p.high}]  {p.doc}")
        return "\n".join(rows)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.params.items() if v != self.parameters[k].default}
        args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"make_world({self.name!r}{', ' if args else ''}{args})"


def check_world(world: Any, name: str = "world") -> World:
    """Return ``world`` if it is a :class:`World` (e.g. from ``make_world``)."""
    if not isinstance(world, World):
        raise ConfigError(
            f"{name} must be a World made by evomesa.make_world; got {type(world).__name__}"
        )
    return world
