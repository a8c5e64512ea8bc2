"""What :func:`evomesa.load_result` checks in a saved result folder before trusting it.

``result.json`` is the folder's manifest (written last): schema, types and ranges of every
field; the world and its parameters rebuild (the full parameter set, as saved); the config
validates and fits the world; the ``result.npz`` it names has the recorded size and SHA-256
(so a file of another run, or a crash between the two writes, is refused); the npz holds
exactly ``genes`` (population, genome length), ``fitness`` (population,) and
``hall_of_fame`` (entries, genome length), float64 and finite, shapes read from the headers
before any data; genes in [0, 1]; hall-of-fame fitness finite, best first, within the
fitness the logbook records, its genomes distinct; the convergence, where recorded (results
saved before it existed lack it), equal to what the logbook gives; a logbook of one record
per generation, numbered in order, each of the population's size, with exactly the columns
evolve writes, finite, in range (min <= avg <= max, 0 <= std <= (max - min) / 2, shares and
weights in their ranges, tracked retentions recomputed), whose last record's fitness
statistics and planner figures are recomputed from the saved population
(:func:`check_logbook`). A replicate inside a run folder is further checked against the run
(:mod:`evomesa.experiments.results`). Nothing is unpickled. Every failure is a ConfigError
naming the file and field.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from evomesa.budget import LOGBOOK_RECORD_BYTES, check_memory, genes_bytes, memory_budget
from evomesa.errors import ConfigError
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.mixture import is_mixture
from evomesa.files.safe_read import read_json, read_npz, regular_file, sha256
from evomesa.genomes import make_genome
from evomesa.metrics.convergence import convergence
from evomesa.metrics.stats import retention
from evomesa.worlds import list_worlds, make_world

_KEYS = {
    "format_version",
    "world",
    "world_params",
    "config",
    "logbook",
    "hall_of_fame_fitness",
    "hall_of_fame_size",
    "origin",
    "npz",
}
#: fields a result may lack (written before they existed); checked where present
_OPTIONAL_KEYS = {"convergence"}
_ORIGIN_KEYS = {"init", "world", "regime", "seed", "generations"}


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def check_saved(folder: Path):
    """Read and check ``folder``'s result; return ``(meta, world, config, arrays)``."""
    json_path, npz_path = folder / "result.json", folder / "result.npz"
    for p in (json_path, npz_path):
        if not p.exists() and not p.is_symlink():
            raise ConfigError(
                f"path must be a folder holding result.json and result.npz; {p.name} is "
                f"missing in {str(folder)!r}"
            )
    what = f"{json_path}"

    def fail(field: str, allowed: str, got: Any) -> ConfigError:
        shown = repr(got)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        return ConfigError(f"{what}: field {field!r} must be {allowed}; got {shown}")

    meta = read_json(json_path, "result.json", max_bytes=memory_budget() // 4)
    if not isinstance(meta, dict):
        raise fail("(top level)", "an object", type(meta).__name__)
    version = meta.get("format_version")
    if version != 2:
        raise fail(
            "format_version",
            "2 (a result of this version of evomesa; version 1 had no checksum of its npz: "
            "save it again)",
            version,
        )
    missing, extra = sorted(_KEYS - set(meta)), sorted(set(meta) - _KEYS - _OPTIONAL_KEYS)
    if missing:
        raise fail(missing[0], "present", "missing")
    if extra:
        raise fail(
            extra[0], f"absent (the fields are {sorted(_KEYS | _OPTIONAL_KEYS)})", meta[extra[0]]
        )

    # --- world and config: rebuilt through their own validation
    if not isinstance(meta["world"], str) or meta["world"] not in list_worlds():
        raise fail("world", f"one of {list_worlds()}", meta["world"])
    params = meta["world_params"]
    if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
        raise fail("world_params", "an object of parameter values", params)
    try:
        world = make_world(meta["world"], **params)
    except ConfigError as err:
        raise ConfigError(f"{what}: field 'world_params': {err}") from None
    if set(params) != set(world.params):
        raise fail("world_params", f"the full parameter set {sorted(world.params)}", params)
    try:
        config = EvolutionConfig.from_saved(meta["config"])
        config = config.resolved(world)
    except ConfigError as err:
        raise ConfigError(f"{what}: field 'config': {err}") from None
    if not config.matches_saved(meta["config"]):
        raise fail("config", "a resolved config (with its regime)", meta["config"])
    length = make_genome(config.genome, world).length

    # --- hall of fame and logbook
    hof_size = meta["hall_of_fame_size"]
    if hof_size != config.hall_of_fame or isinstance(hof_size, bool):
        raise fail("hall_of_fame_size", f"config.hall_of_fame = {config.hall_of_fame}", hof_size)
    hof_fit = meta["hall_of_fame_fitness"]
    if (
        not isinstance(hof_fit, list)
        or not 1 <= len(hof_fit) <= hof_size
        or not all(_number(x) for x in hof_fit)
    ):
        raise fail("hall_of_fame_fitness", f"1 to {hof_size} finite numbers", hof_fit)
    if any(a < b for a, b in zip(hof_fit, hof_fit[1:], strict=False)):
        raise fail("hall_of_fame_fitness", "in order, best first", hof_fit)
    check_memory(
        f"{json_path.name} ({config.population} x {length} genes)",
        2 * genes_bytes(config.population + len(hof_fit), length)
        + (config.generations + 1) * LOGBOOK_RECORD_BYTES,
    )
    log = meta["logbook"]
    if not isinstance(log, list) or len(log) != config.generations + 1:
        raise fail(
            "logbook",
            f"a list of {config.generations + 1} records (one a generation)",
            type(log).__name__ if not isinstance(log, list) else f"{len(log)} records",
        )
    for gen, rec in enumerate(log):
        if not isinstance(rec, dict) or not all(isinstance(k, str) for k in rec):
            raise fail(f"logbook[{gen}]", "an object", rec)
        if rec.get("gen") != gen or isinstance(rec.get("gen"), bool):
            raise fail(f"logbook[{gen}].gen", str(gen), rec.get("gen"))
        if rec.get("nevals") != config.population:
            raise fail(f"logbook[{gen}].nevals", str(config.population), rec.get("nevals"))
        for key in ("avg", "std", "min", "max"):
            if key not in rec:
                raise fail(f"logbook[{gen}].{key}", "present", "missing")
        for key, value in rec.items():
            if not _number(value):
                raise fail(f"logbook[{gen}].{key}", "a finite number", value)
        if not rec["min"] <= rec["avg"] <= rec["max"] or rec["std"] < 0:
            raise fail(f"logbook[{gen}]", "min <= avg <= max and std >= 0", rec)
        # a population's standard deviation is at most half its range
        if rec["std"] > (rec["max"] - rec["min"]) / 2 * (1 + 1e-9) + 1e-12:
            raise fail(f"logbook[{gen}].std", "at most (max - min) / 2", rec["std"])

    origin = meta["origin"]
    if origin is not None:
        if (
            not isinstance(origin, dict)
            or not set(origin) <= _ORIGIN_KEYS
            or origin.get("init") not in ("result", "genes")
        ):
            raise fail("origin", f"null or an object of {sorted(_ORIGIN_KEYS)}", origin)

    # --- the npz this manifest names
    npz_meta = meta["npz"]
    if (
        not isinstance(npz_meta, dict)
        or set(npz_meta) != {"size", "sha256"}
        or not isinstance(npz_meta["size"], int)
        or not isinstance(npz_meta["sha256"], str)
    ):
        raise fail("npz", "an object {size, sha256}", npz_meta)
    regular_file(npz_path, "result.npz")
    if npz_path.stat().st_size != npz_meta["size"]:
        raise ConfigError(
            f"{npz_path} must be the result.npz of this result.json ({npz_meta['size']} bytes); "
            f"it has {npz_path.stat().st_size} (damaged, or from another run)"
        )
    if sha256(npz_path, "result.npz") != npz_meta["sha256"]:
        raise ConfigError(
            f"{npz_path} must be the result.npz of this result.json (its SHA-256 differs: "
            "damaged, or from another run)"
        )
    try:
        arrays = read_npz(
            npz_path,
            {
                "genes": (config.population, length),
                "fitness": (config.population,),
                "hall_of_fame": (len(hof_fit), length),
            },
            "result.npz",
        )
    except ConfigError as err:
        if config.genome == "reflex_net" and world.turns_with_moves:
            raise ConfigError(
                f"{err} (in {world.name!r} a reflex_net's genes are tied across turns, "
                f"{length} of them; a result saved before that has one gene per parameter "
                "and replays with evomesa before issue 18's tied networks)"
            ) from None
        raise
    for name in ("genes", "hall_of_fame"):
        if not ((arrays[name] >= 0.0) & (arrays[name] <= 1.0)).all():
            bad = arrays[name][~((arrays[name] >= 0.0) & (arrays[name] <= 1.0))]
            raise ConfigError(f"{npz_path}: {name} must lie in [0, 1]; got e.g. {bad[0]!r}")
    check_logbook(log, arrays, world, config, fail, npz_path)
    check_hall_of_fame(hof_fit, arrays["hall_of_fame"], log, fail, npz_path)
    if "convergence" in meta:  # what the logbook gives, not what a file claims
        recomputed = convergence([rec["avg"] for rec in log]).to_dict()
        if meta["convergence"] != recomputed:
            raise fail("convergence", f"what the logbook gives, {recomputed}", meta["convergence"])
    return meta, world, config, arrays


#: relative and absolute tolerance of a figure recomputed from the saved arrays (the same
#: numbers summed in another order)
RTOL, ATOL = 1e-9, 1e-12


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)


