"""What an agent is shown at one decision: the standard view every world's rules build.

A :class:`View` holds the reflex observation (an index into the table built from the world's
declared factors) and a planner's menu of :class:`Option` s with their predicted signals, so any
agent can decide from it: evomesa's genomes (:class:`evomesa.agents.reference.Agent`), a
hand-written policy or a person. Worlds build views (:mod:`evomesa.worlds.simulator`); agents
read them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Option", "Term", "View"]

#: one predicted consequence of an option: (drive index, amount per step, delay, steps)
Term = tuple[int, float, int, int]


@dataclass(frozen=True)
class Option:
    """One entry of a planner's menu.

    Attributes
    ----------
    action : int
        The action taken now if this option is chosen (e.g. the first step toward an item).
    terms : tuple of (drive, amount, delay, steps)
        The signals the option is predicted to bring, as the agent can perceive or foresee
        them: ``amount`` of ``drive`` per step for ``steps`` steps, the first after ``delay``.
    """

    action: int
    terms: tuple[Term, ...]


@dataclass(frozen=True, eq=False)
class View:
    """What the agent is shown at one decision.

    Attributes
    ----------
    t : int
        Steps played so far in the episode.
    observation : int
        The reflex observation: an index into the table built from the world's factors.
    features : (n_features,) float64
        Graded perceived features (empty for a world that declares none).
    menu : tuple of Option
        A planner's options, in the order the kernel lists them.
    fallback : tuple of int
        The actions a planner picks among (uniformly) when no option is worth more than 0.
    """

    t: int
    observation: int
    features: np.ndarray
    menu: tuple[Option, ...]
    fallback: tuple[int, ...]

    def __eq__(self, other: object) -> bool:
        """Views are equal when they show the same thing (features compared as arrays)."""
        if not isinstance(other, View):
            return NotImplemented
        return (self.t, self.observation, self.menu, self.fallback) == (
            other.t,
            other.observation,
            other.menu,
            other.fallback,
        ) and np.array_equal(self.features, other.features)

    __hash__ = None  # type: ignore[assignment]  # holds an array
