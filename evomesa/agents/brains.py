"""Decoded genomes: the arrays the shared decision kernels read, and nothing else does.

Genomes (:mod:`evomesa.genomes`) decode genes into a :class:`Brains`; a world passes it, packed
and unopened, to the decision kernels of :mod:`evomesa.agents.kernels`. World code never reads
a field of it (DESIGN section 0: agents decide, worlds describe).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from evomesa.errors import ConfigError

#: architecture codes: a lookup table, a planner, a reflex network
REFLEX, PLANNER, NET = 0, 1, 2
ARCH_NAMES = {REFLEX: "reflex", PLANNER: "planner", NET: "reflex_net"}

#: equal-width bins over [-1, 1] per perceived feature; a reflex network's decision is on a
#: *novel input* when some feature falls in a bin it never fell in at a training decision
FEATURE_BINS = 16


def net_size(n_features: int, hidden: int, n_actions: int) -> int:
    """Number of parameters of a reflex network: ``hidden`` tanh units over ``n_features``
    inputs, then ``n_actions`` linear outputs over the hidden units and, directly, the inputs
    (``hidden = 0``: outputs over the inputs alone), each unit with a bias."""
    if hidden == 0:
        return n_actions * (n_features + 1)
    return hidden * (n_features + 1) + n_actions * (hidden + 1) + n_actions * n_features


@dataclass(frozen=True)
class Brains:
    """Decoded genomes of ``n`` individuals.

    Attributes
    ----------
    arch : (n,) int8
        ``REFLEX`` (0), ``PLANNER`` (1) or ``NET`` (2, a reflex network); a hybrid genome's
        switch gene decides per row.
    table : (n, n_observations) int8
        Reflex lookup table: the action taken on each observation.
    weights : (n, n_drives) float64
        Planner weight per drive (its mesa-objective), in [-1, 1].
    horizon : (n,) int64
        Planner lookahead in steps (0 for reflexes).
    gamma : (n,) float64
        Planner per-step discount of future signals, in (0, 1].
    net : (n, net_size(*net_dims)) float64, or None
        Reflex network parameters, row by row: input weights (hidden, n_features) row-major,
        hidden biases (hidden,), output weights (n_actions, hidden), output biases
        (n_actions,), direct weights (n_actions, n_features) (with ``hidden = 0``: output
        weights (n_actions, n_features), output biases). None where no row is a network.
    net_dims : (n_features, hidden, n_actions)
        The network's shape ((0, 0, 0) without one).
    support : (n, n_features * FEATURE_BINS) uint8, or None
        Which feature bins each row met at training decisions (1) or not (0); given, a
        recording rollout also counts a network's decisions on novel inputs.
    """

    arch: np.ndarray
    table: np.ndarray
    weights: np.ndarray
    horizon: np.ndarray
    gamma: np.ndarray
    net: np.ndarray | None = None
    net_dims: tuple[int, int, int] = (0, 0, 0)
    support: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.arch.shape[0])

    @property
    def planner_mask(self) -> np.ndarray:
        """(n,) bool: which rows decide by planning."""
        return self.arch == PLANNER

    @property
    def net_mask(self) -> np.ndarray:
        """(n,) bool: which rows decide by a reflex network."""
        return self.arch == NET

    def with_support(self, support: np.ndarray | None) -> Brains:
        """These brains with the training ``support`` of their networks' features."""
        return replace(self, support=support)

    def packed(self) -> tuple[np.ndarray, ...]:
        """The arrays as one contiguous tuple, in the layout the kernels take: arch, table,
        weights, horizon, gamma, net (n, n_net), net_dims (3,) int64, support (n, k) uint8
        (k = 0 without one)."""
        n = len(self)
        net = np.zeros((n, 0)) if self.net is None else self.net
        support = np.zeros((n, 0), dtype=np.uint8) if self.support is None else self.support
        return (
            np.ascontiguousarray(self.arch, dtype=np.int8),
            np.ascontiguousarray(self.table, dtype=np.int8),
            np.ascontiguousarray(self.weights, dtype=np.float64),
            np.ascontiguousarray(self.horizon, dtype=np.int64),
            np.ascontiguousarray(self.gamma, dtype=np.float64),
            np.ascontiguousarray(net, dtype=np.float64),
            np.array(self.net_dims, dtype=np.int64),
            np.ascontiguousarray(support, dtype=np.uint8),
        )

    def validate(
        self,
        n_observations: int,
        n_actions: int,
        n_drives: int,
        max_horizon: int,
        n_features: int = 0,
    ):
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
        if not np.isin(self.arch, (REFLEX, PLANNER, NET)).all():
            raise ConfigError(
                f"brains.arch must hold 0 (reflex), 1 (planner) or 2 (reflex_net); got {self.arch}"
            )
        self._validate_net(n, n_actions, n_features)
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

    def _validate_net(self, n: int, n_actions: int, n_features: int) -> None:
        """Network rows need a network of the world's shape, with finite parameters."""
        if self.net is None:
            if self.net_mask.any():
                raise ConfigError("brains.net must be given when a row is a reflex_net; got None")
            return
        try:
            features, hidden, actions = (int(x) for x in self.net_dims)
        except (TypeError, ValueError):
            raise ConfigError(
                f"brains.net_dims must be (n_features, hidden, n_actions); got {self.net_dims!r}"
            ) from None
        if features != n_features or actions != n_actions or hidden < 0:
            raise ConfigError(
                f"brains.net_dims must be ({n_features}, hidden >= 0, {n_actions}) in this world; "
                f"got {tuple(self.net_dims)}"
            )
        size = net_size(features, hidden, actions)
        if np.shape(self.net) != (n, size):
            raise ConfigError(f"brains.net must have shape {(n, size)}; got {np.shape(self.net)}")
        if not np.isfinite(np.asarray(self.net, dtype=np.float64)).all():
            raise ConfigError("brains.net must be finite; got NaN or infinity")
        if self.support is not None and np.shape(self.support) != (n, features * FEATURE_BINS):
            raise ConfigError(
                f"brains.support must have shape {(n, features * FEATURE_BINS)}; got "
                f"{np.shape(self.support)}"
            )
