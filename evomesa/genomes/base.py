"""Genome encodings: every genome is a vector of genes in the unit interval.

Keeping all genes in [0, 1] gives every architecture the same bounds, lets the whole
population live in one ``(n, length)`` float array, and lets DEAP-style operators work on any
genome. Each encoding decodes its genes into the :class:`~evomesa.worlds.base.Brains` arrays
the world kernels consume. Genes are *categorical* (a reflex table entry: mutation redraws it)
or *continuous* (a drive weight: mutation nudges it).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from evomesa.errors import ConfigError
from evomesa.worlds.base import Brains


class Genome(ABC):
    """One genome architecture for one world."""

    kind: str

    @property
    @abstractmethod
    def gene_names(self) -> tuple[str, ...]:
        """Name of every gene, in order."""

    @property
    @abstractmethod
    def categorical(self) -> np.ndarray:
        """(length,) bool: which genes are categorical."""

    @property
    def length(self) -> int:
        return len(self.gene_names)

    def random(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """(n, length) float64: a uniformly random population."""
        return rng.random((n, self.length))

    @abstractmethod
    def decode(self, genes: np.ndarray) -> Brains:
        """Decode genes of shape (n, length) into kernel arrays."""

    def describe(self, genes: np.ndarray) -> dict[str, np.ndarray]:
        """Human-meaningful decoded traits of (n, length) genes, for reports and plots."""
        b = self.decode(genes)
        return {"architecture": b.arch, "horizon": b.horizon}


def unit_to_int(genes: np.ndarray, low: int, high: int, dtype=np.int64) -> np.ndarray:
    """Map genes in [0, 1] to integers in [low, high] of ``dtype``, equal-width bins.

    The reflex table is decoded every generation, so a small ``dtype`` (int8) saves passes
    over wide int64 arrays; it must hold ``high``.
    """
    span = high - low + 1
    binned = np.minimum((genes * span).astype(dtype), dtype(span - 1))
    return binned + dtype(low) if low else binned


def as_genes(population, length: int, genome: str = "this genome") -> np.ndarray:
    """(n, length) float64 genes from a DEAP population, a list of rows or a 2-D array.

    Raises ConfigError for ragged input, a wrong gene count, or genes outside [0, 1].
    """
    try:
        genes = np.asarray(population, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ConfigError(
            f"population must be a list of individuals or an (n, {length}) array; got "
            f"{type(population).__name__}"
        ) from err
    if genes.ndim != 2 or genes.shape[1] != length or genes.shape[0] == 0:
        raise ConfigError(
            f"population must have shape (n >= 1, {length}) for the {genome!r} genome; "
            f"got {genes.shape}"
        )
    if not np.all((genes >= 0.0) & (genes <= 1.0)):
        raise ConfigError("population genes must all lie in [0, 1]; got values outside it")
    return genes
