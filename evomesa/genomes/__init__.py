"""Genome architectures: reflex (a table), reflex_net (a network), planner and hybrid."""

from __future__ import annotations

from evomesa.errors import ConfigError, check_choice, shown
from evomesa.genomes.base import Genome
from evomesa.genomes.hybrid import HybridGenome
from evomesa.genomes.planner import PlannerGenome
from evomesa.genomes.reflex import ReflexGenome
from evomesa.genomes.reflex_net import ReflexNetGenome
from evomesa.worlds.base import World, require_world
from evomesa.worlds.quarter_turn import world_turn

GENOMES = ("reflex", "reflex_net", "planner", "hybrid")


def make_genome(kind: str, world: World) -> Genome:
    """The genome encoding ``kind`` for ``world``.

    ``"hybrid"`` pairs a planner with a lookup-table reflex; ``"hybrid_net"`` is not a name
    here: build ``HybridGenome(make_genome("reflex_net", world), make_genome("planner",
    world))`` for a network reflex half.
    """
    check_choice("genome", kind, GENOMES)
    require_world(world)
    if kind == "reflex_net":
        names = tuple(f.name for f in world.features)
        return ReflexNetGenome(
            names, world.actions, world.n_observations, len(world.drives), turn=world_turn(world)
        )
    reflex = ReflexGenome(world.observation_names(), len(world.actions), len(world.drives))
    planner = PlannerGenome(world.drives, world.max_horizon, world.n_observations)
    return {"reflex": reflex, "planner": planner, "hybrid": HybridGenome(reflex, planner)}[kind]


def genomes_of(world: World) -> tuple[str, ...]:
    """The genome architectures ``world`` offers: all of :data:`GENOMES`, but ``reflex_net``
    only in a world that declares perceived features."""
    return tuple(g for g in GENOMES if g != "reflex_net" or world.features)


def check_genome_selection(genomes, name: str = "genomes") -> tuple[str, ...]:
    """``genomes`` (one architecture's name, or a sequence of them) as a tuple of distinct
    names from :data:`GENOMES`, or ConfigError.

    A repeated genome would run the same seeds twice and count them as independent.
    """
    allowed = f"a non-empty selection of {GENOMES}, each once"
    if isinstance(genomes, str):
        genomes = (genomes,)
    try:
        picked = tuple(genomes)
    except Exception:  # noqa: BLE001 - not iterable, or a user's iterator that fails
        raise ConfigError(f"{name} must be {allowed}; got {shown(genomes)}") from None
    if not picked or not all(isinstance(g, str) for g in picked):
        raise ConfigError(f"{name} must be {allowed}; got {shown(genomes)}")
    plain = tuple(str.__str__(g) for g in picked)
    if any(g not in GENOMES for g in plain) or len(set(plain)) < len(plain):
        raise ConfigError(f"{name} must be {allowed}; got {shown(plain)}")
    return plain


__all__ = [
    "GENOMES",
    "check_genome_selection",
    "Genome",
    "HybridGenome",
    "PlannerGenome",
    "ReflexGenome",
    "ReflexNetGenome",
    "genomes_of",
    "make_genome",
]
