"""What :func:`evomesa.load_result` checks in a saved result folder before trusting it.

``result.json`` is the folder's manifest (written last): schema, types and ranges of every
field; the world and its parameters rebuild (the full parameter set, as saved); the config
validates and fits the world; the ``result.npz`` it names has the recorded size and SHA-256
(so a file of another run, or a crash between the two writes, is refused); the npz holds
exactly ``genes`` (population, genome length), ``fitness`` (population,) and
``hall_of_fame`` (entries, genome length), float64 and finite, shapes read from the headers
before any data; genes in [0, 1]; hall-of-fame fitness finite and best first; a logbook of
one record per generation with finite numbers, whose last record agrees with the saved
fitness. Nothing is unpickled. Every failure is a ConfigError naming the file and field.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from evomesa.budget import LOGBOOK_RECORD_BYTES, check_memory, genes_bytes, memory_budget
from evomesa.errors import ConfigError
from evomesa.evolve.config import EvolutionConfig

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
_ORIGIN_KEYS = {"init", "world", "regime", "seed", "generations"}


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def check_saved(folder: Path):
    """Read and check ``folder``'s result; return ``(meta, world, config, arrays)``."""
    from evomesa.genomes import make_genome
    from evomesa.safe_read import read_json, read_npz, regular_file, sha256
    from evomesa.worlds import list_worlds, make_world

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
    missing, extra = sorted(_KEYS - set(meta)), sorted(set(meta) - _KEYS)
    if missing:
        raise fail(missing[0], "present", "missing")
    if extra:
        raise fail(extra[0], f"absent (the fields are {sorted(_KEYS)})", meta[extra[0]])

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
        config = EvolutionConfig.from_dict(meta["config"])
        config = config.for_world(world)
    except ConfigError as err:
        raise ConfigError(f"{what}: field 'config': {err}") from None
    if config.to_dict() != meta["config"]:
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
    arrays = read_npz(
        npz_path,
        {
            "genes": (config.population, length),
            "fitness": (config.population,),
            "hall_of_fame": (len(hof_fit), length),
        },
        "result.npz",
    )
    for name in ("genes", "hall_of_fame"):
        if not ((arrays[name] >= 0.0) & (arrays[name] <= 1.0)).all():
            bad = arrays[name][~((arrays[name] >= 0.0) & (arrays[name] <= 1.0))]
            raise ConfigError(f"{npz_path}: {name} must lie in [0, 1]; got e.g. {bad[0]!r}")
    last = log[-1]
    fit = arrays["fitness"]
    if not (
        np.isclose(last["avg"], fit.mean(), rtol=1e-9, atol=1e-12)
        and np.isclose(last["max"], fit.max(), rtol=1e-9, atol=1e-12)
    ):
        raise ConfigError(
            f"{npz_path}: fitness must match the last logbook record of result.json (avg "
            f"{last['avg']!r}, max {last['max']!r}); got avg {fit.mean()!r}, max {fit.max()!r}"
        )
    return meta, world, config, arrays
