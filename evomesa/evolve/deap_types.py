"""DEAP creator types, created once under evomesa's own names.

``deap.creator`` is a process-wide registry; re-creating a class warns and replaces it, and
names like ``Individual`` collide with user code. We create ``EvomesaFitness`` and
``EvomesaIndividual`` (a numpy-array individual, as in DEAP's numpy guide) exactly once.
"""

from __future__ import annotations

import numpy as np
from deap import base, creator


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
