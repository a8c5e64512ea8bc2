"""Checks that a world's ways of playing the same episodes agree bit for bit: its numba kernel
with its step-wise reference (the ``python`` backend), and the kernel on one thread with the
kernel on two."""

from __future__ import annotations

import numba

from evomesa.worlds.base import World
from evomesa.worlds.checks.common import (
    checked_arguments,
    differing_field,
    fail,
    random_batches,
    where,
)

#: individuals the thread check plays at least (two episodes each): worlds hand episodes to
#: threads in blocks of up to 16, and a batch of one block would run on one thread whatever
#: the setting
THREAD_SPREAD = 64


def check_kernel_matches_reference(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """The numba kernel and the plain-Python step-wise reference give exactly the same
    output, channel for channel, for random genomes of every architecture in every regime."""
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for kind, brains, seeds in random_batches(world, individuals, episodes, seed):
        for regime in world.regimes:
            fast = world.rollout(brains, regime, seeds, record_observations=True)
            slow = world.rollout(brains, regime, seeds, backend="python", record_observations=True)
            field = differing_field(fast, slow)
            if field is not None:
                raise fail(
                    f"the numba kernel must equal the Python reference, {where(kind, regime)}",
                    f"different {field}",
                )


def check_thread_count_independence(
    world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
) -> None:
    """The kernel gives the same output on one numba thread as on two (every episode has its
    own seed, so results must not depend on which thread plays it).

    Plays at least :data:`THREAD_SPREAD` individuals and two episodes each; passes without
    comparing anything when numba was started with fewer than two threads
    (``NUMBA_NUM_THREADS``). The caller's thread count is restored afterwards.
    """
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    if numba.config.NUMBA_NUM_THREADS < 2:
        return
    n, per = max(individuals, THREAD_SPREAD), max(episodes, 2)
    saved = numba.get_num_threads()
    try:
        for kind, brains, seeds in random_batches(world, n, per, seed, "check_threads"):
            for regime in world.regimes:
                numba.set_num_threads(1)
                one = world.rollout(brains, regime, seeds, record_observations=True)
                numba.set_num_threads(2)
                two = world.rollout(brains, regime, seeds, record_observations=True)
                field = differing_field(one, two)
                if field is not None:
                    raise fail(
                        f"the output must not depend on the thread count, {where(kind, regime)}",
                        f"different {field} on 1 and 2 threads",
                    )
    finally:
        numba.set_num_threads(saved)
