"""Planner genome: an evolved utility over drives plus a lookahead horizon (a mesa-optimizer)."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import PLANNER, Brains
from evomesa.errors import ConfigError, check_choice, shown
from evomesa.genomes.base import Genome, check_range, unit_to_int

#: discount factors a genome can encode: gamma = GAMMA_LOW + gene * (GAMMA_HIGH - GAMMA_LOW)
GAMMA_LOW, GAMMA_HIGH = 0.5, 0.99


class PlannerGenome(Genome):
    """Genes: one weight per drive (in [-1, 1]), a horizon in [1, max_horizon], a discount.

    Parameters
    ----------
    drives : tuple of str
        The world's drive names (one weight each).
    max_horizon : int
        Largest horizon the horizon gene can encode.
    n_observations : int
        Size of the (unused) reflex table, kept so that Brains arrays have one shape.
    """

    kind = "planner"

    def __init__(self, drives: tuple[str, ...], max_horizon: int, n_observations: int) -> None:
        self.drives = tuple(drives)
        self.max_horizon = int(max_horizon)
        self.n_observations = n_observations

    @property
    def gene_names(self) -> tuple[str, ...]:
        return tuple(f"w_{d}" for d in self.drives) + ("horizon", "gamma")

    @property
    def categorical(self) -> np.ndarray:
        return np.zeros(self.length, dtype=bool)

    def weights(self, genes: np.ndarray) -> np.ndarray:
        """(n, n_drives) drive weights in [-1, 1]."""
        return 2.0 * genes[:, : len(self.drives)] - 1.0

    def horizon(self, genes: np.ndarray) -> np.ndarray:
        """(n,) int64 planning horizons in [1, max_horizon]."""
        return unit_to_int(genes[:, len(self.drives)], 1, self.max_horizon)

    def gamma(self, genes: np.ndarray) -> np.ndarray:
        """(n,) float64 discounts in [GAMMA_LOW, GAMMA_HIGH]."""
        return GAMMA_LOW + genes[:, len(self.drives) + 1] * (GAMMA_HIGH - GAMMA_LOW)

    def encode(self, weights, horizon, gamma) -> np.ndarray:
        """Genes of shape (n, length) for given traits: the inverse of decode, for hand-set agents.

        Parameters
        ----------
        weights : (n, n_drives) array-like in [-1, 1]
        horizon : int or (n,) array-like of ints in [1, max_horizon]
        gamma : float or (n,) array-like in [GAMMA_LOW, GAMMA_HIGH]

        Values outside these ranges raise ConfigError rather than being clipped.
        """
        try:
            w = np.atleast_2d(np.asarray(weights, dtype=float))
        except (TypeError, ValueError) as err:
            raise ConfigError(
                f"weights must be numbers, shape (n, {len(self.drives)}); got {shown(weights)}"
            ) from err
        if w.ndim != 2 or w.shape[1] != len(self.drives):
            raise ConfigError(
                f"weights must have shape (n, {len(self.drives)}) (one per drive: "
                f"{', '.join(self.drives)}); got {w.shape}"
            )
        n = w.shape[0]
        try:
            h = np.broadcast_to(np.asarray(horizon), (n,))
            g = np.broadcast_to(np.asarray(gamma, dtype=float), (n,))
        except (TypeError, ValueError) as err:
            raise ConfigError(
                f"horizon and gamma must be scalars or have shape ({n},); got "
                f"{np.shape(horizon)} and {np.shape(gamma)}"
            ) from err
        check_range("weights", w, -1.0, 1.0)
        if not np.issubdtype(h.dtype, np.integer):
            raise ConfigError(f"horizon must be integers in [1, {self.max_horizon}]; got {h}")
        check_range("horizon", h, 1, self.max_horizon)
        check_range("gamma", g, GAMMA_LOW, GAMMA_HIGH)
        genes = np.empty((n, self.length))
        genes[:, : len(self.drives)] = (w + 1.0) / 2.0
        genes[:, len(self.drives)] = (h - 1 + 0.5) / self.max_horizon  # centre of the bin
        genes[:, len(self.drives) + 1] = (g - GAMMA_LOW) / (GAMMA_HIGH - GAMMA_LOW)
        return np.clip(genes, 0.0, 1.0)  # inputs are checked; this only absorbs rounding

    def knock_out(self, genes: np.ndarray, drive: str) -> np.ndarray:
        """A copy of (n, length) ``genes`` with ``drive``'s weight set to exactly 0."""
        drive = check_choice("drive", drive, self.drives)
        out = np.array(self.checked(genes), dtype=np.float64, copy=True)
        out[:, self.drives.index(drive)] = 0.5  # weight = 2 * gene - 1
        return out

    def decode(self, genes: np.ndarray) -> Brains:
        n = genes.shape[0]
        return Brains(
            arch=np.full(n, PLANNER, dtype=np.int8),
            table=np.zeros((n, self.n_observations), dtype=np.int8),
            weights=self.weights(genes),
            horizon=self.horizon(genes),
            gamma=self.gamma(genes),
        )

    def describe(self, genes: np.ndarray) -> dict[str, np.ndarray]:
        genes = self.checked(genes)
        traits = {f"w_{d}": col for d, col in zip(self.drives, self.weights(genes).T, strict=True)}
        traits["horizon"] = self.horizon(genes)
        traits["gamma"] = self.gamma(genes)
        return traits
