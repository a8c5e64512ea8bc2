"""Reading a run folder as a hostile file: what ``evomesa report`` checks before it prints.

A run folder is trusted only if (:func:`read_run_folder`):

* it has a ``manifest.json`` (written last) and every file it lists has the recorded size and
  SHA-256 (:func:`evomesa.files.runfolder.verify_manifest`); only listed files are read;
* ``summary.json`` and ``run.json`` parse strictly (UTF-8, finite numbers, bounded size and
  nesting) and ``run.json`` equals the summary's ``run``;
* the identity names a registered world whose parameters validate, a valid config, genomes
  of :data:`evomesa.GENOMES` (each once), a replicate count, a deploy regime of the world and
  thresholds in [0, 1];
* every replicate's drift report appears in the summary and in its own ``drift.json``,
  identically, and rebuilds exactly (:meth:`DriftReport.from_dict` then ``to_dict`` gives
  it back: no field of the wrong type, none missing or extra) for that world, genome and
  regimes;
* each report's figures agree with each other (:func:`evomesa.metrics.consistency.check_report`:
  retentions, regret, competence, drives pursued and the verdict recomputed from its numbers
  and thresholds with the functions that wrote them), its thresholds and deploy parameters
  are the run's, and it counts as many individuals as the run's population;
* ``changed_params`` are the world's non-default parameters and ``deploy_params`` the deploy
  world's changed ones;
* every replicate's ``result.json``/``result.npz`` (and its reference's) load
  (:func:`evomesa.load_result`'s checks) and are the run's: its world, parameters and config
  with the replicate's seed (the reference's: the deploy world, regime and seed); its
  ``rollouts.npz`` has the population's rows, and the report's fitness and signal levels are
  their means;
* each genome's figures, verdict counts and pursued drives equal those recomputed from its
  reports, and its traits are those recomputed from the replicates' final genes (within
  float tolerance; within the genome's bounds), the shares of training decisions of the
  world's actions, in [0, 1], each with q25 <= median <= q75.

Whatever the checksums say: an editor who recomputes them is refused by the fields
themselves.

Paths are built only from validated names (genome names, replicate numbers), never taken
from a file, and never leave the folder or go through a symbolic link. Every failure is a
ConfigError naming the file and field.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionConfig, EvolutionResult
from evomesa.evolve.mixture import main_regime
from evomesa.evolve.result import load_unlisted
from evomesa.files.manifest import MANIFEST, RUN_MARKER, verify_manifest
from evomesa.files.safe_read import as_path, inside, read_json, read_npz
from evomesa.genomes import GENOMES, make_genome
from evomesa.metrics import DriftReport
from evomesa.metrics.consistency import check_report, close
from evomesa.metrics.runs import summarize_reports, trait_summary
from evomesa.seeding import child_seed
from evomesa.worlds import list_worlds, make_world
from evomesa.worlds.base import World

SUMMARY = "summary.json"
_IDENTITY_KEYS = {
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
_THRESHOLDS = {"robust_threshold", "competence_threshold", "regret_threshold"}
_MAX_JSON = 256 * 2**20
_REPLICATE = re.compile(r"replicate-(0|[1-9][0-9]{0,5})")


@dataclass
class RunContents:
    """Everything :func:`read_run` read from a run folder, checked."""

    folder: Path
    identity: dict[str, Any]
    summaries: dict[str, dict]
    reports: dict[str, list[DriftReport]]
    results: dict[str, list[EvolutionResult]]


def _short(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def _fail(file: str, field: str, allowed: str, got: Any) -> ConfigError:
    return ConfigError(f"{file}: field {field!r} must be {allowed}; got {_short(got)}")


def _plain(obj: Any) -> Any:
    """``obj`` as it reads back from JSON (numpy scalars and tuples made plain)."""
    return json.loads(json.dumps(obj, default=float))


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def read_run_folder(folder: Any) -> tuple[Path, dict, dict, dict[str, list[DriftReport]]]:
    """Check a run folder; return ``(folder, identity, summaries, reports)``.

    Raises
    ------
    ConfigError
        Naming the file and field of the first thing that is not as :func:`save_experiment`
        writes it (see the module docstring).
    """
    run = read_run(folder)
    return run.folder, run.identity, run.summaries, run.reports


def read_run(folder: Any) -> RunContents:
    """Check a run folder (see the module docstring); return all it holds, results included.

    Raises
    ------
    ConfigError
        Naming the file and field of the first thing that is not as :func:`save_experiment`
        writes it.
    """
    folder = as_path(folder, "DIR")
    try:
        return _read(folder)
    except OSError as err:  # a name too long, a file that cannot be read...
        raise ConfigError(
            f"DIR must be a readable run folder; {str(folder)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None


def _read(folder: Path) -> RunContents:
    if not (folder / SUMMARY).is_file() and not (folder / SUMMARY).is_symlink():
        raise ConfigError(
            f"DIR must be a folder written by 'evomesa run' (with {SUMMARY}); got {str(folder)!r}"
        )
    files = verify_manifest(folder)
    for name in (SUMMARY, RUN_MARKER):
        if name not in files:
            raise ConfigError(f"{folder}/manifest.json must list {name}; it does not")
    doc = read_json(folder / SUMMARY, SUMMARY, _MAX_JSON)
    if not isinstance(doc, dict) or set(doc) != {"run", "genomes", "reports"}:
        raise ConfigError(
            f"{SUMMARY} must be an object with the fields run, genomes and reports (a run "
            f"folder of this version of evomesa); {str(folder)!r} holds {_short(doc)}"
        )
    ident = _identity(doc["run"])
    if read_json(folder / RUN_MARKER, RUN_MARKER, _MAX_JSON) != ident:
        raise ConfigError(f"{RUN_MARKER} must equal the 'run' field of {SUMMARY}; it differs")
    genomes = ident["genomes"]
    for field in ("genomes", "reports"):
        if not isinstance(doc[field], dict) or list(doc[field]) != genomes:
            raise _fail(SUMMARY, field, f"an object with the keys {genomes}", doc[field])

    _no_stray_replicates(folder, files, ident)
    reports: dict[str, list[DriftReport]] = {}
    results: dict[str, list[EvolutionResult]] = {}
    summaries: dict[str, dict] = {}
    for genome in genomes:
        saved = doc["reports"][genome]
        if not isinstance(saved, list) or len(saved) != ident["replicates"]:
            raise _fail(
                SUMMARY, f"reports.{genome}", f"a list of {ident['replicates']} reports", saved
            )
        reports[genome], results[genome] = [], []
        for r, d in enumerate(saved):
            where = f"reports.{genome}[{r}]"
            drift_name = f"{genome}/replicate-{r}/drift.json"
            drift_path = inside(folder, drift_name, f"{SUMMARY} {where}")
            _listed(folder, files, drift_name)
            if read_json(drift_path, drift_name, _MAX_JSON) != d:
                raise ConfigError(
                    f"{drift_name} must equal {SUMMARY} field {where!r}; they differ"
                )
            report = _report(d, where, ident, genome)
            result = _replicate(folder, files, ident, genome, r)
            _against_files(folder, files, report, result, genome, r, where)
            reports[genome].append(report)
            results[genome].append(result)
        summaries[genome] = _summary(
            doc["genomes"][genome], reports[genome], results[genome], genome, ident
        )
    return RunContents(folder, ident, summaries, reports, results)


def _no_stray_replicates(folder: Path, files: dict, ident: dict) -> None:
    """A replicate the manifest lists is one the run says it has: a summary that drops a
    replicate (or a genome) to tell a better story is refused."""
    for name in files:
        genome, _, rest = name.partition("/")
        match = _REPLICATE.match(rest)
        if match is None:
            continue
        r = int(match.group(1))
        if genome not in ident["genomes"] or r >= ident["replicates"]:
            raise ConfigError(
                f"{SUMMARY}: field 'run.replicates' must count every replicate the run holds "
                f"({ident['replicates']} of {ident['genomes']}); {MANIFEST} lists "
                f"{_short(name)}"
            )


def _within(file: str, where: str, err: ConfigError) -> ConfigError:
    """``err`` about a field of a report (``d field 'x' ...`` or ``field 'x' ...``) as an
    error about that field of ``file`` (``file: field 'where.x' ...``)."""
    text = re.sub(r"^(d )?field '", f"field '{where}.", str(err), count=1)
    if text == str(err):
        text = f"{where}: {text}"
    return ConfigError(f"{file}: {text}")


def _listed(folder: Path, files: dict, name: str) -> None:
    if name not in files:
        raise ConfigError(f"{folder}/{MANIFEST} must list {name}; it does not")


def _worlds(ident: dict) -> tuple[World, World]:
    """The run's world and deploy world (the same object without deploy parameters)."""
    world = make_world(ident["world"], **ident["world_params"])
    if ident["deploy_params"] is None:
        return world, world
    return world, make_world(ident["world"], **{**ident["world_params"], **ident["deploy_params"]})


