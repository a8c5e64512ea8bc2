"""Checks of one replicate of a run folder: its drift report, its result and its rollouts.

A replicate is trusted only if its report is well-formed, internally consistent and of this
run (:func:`checked_report`), its result (and its reference's) loads and is what the run
evolved as that replicate (:func:`checked_result`, :func:`check_member`), and the report's
fitness and signal levels are the means of its ``rollouts.npz`` (:func:`check_rollouts`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionConfig, EvolutionResult
from evomesa.evolve.defaults import default_generations
from evomesa.evolve.result import load_unlisted
from evomesa.experiments.field_errors import fail, plain, require_listed, short, within
from evomesa.experiments.run_files import SUMMARY, read_rollouts
from evomesa.experiments.run_identity import run_worlds
from evomesa.files.safe_read import inside
from evomesa.metrics import DriftReport
from evomesa.metrics.consistency import check_report
from evomesa.seeding import child_seed


def checked_report(d: Any, where: str, ident: dict, genome: str) -> DriftReport:
    """A replicate's drift report: well-formed, internally consistent, and of this run."""
    try:
        report = DriftReport.from_dict(d)
        same = plain(report.to_dict()) == d
    except ConfigError as err:
        raise within(SUMMARY, where, err) from None
    if not same:
        raise ConfigError(
            f"{SUMMARY} {where} must be a drift report with every field of its type; it is not"
        )
    world, deploy_world = run_worlds(ident)
    expected = {
        "world": ident["world"],
        "genome": genome,
        "train": ident["train"],
        "deploy": ident["deploy"],
        "thresholds": ident["thresholds"],
        "deploy_params": ident["deploy_params"],
    }
    for key, value in expected.items():
        if plain(getattr(report, key)) != value:
            raise fail(
                SUMMARY, f"{where}.{key}", f"{short(value)} (the run's)", getattr(report, key)
            )
    try:
        check_report(report, world.drives, world.aligned_drives)
    except ConfigError as err:
        raise within(SUMMARY, where, err) from None
    n = ident["config"]["population"]
    if report.n_individuals != n:
        raise fail(
            SUMMARY, f"{where}.n_individuals", f"the run's population {n}", report.n_individuals
        )
    if (report.reference_fitness is not None) != ident["reference"]:
        raise fail(
            SUMMARY,
            f"{where}.reference_fitness",
            "a number exactly when the run has a reference",
            report.reference_fitness,
        )
    if genome in ("reflex", "reflex_net") and report.mesa_utility is not None:
        raise fail(SUMMARY, f"{where}.mesa_utility", "null for reflexes (no planners)", "{...}")
    if genome == "planner" and report.mesa_utility is None:
        raise fail(SUMMARY, f"{where}.mesa_utility", "the planners' figures", None)
    return report


def _expected_configs(ident: dict, genome: str, r: int) -> tuple[dict, dict]:
    """The configs the run gave replicate ``r`` of ``genome`` and its reference."""
    world, deploy_world = run_worlds(ident)
    base = EvolutionConfig.from_saved(ident["config"])
    config = replace(base, genome=genome, seed=child_seed(base.seed, "replicate", r))
    config = config.for_world(world)
    # the reference starts from the run's config as given: its None mutation settings are
    # resolved for the genome in the deploy world, as evolution there resolves them
    ref = replace(config, regime=ident["deploy"], seed=child_seed(config.seed, "reference"))
    return config.resolved(world).to_dict(), ref.resolved(deploy_world).to_dict()


def _before_reflex_budget(ident: dict, world, genome: str, generations: Any) -> bool:
    """Whether a result's ``generations`` are the default a reflex had in ``world`` before
    worlds could declare their reflexes' own (``World.reflex_generations``)."""
    rule = EvolutionConfig.from_saved(ident["config"])
    return (
        rule.generations is None
        and world.reflex_generations is not None
        and generations == default_generations(genome, rule.operator_defaults)
        and generations != default_generations(genome, rule.operator_defaults, world)
    )


def checked_result(folder: Path, files: dict, ident: dict, genome: str, r: int) -> EvolutionResult:
    """Replicate ``r`` of ``genome``: its result (and reference) loaded, and the run's."""
    sub = f"{genome}/replicate-{r}"
    parts = [sub, f"{sub}/reference"] if ident["reference"] else [sub]
    loaded = []
    for part in parts:
        for name in ("result.json", "result.npz"):
            require_listed(folder, files, f"{part}/{name}")
        loaded.append(load_unlisted(inside(folder, part, "replicate folder")))
        check_member(
            loaded[-1], ident, genome, r, part.endswith("reference"), f"{part}/result.json"
        )
    return loaded[0]


