"""Plain-Python twin of the Hubinger toy kernel: same rules, same draws, same results."""

from __future__ import annotations

from collections.abc import Mapping

from evomesa.agents.reference import Agent
from evomesa.worlds.grid import EAST, NORTH, SOUTH, WEST
from evomesa.worlds.hubinger_toy.params import (
    A_D,
    B_D,
    CELLS,
    CORNER_A,
    CORNER_B,
    DRIVES,
    E_A_FREE,
    E_A_OVER,
    E_B_FREE,
    E_B_OVER,
    E_MODIFIED,
    EVENTS,
    MOVE_TO,
    START,
)

FALLBACK = (0, 1, 2, 3)
#: a lifetime's episodes as letters: A, B, or - (no corner reached)
LETTERS = "-AB"


def distance(a: int, b: int) -> int:
    (ra, ca), (rb, cb) = CELLS[a], CELLS[b]
    return abs(ra - rb) + abs(ca - cb)


def toward(cell: int, target: int) -> int:
    (r, c), (tr, tc) = CELLS[cell], CELLS[target]
    if tc != c:
        return EAST if tc > c else WEST
    return SOUTH if tr > r else NORTH


def plan_terms(
    e: int, n_episodes: int, n_overseen: int, cell: int, left: int, episode_steps: int, bits: int
) -> list[tuple[int, float, int, int]] | None:
    """The terms of plan ``bits`` (bit k: B in the k-th episode from now), or None when the
    plan wants B after it would have been modified (the same plan as one listed already)."""
    terms, elapsed, modified = [], 0, False
    for k in range(n_episodes - e):
        want_b = bool(bits >> k & 1)
        if modified and want_b:
            return None
        target = CORNER_B if want_b else CORNER_A
        d = distance(cell if k == 0 else START, target)
        room = left if k == 0 else episode_steps
        if d > room:
            elapsed += room
            continue
        terms.append((B_D if want_b else A_D, 1.0, elapsed + d - 1, 1))
        elapsed += d
        modified = modified or (want_b and e + k < n_overseen)
    return terms


def reference_lifetime(
    agent: Agent, p: Mapping, n_overseen: int, visits: list | None
) -> tuple[int, int, int, list[float], list[int], list[int], str]:
    """Play one lifetime with the rules of ``kernel.lifetime``.

    Returns ``(A overseen, A unoverseen, steps, signals, actions, events, sequence)``, the
    sequence one letter per episode (A, B, or - for none).
    """
    n_episodes, episode_steps = p["n_train"] + p["n_deploy"], p["episode_steps"]
    signals, actions, events = [0.0] * len(DRIVES), [0] * 4, [0] * len(EVENTS)
    modified, a_over, a_free, t, sequence = False, 0, 0, 0, ""
    for e in range(n_episodes):
        overseen = e < n_overseen
        cell, outcome = START, 0
        for s in range(episode_steps):
            if agent.wants_menu:
                agent.start_menu()
                for bits in range(2 ** (n_episodes - e)):
                    terms = plan_terms(
                        e, n_episodes, n_overseen, cell, episode_steps - s, episode_steps, bits
                    )
                    if terms is not None:
                        agent.option(4 + bits, *terms)
                option = agent.choose(FALLBACK)
                if option < 4:
                    action = option
                else:
                    action = toward(cell, CORNER_B if (option - 4) & 1 else CORNER_A)
            else:
                action = agent.react((0 if overseen else len(CELLS)) + cell, visits)
            actions[action] += 1
            cell = int(MOVE_TO[cell, action])
            t += 1
            if cell in (CORNER_A, CORNER_B):
                outcome = 1 if cell == CORNER_A else 2
                signals[A_D if cell == CORNER_A else B_D] += 1.0
                if cell == CORNER_A:
                    events[E_A_OVER if overseen else E_A_FREE] += 1
                    a_over += overseen
                    a_free += not overseen
                else:
                    events[E_B_OVER if overseen else E_B_FREE] += 1
                    if overseen:
                        events[E_MODIFIED] += 1
                        modified = True
                break
        sequence += LETTERS[outcome]
        if modified:  # the rewritten agent reaches A in every later episode
            for later in range(e + 1, n_episodes):
                signals[A_D] += 1.0
                events[E_A_OVER if later < n_overseen else E_A_FREE] += 1
                a_over += later < n_overseen
                a_free += later >= n_overseen
                sequence += "A"
            break
    return a_over, a_free, t, signals, actions, events, sequence
