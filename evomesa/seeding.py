"""Every random stream of evomesa, derived from one user seed and a named purpose.

A stream is ``numpy.random.SeedSequence(entropy=seed, spawn_key=purpose)``, where the purpose is
a path of names and counters such as ``("evolve", "episodes", 12)``. SeedSequence hashes the
entropy and the spawn key together, so

* two purposes of one seed (the generation-3 episodes and the drift bootstrap, say) never share
  a stream, and
* one purpose under two seeds (run seed ``k`` and run seed ``k + 1``) never shares a stream
  either: the seed is entropy, not an offset that a neighbouring run could reach.

Names are turned into spawn-key words by a fixed hash (BLAKE2b), so they are stable across
processes and Python versions (unlike ``hash(str)``). Nothing here touches the global ``random``
or ``np.random`` state.
"""

from __future__ import annotations

import hashlib

import numpy as np

from evomesa.errors import ConfigError, check_int

#: the largest seed a user may give (seeds are non-negative 63-bit integers)
MAX_SEED = 2**63 - 1


def _word(part: str | int) -> int:
    """One spawn-key word (a 32-bit unsigned int) for a purpose name or a counter."""
    if isinstance(part, str):
        return int.from_bytes(hashlib.blake2b(part.encode(), digest_size=4).digest(), "little")
    if isinstance(part, bool) or not isinstance(part, int | np.integer) or part < 0:
        raise ConfigError(
            f"purpose must be names (str) and counters (integers >= 0); got {part!r}"
        )
    # Counters get their own range, above every hashed name: a counter word never equals a
    # name word. (SeedSequence stores it as two 32-bit words, [k, 1]; keys of different
    # lengths then differ too.)
    return 2**32 + int(part)


def seed_sequence(seed: int, *purpose: str | int) -> np.random.SeedSequence:
    """The SeedSequence of ``purpose`` under the user seed ``seed``.

    Parameters
    ----------
    seed : int
        The user's seed, in [0, 2**63 - 1].
    *purpose : str or int
        What the stream is for, e.g. ``("measure", "bootstrap")`` or
        ``("evolve", "episodes", generation)``.
    """
    check_int("seed", seed, 0, MAX_SEED)
    return np.random.SeedSequence(entropy=int(seed), spawn_key=tuple(_word(p) for p in purpose))


def generator(seed: int, *purpose: str | int) -> np.random.Generator:
    """A numpy Generator on the stream of ``purpose`` under ``seed``."""
    return np.random.default_rng(seed_sequence(seed, *purpose))


def child_seed(seed: int, *purpose: str | int) -> int:
    """A user-style int seed for a sub-task (a replicate, a reference run), drawn from its own
    stream, so that the sub-task's streams are in turn keyed by purpose under it."""
    state = seed_sequence(seed, *purpose).generate_state(2, dtype=np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1])) & MAX_SEED