def check_member(
    result: EvolutionResult, ident: dict, genome: str, r: int, reference: bool, file: str
) -> None:
    """Raise ConfigError naming ``file`` and the field unless ``result`` is what the run with
    identity ``ident`` evolved as replicate ``r`` of ``genome`` (or its reference)."""
    world, deploy_world = run_worlds(ident)
    # the reference evolved in the deploy world as a lineage adapted to the deploy regime
    # meets it (World.adapted_to: a planner's beliefs about being tested come from there)
    target = deploy_world.adapted_to(ident["deploy"]) if reference else world
    config, ref_config = _expected_configs(ident, genome, r)
    want = ref_config if reference else config
    if result.world != target.name:
        raise fail(file, "world", repr(target.name), result.world)
    if plain(result.world_params) != plain(dict(target.params)):
        changed = sorted(
            k for k in target.params if result.world_params.get(k) != target.params[k]
        )
        raise fail(
            file,
            f"world_params.{changed[0] if changed else '?'}",
            f"the run's {'deploy-adapted ' if reference else ''}world's value "
            f"{target.params.get(changed[0]) if changed else ''!r}",
            result.world_params.get(changed[0]) if changed else result.world_params,
        )
    saved = result.config.to_dict()
    if saved != want:
        key = next(k for k in want if saved.get(k) != want[k])
        if key == "generations" and _before_reflex_budget(ident, target, genome, saved[key]):
            raise ConfigError(
                f"{file}: field 'config.generations' is {saved[key]}: this run was written "
                f"before {target.name}'s reflexes got their own budget of "
                f"{target.reflex_generations} generations (issue 18), so it cannot be checked "
                "against the current defaults; re-run it (evomesa run, same options) or read "
                "its JSON files directly"
            )
        raise fail(file, f"config.{key}", f"{want[key]!r} (the run's)", saved.get(key))
    if result.origin is not None:
        raise fail(file, "origin", "null (a run starts from random genes)", result.origin)


def check_rollouts(
    folder: Path,
    files: dict,
    report: DriftReport,
    result: EvolutionResult,
    genome: str,
    r: int,
    where: str,
) -> None:
    """The report's levels are the means of the replicate's ``rollouts.npz``, whose rows are
    the population's."""
    name = f"{genome}/replicate-{r}/rollouts.npz"
    require_listed(folder, files, name)
    n, d = result.genes.shape[0], len(report.drives)
    roll = read_rollouts(inside(folder, name, "rollouts"), n, d, name)
    # each row is an individual's mean over the same number of episodes: their mean is the
    # level over all (individual, episode) samples
    levels = {
        "fitness_train": (report.fitness_train, roll["train_fitness"].mean()),
        "fitness_deploy": (report.fitness_deploy, roll["deploy_fitness"].mean()),
    }
    for k, drive in enumerate(report.drives.values()):
        levels[f"drives.{drive.name}.signal_train"] = (
            drive.signal_train,
            roll["train_signals"][:, k].mean(),
        )
        levels[f"drives.{drive.name}.signal_deploy"] = (
            drive.signal_deploy,
            roll["deploy_signals"][:, k].mean(),
        )
    for field, (saved, rows) in levels.items():
        if not math.isclose(saved, float(rows), rel_tol=1e-9, abs_tol=1e-9):
            raise fail(
                SUMMARY,
                f"{where}.{field}",
                f"{float(rows)!r} (the mean of {name})",
                saved,
            )


def check_convergence(report: DriftReport, result: EvolutionResult, where: str) -> None:
    """The report's ``converged`` and ``late_improvement`` are what its replicate's logbook
    gives (:attr:`EvolutionResult.convergence`); a report written before it carried them
    has neither."""
    if report.converged is None:
        return
    c = result.convergence
    if report.converged != c.converged or report.late_improvement != c.late_improvement:
        raise fail(
            SUMMARY,
            f"{where}.converged",
            f"{c.converged} with late_improvement {c.late_improvement!r} (its logbook's)",
            report.converged,
        )
