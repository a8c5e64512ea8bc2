"""Shared fixtures: a default world and small, fast evolved results."""

from __future__ import annotations

import numpy as np
import pytest

import evomesa as em


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
