"""Genome encodings: every genome is a vector of genes in the unit interval.

Keeping all genes in [0, 1] gives every architecture the same bounds, lets the whole
population live in one ``(n, length)`` float array, and lets DEAP-style operators work on any
genome. Each encoding decodes its genes into the :class:`~evomesa.agents.brains.Brains`
arrays the shared decision kernels read. Genes are *categorical* (a reflex table entry:
mutation redraws it) or *continuous* (a drive weight: mutation nudges it).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from numba import njit

from evomesa.agents.brains import Brains
from evomesa.errors import ConfigError


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

    def knock_out(self, genes: np.ndarray, drive: str) -> np.ndarray:
        """A copy of ``genes`` with ``drive``'s weight set to 0 (genomes with drive weights)."""
        raise ConfigError(
            f"genome must carry drive weights to knock one out; {self.kind!r} has none"
        )

    def checked(self, genes) -> np.ndarray:
        """``genes`` as (n, length) float64 in [0, 1] (n may be 0), or ConfigError: what the
        public methods taking genes (``describe``, ``knock_out``) check first."""
        empty = isinstance(genes, np.ndarray) and genes.shape == (0, self.length)
        if empty and genes.dtype.kind in "fiu":  # complex, text... are refused even when empty
            return genes.astype(np.float64)
        return check_genes(genes, self.length, name="genes", genome=self.kind)

    def describe(self, genes: np.ndarray) -> dict[str, np.ndarray]:
        """Human-meaningful decoded traits of (n, length) genes, for reports and plots."""
        b = self.decode(self.checked(genes))
        return {"architecture": b.arch, "horizon": b.horizon}


def unit_to_int(genes: np.ndarray, low: int, high: int, dtype=np.int64) -> np.ndarray:
    """Map genes in [0, 1] to integers in [low, high] of ``dtype``, equal-width bins.

    The reflex table is decoded every generation, so a small ``dtype`` (int8) saves passes
    over wide int64 arrays; it must hold ``high``. Two-dimensional genes are decoded in one
    compiled pass.
    """
    span = high - low + 1
    if genes.ndim == 2 and genes.size:
        out = np.empty(genes.shape, dtype=dtype)
        _bin_rows(np.ascontiguousarray(genes, dtype=np.float64), span, low, out)
        return out
    binned = np.minimum((genes * span).astype(dtype), dtype(span - 1))
    return binned + dtype(low) if low else binned


@njit(cache=True, nogil=True)
def _all_in_unit_interval(genes) -> bool:  # pragma: no cover - compiled
    """True when every gene of the 2-D array lies in [0, 1] (False for NaN)."""
    n, m = genes.shape
    ok = True
    for i in range(n):
        for j in range(m):
            x = genes[i, j]
            ok &= x >= 0.0 and x <= 1.0  # no early exit: a branch-free loop vectorises
    return ok


@njit(cache=True, nogil=True)
def _bin_rows(genes, span, low, out):  # pragma: no cover - compiled
    """``out = min(int(genes * span), span - 1) + low``, elementwise, in one pass."""
    n, m = genes.shape
    for i in range(n):
        for j in range(m):
            k = int(genes[i, j] * span)
            out[i, j] = (k if k < span else span - 1) + low


def as_genes(population, length: int, genome: str = "this genome") -> np.ndarray:
    """(n, length) float64 genes from a DEAP population, a list of rows or a 2-D array.

    Raises ConfigError for ragged input, a wrong gene count, or genes outside [0, 1].
    """
    return check_genes(population, length, name="population", genome=genome)


def check_genes(
    genes,
    length: int,
    *,
    name: str = "genes",
    genome: str = "this genome",
    rows: int | None = None,
) -> np.ndarray:
    """``genes`` as a C-contiguous (n, length) float64 array, or ConfigError.

    Every path by which genes reach a kernel goes through here (a population given to
    ``evaluate``, an ``init`` population, and what toolbox operators return): real numbers
    only (no strings, booleans or complex numbers silently converted), the right shape
    (``rows`` of them when given), finite, and in [0, 1].
    """
    try:
        raw = np.asarray(genes)
    except Exception as err:  # noqa: BLE001 - ragged lists, ints beyond int64 (OverflowError),
        # or a user's object whose __array__, __len__ or __getitem__ raises anything
        raise ConfigError(
            f"{name} must be a list of individuals or an (n, {length}) array of numbers; got "
            f"{type(genes).__name__}"
        ) from err
    if raw.dtype.kind not in "fiu":
        raise ConfigError(
            f"{name} must hold real numbers in [0, 1]; got an array of dtype {raw.dtype}"
        )
    want = f"({rows}, {length})" if rows is not None else f"(n >= 1, {length})"
    if (
        raw.ndim != 2
        or raw.shape[1] != length
        or raw.shape[0] == 0
        or (rows is not None and raw.shape[0] != rows)
    ):
        raise ConfigError(
            f"{name} must have shape {want} for the {genome!r} genome; got {raw.shape}"
        )
    out = np.ascontiguousarray(raw, dtype=np.float64)
    # One compiled pass is the path run every generation; the detailed message only on failure.
    if not _all_in_unit_interval(out):
        bad = out[~((out >= 0.0) & (out <= 1.0))]
        raise ConfigError(
            f"{name} must all lie in [0, 1] (finite); got {bad.size} outside it, e.g. {bad[0]!r}"
        )
    return out


def check_range(name: str, values: np.ndarray, low: float, high: float) -> None:
    """Raise ConfigError unless every value is finite and in [low, high] (no clipping)."""
    if not np.all(np.isfinite(values) & (values >= low) & (values <= high)):
        raise ConfigError(f"{name} must lie in [{low}, {high}]; got {np.asarray(values).tolist()}")
