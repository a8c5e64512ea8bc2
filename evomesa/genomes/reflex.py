"""Reflex genome: a fixed lookup table from observation to action (an "insect")."""

from __future__ import annotations

import numpy as np

from evomesa.agents.brains import REFLEX, Brains
from evomesa.errors import ConfigError
from evomesa.genomes.base import Genome, check_range, unit_to_int


class ReflexGenome(Genome):
    """One categorical gene per observation; the gene's value picks the action.

    Parameters
    ----------
    observation_names : tuple of str
        The world's observation names (from its declared factors), one per table entry;
        gene ``i`` is named ``"reflex[<observation i>]"``.
    n_actions, n_drives : int
        Sizes declared by the world.
    """

    kind = "reflex"

    def __init__(self, observation_names: tuple[str, ...], n_actions: int, n_drives: int) -> None:
        self.observation_names = tuple(observation_names)
        self.n_observations = len(self.observation_names)
        self.n_actions = n_actions
        self.n_drives = n_drives

    @property
    def gene_names(self) -> tuple[str, ...]:
        return tuple(f"reflex[{name}]" for name in self.observation_names)

    @property
    def categorical(self) -> np.ndarray:
        return np.ones(self.length, dtype=bool)

    def table(self, genes: np.ndarray) -> np.ndarray:
        """(n, n_observations) int8 action table from (n, n_observations) genes."""
        return unit_to_int(genes, 0, self.n_actions - 1, dtype=np.int8)

    def encode(self, table) -> np.ndarray:
        """Genes of shape (n, length) for given action tables (the centre of each action's bin).

        Parameters
        ----------
        table : (n, n_observations) array-like of int in [0, n_actions)
        """
        t = np.atleast_2d(np.asarray(table))
        if t.ndim != 2 or t.shape[1] != self.n_observations or t.dtype.kind not in "iu":
            raise ConfigError(
                f"table must be integers of shape (n, {self.n_observations}); got {t.dtype} "
                f"of shape {t.shape}"
            )
        check_range("table", t, 0, self.n_actions - 1)
        return (t + 0.5) / self.n_actions

    def decode(self, genes: np.ndarray) -> Brains:
        n = genes.shape[0]
        return Brains(
            arch=np.full(n, REFLEX, dtype=np.int8),
            table=self.table(genes),
            weights=np.zeros((n, self.n_drives)),
            horizon=np.zeros(n, dtype=np.int64),
            gamma=np.ones(n),
        )
