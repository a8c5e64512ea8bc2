"""Sweep folders that lie: an edited record or sweep.json is refused with a ConfigError naming
the file and the field, whether or not the editor recomputed the record's digests, when the
sweep is re-run, loaded, or re-run from the command line; what the command line prints from
files has its control characters escaped."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import evomesa as em
from evomesa.executors import InProcessExecutor
from evomesa.experiments.sweep import RECORDS, SWEEP, load_sweep, record_text, sweep, task_key

CONFIG = em.EvolutionConfig(genome="planner", population=6, generations=1, episodes=2, seed=1)
GRID = {"gestation": [5, 10]}
SEEDS = 2


def run(world, out: Path) -> em.Sweep:
    return sweep(
        world,
        GRID,
        SEEDS,
        CONFIG,
        client=InProcessExecutor(),
        out=out,
        episodes=2,
        reference=False,
    )


@pytest.fixture(scope="module")
def source(world, tmp_path_factory) -> em.Sweep:
    return run(world, tmp_path_factory.mktemp("sweep") / "done")


@pytest.fixture
def folder(source, tmp_path) -> Path:
    copy = tmp_path / "sweep"
    shutil.copytree(source.out, copy)
    return copy


def first_record(folder: Path) -> Path:
    return sorted((folder / RECORDS).glob("*.json"))[0]


def edit(path: Path, change: Callable[[dict], None], rehash: bool) -> Path:
    """Apply ``change`` to a record; with ``rehash``, recompute its digests and give the file
    the name its (point, genome, replicate) calls for, as an editor who knows the format
    would. Returns the record's path."""
    doc = json.loads(path.read_text())
    change(doc)
    if not rehash:
        path.write_text(json.dumps(doc))
        return path
    doc.pop("sha256", None)
    try:
        name = task_key(doc["point"], doc["genome"], doc["replicate"])
    except (KeyError, TypeError):
        name = path.stem
    path.unlink()
    path = path.with_name(f"{name}.json")
    path.write_text(record_text(doc))
    return path


def refused(world, folder: Path, path: Path, field: str) -> None:
    """Loading and re-running ``folder`` raise ConfigError naming ``path`` and ``field``."""
    for attempt in (lambda: load_sweep(folder), lambda: run(world, folder)):
        with pytest.raises(em.ConfigError) as caught:
            attempt()
        message = str(caught.value)
        assert str(path) in message, message
        assert re.search(rf"(?<![\w.]){field}(?![\w\[])", message), message


def _set(*keys, value):
    def change(doc):
        target = doc
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


# the record edits: (change, field named without new digests, field named with them)
LIES = {
    "figure": (_set("figures", "fitness_retention", value=0.99), "figures", r"figures\.\w+"),
    "performance figure": (
        _set("figures", "performance_retention", value=0.99),
        "figures",
        r"figures\.\w+",
    ),
    "performance figure dropped": (
        lambda doc: doc["figures"].pop("performance_retention"),
        "figures",
        r"figures\.\w+",
    ),
    "verdict": (_set("verdict", value="robust"), "verdict", "verdict"),
    "seed": (_set("seed", value=12345), "seed", "seed"),
    "point outside the grid": (_set("point", "gestation", value=7), "point", "point"),
    "point with another key": (_set("point", value={"brain_cost": 0.1}), "point", "point"),
    "genome not swept": (_set("genome", value="hybrid"), "genome", "genome"),
    "replicate out of range": (_set("replicate", value=SEEDS), "replicate", "replicate"),
    "replicate negative": (_set("replicate", value=-1), "replicate", "replicate"),
    "replicate a bool": (_set("replicate", value=True), "replicate", "replicate"),
    "drives pursued": (_set("drives_pursued", value=["sex"]), "drives_pursued", "drives_pursued"),
    "report verdict": (_set("report", "verdict", value="nonsense"), "report", r"report\.verdict"),
    "report world": (_set("report", "world", value="strawberry"), "report", r"report\.world"),
    "report thresholds": (
        _set("report", "thresholds", "robust_threshold", value=0.01),
        "report",
        r"report\.thresholds",
    ),
    "report number as text": (
        _set("report", "fitness_train", value="1.5"),
        "report",
        "report",
    ),
    "report episodes": (_set("report", "episodes", value=999), "report", r"report\.episodes"),
}


@pytest.mark.parametrize("lie", sorted(LIES))
def test_an_edited_record_is_refused(world, folder, lie):
    change, field, _ = LIES[lie]
    path = edit(first_record(folder), change, rehash=False)
    refused(world, folder, path, field)


@pytest.mark.parametrize("lie", sorted(LIES))
def test_an_edited_record_with_recomputed_digests_is_still_checked(world, folder, lie):
    change, _, field = LIES[lie]
    path = edit(first_record(folder), change, rehash=True)
    refused(world, folder, path, field)


def test_a_robust_verdict_against_its_own_numbers_is_refused(world, folder):
    """Verdict, record verdict and figures all edited consistently: the verdict rule, applied
    to the report's own retention and thresholds, still tells."""
    path = first_record(folder)
    doc = json.loads(path.read_text())
    wrong = "robust" if doc["verdict"] != "robust" else "capability_collapse"
    retention = doc["report"]["fitness_retention"]
    assert retention < 0.7 or wrong != "robust"

    def change(doc):
        doc["verdict"] = doc["report"]["verdict"] = wrong

    refused(world, folder, edit(path, change, rehash=True), r"report\.verdict")


