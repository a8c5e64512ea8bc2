"""Hand-set competent agents: what a designer who knows a world's rules would write, one per
architecture, as references for evolved agents of the same architecture (issue "Reflexes worth
comparing": "show that evolution finds competent agents of each against a hand-set one with the
same information").

They live here, apart from the worlds (which describe and never read a gene): one module per
registered world, named as the world, with functions ``hand_set_table(world)``,
``hand_set_reflex_net(world)`` and ``hand_set_planner(world)`` returning genes of shape
(1, length) for ``make_genome(kind, world)``, or one function ``hand_set(world)`` returning
``{kind: (genome, genes)}`` where a genome differs from the default one (e.g. a network with
more hidden units, which the module then says).
"""

from __future__ import annotations

import importlib

import numpy as np

from evomesa.errors import ConfigError
from evomesa.genomes import Genome, make_genome
from evomesa.worlds.base import World, require_world

#: architecture -> the conventional function of a world's module here
_CONVENTIONAL = {
    "reflex": "hand_set_table",
    "reflex_net": "hand_set_reflex_net",
    "planner": "hand_set_planner",
}


def hand_set(world: World) -> dict[str, tuple[Genome, np.ndarray]]:
    """The world's hand-set agents by architecture (``{}`` for a world that offers none)."""
    require_world(world)
    name = f"{__name__}.{world.name}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:
            raise
        return {}
    if hasattr(module, "hand_set"):
        return module.hand_set(world)
    out = {}
    for kind, name in _CONVENTIONAL.items():
        if hasattr(module, name):
            out[kind] = (make_genome(kind, world), getattr(module, name)(world))
    return out


def hand_set_agent(world: World, kind: str) -> tuple[Genome, np.ndarray]:
    """The world's hand-set agent of architecture ``kind``: ``(genome, genes)``."""
    agents = hand_set(world)
    if kind not in agents:
        raise ConfigError(
            f"kind must be one of the hand-set architectures of world {world.name!r} "
            f"({', '.join(agents) or 'none'}); got {kind!r}"
        )
    return agents[kind]
