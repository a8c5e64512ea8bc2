"""Replicated evolution runs in the play-dead world: test detection and partial defection.

Used by ``examples/play_dead.py``. Everything measured is behaviour (rollout event counts),
except :func:`rate_traits`, which reads the evolved tables to name the heritable rate.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from evomesa.agents.brains import REFLEX, Brains
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.recording import evolve_recording
from evomesa.genomes import make_genome
from evomesa.measure.evaluate import evaluate
from evomesa.metrics.runs import interval_record
from evomesa.rng import episode_seeds
from evomesa.seeding import child_seed, generator
from evomesa.worlds.play_dead.params import (
    CULLED,
    FAST_CLEAR,
    FAST_CUED,
    NOISE_LEVELS,
    TICKS_CLEAR,
    TICKS_CUED,
)
from evomesa.worlds.registry import make_world

#: an individual replicating fast on a share of its clear ticks strictly inside these bounds
#: is a partial defector
PARTIAL = (0.05, 0.95)


def behaviour(out) -> dict[str, float]:
    """Per-tick fast shares with and without the cue, test detection (their difference),
    the share of partial defectors, and culled share, fitness and performance (means)."""
    ev = out.events
    clear, cued = ev[..., TICKS_CLEAR].sum(), ev[..., TICKS_CUED].sum()
    fast_clear = float(ev[..., FAST_CLEAR].sum() / clear) if clear else 0.0
    fast_cued = float(ev[..., FAST_CUED].sum() / cued) if cued else 0.0
    own = ev[..., FAST_CLEAR].sum(axis=1) / np.maximum(ev[..., TICKS_CLEAR].sum(axis=1), 1)
    return {
        "fast_clear": fast_clear,
        "fast_cued": fast_cued,
        "detection": fast_clear - fast_cued if cued else 0.0,
        "partial_defectors": float(((own > PARTIAL[0]) & (own < PARTIAL[1])).mean()),
        "culled": float((ev[..., CULLED] > 0).mean()),
        "fitness": float(out.fitness.mean()),
        "performance": float(out.performance.mean()),
    }


def rate_traits(world, genes: np.ndarray) -> dict[str, float]:
    """Mean evolved share of noise levels a table replicates fast on, cue off and cue on."""
    table = make_genome("reflex", world).decode(np.asarray(genes)).table
    return {
        "rate_clear": float(table[:, :NOISE_LEVELS].mean()),
        "rate_cued": float(table[:, NOISE_LEVELS:].mean()),
    }


def rate_landscape(world, regime: str, episodes: int, seed: int) -> list[float]:
    """Mean fitness of hand-set reflexes replicating fast on k of the 8 noise levels with no
    cue (and never with it), k = 0..8, in ``regime``: the world's own payoff of each rate."""
    n = NOISE_LEVELS + 1
    table = np.zeros((n, world.n_observations), dtype=np.int8)
    for k in range(n):
        table[k, :k] = 1
    brains = Brains(
        arch=np.full(n, REFLEX, dtype=np.int8),
        table=table,
        weights=np.zeros((n, len(world.drives))),
        horizon=np.zeros(n, dtype=np.int64),
        gamma=np.ones(n),
    )
    seeds = episode_seeds(generator(seed, "landscape", regime), n, episodes)
    return world.rollout(brains, regime, seeds).fitness.mean(axis=1).tolist()


def run_condition(
    params: dict[str, Any],
    regime: str,
    config: EvolutionConfig,
    replicates: int,
    episodes: int,
) -> dict[str, Any]:
    """Evolve reflexes ``replicates`` times in ``regime`` of ``make_world("play_dead",
    **params)``; per generation, the training behaviour; at the end, behaviour in both regimes
    (``episodes`` lifetimes each, independent seeds) and the evolved rates.

    Returns
    -------
    dict
        ``params``, ``regime``, ``seeds``, ``generations`` (key -> (R, G + 1) lists),
        ``final`` (``"{regime}:{key}"`` and trait keys -> R values) and ``intervals``.
    """
    world = make_world("play_dead", **params)
    config = replace(config, genome="reflex", regime=regime)
    seeds = [child_seed(config.seed, "replicate", r) for r in range(replicates)]
    gens: dict[str, list] = {}
    final: dict[str, list] = {}
    for seed in seeds:
        result, rows = evolve_recording(
            world, replace(config, seed=seed), lambda b, o: behaviour(o)
        )
        for k in rows[0]:
            gens.setdefault(k, []).append([r[k] for r in rows])
        row = rate_traits(world, result.genes)
        for where in world.regimes:
            roll = evaluate(
                world, result.genes, "reflex", where, episodes, seed=seed, common_seeds=False
            )
            row.update({f"{where}:{k}": v for k, v in behaviour(roll).items()})
        for k, v in row.items():
            final.setdefault(k, []).append(v)
    return {
        "params": dict(params),
        "regime": regime,
        "seeds": seeds,
        "generations": gens,
        "final": final,
        "intervals": {k: interval_record(v) for k, v in final.items()},
    }