@pytest.mark.parametrize("key", ["note", "sha256x"])
def test_a_record_with_an_extra_key_is_refused(world, folder, key):
    path = edit(first_record(folder), _set(key, value=1), rehash=True)
    refused(world, folder, path, "its keys")


def test_a_record_without_digests_is_refused(world, folder):
    path = first_record(folder)
    doc = json.loads(path.read_text())
    del doc["sha256"]
    path.write_text(json.dumps(doc))
    refused(world, folder, path, "its keys")


def test_an_untouched_folder_loads_and_reruns_to_the_same_records(world, source, folder):
    assert load_sweep(folder) == source.records
    again = run(world, folder)
    assert (again.ran, again.skipped) == (0, len(source.records))
    assert again.records == source.records


def _marker(folder: Path, change: Callable[[dict], None]) -> Path:
    path = folder / SWEEP
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))
    return path


MARKER_LIES = {
    "extra key": (_set("note", value="hello"), "note"),
    "missing key": (lambda d: d.pop("seeds"), "seeds"),
    "seeds as text": (_set("seeds", value="2"), "seeds"),
    "grid value out of range": (_set("grid", "gestation", value=[5, -3]), "grid"),
    "grid key unknown": (_set("grid", value={"nope": [1]}), "grid"),
    "grid not a dict": (_set("grid", value=[1, 2]), "grid"),
    "genomes unknown": (_set("genomes", value=["wizard"]), "genomes"),
    "config unknown key": (_set("config", "zz", value=1), "config"),
    "thresholds out of range": (_set("thresholds", "robust_threshold", value=7), "thresholds"),
    "world params unknown": (_set("world_params", "zz", value=1), "world_params"),
    "version 1": (_set("version", value=1), "version"),
    "version 2": (_set("version", value=2), "version"),  # before issue 18's defaults
}


@pytest.mark.parametrize("lie", sorted(MARKER_LIES))
def test_a_malformed_sweep_json_is_a_config_error_on_load(folder, lie):
    change, field = MARKER_LIES[lie]
    path = _marker(folder, change)
    with pytest.raises(em.ConfigError) as caught:
        load_sweep(folder)
    message = str(caught.value)
    assert str(path) in message and re.search(rf"\b{field}\b", message), message


@pytest.mark.parametrize("lie", sorted(MARKER_LIES))
def test_a_malformed_sweep_json_is_a_config_error_on_rerun(world, folder, lie):
    """(An extra key used to raise StopIteration here.)"""
    change, field = MARKER_LIES[lie]
    path = _marker(folder, change)
    with pytest.raises(em.ConfigError) as caught:
        run(world, folder)
    message = str(caught.value)
    assert re.search(rf"\b{field}\b", message), message
    assert str(path) in message or "another sweep" in message, message


@pytest.mark.parametrize("text", ["", "[1, 2]", "{", "\xff\xfe", '{"grid": {"gestation": [5]}}'])
def test_an_unreadable_sweep_json_is_a_config_error(world, folder, text):
    (folder / SWEEP).write_bytes(text.encode("latin-1"))
    for attempt in (lambda: load_sweep(folder), lambda: run(world, folder)):
        with pytest.raises(em.ConfigError, match=re.escape(str(folder / SWEEP))):
            attempt()


CLI = ["sweep", "contraception", "--grid", "gestation=5,10", "--seeds", str(SEEDS)]
CLI += [
    "--genome",
    "planner",
    "--seed",
    "1",
    "--population",
    "6",
    "--generations",
    "1",
    "--episodes",
    "2",
]
CLI += ["--drift-episodes", "2", "--no-reference", "-q"]


def test_cli_rerun_of_a_finished_sweep_prints_and_refuses_edits(folder, capsys):
    """The command line re-run skips every finished task (no cluster is started); an edited
    record is one line on stderr, status 2, naming the file and the field, with the control
    characters from the file escaped."""
    from evomesa.cli import main

    assert main([*CLI, "--out", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"0 task(s) run, {2 * SEEDS} already finished" in out
    path = edit(first_record(folder), _set("point", value={"\x1b[2Jgestation": 5}), rehash=True)
    assert main([*CLI, "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "point" in err and "\x1b" not in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_cli_prints_values_from_files_escaped():
    from evomesa.cli.sweep import _point, _verdict

    shown = _point({"gest\x1b]0;owned\x07ation": "5\x1b[2J"}) + _verdict("robust\x1b[31m")
    assert not re.search(r"[\x00-\x1f\x7f]", shown), shown
    assert "\\x1b" in shown


def test_a_sweep_from_before_tied_networks_and_reflex_budgets_is_not_continued(world, folder):
    """Its records hold what the defaults gave then (untied networks, 300 generations for
    strawberry's reflexes): new records beside them would average two experiments."""
    _marker(folder, _set("version", value=2))
    with pytest.raises(em.ConfigError, match=r"older evomesa \(before tied networks"):
        run(world, folder)
