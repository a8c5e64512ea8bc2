"""Hostile files: load_result and report check everything they read (issue 10, item 4).

Each tampering is tried twice where it matters: as is (the checksums in result.json and
manifest.json catch it) and with the checksums recomputed, as a careful attacker would, so
that the check of the field itself is what refuses it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
from evomesa.cli import main
from evomesa.files.manifest import MANIFEST, write_manifest

SMALL = [
    "--population",
    "6",
    "--generations",
    "1",
    "--episodes",
    "1",
    "--drift-episodes",
    "2",
    "--replicates",
    "1",
    "--workers",
    "1",
    "--genome",
    "planner",
    "-q",
]


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def saved(small_planner_result, tmp_path) -> Path:
    return small_planner_result.save(tmp_path / "res")


def _npz_bytes(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def _rehash(folder: Path) -> None:
    """Make result.json name the result.npz now in ``folder`` (size and SHA-256)."""
    meta = json.loads((folder / "result.json").read_text())
    data = (folder / "result.npz").read_bytes()
    meta["npz"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (folder / "result.json").write_text(json.dumps(meta))


def _arrays(folder: Path) -> dict:
    with np.load(folder / "result.npz") as npz:
        return {k: npz[k] for k in npz.files}


def _edit_npz(folder: Path, rehash: bool = True, **changes) -> None:
    arrays = {**_arrays(folder), **changes}
    (folder / "result.npz").write_bytes(_npz_bytes(**arrays))
    if rehash:
        _rehash(folder)


def _edit_json(folder: Path, edit) -> None:
    meta = json.loads((folder / "result.json").read_text())
    edit(meta)
    (folder / "result.json").write_text(json.dumps(meta))


def _refused(folder, *match: str) -> str:
    with pytest.raises(em.ConfigError) as info:
        em.load_result(folder)
    for m in match:
        assert m in str(info.value), str(info.value)
    return str(info.value)


# --------------------------------------------------------------------------- load_result


def test_a_saved_result_round_trips_with_its_checksum(saved, small_planner_result):
    assert em.load_result(saved) == small_planner_result
    meta = json.loads((saved / "result.json").read_text())
    assert meta["format_version"] == 2 and set(meta["npz"]) == {"size", "sha256"}


def test_load_result_none_and_non_paths_are_config_errors():
    for bad in (None, 5, "", b"x", ["a"]):
        with pytest.raises(em.ConfigError, match="path must be a non-empty str"):
            em.load_result(bad)


def test_result_save_to_a_non_path_is_a_config_error(small_planner_result, tmp_path):
    with pytest.raises(em.ConfigError, match="path must be"):
        small_planner_result.save(5)
    (tmp_path / "file").write_text("x")
    with pytest.raises(em.ConfigError, match="path must be a folder"):
        small_planner_result.save(tmp_path / "file")


def test_an_npz_from_another_run_is_refused_by_its_checksum(saved, small_planner_result, tmp_path):
    other = em.evolve(
        em.make_world("contraception"),
        em.EvolutionConfig(genome="planner", population=40, generations=5, episodes=4, seed=4),
    ).save(tmp_path / "other")
    (saved / "result.npz").write_bytes((other / "result.npz").read_bytes())
    _refused(saved, "result.npz", "from another run")


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda a: {"genes": a["genes"][:, :-1]}, "genes must have shape"),  # wrong width
        (lambda a: {"genes": np.full_like(a["genes"], 7.0)}, "genes must lie in [0, 1]"),
        (lambda a: {"fitness": np.full_like(a["fitness"], np.nan)}, "fitness must be finite"),
        (lambda a: {"fitness": a["fitness"][:-1]}, "fitness must have shape"),  # rows differ
        (lambda a: {"fitness": a["fitness"] + 1.0}, "fitness must match the last logbook"),
        (lambda a: {"genes": a["genes"].astype(np.float32)}, "genes must have dtype float64"),
        (lambda a: {"hall_of_fame": a["hall_of_fame"][:, :3]}, "hall_of_fame must have shape"),
        (lambda a: {"extra": np.zeros(2)}, "must hold exactly the arrays"),
    ],
)
def test_bad_arrays_are_refused_even_with_a_matching_checksum(saved, change, field):
    _edit_npz(saved, rehash=False, **change(_arrays(saved)))
    _refused(saved, "result.npz")  # the checksum
    _rehash(saved)
    _refused(saved, field)


def test_object_arrays_are_never_unpickled(saved):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # a hand-made member declaring dtype object
        for name, arr in _arrays(saved).items():
            member = io.BytesIO()
            np.lib.format.write_array(member, arr if name != "genes" else np.zeros(3, "f8"))
            data = member.getvalue()
            if name == "genes":
                data = data.replace(b"'<f8'", b"'|O' ")
            zf.writestr(f"{name}.npy", data)
    (saved / "result.npz").write_bytes(buf.getvalue())
    _rehash(saved)
    _refused(saved, "genes must have dtype float64")


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda m: m["config"].update(genome="reflex"), "genes must have shape"),  # swapped
        (lambda m: m.update(world="nowhere"), "'world'"),
        (lambda m: m["world_params"].update(gestation=-1), "gestation"),
        (lambda m: m["world_params"].pop("gestation"), "the full parameter set"),
        (lambda m: m.update(config=None), "'config'"),
        (lambda m: m["config"].update(population="40"), "population"),
        (lambda m: m.update(logbook=m["logbook"][:-1]), "'logbook'"),
        (lambda m: m["logbook"][1].update(avg="x"), "logbook[1].avg"),
        (lambda m: m["logbook"][0].update(gen=3), "logbook[0].gen"),
        (lambda m: m.update(hall_of_fame_fitness=[]), "hall_of_fame_fitness"),
        (lambda m: m["hall_of_fame_fitness"].reverse(), "best first"),
        (lambda m: m.update(hall_of_fame_size=True), "hall_of_fame_size"),
        (lambda m: m.update(origin=[1]), "'origin'"),
        (lambda m: m.update(surprise=1), "'surprise'"),
        (lambda m: m.pop("npz"), "'npz'"),
        (lambda m: m.update(format_version=1), "format_version"),
    ],
)
def test_bad_fields_of_result_json_name_the_file_and_field(saved, edit, field):
    _edit_json(saved, edit)
    _refused(saved, "result.json" if field != "genes must have shape" else "result.npz", field)


@pytest.mark.parametrize(
    "content, match",
    [
        (b"", "valid JSON"),
        (b"\xff\xfe{", "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b'{"format_version": NaN}', "valid JSON"),
        (b'{"format_version": 1e999}', "finite"),
        (b"[1, 2]", "an object"),
        (b"null", "an object"),
    ],
)
def test_unreadable_result_json_is_a_config_error(saved, content, match):
    (saved / "result.json").write_bytes(content)
    _refused(saved, "result.json", match)


@pytest.mark.parametrize(
    "content", [b"", b"PK\x03\x04 truncated", None], ids=["empty", "garbage", "truncated"]
)
def test_empty_or_truncated_npz_is_a_config_error(saved, content):
    data = (saved / "result.npz").read_bytes()
    (saved / "result.npz").write_bytes(data[: len(data) // 2] if content is None else content)
    _refused(saved, "result.npz")  # the checksum
    _rehash(saved)
    _refused(saved, "result.npz", "npz archive")


def test_a_zip_bomb_is_refused_before_allocation(saved, monkeypatch):
    # a header that asks for 3 GiB over a few bytes of data
    arrays = _arrays(saved)
    with zipfile.ZipFile(saved / "result.npz", "w") as zf:
        for name, arr in arrays.items():
            member = io.BytesIO()
            if name == "genes":
                header = {"descr": "<f8", "fortran_order": False, "shape": (402_653_184, 1)}
                np.lib.format.write_array_header_1_0(member, header)
                member.write(b"\0" * 64)
            else:
                np.lib.format.write_array(member, arr)
            zf.writestr(f"{name}.npy", member.getvalue())
    _rehash(saved)
    _refused(saved, "genes must have shape")
    # a real bomb (zeros compress ~1000:1) against a lowered budget: refused from sizes alone
    monkeypatch.setenv("EVOMESA_MEMORY_BUDGET", "1MiB")
    big = np.zeros((40, 4000))
    (saved / "result.npz").write_bytes(_npz_bytes(genes=big, fitness=big[0], hall_of_fame=big))
    assert (saved / "result.npz").stat().st_size < 100_000
    _rehash(saved)
    _refused(saved, "genes must be a float64 array of shape (40, 7); it declares 1280128 bytes")
    # and a result.json that announces a population beyond the budget
    _edit_json(saved, lambda m: m["config"].update(population=10**7))
    _refused(saved, "memory budget")


def test_symlinked_result_files_are_refused(saved, tmp_path):
    outside = tmp_path / "outside.npz"
    os.replace(saved / "result.npz", outside)
    os.symlink(outside, saved / "result.npz")
    _refused(saved, "symbolic link")


# --------------------------------------------------------------------------- run folders


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "r"
    assert main(["run", "contraception", *SMALL, "--out", str(out)]) == 0
    return out


@pytest.fixture
def run(run_folder, tmp_path) -> Path:
    """A fresh copy of the finished run, to tamper with."""
    import shutil

    return Path(shutil.copytree(run_folder, tmp_path / "copy" / "r"))


def _report(folder, capsys) -> str:
    assert main(["report", str(folder)]) == 2
    return capsys.readouterr().err


def _edit_summary(folder: Path, edit, remanifest: bool = True) -> None:
    doc = json.loads((folder / "summary.json").read_text())
    edit(doc)
    (folder / "summary.json").write_text(json.dumps(doc))
    if remanifest:
        write_manifest(folder)


def test_a_run_folder_has_a_manifest_of_every_file(run_folder, capsys):
    listed = json.loads((run_folder / MANIFEST).read_text())["files"]
    on_disk = {
        p.relative_to(run_folder).as_posix()
        for p in run_folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    assert set(listed) == on_disk
    assert "planner/replicate-0/drift.json" in listed and "fitness.png" in listed
    assert main(["report", str(run_folder)]) == 0


def test_a_folder_without_manifest_is_refused(run, capsys):
    (run / MANIFEST).unlink()
    assert "manifest.json" in _report(run, capsys)


def test_a_changed_file_is_refused_by_the_manifest(run, capsys):
    path = run / "planner" / "replicate-0" / "rollouts.npz"
    path.write_bytes(path.read_bytes()[:10])
    assert "rollouts.npz must be the file the run wrote" in _report(run, capsys)


def test_report_never_follows_paths_out_of_the_folder(run, tmp_path, capsys):
    outside = tmp_path / "outside" / "planner"
    outside.mkdir(parents=True)
    (outside / "secret").write_text("keep")

    def edit(doc):
        name = "x/../../outside/planner"
        doc["run"]["genomes"] = [name]
        doc["genomes"] = {name: doc["genomes"]["planner"]}
        doc["reports"] = {name: doc["reports"]["planner"]}

    _edit_summary(run, edit)
    assert "genomes" in _report(run, capsys)
    assert sorted(p.name for p in outside.iterdir()) == ["secret"]
    # nor a manifest entry that climbs out
    manifest = json.loads((run / MANIFEST).read_text())
    manifest["files"]["../outside/planner/secret"] = {"size": 4, "sha256": "0"}
    (run / MANIFEST).write_text(json.dumps(manifest))
    assert "must be a path inside" in _report(run, capsys)


def test_report_refuses_a_symlinked_figure_and_leaves_its_target(run, tmp_path, capsys):
    target = tmp_path / "precious.png"
    target.write_bytes(b"precious")
    (run / "fitness.png").unlink()
    os.symlink(target, run / "fitness.png")
    assert "symbolic link" in _report(run, capsys)
    assert target.read_bytes() == b"precious"


@pytest.mark.parametrize(
    "content, match",
    [
        (b"{not json", "valid JSON"),
        (b"\xff", "UTF-8"),
        (b"[" * 50_000 + b"]" * 50_000, "nested"),
        (b"{}", "run, genomes and reports"),
    ],
)
def test_unreadable_summary_is_a_config_error(run, capsys, content, match):
    (run / "summary.json").write_bytes(content)
    write_manifest(run)
    assert match in _report(run, capsys)


def _add(summary: dict, key: str) -> None:
    summary[key] += 1


@pytest.mark.parametrize(
    "edit, match",
    [
        # empty genome list (StopIteration before)
        (lambda d: d.update(genomes={}, reports={}), "field 'genomes'"),
        (lambda d: d["run"].update(genomes=[]), "field 'genomes'"),
        (lambda d: d["run"].pop("world"), "field 'run'"),  # KeyError before
        (lambda d: d["genomes"]["planner"].pop("figures"), "genomes.planner"),
        (lambda d: d["genomes"]["planner"]["figures"]["regret"].update(mean=9.0), "regret"),
        (lambda d: d["genomes"]["planner"].update(runs=5), "genomes.planner.runs"),
        (lambda d: d["reports"]["planner"][0].update(fitness_train="1"), "reports.planner[0]"),
        (lambda d: d["reports"].update(planner=[]), "reports.planner"),
        (lambda d: d["run"].update(replicates=-1), "replicates"),
        (lambda d: d["run"]["thresholds"].update(robust_threshold=3), "thresholds"),
        (lambda d: d["run"]["world_params"].update(gestation="x"), "gestation"),
        (lambda d: d["genomes"]["planner"]["traits"].update(h={"median": 1}), "traits.h"),
        # what the runs read beside their verdicts is recomputed from their reports too
        (lambda d: d["genomes"]["planner"].pop("borderline"), "genomes.planner"),
        (lambda d: _add(d["genomes"]["planner"], "borderline"), "genomes.planner.borderline"),
        (lambda d: _add(d["genomes"]["planner"], "high_regret"), "genomes.planner.high_regret"),
        (
            lambda d: _add(d["genomes"]["planner"], "robust_performance_lost"),
            "genomes.planner.robust_performance_lost",
        ),
        (
            lambda d: d["genomes"]["planner"].update(performance={"kept": 2, "lost": 0}),
            "genomes.planner.performance",
        ),
        (
            lambda d: d["genomes"]["planner"].update(performance_meaning="nothing to see"),
            "genomes.planner.performance_meaning",
        ),
        (
            lambda d: d["genomes"]["planner"].update(new_goals={"sex": 1}),
            "genomes.planner.new_goals",
        ),
    ],
)
def test_bad_summary_fields_are_config_errors(run, capsys, edit, match):
    _edit_summary(run, edit)
    err = _report(run, capsys)
    assert "summary.json" in err and match in err, err


def test_report_reads_drift_json_and_checks_it_against_the_summary(run, capsys):
    path = run / "planner" / "replicate-0" / "drift.json"
    d = json.loads(path.read_text())
    d["fitness_retention"] = 0.123
    path.write_text(json.dumps(d))
    write_manifest(run)
    assert "drift.json must equal summary.json" in _report(run, capsys)
    path.unlink()
    write_manifest(run)
    assert "must list planner/replicate-0/drift.json" in _report(run, capsys)


def test_run_json_must_match_the_summary(run, capsys):
    ident = json.loads((run / "run.json").read_text())
    ident["seed"] = 99
    (run / "run.json").write_text(json.dumps(ident))
    write_manifest(run)
    assert "run.json must equal" in _report(run, capsys)


def test_saved_run_results_are_checked_on_load(run):
    from evomesa.experiments.run_io import load_experiment

    saved = load_experiment(run)
    assert len(saved.results()["planner"]) == 1
    meta_path = run / "planner" / "replicate-0" / "result.json"
    meta = json.loads(meta_path.read_text())
    meta["logbook"][0]["avg"] = "x"
    meta_path.write_text(json.dumps(meta))
    # the results handed out are those checked with the run, not files changed since
    assert saved.results()["planner"][0].logbook[0]["avg"] != "x"
    with pytest.raises(em.ConfigError, match="result.json must be the file the run wrote"):
        load_experiment(run)
    write_manifest(run)  # an editor who recomputes the checksums
    with pytest.raises(em.ConfigError, match="logbook"):
        load_experiment(run)
