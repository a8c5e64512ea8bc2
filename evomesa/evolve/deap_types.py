"""DEAP creator types, created once under evomesa's own names.

``deap.creator`` is a process-wide registry; re-creating a class warns and replaces it, and
names like ``Individual`` collide with user code. We create ``EvomesaFitness`` and
``EvomesaIndividual`` (a numpy-array individual, as in DEAP's numpy guide) exactly once.
"""

from __future__ import annotations

import numpy as np
from deap import base, creator

from evomesa.errors import ConfigError


def _ensure_types() -> None:
    if not hasattr(creator, "EvomesaFitness"):
        creator.create("EvomesaFitness", base.Fitness, weights=(1.0,))
    if not hasattr(creator, "EvomesaIndividual"):
        creator.create("EvomesaIndividual", np.ndarray, fitness=creator.EvomesaFitness)


_ensure_types()
Fitness = creator.EvomesaFitness
Individual = creator.EvomesaIndividual


def make_individual(genes: np.ndarray, fitness: float | None = None) -> Individual:
    """One DEAP individual holding a copy of ``genes`` (length,), with its fitness if known."""
    ind = np.array(genes, dtype=np.float64, copy=True).view(Individual)
    ind.fitness = Fitness()  # ndarray.view does not run __init__, so attach a fresh fitness
    if fitness is not None:
        ind.fitness.values = (float(fitness),)
    return ind


def individuals(genes: np.ndarray, fitness: np.ndarray | None = None) -> list[Individual]:
    """A DEAP population (list of individuals) from (n, length) genes and (n,) fitness."""
    if fitness is None:
        return [make_individual(g) for g in genes]
    return [make_individual(g, f) for g, f in zip(genes, fitness, strict=True)]


def as_genes(population, length: int) -> np.ndarray:
    """(n, length) float64 genes from a DEAP population, a list of rows or a 2-D array."""
    try:
        genes = np.asarray(population, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ConfigError(
            f"population must be a list of individuals or an (n, {length}) array; got "
            f"{type(population).__name__}"
        ) from err
    if genes.ndim != 2 or genes.shape[1] != length or genes.shape[0] == 0:
        raise ConfigError(
            f"population must have shape (n >= 1, {length}) for this genome; got {genes.shape}"
        )
    if not np.all((genes >= 0.0) & (genes <= 1.0)):
        raise ConfigError("population genes must all lie in [0, 1]; got values outside it")
    return genes
