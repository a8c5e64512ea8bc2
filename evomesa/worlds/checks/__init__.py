"""``em.check_world``: the public checker of the world contract (DESIGN section 3), made of
named checks a world author can run one by one.

A world passes when its declarations are consistent and, for random genomes of every
architecture in every regime, its numba kernel and its plain-Python reference produce exactly
the same output, the same seed gives the same output, every array has its declared shape and
dtype, nothing is NaN, and the bookkeeping adds up (one action per step survived; a reflex's
recorded observations count its decisions); its step-wise reference keeps its API and is
consistent with itself.

Each check is a function ``check_<name>(world, *, individuals=4, episodes=2, seed=0)`` that
returns None or raises :class:`~evomesa.errors.ConfigError` naming what failed; :data:`CHECKS`
maps every name to its check, in the order :func:`check_world` runs them (cheapest first)::

    from evomesa.worlds.checks import CHECKS, check_kernel_matches_reference
    check_kernel_matches_reference(world)          # one check
    for name, check in CHECKS.items():             # all of them, as check_world does
        check(world)
"""

from __future__ import annotations

from types import MappingProxyType

from evomesa.genomes import genomes_of
from evomesa.worlds.base import World
from evomesa.worlds.checks.agreement import (
    check_kernel_matches_reference,
    check_thread_count_independence,
)
from evomesa.worlds.checks.common import Check, checked_arguments
from evomesa.worlds.checks.consistency import (
    check_reset_restarts,
    check_steps_add_up,
    check_views_draw_nothing,
)
from evomesa.worlds.checks.declared import (
    check_declarations,
    check_observation_names,
    check_params_read_only,
)
from evomesa.worlds.checks.rollouts import (
    check_bookkeeping,
    check_determinism,
    check_finite_outputs,
    check_mixture,
    check_rollout_arrays,
)
from evomesa.worlds.checks.stepwise import check_stepwise_api

_ORDER: tuple[Check, ...] = (
    check_declarations,
    check_params_read_only,
    check_observation_names,
    check_rollout_arrays,
    check_finite_outputs,
    check_bookkeeping,
    check_determinism,
    check_mixture,
    check_thread_count_independence,
    check_kernel_matches_reference,
    check_stepwise_api,
    check_steps_add_up,
    check_views_draw_nothing,
    check_reset_restarts,
)

#: every named check of the world contract: ``name -> check_<name>``, in the order
#: :func:`check_world` runs them (read-only)
CHECKS: MappingProxyType[str, Check] = MappingProxyType(
    {check.__name__.removeprefix("check_"): check for check in _ORDER}
)


def check_world(world: World, *, individuals: int = 4, episodes: int = 2, seed: int = 0) -> dict:
    """Check that ``world`` keeps the world contract; raise :class:`ConfigError` if not.

    Runs every check in :data:`CHECKS`, in order, and stops at the first that fails (its
    error names what failed).

    Parameters
    ----------
    world : World
        A built world (``em.make_world(...)``).
    individuals, episodes : int
        Random genomes per architecture and episodes each, per regime (the plain-Python
        reference plays all of them, so keep these small).
    seed : int
        Seed of the random genomes and episodes.

    Returns
    -------
    dict
        What was checked: ``{"world", "genomes", "regimes", "episodes_compared"}``.
    """
    world, individuals, episodes, seed = checked_arguments(world, individuals, episodes, seed)
    for check in CHECKS.values():
        check(world, individuals=individuals, episodes=episodes, seed=seed)
    return {
        "world": world.name,
        "genomes": genomes_of(world),
        "regimes": world.regimes,
        "episodes_compared": len(genomes_of(world)) * len(world.regimes) * individuals * episodes,
    }


__all__ = [
    "CHECKS",
    "Check",
    "check_bookkeeping",
    "check_declarations",
    "check_determinism",
    "check_finite_outputs",
    "check_kernel_matches_reference",
    "check_mixture",
    "check_observation_names",
    "check_params_read_only",
    "check_reset_restarts",
    "check_rollout_arrays",
    "check_stepwise_api",
    "check_steps_add_up",
    "check_thread_count_independence",
    "check_views_draw_nothing",
    "check_world",
]