def _identity(ident: Any, file: str = f"{SUMMARY} run") -> dict:
    """The run's identity (``summary.json``'s ``run``), checked."""
    if not isinstance(ident, dict) or set(ident) != _IDENTITY_KEYS:
        raise _fail(file, "run", f"an object with the fields {sorted(_IDENTITY_KEYS)}", ident)
    if not isinstance(ident["world"], str) or ident["world"] not in list_worlds():
        raise _fail(file, "world", f"one of {list_worlds()}", ident["world"])
    for key in ("world_params", "changed_params"):
        if not isinstance(ident[key], dict):
            raise _fail(file, key, "an object of parameter values", ident[key])
    if ident["deploy_params"] is not None and not isinstance(ident["deploy_params"], dict):
        raise _fail(file, "deploy_params", "null or an object", ident["deploy_params"])
    try:
        world, deploy_world = _worlds(ident)
        config = EvolutionConfig.from_dict(ident["config"]).for_world(world)
        deploy_world.check_regime(ident["deploy"], "deploy")
        world.check_regime(ident["train"], "train")
    except ConfigError as err:
        raise ConfigError(f"{file}: {err}") from None
    if set(ident["world_params"]) != set(world.params):
        raise _fail(
            file, "world_params", f"the full set {sorted(world.params)}", ident["world_params"]
        )
    # what the world's parameters say was changed, not what a file claims
    changed = _plain({k: v for k, v in world.params.items() if v != world.parameters[k].default})
    if ident["changed_params"] != changed:
        raise _fail(
            file,
            "changed_params",
            f"the world's non-default parameters {_short(changed)}",
            ident["changed_params"],
        )
    if ident["deploy_params"] is not None:
        moved = _plain({k: v for k, v in deploy_world.params.items() if world.params.get(k) != v})
        if ident["deploy_params"] != moved:
            raise _fail(
                file,
                "deploy_params",
                f"the deploy world's changed parameters {_short(moved)}",
                ident["deploy_params"],
            )
    if config.to_dict() != ident["config"]:
        raise _fail(file, "config", "a resolved config", ident["config"])
    if ident["train"] != main_regime(config.regime):
        raise _fail(
            file, "train", f"the config's regime {main_regime(config.regime)!r}", ident["train"]
        )
    genomes = ident["genomes"]
    if (
        not isinstance(genomes, list)
        or not genomes
        or any(not isinstance(g, str) or g not in GENOMES for g in genomes)
        or len(set(genomes)) != len(genomes)
    ):
        raise _fail(file, "genomes", f"a non-empty list of {GENOMES}, each once", genomes)
    reps = ident["replicates"]
    if not isinstance(reps, int) or isinstance(reps, bool) or not 1 <= reps <= 100_000:
        raise _fail(file, "replicates", "an integer in [1, 100000]", reps)
    if not isinstance(ident["reference"], bool):
        raise _fail(file, "reference", "true or false", ident["reference"])
    if ident["seed"] != config.seed or isinstance(ident["seed"], bool):
        raise _fail(file, "seed", f"config.seed = {config.seed}", ident["seed"])
    t = ident["thresholds"]
    if (
        not isinstance(t, dict)
        or set(t) != _THRESHOLDS
        or not all(_number(v) and 0 <= v <= 1 for v in t.values())
    ):
        raise _fail(file, "thresholds", f"numbers in [0, 1] for {sorted(_THRESHOLDS)}", t)
    return ident


