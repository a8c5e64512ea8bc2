"""How a reflex network senses where a thing lies on a grid (numba, and the plain-Python twin).

Seven features from ``x0`` on: ``seen`` (1 if there is one in sight), ``here`` (1 on the agent's
cell), the share of the way to it that lies ``north``, ``east``, ``south`` and ``west``
(``max(0, -dy) / d``, ``max(0, dx) / d``, ``max(0, dy) / d``, ``max(0, -dx) / d`` with
``d = |dx| + |dy|`` and y growing southward; all 0 when here or none; the move toward it is the
largest share, as a table's direction level is) and ``near`` (``1 - d / (vision + 1)``: 1 here,
0 without one). Grid worlds declare them with :func:`place_features` names and sense them with
:func:`sense_place`.

Why four one-sided shares rather than two signed ones (``dx / d``, ``dy / d``): the same
information, but "step toward it" is then one weight per move (``food_north`` into ``north``),
each of which selection can find on its own, as it finds a table's entries one at a time.
With signed shares the rule needs two weights of opposite sign per axis, and in contraception
evolution mostly settled on walking two ways only (east and south: 3.5 children per episode
at generation 300, 4 seeds, against 5.2 with one-sided shares).
"""

from __future__ import annotations

from numba import njit

from evomesa.agents.kernels import sense
from evomesa.worlds.declarations import Feature

#: the moves a place's shares are named after, in feature order
PLACE_MOVES = ("north", "east", "south", "west")
#: the seven features of a place, in order, after the thing's name
PLACE_PARTS = ("seen", "here", *PLACE_MOVES, "near")


def place_features(thing: str, what: str) -> tuple[Feature, ...]:
    """The seven declared features of where ``thing`` lies (``what``: how it is chosen, e.g.
    "the nearest food in sight"), named ``<thing>_seen``, ``<thing>_here``,
    ``<thing>_north`` ... ``<thing>_west`` and ``<thing>_near``."""
    return (
        Feature(f"{thing}_seen", 0.0, 1.0, f"1 when {what} is in sight, else 0; a factor's "
                "'none' level"),
        Feature(f"{thing}_here", 0.0, 1.0, "1 when it is on the agent's own cell; a factor's "
                "'here' level"),
        *(Feature(f"{thing}_{move}", 0.0, 1.0, f"share of the way to it that lies {move} "
                  "(e.g. east: max(0, dx) / (|dx| + |dy|), y growing southward; 0 when here or "
                  "none); the four shares, a factor's direction: its move has the largest")
          for move in PLACE_MOVES),
        Feature(f"{thing}_near", 0.0, 1.0, "1 - distance / (vision + 1) (1 here, 0 without "
                "one); the distance a factor's direction levels leave out, graded"),
    )  # fmt: skip


@njit(cache=True, nogil=True, inline="always")
def sense_place(mind, state, x0, seen, dx, dy, d, vision) -> None:
    """Show a reflex network the seven features of a place from feature ``x0`` on: a thing
    at offset (dx, dy), Manhattan distance ``d``, when ``seen``."""
    far = seen and d > 0
    sense(mind, state, x0, 1.0 if seen else 0.0)
    sense(mind, state, x0 + 1, 1.0 if seen and d == 0 else 0.0)
    sense(mind, state, x0 + 2, max(0.0, -dy / d) if far else 0.0)
    sense(mind, state, x0 + 3, max(0.0, dx / d) if far else 0.0)
    sense(mind, state, x0 + 4, max(0.0, dy / d) if far else 0.0)
    sense(mind, state, x0 + 5, max(0.0, -dx / d) if far else 0.0)
    sense(mind, state, x0 + 6, 1.0 - d / (vision + 1) if seen else 0.0)


def py_sense_place(seen: bool, dx: int, dy: int, d: int, vision: int) -> list[float]:
    """Twin of :func:`sense_place`: the seven values, in order."""
    far = seen and d > 0
    return [
        1.0 if seen else 0.0,
        1.0 if seen and d == 0 else 0.0,
        max(0.0, -dy / d) if far else 0.0,
        max(0.0, dx / d) if far else 0.0,
        max(0.0, dy / d) if far else 0.0,
        max(0.0, -dx / d) if far else 0.0,
        1.0 - d / (vision + 1) if seen else 0.0,
    ]
