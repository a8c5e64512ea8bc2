"""Hand-set competent agents: what a designer who knows a world's rules would write, one per
architecture, as references for evolved agents of the same architecture (issue "Reflexes worth
comparing": "show that evolution finds competent agents of each against a hand-set one with the
same information").

A world package offers them in a module ``handset`` with a function ``hand_set(world)``
returning ``{kind: (genome, genes)}`` (genes of shape (1, genome length); the genome may differ
from ``make_genome(kind, world)`` in size, e.g. a network with more hidden units, and says so).
"""

from __future__ import annotations

import importlib

import numpy as np

from evomesa.errors import ConfigError
from evomesa.genomes import Genome
from evomesa.worlds.base import World, require_world


def hand_set(world: World) -> dict[str, tuple[Genome, np.ndarray]]:
    """The world's hand-set agents by architecture (``{}`` for a world that offers none)."""
    require_world(world)
    package = type(world).__module__.rsplit(".", 1)[0]
    try:
        module = importlib.import_module(f"{package}.handset")
    except ModuleNotFoundError as err:
        if err.name != f"{package}.handset":
            raise
        return {}
    return module.hand_set(world)


def hand_set_agent(world: World, kind: str) -> tuple[Genome, np.ndarray]:
    """The world's hand-set agent of architecture ``kind``: ``(genome, genes)``."""
    agents = hand_set(world)
    if kind not in agents:
        raise ConfigError(
            f"kind must be one of the hand-set architectures of world {world.name!r} "
            f"({', '.join(agents) or 'none'}); got {kind!r}"
        )
    return agents[kind]