def _report(d: Any, where: str, ident: dict, genome: str) -> DriftReport:
    """A replicate's drift report: well-formed, internally consistent, and of this run."""
    try:
        report = DriftReport.from_dict(d)
        same = _plain(report.to_dict()) == d
    except ConfigError as err:
        raise _within(SUMMARY, where, err) from None
    if not same:
        raise ConfigError(
            f"{SUMMARY} {where} must be a drift report with every field of its type; it is not"
        )
    world, deploy_world = _worlds(ident)
    expected = {
        "world": ident["world"],
        "genome": genome,
        "train": ident["train"],
        "deploy": ident["deploy"],
        "thresholds": ident["thresholds"],
        "deploy_params": ident["deploy_params"],
    }
    for key, value in expected.items():
        if _plain(getattr(report, key)) != value:
            raise _fail(
                SUMMARY, f"{where}.{key}", f"{_short(value)} (the run's)", getattr(report, key)
            )
    try:
        check_report(report, world.drives, world.aligned_drives)
    except ConfigError as err:
        raise _within(SUMMARY, where, err) from None
    n = ident["config"]["population"]
    if report.n_individuals != n:
        raise _fail(
            SUMMARY, f"{where}.n_individuals", f"the run's population {n}", report.n_individuals
        )
    if (report.reference_fitness is not None) != ident["reference"]:
        raise _fail(
            SUMMARY,
            f"{where}.reference_fitness",
            "a number exactly when the run has a reference",
            report.reference_fitness,
        )
    if genome == "reflex" and report.mesa_utility is not None:
        raise _fail(SUMMARY, f"{where}.mesa_utility", "null for reflexes (no planners)", "{...}")
    if genome == "planner" and report.mesa_utility is None:
        raise _fail(SUMMARY, f"{where}.mesa_utility", "the planners' figures", None)
    return report


