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
from dataclasses import dataclass, fields, replace
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


@dataclass(frozen=True)
class SweepSpec:
    """A sweep's every setting, checked by :func:`evomesa.sweep` (or read back from
    ``sweep.json`` by :func:`~evomesa.experiments.sweep_marker.read_sweep_marker`): what its
    tasks are built from and what its marker records."""

    world: World
    grid: dict[str, list[Any]]
    seeds: int
    config: EvolutionConfig
    genomes: Sequence[str]
    deploy: str | None
    deploy_params: dict[str, Any]
    episodes: int
    reference: bool
    thresholds: Thresholds

    def tasks(self) -> list[tuple[str, ReplicateTask, dict]]:
        """Every (task key, task, grid point) of the sweep; builds, hence validates, every
        grid point's worlds and config."""
        base, deploy, changed = self.world, self.deploy, self.deploy_params
        tasks: list[tuple[str, ReplicateTask, dict]] = []
        for point in grid_points(self.grid):
            params, changes = split_point(base, point)
            w = make_world(base.name, **{**base.params, **params})
            target = w if not changed else make_world(w.name, **{**w.params, **changed})
            cfg = replace(self.config, **changes).for_world(w)
            d = (
                target.default_shift[1]
                if deploy is None
                else target.check_regime(deploy, "deploy")
            )
            for genome in self.genomes:
                check_deployable(w, target, genome)
                for r in range(self.seeds):
                    seed = child_seed(cfg.seed, "replicate", r)
                    task = ReplicateTask(
                        world=w.name,
                        params=dict(w.params),
                        deploy_params=None if target is w else dict(target.params),
                        config=replace(cfg, genome=genome, seed=seed),
                        train=main_regime(cfg.regime),
                        deploy=d,
                        episodes=self.episodes,
                        reference=self.reference,
                        replicate=r,
                        thresholds=self.thresholds,
                    )
                    tasks.append((task_key(point, genome, r), task, point))
        return tasks

    def identity(self) -> dict[str, Any]:
        """What ``sweep.json`` holds: the sweep's every setting, as JSON reads it back."""
        identity = {
            "format": FORMAT,
            "version": VERSION,
            "world": self.world.name,
            "world_params": dict(self.world.params),
            "grid": self.grid,
            "seeds": self.seeds,
            "genomes": list(self.genomes),
            "config": self.config.to_dict(),
            "deploy": self.deploy,
            "deploy_params": self.deploy_params,
            "episodes": self.episodes,
            "reference": self.reference,
            "thresholds": self.thresholds.to_dict(),
        }
        return json.loads(json.dumps(identity, default=str))


def sort_records(records: Sequence[dict], grid: Mapping[str, Sequence[Any]]) -> list[dict]:
    """Records in grid order (first key slowest), then genome, then replicate."""
    order = {json.dumps(p, sort_keys=True): i for i, p in enumerate(grid_points(grid))}

    def key(r: dict) -> tuple:
        text = json.dumps(r["point"], sort_keys=True)
        return (order.get(text, len(order)), text, r["genome"], r["replicate"])

    return sorted(records, key=key)
