"""What a sweep runs: its grid checked, its grid points in order, and one task per (grid
point, genome, replicate).

Replicate ``r`` evolves from ``child_seed(config.seed, "replicate", r)`` at every grid point:
grid points are compared on common seeds, and a point's replicate equals the same replicate
of :func:`evomesa.run_experiment` there. Building every task builds, hence validates, every
grid point's worlds and config before any work starts.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionConfig
from evomesa.evolve.mixture import main_regime
from evomesa.experiments.replicate import ReplicateTask
from evomesa.experiments.sweep_format import FORMAT, VERSION, task_key
from evomesa.measure.shift import check_deployable
from evomesa.metrics.thresholds import Thresholds
from evomesa.seeding import child_seed
from evomesa.worlds import make_world
from evomesa.worlds.base import World

#: config fields a grid may not vary (the sweep sets them per task)
_FIXED = ("seed", "genome")


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, first key slowest."""
    keys = list(grid)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*grid.values())]


def check_grid(world: World, grid: Any) -> dict[str, list[Any]]:
    """``grid`` as a dict of lists: each key a parameter of ``world`` or an EvolutionConfig
    field (not ``seed``, ``genome``), each value a non-empty list without repeats.

    Raises
    ------
    ConfigError
        Naming the key or value that is not valid.
    """
    if not isinstance(grid, Mapping) or not grid:
        raise ConfigError(f"grid must be a non-empty dict of param -> values; got {grid!r:.80}")
    config_fields = [f.name for f in fields(EvolutionConfig) if f.name not in _FIXED]
    out = {}
    for key, values in grid.items():
        if key not in world.params and key not in config_fields:
            raise ConfigError(
                f"grid key must be a parameter of the {world.name!r} world "
                f"({', '.join(world.params)}) or of EvolutionConfig ({', '.join(config_fields)});"
                f" got {key!r}"
            )
        if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
            raise ConfigError(f"grid[{key!r}] must be a non-empty list of values; got {values!r}")
        listed = list(values)
        if len({json.dumps(v, sort_keys=True, default=str) for v in listed}) < len(listed):
            raise ConfigError(f"grid[{key!r}] must not repeat a value; got {listed!r}")
        out[str(key)] = listed
    return out


def split_point(world: World, point: Mapping[str, Any]) -> tuple[dict, dict]:
    """A grid point as (world parameters, config fields)."""
    params = {k: v for k, v in point.items() if k in world.params}
    return params, {k: v for k, v in point.items() if k not in world.params}


def sweep_tasks(
    world: World,
    grid: dict[str, list[Any]],
    seeds: int,
    config: EvolutionConfig,
    genomes: Sequence[str],
    deploy: str | None,
    deploy_params: dict[str, Any],
    episodes: int,
    reference: bool,
    thresholds: Thresholds,
) -> list[tuple[str, ReplicateTask, dict]]:
    """Every (task key, task, grid point) of a sweep; builds, hence validates, every grid
    point's worlds and config."""
    tasks: list[tuple[str, ReplicateTask, dict]] = []
    for point in grid_points(grid):
        params, changes = split_point(world, point)
        w = make_world(world.name, **{**world.params, **params})
        target = w if not deploy_params else make_world(w.name, **{**w.params, **deploy_params})
        cfg = replace(config, **changes).for_world(w)
        d = target.default_shift[1] if deploy is None else target.check_regime(deploy, "deploy")
        for genome in genomes:
            check_deployable(w, target, genome)
            for r in range(seeds):
                task = ReplicateTask(
                    world=w.name,
                    params=dict(w.params),
                    deploy_params=None if target is w else dict(target.params),
                    config=replace(cfg, genome=genome, seed=child_seed(cfg.seed, "replicate", r)),
                    train=main_regime(cfg.regime),
                    deploy=d,
                    episodes=episodes,
                    reference=reference,
                    replicate=r,
                    thresholds=thresholds,
                )
                tasks.append((task_key(point, genome, r), task, point))
    return tasks


def sweep_identity(
    world: World,
    grid: dict[str, list[Any]],
    seeds: int,
    config: EvolutionConfig,
    genomes: Sequence[str],
    deploy: str | None,
    deploy_params: dict[str, Any],
    episodes: int,
    reference: bool,
    thresholds: Thresholds,
) -> dict[str, Any]:
    """What ``sweep.json`` holds: the sweep's every setting, as JSON reads it back."""
    identity = {
        "format": FORMAT,
        "version": VERSION,
        "world": world.name,
        "world_params": dict(world.params),
        "grid": grid,
        "seeds": seeds,
        "genomes": list(genomes),
        "config": config.to_dict(),
        "deploy": deploy,
        "deploy_params": deploy_params,
        "episodes": episodes,
        "reference": reference,
        "thresholds": thresholds.to_dict(),
    }
    return json.loads(json.dumps(identity, default=str))


def sort_records(records: Sequence[dict], grid: Mapping[str, Sequence[Any]]) -> list[dict]:
    """Records in grid order (first key slowest), then genome, then replicate."""
    order = {json.dumps(p, sort_keys=True): i for i, p in enumerate(grid_points(grid))}

    def key(r: dict) -> tuple:
        text = json.dumps(r["point"], sort_keys=True)
        return (order.get(text, len(order)), text, r["genome"], r["replicate"])

    return sorted(records, key=key)
