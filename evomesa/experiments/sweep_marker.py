"""``sweep.json``, the marker of a sweep folder: what is swept, every setting.

Opening a folder for a sweep writes the marker (:func:`open_sweep_folder`); running a sweep
again into the same folder continues it, and into a folder of another sweep is refused
(:func:`check_existing_marker`). Loading a folder reads the marker trusting nothing
(:func:`read_sweep_marker`): it must hold exactly the keys a sweep writes, each valid (the
world, grid and config are rebuilt from it). Anything else is a
:class:`~evomesa.errors.ConfigError` naming the file and the field.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

from evomesa.budget import memory_budget
from evomesa.errors import ConfigError, check_bool, check_int, printable
from evomesa.evolve import EvolutionConfig
from evomesa.evolve.defaults import saved_config
from evomesa.experiments.sweep_format import (
    FORMAT,
    MARKER_KEYS,
    RECORD_MAX_BYTES,
    RECORDS,
    SWEEP,
    VERSION,
    shown,
)
from evomesa.experiments.sweep_spec import SweepSpec, check_grid
from evomesa.files.atomic import remove_stale_temp_files
from evomesa.files.atomic import write_text_atomic as write_text
from evomesa.files.folder_probe import make_folder
from evomesa.files.leftovers import LeftoversRemoved
from evomesa.files.safe_read import read_json, regular_file
from evomesa.genomes import GENOMES
from evomesa.metrics.thresholds import THRESHOLD_KEYS, Thresholds
from evomesa.worlds import make_world
from evomesa.worlds.base import World

#: a key the marker lacks: unlike None, never equal to a value a marker holds
_MISSING = object()


def read_sweep_marker(path: Path) -> tuple[World, dict, list[tuple]]:
    """``sweep.json`` checked key by key: the base world, the sweep's identity and tasks.

    Raises
    ------
    ConfigError
        Naming the file and the field: unreadable, a key missing or unknown, a value that is
        not valid, or one that differs from what a sweep with these settings writes.
    """
    what = f"sweep marker {path}"
    doc = read_json(regular_file(path, what), what, min(memory_budget(), RECORD_MAX_BYTES))

    def fail(field: str, text: str) -> ConfigError:
        return ConfigError(f"{what}: {field} {text}")

    if not isinstance(doc, dict):
        raise fail("its content", f"must be a JSON object; got {type(doc).__name__}")
    extra = sorted(set(doc) - set(MARKER_KEYS))
    missing = [k for k in MARKER_KEYS if k not in doc]
    if extra or missing:
        got = f"the unknown key {shown(extra[0])}" if extra else f"no {missing[0]!r}"
        raise fail("its keys", f"must be {list(MARKER_KEYS)}; got {got}")
    if doc["format"] != FORMAT:
        raise fail("format", f"must be {FORMAT!r}; got {shown(doc['format'])}")
    if doc["version"] != VERSION or isinstance(doc["version"], bool):
        raise fail(
            "version",
            f"must be {VERSION}; got {shown(doc['version'])}: a sweep folder written by an "
            "older evomesa (before tied networks and per-world reflex budgets, issue 18) "
            "cannot be continued or loaded by this one: its records were evolved under "
            "other defaults",
        )

    def field(key: str, build):
        try:
            return build(doc[key])
        except ConfigError as err:
            raise fail(key, f"is not valid: {printable(err, 200)}") from None
        except (
            TypeError,
            ValueError,
            KeyError,
            AttributeError,
            IndexError,
            ArithmeticError,
        ) as err:
            raise fail(
                key, f"is not valid ({type(err).__name__}: {printable(err, 120)})"
            ) from None

    def kind(key: str, types, text: str) -> Any:
        value = doc[key]
        if not isinstance(value, types) or isinstance(value, bool):
            raise fail(key, f"must be {text}; got {shown(value)}")
        return value

    name = kind("world", str, "a world name")
    kind("world_params", dict, "a dict of world parameters")
    world = field("world_params", lambda p: make_world(name, **p))
    grid = field("grid", lambda g: check_grid(world, g))
    seeds = field("seeds", lambda v: check_int("seeds", v, 1, 100_000))
    genomes = kind("genomes", list, "a list of genome names")
    if not genomes or any(g not in GENOMES for g in genomes) or len(set(genomes)) < len(genomes):
        raise fail("genomes", f"must be a selection of {GENOMES}, each once; got {shown(genomes)}")
    # a sweep written before operator_defaults existed ran under the classic rule
    doc = {**doc, "config": saved_config(doc["config"])}
    config = field("config", EvolutionConfig.from_dict)
    deploy = doc["deploy"]
    if deploy is not None and not isinstance(deploy, str):
        raise fail("deploy", f"must be a regime name or null; got {shown(deploy)}")
    deploy_params = kind("deploy_params", dict, "a dict of world parameters")
    episodes = field("episodes", lambda v: check_int("episodes", v, 1, 10_000_000))
    reference = field("reference", lambda v: check_bool("reference", v))
    thresholds = kind("thresholds", dict, "a dict of the verdict thresholds")
    if sorted(thresholds) != sorted(THRESHOLD_KEYS):
        raise fail(
            "thresholds",
            f"must hold exactly {list(THRESHOLD_KEYS)}; got {shown(sorted(thresholds))}",
        )
    thresholds = field("thresholds", Thresholds.from_dict)
    spec = SweepSpec(
        world, grid, seeds, config, genomes, deploy, deploy_params, episodes, reference, thresholds
    )
    tasks = field("grid", lambda _: spec.tasks())
    identity = spec.identity()
    for key in MARKER_KEYS:  # as this sweep writes it: no value that only converts to it
        if doc[key] != identity[key] or json.dumps(doc[key]) != json.dumps(identity[key]):
            raise fail(
                key, f"must be {shown(identity[key])} for these settings; got {shown(doc[key])}"
            )
    return world, identity, tasks


def check_existing_marker(out: Any, identity: dict) -> None:
    """If ``out`` already holds a sweep, refuse it unless it is this very sweep.

    (Done before the folder is opened, so that a malformed or foreign ``sweep.json`` is a
    ConfigError naming the file and the field, and never anything else.)
    """
    if not isinstance(out, str | Path) or str(out) == "":
        return  # the folder check says what is wrong
    marker = Path(out) / SWEEP
    try:
        present = marker.exists() or marker.is_symlink()
    except OSError:
        return  # an unusable path: the folder check says what is wrong
    if not present:
        return
    what = f"sweep marker {marker}"
    have = read_json(regular_file(marker, what), what, min(memory_budget(), RECORD_MAX_BYTES))
    if have == identity:
        return
    if not isinstance(have, dict):
        raise ConfigError(f"{what}: its content must be a JSON object; got {type(have).__name__}")
    extra = sorted(set(have) - set(MARKER_KEYS))
    missing = [k for k in MARKER_KEYS if k not in have]
    if extra or missing:
        got = f"the unknown key {shown(extra[0])}" if extra else f"no {missing[0]!r}"
        raise ConfigError(f"{what}: its keys must be {list(MARKER_KEYS)}; got {got}")
    key = next(k for k in MARKER_KEYS if have[k] != identity[k])
    why = (
        ": a sweep written by an older evomesa (before tied networks and per-world reflex "
        "budgets, issue 18) is not continued, its records were evolved under other defaults"
        if key == "version"
        else ""
    )
    raise ConfigError(
        f"out {printable(str(out))!r} holds another sweep: its {key} is {shown(have[key])}, "
        f"this one's is {shown(identity[key])} (in {printable(str(marker))}){why}"
    )


def open_sweep_folder(out: str | Path, identity: dict) -> Path:
    """Create the sweep folder, or check that it holds this very sweep; probe that it can be
    written (:func:`evomesa.files.folder_probe.make_folder`); remove the temporary files of killed
    sweeps in it. Every bad place is a ConfigError naming ``out`` and the path."""
    if not isinstance(out, str | Path) or str(out) == "":
        raise ConfigError(f"out must be a folder path; got {out!r}")
    folder = Path(out)
    try:
        is_link = folder.is_symlink()
        is_other = folder.exists() and not folder.is_dir()
        marker = folder / SWEEP
        has_marker = marker.exists() or marker.is_symlink()
        empty = is_other or not folder.is_dir() or not any(folder.iterdir())
    except (OSError, ValueError) as err:  # a name too long, a NUL character...
        raise ConfigError(
            f"out must be a usable folder path; {str(folder)[:120]!r} is not "
            f"({getattr(err, 'strerror', None) or err})"
        ) from None
    if is_link or is_other:
        raise ConfigError(f"out must be a folder (not a file or a link); got {str(folder)!r}")
    want = json.loads(json.dumps(identity, default=str))
    if has_marker:
        have = read_json(regular_file(marker, "sweep marker"), "sweep marker")
        if have != want:
            have = have if isinstance(have, dict) else {}
            # a key this sweep has and the marker lacks or differs on, else one it added
            key = next(
                (k for k in [*want, *have] if have.get(k, _MISSING) != want.get(k, _MISSING)),
                None,
            )
            raise ConfigError(
                f"out {str(folder)!r} holds another sweep: its {printable(key)} is "
                f"{printable(repr(have.get(key, 'missing')))}, this one's is "
                f"{printable(repr(want.get(key, 'missing')))} ({SWEEP})"
            )
    elif not empty:
        raise ConfigError(f"out must be a new or empty folder, or one of this sweep; got {out!r}")
    make_folder(folder, "out")
    records = make_folder(folder / RECORDS, "out")
    removed = [*remove_stale_temp_files(folder), *remove_stale_temp_files(records)]
    if removed:
        warnings.warn(
            f"removed {len(removed)} temporary file(s) that killed sweeps left in {folder}: "
            + ", ".join(p.name for p in removed[:4])
            + (", ..." if len(removed) > 4 else ""),
            LeftoversRemoved,
            stacklevel=3,
        )
    if not has_marker:
        try:
            write_text(marker, json.dumps(want, indent=1))
        except OSError as err:
            raise ConfigError(
                f"out must be a folder that evomesa can write; {str(marker)!r} could not be "
                f"written ({err.strerror or err})"
            ) from None
    return folder
