"""Reflex genome: a fixed lookup table from compact observation to action (an "insect")."""

from __future__ import annotations

import numpy as np

from evomesa.genomes.base import Genome, unit_to_int
from evomesa.worlds.base import Brains


class ReflexGenome(Genome):
    """One categorical gene per observation; gene value picks the action.

    Parameters
    ----------
    n_observations, n_actions, n_drives : int
        Sizes declared by the world.
    """

    kind = "reflex"

    def __init__(self, n_observations: int, n_actions: int, n_drives: int) -> None:
        self.n_observations = n_observations
        self.n_actions = n_actions
        self.n_drives = n_drives

    @property
    def gene_names(self) -> tuple[str, ...]:
        return tuple(f"reflex_{i}" for i in range(self.n_observations))

    @property
    def categorical(self) -> np.ndarray:
        return np.ones(self.length, dtype=bool)

    def table(self, genes: np.ndarray) -> np.ndarray:
        """(n, n_observations) int8 action table from (n, n_observations) genes."""
        return unit_to_int(genes, 0, self.n_actions - 1, dtype=np.int8)

    def decode(self, genes: np.ndarray) -> Brains:
        n = genes.shape[0]
        return Brains(
            arch=np.zeros(n, dtype=np.int8),
            table=self.table(genes),
            weights=np.zeros((n, self.n_drives)),
            horizon=np.zeros(n, dtype=np.int64),
            gamma=np.ones(n),
        )
