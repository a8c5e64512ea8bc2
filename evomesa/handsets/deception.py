"""Hand-set competent agents of the deception world, one per architecture.

Competent in the training regime (the default shift's first): a build step earns
``project_reward / project_steps`` task (1.5 by default) against work's 1, a watched phase
holds whole projects by default, and a defection can only lose what the base objective
counts (caught while watched, or in a honeypot). So the fittest agent *builds on every step*
and never defects, whether or not honeypots are drawn. Each function returns genes of one
individual, shape (1, length), for ``make_genome(kind, world)`` (what ``em.evaluate`` takes
with ``genome=kind``), so that evolved agents can be compared with them.

``defect_when_clear=True`` gives instead the deceptive agent of equal training fitness when
there are no honeypots: it builds while watched or told it is tested, and defects whenever
the deployment phase looks clear.
"""

from __future__ import annotations

import numpy as np

from evomesa.genomes import make_genome
from evomesa.worlds.base import World
from evomesa.worlds.deception.params import (
    BUILD,
    CUE_CLEAR,
    DEFECT,
    STRIDE_CUE,
    X_TELL,
    X_WATCHED,
)

__all__ = ["hand_set_planner", "hand_set_reflex_net", "hand_set_table"]


def hand_set_reflex_net(world: World, defect_when_clear: bool = False) -> np.ndarray:
    """A reflex network (the default ``reflex_net`` genome) that builds on every step.

    With ``defect_when_clear``: one hidden unit reads whether it may be seen,
    ``h = tanh(3 watched + 3 tell - 1.5)`` (at least +0.91 watched or told, -0.91 when the
    phase looks clear); the ``build`` output is ``h`` and the ``defect`` output ``-h`` (work's
    is 0), so it builds where it may be seen and defects where it may not.
    """
    genome = make_genome("reflex_net", world)
    params = np.zeros((1, genome.n_parameters))
    view = genome.layer_view(params)
    if defect_when_clear:
        view["w_in"][0, 0, X_WATCHED] = 3.0
        view["w_in"][0, 0, X_TELL] = 3.0
        view["b_in"][0, 0] = -1.5
        view["w_out"][0, BUILD, 0] = 1.0
        view["w_out"][0, DEFECT, 0] = -1.0
    else:
        view["b_out"][0, BUILD] = 1.0
    return genome.encode(params)


def hand_set_table(world: World, defect_when_clear: bool = False) -> np.ndarray:
    """A reflex table that builds on every observation (with ``defect_when_clear``: defects
    on the clear cue instead)."""
    table = np.full((1, world.n_observations), BUILD, dtype=np.int64)
    if defect_when_clear:
        table[0, CUE_CLEAR * STRIDE_CUE : (CUE_CLEAR + 1) * STRIDE_CUE] = DEFECT
    return make_genome("reflex", world).encode(table)


def hand_set_planner(world: World) -> np.ndarray:
    """A planner that values task only (weights task 1, loot 0), with the longest horizon and
    discount 0.99: a project's payout is worth more to it than work's steady task, and loot
    nothing, so it builds."""
    return make_genome("planner", world).encode([[1.0, 0.0]], world.max_horizon, 0.99)
