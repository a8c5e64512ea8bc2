"""What the named checks share: their one signature, their arguments' validation, the failure
they raise, and the random genomes and episodes they play.

Every check is a function ``check_<name>(world, *, individuals=4, episodes=2, seed=0)`` that
returns None when ``world`` keeps that part of the contract and raises
:class:`~evomesa.errors.ConfigError` naming what failed when it does not; a check that plays no
episodes accepts the same keywords and ignores them, so that every check can be called alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np

from evomesa.agents.brains import Brains
from evomesa.errors import ConfigError, check_int
from evomesa.genomes import Genome, HybridGenome, genomes_of, make_genome
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import RolloutArrays, World, require_world
from evomesa.worlds.simulator import Totals

#: every channel of a rollout, in ``RolloutArrays`` order
FIELDS = ("fitness", "performance", "signals", "actions", "events", "steps", "observations")
#: every channel of a simulator's ``Totals``
TOTALS = ("fitness", "performance", "signals", "actions", "events", "steps")


class Check(Protocol):
    """The signature every named check has."""

    def __call__(
        self, world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0
    ) -> None: ...


def fail(what: str, got: Any) -> ConfigError:
    """The error a check raises: what the contract asks, and what the world did instead."""
    return ConfigError(f"world must satisfy the contract ({what}); got {got}")


def checked_arguments(
    world: Any, individuals: Any, episodes: Any, seed: Any
) -> tuple[World, int, int, int]:
    """The arguments every check takes, validated (a check may be run on its own)."""
    require_world(world)
    return (
        world,
        check_int("individuals", individuals, 1, 1000),
        check_int("episodes", episodes, 1, 1000),
        check_int("seed", seed, 0, 2**63 - 1),
    )


def random_batches(
    world: World, individuals: int, episodes: int, seed: int, purpose: str = "check_world"
) -> Iterator[tuple[str, Brains, np.ndarray]]:
    """``(kind, brains, seeds)`` for every genome architecture: ``individuals`` random genomes
    of that kind, each with its own ``episodes`` episode seeds (one stream per kind and
    ``purpose``, so every check that plays the same batch draws the same one)."""
    kinds: list[tuple[str, Genome]] = [(k, make_genome(k, world)) for k in genomes_of(world)]
    if world.features:  # a hybrid whose reflex half is a network
        net_hybrid = HybridGenome(make_genome("reflex_net", world), make_genome("planner", world))
        kinds.append(("hybrid(reflex_net)", net_hybrid))
    for kind, genome in kinds:
        rng = generator(seed, purpose, kind)
        brains = genome.decode(genome.random(rng, individuals))
        yield kind, brains, episode_seeds(rng, individuals, episodes, common=False)


def differing_field(
    a: RolloutArrays | Totals, b: RolloutArrays | Totals, fields: tuple[str, ...] = FIELDS
) -> str | None:
    """The first of ``fields`` in which two rollouts (or, given :data:`TOTALS`, two episodes'
    totals) differ, or None when they are identical."""
    for field in fields:
        if not np.array_equal(getattr(a, field), getattr(b, field)):
            return field
    return None


def where(kind: str, regime: str) -> str:
    """Where a failure was seen, for the message."""
    return f"{kind} genomes in regime {regime!r}"