def _logbook_keys(world, config: EvolutionConfig) -> tuple[set[str], set[str]]:
    """The keys every record must hold, and those it may hold (what evolve records)."""
    required = {
        "gen",
        "nevals",
        "avg",
        "std",
        "min",
        "max",
        *world.drives,
        "performance",
        *(f"event:{e}" for e in world.events),
        "planners",
        "horizon",
        *(f"w_{d}" for d in world.drives),
    }
    if is_mixture(config.regime):
        required |= {f"episodes:{r}" for r in config.regime}
    optional = {f"{r}:{what}" for r in world.regimes for what in ("fitness", "retention")}
    return required, optional


def check_logbook(log: list, arrays: dict, world, config: EvolutionConfig, fail, npz_path):
    """Check what the logbook records that can be checked: the same columns in every record,
    exactly the columns evolve writes (tracked regimes optional); shares, weights and
    horizons in their ranges; each tracked regime's retention recomputed from its fitness
    and the record's avg; the episodes a mixture drew summing to the episodes per
    generation; and the last record's fitness statistics (avg, std, min, max) and planner
    figures (share, mean horizon, mean weights) recomputed from the saved final population."""
    required, optional = _logbook_keys(world, config)
    columns = set(log[0])
    for gen, rec in enumerate(log):
        keys = set(rec)
        if not required <= keys or not keys <= required | optional or keys != columns:
            odd = sorted((keys ^ columns) | (keys - required - optional) | (required - keys))
            raise fail(
                f"logbook[{gen}].{odd[0] if odd else '?'}",
                "a column evolve records, in every record alike",
                rec.get(odd[0], "missing") if odd else rec,
            )
        for key in rec:
            value = rec[key]
            if key == "planners" and not 0.0 <= value <= 1.0:
                raise fail(f"logbook[{gen}].planners", "a share in [0, 1]", value)
            if key == "horizon" and value < 0:
                raise fail(f"logbook[{gen}].horizon", "a mean horizon >= 0", value)
            if key.startswith("w_") and not -1.0 <= value <= 1.0:
                raise fail(f"logbook[{gen}].{key}", "a mean weight in [-1, 1]", value)
            if key.endswith(":retention"):
                want = retention(rec["avg"], rec[key.replace(":retention", ":fitness")])[0]
                if not _close(value, want):
                    raise fail(f"logbook[{gen}].{key}", f"{want!r} (fitness there / avg)", value)
        drawn = [rec[k] for k in rec if k.startswith("episodes:")]
        if drawn and (
            any(not isinstance(x, int) or isinstance(x, bool) or x < 0 for x in drawn)
            or sum(drawn) != config.episodes
        ):
            raise fail(
                f"logbook[{gen}].episodes",
                f"counts >= 0 summing to config.episodes = {config.episodes}",
                drawn,
            )

    # the last generation was evaluated on the saved population: its figures follow
    last, fit = log[-1], arrays["fitness"]
    stats = {"avg": fit.mean(), "std": fit.std(), "min": fit.min(), "max": fit.max()}
    for key, want in stats.items():
        if not _close(last[key], float(want)):
            raise ConfigError(
                f"{npz_path}: fitness must match the last logbook record of result.json "
                f"(field logbook[{len(log) - 1}].{key} is {last[key]!r}; the saved fitness "
                f"gives {float(want)!r})"
            )
    brains = make_genome(config.genome, world).decode(arrays["genes"])
    planners = brains.arch == 1
    figures = {"planners": float(planners.mean())}
    figures["horizon"] = float(brains.horizon[planners].mean()) if planners.any() else 0.0
    weights = brains.weights[planners].mean(axis=0) if planners.any() else None
    for d, drive in enumerate(world.drives):
        figures[f"w_{drive}"] = 0.0 if weights is None else float(weights[d])
    for key, want in figures.items():
        if key in last and not _close(last[key], want):
            raise ConfigError(
                f"{npz_path}: genes must match the last logbook record of result.json (field "
                f"logbook[{len(log) - 1}].{key} is {last[key]!r}; the saved genes give {want!r})"
            )


