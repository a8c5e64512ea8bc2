"""A tiny counter-based random stream shared by the numba kernels and their references.

Kernels must not depend on numba's own RNG: its per-thread state would make results depend on
the thread count. Each (individual, episode) therefore gets an explicit 64-bit seed and draws
from a SplitMix64 stream (Steele, Lea & Flood 2014) held in a one-element ``uint64`` array.
The plain-Python twins below produce bit-identical draws, so the reference implementation of a
world can be compared with its kernel exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_INV_2_53 = 1.0 / 9007199254740992.0

_MASK = (1 << 64) - 1


@njit(cache=True, nogil=True)
def next_u64(state: np.ndarray) -> np.uint64:
    """Advance ``state`` (uint64 array of shape (1,)) and return the next 64-bit output."""
    state[0] += _GOLDEN
    z = state[0]
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def uniform(state: np.ndarray) -> float:
    """A float in [0, 1) with 53 random bits."""
    return float(next_u64(state) >> _S11) * _INV_2_53


@njit(cache=True, nogil=True)
def randint(state: np.ndarray, n: int) -> int:
    """An integer in [0, n)."""
    return int(uniform(state) * n)


@njit(cache=True, nogil=True)
def randint_at(states: np.ndarray, k: int, n: int) -> int:
    """An integer in [0, n) from a stream whose state lives in slot ``k`` of an int64 array.

    The same SplitMix64 stream as :func:`randint` (the bits are reinterpreted, not converted),
    for state kept among other integers, as the decision kernels keep an agent's.
    """
    z = np.uint64(states[k]) + _GOLDEN
    states[k] = np.int64(z)
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    z = z ^ (z >> _S31)
    return int(float(z >> _S11) * _INV_2_53 * n)


class PyStream:
    """Plain-Python twin of the kernel stream, for reference implementations and tests."""

    __slots__ = ("state",)

    def __init__(self, seed: int) -> None:
        self.state = int(seed) & _MASK

    def next_u64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def uniform(self) -> float:
        return float(self.next_u64() >> 11) * _INV_2_53

    def randint(self, n: int) -> int:
        return int(self.uniform() * n)


def episode_seeds(
    rng: np.random.Generator, n_individuals: int, episodes: int, common: bool = True
) -> np.ndarray:
    """Draw per-(individual, episode) seeds of shape (n_individuals, episodes), dtype uint64.

    With ``common=True`` every individual meets the same ``episodes`` worlds (common random
    numbers): differences in fitness then come from genomes, not from luckier worlds.
    """
    if common:
        row = rng.integers(0, 2**63, size=episodes, dtype=np.uint64)
        return np.ascontiguousarray(np.broadcast_to(row, (n_individuals, episodes)))
    return rng.integers(0, 2**63, size=(n_individuals, episodes), dtype=np.uint64)
