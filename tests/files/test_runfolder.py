"""Run folders: atomic replacement, refusal to mix runs, and the run.json marker."""

from __future__ import annotations

from pathlib import Path

import pytest

from evomesa.errors import ConfigError
from evomesa.files.destination import check_run_folder
from evomesa.files.manifest import MANIFEST, RUN_MARKER, read_identity
from evomesa.files.runfolder import RunNotSaved, write_run_folder

IDENTITY = {"world": "contraception", "genome": "planner", "seed": 3, "params": {"gestation": 9}}


def _writer(files: dict[str, str]):
    def write(tmp: Path) -> None:
        for name, text in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    return write


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(parent: Path) -> list[str]:
    """Hidden temporary folders left in ``parent``."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_writes_into_new_path_creating_parent(tmp_path):
    out = tmp_path / "runs" / "x"
    final = write_run_folder(out, _writer({"a.txt": "A", "sub/b.txt": "B"}), IDENTITY)
    assert final == out
    assert (out / "a.txt").read_text() == "A"
    assert (out / "sub" / "b.txt").read_text() == "B"
    assert read_identity(out) == IDENTITY
    assert _leftovers(out.parent) == []


def test_writes_into_empty_folder(tmp_path):
    out = tmp_path / "x"
    out.mkdir()
    write_run_folder(str(out), _writer({"a.txt": "A"}), IDENTITY)
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", MANIFEST, RUN_MARKER]
    assert _leftovers(tmp_path) == []


def test_write_sees_fresh_hidden_folder_beside_out(tmp_path):
    out = tmp_path / "x"
    seen = []

    def write(tmp: Path) -> None:
        seen.append((tmp.parent, tmp.name, list(tmp.iterdir())))

    write_run_folder(out, write, IDENTITY)
    parent, name, contents = seen[0]
    assert parent == tmp_path
    assert name.startswith(".x.tmp-")
    assert contents == []


def test_refuses_another_run_and_leaves_it_byte_identical(tmp_path):
    out = tmp_path / "x"
    write_run_folder(out, _writer({"a.txt": "old", "sub/b.bin": "\x00\x01"}), IDENTITY)
    before = _snapshot(out)
    called = []

    with pytest.raises(ConfigError) as err:
        write_run_folder(out, lambda tmp: called.append(tmp), {"world": "other"})
    message = str(err.value)
    assert "--out" in message and str(out) in message
    assert "world contraception" in message and "--force" in message
    assert called == []  # refused before computing anything
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


def test_refuses_folder_with_unrelated_files(tmp_path):
    out = tmp_path / "x"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match=r"--out .*other files \(notes\.txt\).*--force"):
        write_run_folder(out, _writer({"a.txt": "A"}), IDENTITY)
    assert _snapshot(out) == {"notes.txt": b"mine"}
    with pytest.raises(ConfigError, match="--out"):
        check_run_folder(out)


def test_check_accepts_missing_empty_and_forced(tmp_path):
    assert check_run_folder(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert check_run_folder(str(tmp_path / "empty")) == tmp_path / "empty"
    write_run_folder(tmp_path / "full", _writer({"f": ""}), IDENTITY)
    assert check_run_folder(tmp_path / "full", force=True) == tmp_path / "full"


def test_force_never_replaces_a_folder_that_holds_no_run(tmp_path, monkeypatch):
    other = tmp_path / "runs"
    (other / "a").mkdir(parents=True)
    (other / "notes.txt").write_text("mine")
    before = _snapshot(other)
    for force in (False, True):
        with pytest.raises(ConfigError, match="no run"):
            write_run_folder(other, _writer({"x": "x"}), IDENTITY, force=force)
    assert _snapshot(other) == before
    # nor the working folder, or one above it, even if it holds a run
    write_run_folder(tmp_path / "w", _writer({"x": "x"}), IDENTITY)
    monkeypatch.chdir(tmp_path / "w")
    with pytest.raises(ConfigError, match="working folder"):
        check_run_folder(".", force=True)


def test_force_replaces_whole_folder(tmp_path):
    out = tmp_path / "x"
    write_run_folder(out, _writer({"old.txt": "old", "sub/stray.txt": "s"}), IDENTITY)
    new_identity = {**IDENTITY, "seed": 4}
    write_run_folder(out, _writer({"new.txt": "new"}), new_identity, force=True)
    assert _snapshot(out) == {
        "new.txt": b"new",
        RUN_MARKER: (out / RUN_MARKER).read_bytes(),
        MANIFEST: (out / MANIFEST).read_bytes(),
    }
    assert read_identity(out) == new_identity
    assert _leftovers(tmp_path) == []


def test_failing_write_leaves_old_folder_and_keeps_what_was_written(tmp_path):
    out = tmp_path / "x"
    write_run_folder(out, _writer({"a.txt": "old"}), IDENTITY)
    before = _snapshot(out)

    def write(tmp: Path) -> None:
        (tmp / "partial.txt").write_text("half")
        raise RuntimeError("boom")

    with pytest.raises(RunNotSaved, match="boom") as err:
        write_run_folder(out, write, {"world": "other"}, force=True)
    assert _snapshot(out) == before
    kept = [p for p in tmp_path.iterdir() if p.name != "x"]
    assert len(kept) == 1 and kept[0].name.startswith(".x.kept-")
    assert str(kept[0]) in str(err.value) and err.value.kept == kept[0]
    assert (kept[0] / "partial.txt").read_text() == "half"
    assert isinstance(err.value.__cause__, RuntimeError)


def test_failing_write_before_any_file_leaves_nothing(tmp_path):
    def write(tmp: Path) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_run_folder(tmp_path / "x", write, IDENTITY)
    assert list(tmp_path.iterdir()) == []


def test_failing_write_into_new_path_leaves_nothing(tmp_path):
    def write(tmp: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_run_folder(tmp_path / "x", write, IDENTITY)
    assert list(tmp_path.iterdir()) == []


def test_folder_filled_during_write_is_not_overwritten(tmp_path):
    out = tmp_path / "x"

    def write(tmp: Path) -> None:
        # Another process claims the folder while this run is being computed.
        out.mkdir()
        (out / "theirs.txt").write_text("theirs")
        (tmp / "mine.txt").write_text("mine")

    with pytest.raises(ConfigError, match="--out") as err:
        write_run_folder(out, write, IDENTITY)
    assert _snapshot(out) == {"theirs.txt": b"theirs"}
    # the finished run is not thrown away: it is kept beside, and the error says where
    kept = _leftovers(tmp_path)
    assert len(kept) == 1 and kept[0].startswith(".x.kept-") and kept[0] in str(err.value)
    assert _snapshot(tmp_path / kept[0])["mine.txt"] == b"mine"


def test_file_path_gives_config_error(tmp_path):
    path = tmp_path / "x"
    path.write_text("a file")
    for force in (False, True):
        with pytest.raises(ConfigError, match=r"--out must be a folder"):
            write_run_folder(path, _writer({"a.txt": "A"}), IDENTITY, force=force)
    assert path.read_text() == "a file"
    assert _leftovers(tmp_path) == []


def test_symlink_out_gives_config_error(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(ConfigError, match="symbolic link"):
        write_run_folder(link, _writer({"a.txt": "A"}), IDENTITY, force=True)
    assert list(target.iterdir()) == []


def test_identity_not_json_gives_config_error_before_write(tmp_path):
    called = []
    with pytest.raises(ConfigError, match="identity"):
        write_run_folder(tmp_path / "x", lambda tmp: called.append(tmp), {"seed": object()})
    assert called == []
    assert list(tmp_path.iterdir()) == []


def test_read_identity_round_trip_and_missing(tmp_path):
    out = tmp_path / "x"
    identity = {"world": "contraception", "config": {"population": 40, "regime": "ancestral"}}
    write_run_folder(out, _writer({}), identity)
    assert read_identity(out) == identity
    assert read_identity(str(out)) == identity
    assert read_identity(tmp_path / "missing") is None
    (tmp_path / "plain").mkdir()
    assert read_identity(tmp_path / "plain") is None
    (tmp_path / "plain" / RUN_MARKER).write_text("not json")
    assert read_identity(tmp_path / "plain") is None
