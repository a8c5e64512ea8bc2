"""Reading a run folder as a hostile file: what ``evomesa report`` checks before it prints.

A run folder is trusted only if (:func:`read_run_folder`):

* it has a ``manifest.json`` (written last) and every file it lists has the recorded size and
  SHA-256 (:func:`evomesa.runfolder.verify_manifest`); only listed files are read;
* ``summary.json`` and ``run.json`` parse strictly (UTF-8, finite numbers, bounded size and
  nesting) and ``run.json`` equals the summary's ``run``;
* the identity names a registered world whose parameters validate, a valid config, genomes
  of :data:`evomesa.GENOMES` (each once), a replicate count, a deploy regime of the world and
  thresholds in [0, 1];
* every replicate's drift report appears in the summary and in its own ``drift.json``,
  identically, and rebuilds exactly (:meth:`DriftReport.from_dict` then ``to_dict`` gives
  it back: no field of the wrong type, none missing or extra) for that world, genome and
  regimes;
* each genome's figures, verdict counts and pursued drives equal those recomputed from its
  reports, and its traits are finite medians and quartiles in order.

Paths are built only from validated names (genome names, replicate numbers), never taken
from a file, and never leave the folder or go through a symbolic link. Every failure is a
ConfigError naming the file and field.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionConfig
from evomesa.genomes import GENOMES
from evomesa.metrics import DriftReport
from evomesa.replicates import summarize_reports
from evomesa.runfolder import RUN_MARKER, verify_manifest
from evomesa.safe_read import as_path, inside, read_json
from evomesa.worlds import list_worlds, make_world

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
    folder = as_path(folder, "DIR")
    try:
        return _read(folder)
    except OSError as err:  # a name too long, a file that cannot be read...
        raise ConfigError(
            f"DIR must be a readable run folder; {str(folder)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None


def _read(folder: Path) -> tuple[Path, dict, dict, dict[str, list[DriftReport]]]:
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

    reports: dict[str, list[DriftReport]] = {}
    summaries: dict[str, dict] = {}
    for genome in genomes:
        saved = doc["reports"][genome]
        if not isinstance(saved, list) or len(saved) != ident["replicates"]:
            raise _fail(
                SUMMARY, f"reports.{genome}", f"a list of {ident['replicates']} reports", saved
            )
        reports[genome] = []
        for r, d in enumerate(saved):
            where = f"reports.{genome}[{r}]"
            drift_name = f"{genome}/replicate-{r}/drift.json"
            drift_path = inside(folder, drift_name, f"{SUMMARY} {where}")
            if drift_name not in files:
                raise ConfigError(f"{folder}/manifest.json must list {drift_name}; it does not")
            if read_json(drift_path, drift_name, _MAX_JSON) != d:
                raise ConfigError(
                    f"{drift_name} must equal {SUMMARY} field {where!r}; they differ"
                )
            reports[genome].append(_report(d, where, ident, genome))
        summaries[genome] = _summary(doc["genomes"][genome], reports[genome], genome)
    return folder, ident, summaries, reports


def _identity(ident: Any) -> dict:
    """The run's identity (``summary.json``'s ``run``), checked."""
    file = f"{SUMMARY} run"
    if not isinstance(ident, dict) or set(ident) != _IDENTITY_KEYS:
        raise _fail(SUMMARY, "run", f"an object with the fields {sorted(_IDENTITY_KEYS)}", ident)
    if not isinstance(ident["world"], str) or ident["world"] not in list_worlds():
        raise _fail(file, "world", f"one of {list_worlds()}", ident["world"])
    for key in ("world_params", "changed_params"):
        if not isinstance(ident[key], dict):
            raise _fail(file, key, "an object of parameter values", ident[key])
    try:
        world = make_world(ident["world"], **ident["world_params"])
        deploy_world = world
        if ident["deploy_params"] is not None:
            if not isinstance(ident["deploy_params"], dict):
                raise _fail(file, "deploy_params", "null or an object", ident["deploy_params"])
            deploy_world = make_world(
                ident["world"], **{**ident["world_params"], **ident["deploy_params"]}
            )
        config = EvolutionConfig.from_dict(ident["config"]).for_world(world)
        deploy_world.check_regime(ident["deploy"], "deploy")
        world.check_regime(ident["train"], "train")
    except ConfigError as err:
        raise ConfigError(f"{file}: {err}") from None
    if set(ident["world_params"]) != set(world.params):
        raise _fail(
            file, "world_params", f"the full set {sorted(world.params)}", ident["world_params"]
        )
    if config.to_dict() != ident["config"]:
        raise _fail(file, "config", "a resolved config", ident["config"])
    genomes = ident["genomes"]
    if (
        not isinstance(genomes, list)
        or not genomes
        or any(g not in GENOMES for g in genomes)
        or len(set(genomes)) != len(genomes)
    ):
        raise _fail(file, "genomes", f"a non-empty list of {GENOMES}, each once", genomes)
    reps = ident["replicates"]
    if not isinstance(reps, int) or isinstance(reps, bool) or not 1 <= reps <= 100_000:
        raise _fail(file, "replicates", "an integer in [1, 100000]", reps)
    if not isinstance(ident["reference"], bool):
        raise _fail(file, "reference", "true or false", ident["reference"])
    if ident["seed"] != config.seed:
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
    try:
        report = DriftReport.from_dict(d)
        same = _plain(report.to_dict()) == d
    except ConfigError as err:
        raise ConfigError(f"{SUMMARY} {where}: {err}") from None
    except (TypeError, ValueError, AttributeError, KeyError) as err:
        raise ConfigError(
            f"{SUMMARY} {where} must be a drift report; it is not ({type(err).__name__}: "
            f"{str(err)[:80]})"
        ) from None
    if not same:
        raise ConfigError(
            f"{SUMMARY} {where} must be a drift report with every field of its type; it is not"
        )
    world = make_world(ident["world"])
    expected = {
        "world": ident["world"],
        "genome": genome,
        "train": ident["train"],
        "deploy": ident["deploy"],
    }
    for key, value in expected.items():
        if getattr(report, key) != value:
            raise _fail(SUMMARY, f"{where}.{key}", repr(value), getattr(report, key))
    if tuple(report.drives) != tuple(world.drives):
        raise _fail(SUMMARY, f"{where}.drives", f"the drives {world.drives}", list(report.drives))
    if report.n_individuals < 1 or report.episodes < 1:
        raise _fail(SUMMARY, f"{where}.n_individuals", ">= 1, with episodes >= 1", report)
    return report


def _summary(saved: Any, reports: list[DriftReport], genome: str) -> dict:
    """A genome's saved summary, if it equals the one recomputed from its reports."""
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
    traits = saved["traits"]
    if not isinstance(traits, dict):
        raise _fail(SUMMARY, f"{where}.traits", "an object", traits)
    for name, t in traits.items():
        if (
            not isinstance(t, dict)
            or set(t) != {"median", "q25", "q75"}
            or not all(_number(v) for v in t.values())
            or not t["q25"] <= t["median"] <= t["q75"]
        ):
            raise _fail(SUMMARY, f"{where}.traits.{name}", "finite q25 <= median <= q75", t)
    return {**recomputed, "traits": traits}
