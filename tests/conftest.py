"""Shared fixtures: a default world and small, fast evolved results."""

from __future__ import annotations

import os

# Thread-count independence is tested by switching numba between 1 and 2 threads; allow 2
# even on a 1-core machine (must be set before numba is first imported).
os.environ.setdefault("NUMBA_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import evomesa as em  # noqa: E402


@pytest.fixture(scope="session")
def world() -> em.World:
    return em.make_world("contraception")


@pytest.fixture(scope="session")
def small_planner_result(world) -> em.EvolutionResult:
    config = em.EvolutionConfig(genome="planner", population=40, generations=5, episodes=4, seed=3)
    return em.evolve(world, config)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