def check_hall_of_fame(hof_fit: list, hof_genes: np.ndarray, log: list, fail, npz_path) -> None:
    """The hall of fame holds distinct genomes, its best at least the first generation's
    best (which entered it), and every entry between the worst and the best fitness any
    generation recorded."""
    if len({row.tobytes() for row in hof_genes}) != len(hof_genes):
        raise ConfigError(f"{npz_path}: hall_of_fame must hold distinct genomes; it repeats one")
    # every entry is the fitness some individual had in some generation
    worst_ever = min(rec["min"] for rec in log)
    if hof_fit[-1] < worst_ever - abs(worst_ever) * RTOL - ATOL:
        raise fail(
            "hall_of_fame_fitness",
            f"at least the worst fitness the logbook records ({worst_ever!r})",
            hof_fit[-1],
        )
    best_ever = max(rec["max"] for rec in log)
    if hof_fit[0] > best_ever + abs(best_ever) * RTOL + ATOL:
        raise fail(
            "hall_of_fame_fitness",
            f"at most the best fitness the logbook records ({best_ever!r})",
            hof_fit[0],
        )
    first = log[0]["max"]
    if hof_fit[0] < first - abs(first) * RTOL - ATOL:
        raise fail(
            "hall_of_fame_fitness",
            f"at least the first generation's best ({first!r}), which entered it",
            hof_fit[0],
        )
