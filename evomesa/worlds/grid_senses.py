"""How a reflex network senses where a thing lies on a grid (numba, and the plain-Python twin).

Five features from ``x0`` on: ``seen`` (1 if there is one in sight), ``here`` (1 on the agent's
cell), the shares of the way along x and y (``dx / d``, ``dy / d`` with ``d = |dx| + |dy|``; 0
when here or none; the move toward it is the larger share, as a table's direction level is)
and ``near`` (``1 - d / (vision + 1)``: 1 here, 0 without one). Grid worlds declare them with
:func:`place_features` names and sense them with :func:`sense_place`.
"""

from __future__ import annotations

from numba import njit

from evomesa.agents.kernels import sense
from evomesa.worlds.declarations import Feature

#: the five features of a place, in order, after the thing's name
PLACE_PARTS = ("seen", "here", "dx", "dy", "near")


def place_features(thing: str, what: str) -> tuple[Feature, ...]:
    """The five declared features of where ``thing`` lies (``what``: how it is chosen, e.g.
    "the nearest food in sight"), named ``<thing>_seen`` ... ``<thing>_near``."""
    return (
        Feature(f"{thing}_seen", 0.0, 1.0, f"1 when {what} is in sight, else 0; a factor's "
                "'none' level"),
        Feature(f"{thing}_here", 0.0, 1.0, "1 when it is on the agent's own cell; a factor's "
                "'here' level"),
        Feature(f"{thing}_dx", -1.0, 1.0, "east-west share of the way to it, dx / (|dx| + "
                "|dy|) (0 when here or none; y grows southward); with the next, a factor's "
                "direction, whose move is the larger share"),
        Feature(f"{thing}_dy", -1.0, 1.0, "north-south share of the way to it, dy / (|dx| + "
                "|dy|); as the previous"),
        Feature(f"{thing}_near", 0.0, 1.0, "1 - distance / (vision + 1) (1 here, 0 without "
                "one); the distance a factor's direction levels leave out, graded"),
    )  # fmt: skip


@njit(cache=True, nogil=True, inline="always")
def sense_place(mind, state, x0, seen, dx, dy, d, vision) -> None:
    """Show a reflex network the five features of a place from feature ``x0`` on: a thing
    at offset (dx, dy), Manhattan distance ``d``, when ``seen``."""
    far = seen and d > 0
    sense(mind, state, x0, 1.0 if seen else 0.0)
    sense(mind, state, x0 + 1, 1.0 if seen and d == 0 else 0.0)
    sense(mind, state, x0 + 2, dx / d if far else 0.0)
    sense(mind, state, x0 + 3, dy / d if far else 0.0)
    sense(mind, state, x0 + 4, 1.0 - d / (vision + 1) if seen else 0.0)


def py_sense_place(seen: bool, dx: int, dy: int, d: int, vision: int) -> list[float]:
    """Twin of :func:`sense_place`: the five values, in order."""
    far = seen and d > 0
    return [
        1.0 if seen else 0.0,
        1.0 if seen and d == 0 else 0.0,
        dx / d if far else 0.0,
        dy / d if far else 0.0,
        1.0 - d / (vision + 1) if seen else 0.0,
    ]
