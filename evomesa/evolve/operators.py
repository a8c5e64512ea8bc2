"""Vectorised genetic operators over a whole population held as one (n, length) array.

DEAP's stock operators act on one individual at a time and draw from the global ``random``
module; at populations of thousands that Python loop costs more than the numba evaluation.
These operators do the same jobs on the whole array with an explicit ``numpy`` Generator.
:func:`per_individual` wraps any stock DEAP operator for users who prefer one.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np


def tournament_select(
    fitness: np.ndarray, k: int, rng: np.random.Generator, tournsize: int = 3
) -> np.ndarray:
    """Indices of ``k`` tournament winners.

    Parameters
    ----------
    fitness : (n,) float64
    k : int
        Number of winners to draw (with replacement, like ``deap.tools.selTournament``).

    Returns
    -------
    (k,) int64 indices into the population. On tied fitness the contestant drawn first wins.
    """
    contenders = rng.integers(0, fitness.shape[0], size=(k, tournsize))
    scores = fitness[contenders]
    return contenders[np.arange(k), np.argmax(scores, axis=1)]


def uniform_crossover(
    a: np.ndarray, b: np.ndarray, rng: np.random.Generator, rate: float, indpb: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise uniform crossover (``deap.tools.cxUniform`` for whole arrays).

    Parameters
    ----------
    a, b : (m, length) float64
        Parent pairs, row i of ``a`` mating with row i of ``b``. Not modified.
    rate : float
        Chance each pair recombines at all.

    Returns
    -------
    Two (m, length) arrays of children.
    """
    swap = rng.random(a.shape) < indpb
    swap &= (rng.random(a.shape[0]) < rate)[:, None]
    return np.where(swap, b, a), np.where(swap, a, b)


def mixed_mutation(
    genes: np.ndarray, rng: np.random.Generator, categorical: np.ndarray, rate: float, sigma: float
) -> np.ndarray:
    """Mutate each gene with chance ``rate``: redraw categorical genes, nudge continuous ones.

    Continuous genes take a Gaussian step of ``sigma`` and are reflected back into [0, 1]
    (reflection, unlike clipping, does not pile genes up on the bounds).

    Parameters
    ----------
    genes : (n, length) float64
    categorical : (length,) bool

    Returns
    -------
    (n, length) float64, a new array.
    """
    hit = rng.random(genes.shape) < rate
    # At the usual rate of about one mutation per genome, drawing replacement values only
    # for the hit genes saves most of this operator's cost.
    rows, cols = np.nonzero(hit)
    values = genes[rows, cols]
    step = np.abs(values + sigma * rng.standard_normal(values.shape))  # reflect at 0
    step = np.where(step > 1.0, 2.0 - step, step)  # reflect at 1
    step = np.clip(step, 0.0, 1.0)  # a step over 2 * sigma beyond a bound
    out = genes.copy()
    out[rows, cols] = np.where(categorical[cols], rng.random(values.shape), step)
    return out


def per_individual(operator: Callable, *args, **kwargs) -> Callable:
    """Adapt a stock per-individual DEAP mutation (e.g. ``tools.mutGaussian``) to arrays.

    The returned callable has the signature of :func:`mixed_mutation` minus the genome
    arguments: ``f(genes, rng) -> genes``. DEAP's operators draw from the global ``random``
    module, so it is seeded from ``rng`` for the call and restored afterwards; genes are
    clipped back into [0, 1].
    """

    def batch(genes: np.ndarray, rng: np.random.Generator, *_, **__) -> np.ndarray:
        saved = random.getstate()
        random.seed(int(rng.integers(0, 2**63)))
        try:
            out = genes.copy()
            for row in out:
                operator(row, *args, **kwargs)
        finally:
            random.setstate(saved)
        return np.clip(out, 0.0, 1.0)

    batch.__name__ = f"per_individual({getattr(operator, '__name__', operator)})"
    return batch
