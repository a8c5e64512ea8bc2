"""Which parameters of a reflex network a quarter turn ties together (one gene each).

In a world that turns with its moves (:mod:`evomesa.worlds.quarter_turn`) the network's hidden
units come in sets of four, one per turn: unit ``4 i + r`` is unit ``4 i`` turned ``r`` times.
A quarter turn maps every parameter onto another: the weight of feature ``f`` into unit
``u`` onto the weight of ``turn(f)`` into ``turn(u)``, the weight of unit ``u`` into action
``a`` onto that of ``turn(u)`` into ``turn(a)``, and so on. The parameters one parameter
reaches by turning (its *orbit*, of 1, 2 or 4) share one gene, so the network behaves the same
way in each direction: "step toward food when hungry", once found for the north, holds for
every move. A gene is named after the first parameter of its orbit in layout order: an input
weight or bias after the north-facing unit ``4 i``'s, an output weight after the ``north``
move's (``net.out[north,h1]``: the north move's weight from the unit one turn further on).

A turned world is symmetric up to the grid's tie-breaks: a thing exactly half-way round the
torus lies east or south by :func:`evomesa.worlds.grid.offset`, never west or north.
"""

from __future__ import annotations

import numpy as np

from evomesa.worlds.quarter_turn import QuarterTurn

#: hidden units per set: one for each of the four turns
TURNS = 4


def turned_parameters(dims: tuple[int, int, int], turn: QuarterTurn) -> np.ndarray:
    """(n_parameters,) int64: the index each network parameter (layout of ``Brains.net``,
    with hidden units) turns into under one quarter turn."""
    nf, hidden, na = dims
    feature = np.asarray(turn.features, dtype=np.int64)
    action = np.asarray(turn.actions, dtype=np.int64)
    if hidden == 0:  # a linear reflex: the output weights, then the output biases
        w_out = (action[:, None] * nf + feature[None, :]).ravel()
        return np.concatenate([w_out, na * nf + action])
    unit = np.arange(hidden, dtype=np.int64)
    unit = unit - unit % TURNS + (unit % TURNS + 1) % TURNS
    w_in = (unit[:, None] * nf + feature[None, :]).ravel()
    b_in = hidden * nf + unit
    b_out0 = hidden * nf + hidden
    w_out = b_out0 + (action[:, None] * hidden + unit[None, :]).ravel()
    skip0 = b_out0 + na * hidden + na
    b_out = b_out0 + na * hidden + action
    w_skip = skip0 + (action[:, None] * nf + feature[None, :]).ravel()
    return np.concatenate([w_in, b_in, w_out, b_out, w_skip])


def tied_genes(dims: tuple[int, int, int], turn: QuarterTurn) -> np.ndarray:
    """(n_parameters,) int64: the gene each parameter reads, numbered in order of each
    orbit's first parameter (so a gene is named after that parameter)."""
    image = turned_parameters(dims, turn)
    gene = np.full(image.shape[0], -1, dtype=np.int64)
    n = 0
    for p in range(image.shape[0]):
        if gene[p] < 0:
            q = p
            while gene[q] < 0:  # a quarter turn is a permutation: its cycles are the orbits
                gene[q] = n
                q = image[q]
            n += 1
    return gene