def _expected_configs(ident: dict, genome: str, r: int) -> tuple[dict, dict]:
    """The configs the run gave replicate ``r`` of ``genome`` and its reference."""
    world, deploy_world = _worlds(ident)
    base = EvolutionConfig.from_dict(ident["config"])
    config = replace(base, genome=genome, seed=child_seed(base.seed, "replicate", r))
    config = config.for_world(world)
    ref = replace(config, regime=ident["deploy"], seed=child_seed(config.seed, "reference"))
    return config.to_dict(), ref.for_world(deploy_world).to_dict()


def _replicate(folder: Path, files: dict, ident: dict, genome: str, r: int) -> EvolutionResult:
    """Replicate ``r`` of ``genome``: its result (and reference) loaded, and the run's."""
    sub = f"{genome}/replicate-{r}"
    parts = [sub, f"{sub}/reference"] if ident["reference"] else [sub]
    loaded = []
    for part in parts:
        for name in ("result.json", "result.npz"):
            _listed(folder, files, f"{part}/{name}")
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
    world, deploy_world = _worlds(ident)
    target = deploy_world if reference else world
    config, ref_config = _expected_configs(ident, genome, r)
    want = ref_config if reference else config
    if result.world != target.name:
        raise _fail(file, "world", repr(target.name), result.world)
    if _plain(result.world_params) != _plain(dict(target.params)):
        changed = sorted(
            k for k in target.params if result.world_params.get(k) != target.params[k]
        )
        raise _fail(
            file,
            f"world_params.{changed[0] if changed else '?'}",
            f"the run's {'deploy ' if reference else ''}world's value "
            f"{target.params.get(changed[0]) if changed else ''!r}",
            result.world_params.get(changed[0]) if changed else result.world_params,
        )
    saved = result.config.to_dict()
    if saved != want:
        key = next(k for k in want if saved.get(k) != want[k])
        raise _fail(file, f"config.{key}", f"{want[key]!r} (the run's)", saved.get(key))
    if result.origin is not None:
        raise _fail(file, "origin", "null (a run starts from random genes)", result.origin)


