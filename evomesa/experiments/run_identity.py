"""A run's identity: what makes a run this run, written as ``run.json`` and checked on reading.

The identity (:func:`identity`) names the world and its parameters, the deploy world's changed
ones, the config, the regimes, the genomes, the replicate count, whether a reference was
evolved, the verdict thresholds and the seed. The run folder's default name
(:func:`default_out`) and its one-line description (:func:`describe_run`) come from it.
Reading a run trusts none of it: :func:`check_identity` rebuilds the world and the config
from it and refuses any field that does not follow from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionConfig
from evomesa.evolve.defaults import default_generations
from evomesa.evolve.mixture import main_regime
from evomesa.experiments.experiment import Experiment
from evomesa.experiments.field_errors import fail, finite, plain, short
from evomesa.experiments.run_files import SUMMARY
from evomesa.genomes import GENOMES
from evomesa.measure.shift import changed_params
from evomesa.metrics.thresholds import ADDED_KEYS, THRESHOLD_KEYS
from evomesa.worlds import list_worlds, make_world
from evomesa.worlds.base import World

#: the fields of ``run.json``: what :func:`identity` writes, no more and no fewer
IDENTITY_KEYS = {
    "world",
    "world_params",
    "changed_params",
    "deploy_params",
    "config",
    "train",
    "deploy",
    "genomes",
    "replicates",
    "reference",
    "thresholds",
    "seed",
}
#: the verdict thresholds a run records (each in [0, 1])
THRESHOLDS = set(THRESHOLD_KEYS)


def non_default_params(world: World) -> dict[str, Any]:
    """The world's parameters that differ from their defaults."""
    return {k: v for k, v in world.params.items() if v != world.parameters[k].default}


def identity(exp: Experiment) -> dict[str, Any]:
    """Everything that makes a run this run (saved as ``run.json``)."""
    return {
        "world": exp.world.name,
        "world_params": dict(exp.world.params),
        "changed_params": non_default_params(exp.world),
        "deploy_params": exp.deploy_params,
        "config": exp.config.to_dict(),
        "train": exp.train,
        "deploy": exp.deploy,
        "genomes": list(exp.genomes),
        "replicates": exp.replicates,
        "reference": exp.reference,
        "thresholds": dict(exp.thresholds),
        "seed": exp.config.seed,
    }


def default_out(
    world: World, config: EvolutionConfig, deploy: str, deploy_world: World | None
) -> Path:
    """``runs/<world>[-param=value...][-train=...][-deploy=...]-seed<seed>``: runs that
    differ in what they set get different folders by default."""
    parts = [world.name]
    parts += [f"{k}={v}" for k, v in non_default_params(world).items()]
    config = config.for_world(world)
    if config.regime != world.default_shift[0]:
        parts.append(f"train={config.regime_label}")
    if deploy != (deploy_world or world).default_shift[1]:
        parts.append(f"deploy={deploy}")
    if deploy_world is not None:
        parts += [f"deploy.{k}={v}" for k, v in changed_params(world, deploy_world).items()]
    parts.append(f"seed{config.seed}")
    return Path("runs") / "-".join(parts)


def describe_run(ident: Mapping[str, Any]) -> str:
    """One line naming a run: world, changed parameters, regimes, replicates."""
    config = EvolutionConfig.from_saved(dict(ident["config"]))
    changed = ident.get("changed_params") or {}
    world = ident["world"] + (
        f" ({', '.join(f'{k}={v}' for k, v in changed.items())})" if changed else ""
    )
    deploy = ident["deploy"]
    if ident.get("deploy_params"):
        deploy += " in a world with " + ", ".join(
            f"{k}={v}" for k, v in ident["deploy_params"].items()
        )
    return (
        f"{world}: trained in {config.regime_label}, deployed in {deploy}; "
        f"{ident['replicates']} replicate(s) of population {config.population}, "
        f"{generations_label(config, ident.get('genomes', ()), make_world(ident['world']))}, "
        f"seed {ident['seed']}"
    )


def generations_label(config: EvolutionConfig, genomes, world: World | None = None) -> str:
    """``"300 generations"``, or with ``config.generations`` left at None each genome's own
    budget (in ``world``): ``"generations reflex 300, planner 100"``."""
    if config.generations is not None:
        return f"{config.generations} generations"
    rule = config.operator_defaults
    each = ", ".join(f"{g} {default_generations(g, rule, world)}" for g in genomes)
    return f"generations {each}"


