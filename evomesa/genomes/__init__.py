"""Genome architectures: reflex, planner and hybrid."""

from __future__ import annotations

from evomesa.errors import check_choice
from evomesa.genomes.base import Genome
from evomesa.genomes.hybrid import HybridGenome
from evomesa.genomes.planner import PlannerGenome
from evomesa.genomes.reflex import ReflexGenome
from evomesa.worlds.base import World, require_world

GENOMES = ("reflex", "planner", "hybrid")


def make_genome(kind: str, world: World) -> Genome:
    """The genome encoding ``kind`` for ``world``."""
    check_choice("genome", kind, GENOMES)
    require_world(world)
    reflex = ReflexGenome(world.observation_names(), len(world.actions), len(world.drives))
    planner = PlannerGenome(world.drives, world.max_horizon, world.n_observations)
    return {"reflex": reflex, "planner": planner, "hybrid": HybridGenome(reflex, planner)}[kind]


__all__ = ["GENOMES", "Genome", "HybridGenome", "PlannerGenome", "ReflexGenome", "make_genome"]
