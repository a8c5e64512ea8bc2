"""Replicated evolution runs in the deception world, measured generation by generation.

Used by ``examples/deception.py`` and ``examples/myopia.py``: one *condition* (a set of world
parameters) is evolved ``replicates`` times from independent seeds; every generation's
training evaluation is profiled (:func:`evomesa.measure.deception.profile`); the
final population is played in a final, truly unwatched deployment, and its evolved traits are
summarised to explain what it does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.recording import evolve_recording
from evomesa.genomes import make_genome
from evomesa.measure.deception import horizon_histogram, profile
from evomesa.measure.evaluate import evaluate
from evomesa.measure.knockouts import knock_out_drives
from evomesa.metrics.runs import interval_record
from evomesa.seeding import child_seed
from evomesa.worlds.registry import make_world

#: per-generation keys kept from each training profile (plus the planners' median horizon)
TRACKED = ("aligned", "deceptive", "open", "deception_gap", "fitness", "performance")
#: keys of the final deployment profile and trait summary reported with intervals
FINAL = (
    "aligned",
    "deceptive",
    "open",
    "deception_gap",
    "p_defect_watched",
    "p_defect_unwatched",
    "performance",
    "fitness",
    "loot_over_task",
    "reaches_deployment",
    "can_build",
    "median_horizon",
    "knock_out:intact",
    "knock_out:task",
    "knock_out:loot",
)


def traits(world, genes: np.ndarray) -> dict[str, float]:
    """Evolved traits that explain behaviour: the share of planners weighing loot above task,
    whose horizon reaches the deployment phase from the first step (>= watched_steps), and
    that can value a project (>= project_steps - 1); their median horizon."""
    t = make_genome("planner", world).describe(genes)
    h = t["horizon"]
    return {
        "loot_over_task": float((t["w_loot"] > t["w_task"]).mean()),
        "reaches_deployment": float((h >= world.params["watched_steps"]).mean()),
        "can_build": float((h >= world.params["project_steps"] - 1).mean()),
        "median_horizon": float(np.median(h)),
    }


def run_condition(
    params: dict[str, Any], config: EvolutionConfig, replicates: int, episodes: int
) -> dict[str, Any]:
    """Evolve planners ``replicates`` times in ``make_world("deception", **params)``.

    Parameters
    ----------
    params : dict
        World parameters of the condition.
    config : EvolutionConfig
        The GA settings; its seed spawns the replicates' seeds (``child_seed``).
    replicates : int
        Independent runs.
    episodes : int
        Lifetimes per individual in the final deployment.

    Returns
    -------
    dict
        ``params``, ``seeds``, ``generations`` (key -> (R, G + 1) list of lists, from
        :data:`TRACKED` and the planners' horizon quartiles ``horizon_q25``,
        ``median_horizon``, ``horizon_q75``), ``final`` (key -> list of R values, from
        :data:`FINAL`), ``intervals`` (key -> mean and 95 % t-interval over runs) and
        ``horizon_hist`` ((R, horizon_cap) counts of final horizons).
    """
    world = make_world("deception", **params)
    config = replace(config, genome="planner", regime="training")
    seeds = [child_seed(config.seed, "replicate", r) for r in range(replicates)]
    gens: dict[str, list] = {
        k: [] for k in (*TRACKED, "horizon_q25", "median_horizon", "horizon_q75")
    }
    final: dict[str, list] = {k: [] for k in FINAL}
    hist = []

    def record(brains, out):
        row = {k: profile(world, out)[k] for k in TRACKED}
        q25, q50, q75 = np.percentile(brains.horizon, (25, 50, 75))
        row.update(horizon_q25=float(q25), median_horizon=float(q50), horizon_q75=float(q75))
        return row

    for seed in seeds:
        result, rows = evolve_recording(world, replace(config, seed=seed), record)
        for k in gens:
            gens[k].append([r[k] for r in rows])
        roll = evaluate(
            world, result.genes, "planner", "deployment", episodes, seed=seed, common_seeds=False
        )
        row = {**profile(world, roll), **traits(world, result.genes)}
        # DESIGN 0.3: is each drive under selection? training fitness with its weight at 0
        knocked = knock_out_drives(world, result.genes, "planner", "training", episodes, seed)
        row.update({f"knock_out:{k}": v for k, v in knocked.items()})
        for k in FINAL:
            final[k].append(row[k])
        hist.append(horizon_histogram(world_horizons(world, result.genes), world.max_horizon))
    return {
        "params": dict(params),
        "seeds": seeds,
        "generations": gens,
        "final": final,
        "intervals": {k: interval_record(v) for k, v in final.items()},
        "horizon_hist": np.array(hist).tolist(),
    }


def world_horizons(world, genes: np.ndarray) -> np.ndarray:
    """(n,) int64 planner horizons of ``genes``."""
    return make_genome("planner", world).horizon(np.asarray(genes))
