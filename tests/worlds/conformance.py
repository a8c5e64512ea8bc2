"""Conformance helpers for a world's own test module, which calls them with its own parameter
sets and random genomes. (The contract itself is ``evomesa.worlds.checks``, whose named checks
``test_every_world.py`` runs over the registry.)"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import make_genome
from evomesa.rng import episode_seeds
from evomesa.worlds.checks.common import FIELDS


def random_batch(world, kind: str, rng: np.random.Generator, n: int = 6, episodes: int = 3):
    """(brains, seeds) of ``n`` random genomes of ``kind``, each with its own episodes."""
    genome = make_genome(kind, world)
    return genome.decode(genome.random(rng, n)), episode_seeds(rng, n, episodes, common=False)


def assert_same_rollouts(a, b, context: str = "") -> None:
    """Every channel of two ``RolloutArrays`` is identical."""
    for name in FIELDS:
        np.testing.assert_array_equal(
            getattr(a, name), getattr(b, name), err_msg=f"{context} {name}".strip()
        )


def assert_kernel_matches_reference(
    world, kind: str, rng: np.random.Generator, n: int = 6, episodes: int = 3
) -> None:
    """The numba kernel and the plain-Python reference agree exactly, in every regime."""
    brains, seeds = random_batch(world, kind, rng, n, episodes)
    for regime in world.regimes:
        fast = world.rollout(brains, regime, seeds, record_observations=True)
        slow = world.rollout(brains, regime, seeds, backend="python", record_observations=True)
        assert_same_rollouts(fast, slow, f"{world.name} {kind} {regime}")
