"""Decoded genomes: the arrays the shared decision kernels read, and nothing else does.

Genomes (:mod:`evomesa.genomes`) decode genes into a :class:`Brains`; a world passes it, packed
and unopened, to the decision kernels of :mod:`evomesa.agents.kernels`. World code never reads
a field of it (DESIGN section 0: agents decide, worlds describe).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evomesa.errors import ConfigError

REFLEX, PLANNER = 0, 1


@dataclass(frozen=True)
class Brains:
    """Decoded genomes of ``n`` individuals.

    Attributes
    ----------
    arch : (n,) int8
        ``REFLEX`` (0) or ``PLANNER`` (1); a hybrid genome's switch gene decides per row.
    table : (n, n_observations) int8
        Reflex lookup table: the action taken on each observation.
    weights : (n, n_drives) float64
        Planner weight per drive (its mesa-objective), in [-1, 1].
    horizon : (n,) int64
        Planner lookahead in steps (0 for reflexes).
    gamma : (n,) float64
        Planner per-step discount of future signals, in (0, 1].
    """

    arch: np.ndarray
    table: np.ndarray
    weights: np.ndarray
    horizon: np.ndarray
    gamma: np.ndarray

    def __len__(self) -> int:
        return int(self.arch.shape[0])

    @property
    def planner_mask(self) -> np.ndarray:
        """(n,) bool: which rows decide by planning."""
        return self.arch == PLANNER

    def packed(self) -> tuple[np.ndarray, ...]:
        """The arrays as one contiguous tuple, in the layout the kernels take."""
        return (
            np.ascontiguousarray(self.arch, dtype=np.int8),
            np.ascontiguousarray(self.table, dtype=np.int8),
            np.ascontiguousarray(self.weights, dtype=np.float64),
            np.ascontiguousarray(self.horizon, dtype=np.int64),
            np.ascontiguousarray(self.gamma, dtype=np.float64),
        )

    def validate(self, n_observations: int, n_actions: int, n_drives: int, max_horizon: int):
        """Raise ConfigError unless these brains fit a world of the given sizes.

        A kernel indexing a table out of bounds or planning over NaN weights does not fail
        cleanly, so every rollout checks its brains first (the cost is one pass over the
        arrays, small beside an evaluation).
        """
        n = len(self)
        shapes = {
            "arch": (self.arch, (n,)),
            "table": (self.table, (n, n_observations)),
            "weights": (self.weights, (n, n_drives)),
            "horizon": (self.horizon, (n,)),
            "gamma": (self.gamma, (n,)),
        }
        for name, (arr, shape) in shapes.items():
            if np.shape(arr) != shape:
                raise ConfigError(f"brains.{name} must have shape {shape}; got {np.shape(arr)}")
        if n == 0:
            raise ConfigError("brains must hold at least one individual; got 0")
        if not np.isin(self.arch, (REFLEX, PLANNER)).all():
            raise ConfigError(f"brains.arch must hold 0 (reflex) or 1 (planner); got {self.arch}")
        table = np.asarray(self.table)
        if table.size and (table.min() < 0 or table.max() >= n_actions):
            raise ConfigError(
                f"brains.table must hold action indices in [0, {n_actions - 1}]; got values in "
                f"[{table.min()}, {table.max()}]"
            )
        weights = np.asarray(self.weights, dtype=np.float64)
        if not (np.isfinite(weights).all() and np.abs(weights).max(initial=0.0) <= 1.0):
            raise ConfigError("brains.weights must be finite and lie in [-1, 1]; got others")
        horizon = np.asarray(self.horizon)
        low = np.where(self.planner_mask, 1, 0)
        if ((horizon < low) | (horizon > max_horizon)).any():
            raise ConfigError(
                f"brains.horizon must lie in [1, max_horizon={max_horizon}] for planners (0 for "
                f"reflexes); got values in [{horizon.min()}, {horizon.max()}]"
            )
        gamma = np.asarray(self.gamma, dtype=np.float64)
        if not (np.isfinite(gamma).all() and (gamma > 0).all() and (gamma <= 1).all()):
            raise ConfigError("brains.gamma must be finite and lie in (0, 1]; got others")
