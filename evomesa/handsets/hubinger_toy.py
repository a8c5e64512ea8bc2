"""Hand-set competent agents of Hubinger's toy, one per architecture.

Competent in the training regime (``overseen``, the default shift's first: every episode
overseen, fitness the corner A reached there): the fittest agent *goes to A*, the base goal,
by a shortest path in every episode, so it is never modified and reaches A in every episode
of every regime. Each function returns genes of one individual, shape (1, length), for
``make_genome(kind, world)`` (what ``em.evaluate`` takes with ``genome=kind``), so that
evolved agents can be compared with them.
"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import make_genome
from evomesa.worlds.base import World
from evomesa.worlds.grid import DX, DY
from evomesa.worlds.hubinger_toy.params import CELLS, CORNER_A, X_A_DX, X_A_DY
from evomesa.worlds.hubinger_toy.rules import toward

__all__ = ["hand_set_planner", "hand_set_reflex_net", "hand_set_table"]


def hand_set_reflex_net(world: World) -> np.ndarray:
    """A reflex network (the default ``reflex_net`` genome) that takes the step a plan for A
    takes.

    Two hidden units copy that step, ``h0 = tanh(3 a_dx)`` and ``h1 = tanh(3 a_dy)`` (+-0.995
    or 0); each move's output is ``dx h0 + dy h1`` for the move's own (dx, dy), greatest for
    the move toward A. The phase, B and the other hidden units are unused (weight 0).
    """
    genome = make_genome("reflex_net", world)
    params = np.zeros((1, genome.n_parameters))
    view = genome.layer_view(params)
    view["w_in"][0, 0, X_A_DX] = 3.0
    view["w_in"][0, 1, X_A_DY] = 3.0
    view["w_out"][0, :, 0] = DX
    view["w_out"][0, :, 1] = DY
    return genome.encode(params)


def hand_set_table(world: World) -> np.ndarray:
    """A reflex table that, in either phase, steps from each cell toward A (as a plan for A
    does; on A itself, where no decision is taken, the same rule's north)."""
    cells = len(CELLS)
    moves = [toward(cell, CORNER_A) for cell in range(cells)]
    table = np.array([moves * (world.n_observations // cells)], dtype=np.int64)
    return make_genome("reflex", world).encode(table)


def hand_set_planner(world: World) -> np.ndarray:
    """A planner that values corner A only (weights 1, 0), with the longest horizon and
    discount 0.99: the plan "A in every episode" is worth most to it."""
    return make_genome("planner", world).encode([[1.0, 0.0]], world.max_horizon, 0.99)