def _against_files(
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
    _listed(folder, files, name)
    n, d = result.genes.shape[0], len(report.drives)
    roll = read_npz(
        inside(folder, name, "rollouts"),
        {
            "train_signals": (n, d),
            "train_fitness": (n,),
            "deploy_signals": (n, d),
            "deploy_fitness": (n,),
        },
        name,
    )
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
            raise _fail(
                SUMMARY,
                f"{where}.{field}",
                f"{float(rows)!r} (the mean of {name})",
                saved,
            )


def trait_bounds(spec) -> dict[str, tuple[float, float]]:
    """Each decoded trait's range: the genome knows its bounds (every trait is monotone in
    its genes, so the all-0 and all-1 genomes, and a switched-on hybrid, attain them)."""
    rows = [np.zeros(spec.length), np.ones(spec.length)]
    if spec.kind == "hybrid":
        rows += [np.r_[1.0, np.zeros(spec.length - 1)]]
    described = spec.describe(np.array(rows))
    return {k: (float(np.min(v)), float(np.max(v))) for k, v in described.items() if np.size(v)}


def _summary(
    saved: Any,
    reports: list[DriftReport],
    results: list[EvolutionResult],
    genome: str,
    ident: dict,
) -> dict:
    """A genome's saved summary, if it equals the one recomputed from its reports and its
    replicates' final genes."""
    where = f"genomes.{genome}"
    try:
        recomputed = _plain(summarize_reports(reports))
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as err:
        raise ConfigError(
            f"{SUMMARY} reports.{genome} must be drift reports that summarise; they do not "
            f"({type(err).__name__}: {str(err)[:80]})"
        ) from None
    if not isinstance(saved, dict) or set(saved) != {*recomputed, "traits"}:
        raise _fail(SUMMARY, where, f"an object with {sorted({*recomputed, 'traits'})}", saved)
    for key in recomputed:
        if saved[key] != recomputed[key]:
            field = f"{where}.{key}"
            if isinstance(saved[key], dict) and isinstance(recomputed[key], dict):
                keys = [*recomputed[key], *saved[key]]
                first = next(k for k in keys if saved[key].get(k) != recomputed[key].get(k))
                field += f".{first}"
            raise ConfigError(
                f"{SUMMARY}: field {field!r} must equal what its reports give; it differs"
            )
    return {**recomputed, "traits": _traits(saved["traits"], results, genome, ident, where)}


def _traits(traits: Any, results: list[EvolutionResult], genome: str, ident: dict, where: str):
    """The saved traits: the genome's decoded traits recomputed from the final genes, and
    the shares of training decisions of each of the world's actions."""
    world, _ = _worlds(ident)
    spec = make_genome(genome, world)
    described = (
        {}
        if genome == "reflex"
        else trait_summary(
            {
                k: np.concatenate(
                    [np.asarray(spec.describe(res.genes)[k], float) for res in results]
                )
                for k in spec.describe(results[0].genes)
            }
        )
    )
    bounds = {} if genome == "reflex" else trait_bounds(spec)
    shares = [f"does:{a}" for a in world.actions]
    if not isinstance(traits, dict):
        raise _fail(SUMMARY, f"{where}.traits", "an object", traits)
    expected = [*described, *shares]
    for name in [*traits, *expected]:
        if name not in traits or name not in expected:
            raise _fail(
                SUMMARY,
                f"{where}.traits.{name}",
                f"{'present' if name in expected else 'absent'}: the traits are those of the "
                f"{genome} genome and the world's actions ({', '.join(expected[:3])}...)",
                traits.get(name, "missing"),
            )
    for name, t in traits.items():
        field = f"{where}.traits.{name}"
        if (
            not isinstance(t, dict)
            or set(t) != {"median", "q25", "q75"}
            or not all(_number(v) for v in t.values())
            or not t["q25"] <= t["median"] <= t["q75"]
        ):
            raise _fail(SUMMARY, field, "finite q25 <= median <= q75", t)
        low, high = (0.0, 1.0) if name in shares else bounds.get(name, (-math.inf, math.inf))
        if not all(low <= v <= high for v in t.values()):
            raise _fail(
                SUMMARY, field, f"within the {genome} genome's bounds [{low:g}, {high:g}]", t
            )
        if name in described:
            for q, want in described[name].items():
                if not close(t[q], want):
                    raise _fail(
                        SUMMARY,
                        f"{field}.{q}",
                        f"{want!r} (recomputed from the replicates' final genes)",
                        t[q],
                    )
    return traits


# -------------------------------------------------------------- a replicate of a run folder


def run_of(folder: Path) -> tuple[Path, str, int, bool] | None:
    """``(run folder, genome, replicate, is_reference)`` if ``folder`` sits where
    :func:`evomesa.experiments.run_io.save_experiment` puts a replicate's result (``RUN/GENOME/
    replicate-R``, its reference in ``.../reference``) inside a folder holding a run's
    ``run.json``, ``summary.json`` or ``manifest.json``; None otherwise."""
    path = Path(os.path.abspath(folder))
    reference = path.name == "reference"
    rep = path.parent if reference else path
    match = _REPLICATE.fullmatch(rep.name)
    genome = rep.parent.name
    if match is None or genome not in GENOMES:
        return None
    root = rep.parent.parent
    if not any(
        (root / n).exists() or (root / n).is_symlink() for n in (RUN_MARKER, SUMMARY, MANIFEST)
    ):
        return None
    return root, genome, int(match.group(1)), reference


def check_replicate_folder(folder: Path) -> None:
    """If ``folder`` is a replicate's result inside a run folder (:func:`run_of`), raise
    ConfigError unless the run's manifest verifies and lists its files, and the result is
    what the run's identity says that replicate evolved (checked by ``load_result`` after
    the result's own checks: see :func:`check_member`)."""
    where = run_of(folder)
    if where is None:
        return
    root, genome, r, reference = where
    files = verify_manifest(root)
    rel = f"{genome}/replicate-{r}" + ("/reference" if reference else "")
    for name in ("result.json", "result.npz", RUN_MARKER):
        _listed(root, files, name if name == RUN_MARKER else f"{rel}/{name}")


def check_replicate_identity(folder: Path, result: EvolutionResult) -> None:
    """The second half of :func:`check_replicate_folder`, once ``result`` is loaded."""
    where = run_of(folder)
    if where is None:
        return
    root, genome, r, reference = where
    ident = _identity(read_json(root / RUN_MARKER, RUN_MARKER, _MAX_JSON), str(root / RUN_MARKER))
    if genome not in ident["genomes"] or r >= ident["replicates"]:
        raise _fail(
            str(root / RUN_MARKER),
            "genomes",
            f"to hold replicate {r} of {genome}",
            ident["genomes"],
        )
    if reference and not ident["reference"]:
        raise _fail(str(root / RUN_MARKER), "reference", "true (a reference folder exists)", False)
    rel = f"{genome}/replicate-{r}" + ("/reference" if reference else "")
    check_member(result, ident, genome, r, reference, f"{root}/{rel}/result.json")


def load_result(path: str | Path) -> EvolutionResult:
    """Reload a result written by :meth:`EvolutionResult.save`, checking everything read.

    Parameters
    ----------
    path : str or PathLike
        The result folder.

    Returns
    -------
    EvolutionResult

    Raises
    ------
    ConfigError
        Naming the file and field, if the folder is not a complete, consistent result of this
        version: see :func:`evomesa.evolve.result_check.check_saved` for what is checked. A
        replicate's folder inside a run folder (``RUN/GENOME/replicate-R``, or its
        ``reference``) is also checked against the run: the run's manifest must verify and
        list its files, and the result must be the one the run's ``run.json`` describes
        (:func:`check_replicate_folder`).
    """
    folder = as_path(path)
    try:
        check_replicate_folder(folder)
        result = load_unlisted(folder)
        check_replicate_identity(folder, result)
    except OSError as err:  # a name too long, a file that cannot be read...
        raise ConfigError(
            f"path must be a readable result folder; {str(folder)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None
    return result
