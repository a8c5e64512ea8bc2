"""Toroidal grid helpers shared by grid worlds: numba versions and their plain-Python twins.

Moves are the first four actions of a grid world, in the order north, east, south, west
(y grows southward). The twins use ``%`` where the kernels branch: the same results from a
differently written rule, so a bug in one shows up as a kernel/reference mismatch.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from evomesa.rng import PyStream, randint

NORTH, EAST, SOUTH, WEST = 0, 1, 2, 3
MOVES = ("north", "east", "south", "west")
#: what a grid world's planner does when nothing is worth going for: a step north, east, south
#: or west, at random (the fallback of its view)
WANDER = (NORTH, EAST, SOUTH, WEST)
DX = np.array([0, 1, 0, -1], dtype=np.int64)
DY = np.array([-1, 0, 1, 0], dtype=np.int64)
#: tries at a random free cell before giving up and taking the last one drawn
PLACE_TRIES = 64


@njit(cache=True, nogil=True)
def offset(a: int, b: int, size: int) -> int:
    """Signed shortest offset from ``a`` to ``b`` on a ring of ``size`` cells.

    Branches instead of ``%``: integer division dominated the kernels' per-step cost.
    """
    d = b - a
    if d < 0:
        d += size
    if d > size // 2:
        d -= size
    return d


@njit(cache=True, nogil=True)
def toward(dx: int, dy: int) -> int:
    """The move toward an offset: along the larger axis first, x on ties."""
    if abs(dx) >= abs(dy) and dx != 0:
        return EAST if dx > 0 else WEST
    return SOUTH if dy > 0 else NORTH


@njit(cache=True, nogil=True)
def step(x: int, d: int, size: int) -> int:
    """``x + d`` wrapped onto a ring of ``size`` cells, for a step ``d`` in {-1, 0, 1}."""
    x += d
    if x < 0:
        return x + size
    if x >= size:
        return x - size
    return x


@njit(cache=True, nogil=True)
def place(j, xs, ys, n_items, ax, ay, width, height, stream) -> None:
    """Move item ``j`` to a random cell free of the agent at (ax, ay) and of other items."""
    x = 0
    y = 0
    for _ in range(PLACE_TRIES):  # items are few, so a free cell is found quickly
        x = randint(stream, width)
        y = randint(stream, height)
        free = not (x == ax and y == ay)
        for k in range(n_items):
            if k != j and xs[k] == x and ys[k] == y:
                free = False
                break
        if free:
            break
    xs[j] = x
    ys[j] = y


# --------------------------------------------------------------------------- Python twins


def py_offset(a: int, b: int, size: int) -> int:
    d = (b - a) % size
    return d - size if d > size // 2 else d


def py_toward(dx: int, dy: int) -> int:
    if abs(dx) >= abs(dy) and dx != 0:
        return EAST if dx > 0 else WEST
    return SOUTH if dy > 0 else NORTH


def py_move(x: int, y: int, action: int, width: int, height: int) -> tuple[int, int]:
    """The cell move ``action`` leads to from (x, y) on a ``width`` x ``height`` torus (the
    kernels' ``step`` on each axis)."""
    return (x + int(DX[action])) % width, (y + int(DY[action])) % height


def py_where(d: int, dx: int, dy: int) -> int:
    """Level of a direction factor for a thing at offset (dx, dy), distance ``d``: 1 here,
    else 2 + the move toward it (0, nothing in sight, is the caller's)."""
    return 1 if d == 0 else 2 + py_toward(dx, dy)


def py_place(
    j: int, xs: list, ys: list, ax: int, ay: int, width: int, height: int, rng: PyStream
) -> None:
    for _ in range(PLACE_TRIES):
        x, y = rng.randint(width), rng.randint(height)
        taken = any(k != j and xs[k] == x and ys[k] == y for k in range(len(xs)))
        if not (x == ax and y == ay) and not taken:
            break
    xs[j], ys[j] = x, y