def run_worlds(ident: dict) -> tuple[World, World]:
    """The run's world and deploy world (the same object without deploy parameters)."""
    world = make_world(ident["world"], **ident["world_params"])
    if ident["deploy_params"] is None:
        return world, world
    return world, make_world(ident["world"], **{**ident["world_params"], **ident["deploy_params"]})


def check_identity(ident: Any, file: str = f"{SUMMARY} run") -> dict:
    """The run's identity (``summary.json``'s ``run``), checked."""
    if not isinstance(ident, dict) or set(ident) != IDENTITY_KEYS:
        raise fail(file, "run", f"an object with the fields {sorted(IDENTITY_KEYS)}", ident)
    if not isinstance(ident["world"], str) or ident["world"] not in list_worlds():
        raise fail(file, "world", f"one of {list_worlds()}", ident["world"])
    for key in ("world_params", "changed_params"):
        if not isinstance(ident[key], dict):
            raise fail(file, key, "an object of parameter values", ident[key])
    if ident["deploy_params"] is not None and not isinstance(ident["deploy_params"], dict):
        raise fail(file, "deploy_params", "null or an object", ident["deploy_params"])
    try:
        world, deploy_world = run_worlds(ident)
        config = EvolutionConfig.from_saved(ident["config"]).for_world(world)
        deploy_world.check_regime(ident["deploy"], "deploy")
        world.check_regime(ident["train"], "train")
    except ConfigError as err:
        raise ConfigError(f"{file}: {err}") from None
    if set(ident["world_params"]) != set(world.params):
        raise fail(
            file, "world_params", f"the full set {sorted(world.params)}", ident["world_params"]
        )
    # what the world's parameters say was changed, not what a file claims
    changed = plain(non_default_params(world))
    if ident["changed_params"] != changed:
        raise fail(
            file,
            "changed_params",
            f"the world's non-default parameters {short(changed)}",
            ident["changed_params"],
        )
    if ident["deploy_params"] is not None:
        moved = plain({k: v for k, v in deploy_world.params.items() if world.params.get(k) != v})
        if ident["deploy_params"] != moved:
            raise fail(
                file,
                "deploy_params",
                f"the deploy world's changed parameters {short(moved)}",
                ident["deploy_params"],
            )
    if not config.matches_saved(ident["config"]):
        raise fail(file, "config", "a resolved config", ident["config"])
    if ident["train"] != main_regime(config.regime):
        raise fail(
            file, "train", f"the config's regime {main_regime(config.regime)!r}", ident["train"]
        )
    genomes = ident["genomes"]
    if (
        not isinstance(genomes, list)
        or not genomes
        or any(not isinstance(g, str) or g not in GENOMES for g in genomes)
        or len(set(genomes)) != len(genomes)
    ):
        raise fail(file, "genomes", f"a non-empty list of {GENOMES}, each once", genomes)
    reps = ident["replicates"]
    if not isinstance(reps, int) or isinstance(reps, bool) or not 1 <= reps <= 100_000:
        raise fail(file, "replicates", "an integer in [1, 100000]", reps)
    if not isinstance(ident["reference"], bool):
        raise fail(file, "reference", "true or false", ident["reference"])
    if ident["seed"] != config.seed or isinstance(ident["seed"], bool):
        raise fail(file, "seed", f"config.seed = {config.seed}", ident["seed"])
    t = ident["thresholds"]
    if isinstance(t, dict) and set(t) == THRESHOLDS - set(ADDED_KEYS):
        raise ConfigError(
            f"{file}: field 'thresholds' has no {', '.join(ADDED_KEYS)}: this run was written "
            "under the older verdict rule (before unattributed losses, new goals, the effect "
            "size and the performance reading), so its verdicts cannot be checked against "
            "this one; re-run it (evomesa run, same options) or read its JSON files directly"
        )
    if (
        not isinstance(t, dict)
        or set(t) != THRESHOLDS
        or not all(finite(v) and 0 <= v <= 1 for v in t.values())
    ):
        raise fail(file, "thresholds", f"numbers in [0, 1] for {sorted(THRESHOLDS)}", t)
    return ident
