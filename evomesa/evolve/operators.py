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
from numba import njit

from evomesa.errors import check_callable


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
    a: np.ndarray,
    b: np.ndarray,
    rng: np.random.Generator,
    rate: float,
    indpb: float = 0.5,
    inplace: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise uniform crossover (``deap.tools.cxUniform`` for whole arrays).

    Parameters
    ----------
    a, b : (m, length) float64
        Parent pairs, row i of ``a`` mating with row i of ``b``.
    rate : float
        Chance each pair recombines at all.
    inplace : bool
        Swap genes within ``a`` and ``b`` themselves (as DEAP's operators do) and return them;
        otherwise leave them unchanged and return new arrays. The draws are the same.

    Returns
    -------
    Two (m, length) arrays of children.
    """
    if indpb == 0.5:
        # fair coins from random bytes: 8 genes per byte, ~8x cheaper than one float each
        n_bytes = -(-a.shape[1] // 8)
        coins = rng.integers(0, 256, size=(a.shape[0], n_bytes), dtype=np.uint8)
        swap = np.unpackbits(coins, axis=1, count=a.shape[1]).astype(bool)
    else:
        swap = rng.random(a.shape) < indpb
    swap &= (rng.random(a.shape[0]) < rate)[:, None]
    if inplace:
        _swap(a, b, swap, a, b)
        return a, b
    out_a, out_b = np.empty_like(a, dtype=np.float64), np.empty_like(b, dtype=np.float64)
    _swap(np.ascontiguousarray(a, dtype=np.float64), np.ascontiguousarray(b, dtype=np.float64),
          swap, out_a, out_b)  # fmt: skip
    return out_a, out_b


@njit(cache=True, nogil=True)
def _swap(a, b, swap, out_a, out_b):  # pragma: no cover - compiled
    """``out_a = where(swap, b, a)`` and ``out_b = where(swap, a, b)`` in one pass (the
    outputs may be the inputs themselves)."""
    n, m = a.shape
    for i in range(n):
        for j in range(m):
            # selects, not branches: the coins are random, a branch would mispredict half
            s = swap[i, j]
            x = a[i, j]
            y = b[i, j]
            out_a[i, j] = y if s else x
            out_b[i, j] = x if s else y


def mixed_mutation(
    genes: np.ndarray,
    rng: np.random.Generator,
    categorical: np.ndarray,
    rate: float,
    sigma: float,
    inplace: bool = False,
) -> np.ndarray:
    """Mutate each gene with chance ``rate``: redraw categorical genes, nudge continuous ones.

    Continuous genes take a Gaussian step of ``sigma`` and are reflected back into [0, 1]
    (reflection, unlike clipping, does not pile genes up on the bounds).

    Parameters
    ----------
    genes : (n, length) float64
    categorical : (length,) bool
    inplace : bool
        Mutate ``genes`` itself (as DEAP's operators do) rather than a copy.

    Returns
    -------
    (n, length) float64: ``genes`` itself when ``inplace``, else a new array.
    """
    # At the usual rate of about one mutation per genome, drawing the hit positions directly
    # and replacement values only for them saves most of this operator's cost.
    rows, cols = np.divmod(bernoulli_positions(genes.size, rate, rng), genes.shape[1])
    values = genes[rows, cols]
    step = np.abs(values + sigma * rng.standard_normal(values.shape))  # reflect at 0
    step = np.where(step > 1.0, 2.0 - step, step)  # reflect at 1
    step = np.clip(step, 0.0, 1.0)  # a step over 2 * sigma beyond a bound
    out = genes if inplace else genes.copy()
    out[rows, cols] = np.where(categorical[cols], rng.random(values.shape), step)
    return out


def bernoulli_positions(size: int, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices in [0, size) of the successes of ``size`` Bernoulli(rate) trials.

    Drawn as geometric gaps between successes, so the cost follows the number of successes
    rather than the number of trials; the distribution is exactly that of
    ``np.nonzero(rng.random(size) < rate)``.
    """
    if rate <= 0.0 or size == 0:
        return np.empty(0, dtype=np.int64)
    if rate >= 1.0:
        return np.arange(size, dtype=np.int64)
    expected = size * rate
    batch = int(expected + 4.0 * np.sqrt(expected)) + 16  # almost always one batch
    chunks, last = [], -1
    while True:
        # a gap beyond the trials ends the draw; capped so that the sum cannot overflow (a
        # rate of 1e-300 gives gaps of 2**63 - 1, whose cumulative sum wrapped negative and
        # never ended); positions below ``size`` are exactly as before
        gaps = np.minimum(rng.geometric(rate, size=batch), size + 1)
        positions = last + np.cumsum(gaps)
        chunks.append(positions[positions < size])
        if positions[-1] >= size:
            return np.concatenate(chunks)
        last = int(positions[-1])


def per_individual(operator: Callable, *args, **kwargs) -> Callable:
    """Adapt a stock per-individual DEAP mutation (e.g. ``tools.mutGaussian``) to arrays.

    The returned callable has the signature of :func:`mixed_mutation` minus the genome
    arguments: ``f(genes, rng) -> genes``. DEAP's operators draw from the global ``random``
    module, so it is seeded from ``rng`` for the call and restored afterwards; genes are
    clipped back into [0, 1].

    Raises
    ------
    ConfigError
        At once, if ``operator`` is not callable (not when the run first mutates).
    """
    check_callable("operator", operator, "a callable(individual, *args, **kwargs) like DEAP's")

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

    batch.__name__ = f"per_individual({getattr(operator, '__name__', type(operator).__name__)})"
    return batch
