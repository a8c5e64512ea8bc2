"""Checkpoints: resuming from any generation ends exactly as the uninterrupted run; a corrupt
checkpoint is refused, naming the file, and once removed the previous one is resumed from; a
checkpoint of another run is refused. (Lies told by edited checkpoints:
tests/test_checkpoint_integrity.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
from evomesa.evolve.checkpoint import KEEP, Checkpointer

CONFIG = em.EvolutionConfig(genome="hybrid", population=12, generations=5, episodes=2, seed=3)


@pytest.fixture(scope="module")
def full(world) -> em.EvolutionResult:
    return em.evolve(world, CONFIG, track=("modern",))


def test_checkpointed_run_equals_plain_run(world, full, tmp_path):
    result = em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path, checkpoint_every=2)
    assert result == full
    # every 2nd generation (1, 3) and the last (5); only the KEEP newest remain
    assert [g for g, _ in Checkpointer(tmp_path).files()] == [5, 3][:KEEP]


@pytest.mark.parametrize("gen", range(CONFIG.generations + 1))
def test_resume_from_any_generation_equals_uninterrupted(world, full, tmp_path, gen):
    """A kill at any moment leaves some generation's checkpoint as the newest good one;
    resuming from each of them gives the uninterrupted result."""
    every = tmp_path / "all"
    em.evolve(world, CONFIG, track=("modern",), checkpoint=every)
    # (KEEP files remain; rebuild the one of `gen` by a run that stops there)
    only = tmp_path / "one"
    only.mkdir()
    source = Checkpointer(every)
    path = source.path(gen)
    if not path.exists():  # regenerate: checkpoint of generation `gen` of this very run

        class Stop(Exception):
            """Raised to stop the run at a chosen point."""

        def stop(g, record):
            if g == gen:
                raise Stop

        with pytest.raises(Stop):
            em.evolve(world, CONFIG, track=("modern",), checkpoint=only, progress=stop)
    else:
        for part in (path, path.with_suffix(".json")):  # the arrays and what commits them
            shutil.copy(part, only / part.name)
    assert [g for g, _ in Checkpointer(only).files()][0] == gen
    resumed = em.evolve(world, CONFIG, track=("modern",), checkpoint=only)
    assert resumed == full


def _remove(path: Path) -> None:
    """Remove one checkpoint's two files."""
    for part in (".npz", ".json"):
        path.with_suffix(part).unlink()


def test_corrupt_checkpoint_is_refused_and_previous_used_once_removed(world, full, tmp_path):
    em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path)
    newest = Checkpointer(tmp_path).files()[0][1]
    data = bytearray(newest.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte
    newest.write_bytes(bytes(data))
    with pytest.raises(em.ConfigError, match=f"checkpoint {newest}"):
        em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path)
    _remove(newest)  # as the message says: the previous checkpoint is resumed from
    assert em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path) == full


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage"])
@pytest.mark.parametrize("part", [".npz", ".json"])
def test_unreadable_checkpoints_are_refused(world, full, tmp_path, damage, part):
    em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path)
    newest = Checkpointer(tmp_path).files()[0][1].with_suffix(part)
    data = newest.read_bytes()
    newest.write_bytes({"empty": b"", "truncated": data[:100], "garbage": b"x" * 500}[damage])
    with pytest.raises(em.ConfigError, match=f"checkpoint {newest}"):
        em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path)
    _remove(newest)
    assert em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path) == full


def test_an_unfinished_write_is_ignored(world, full, tmp_path):
    """A kill between the npz and the JSON file that commits it leaves a bare npz."""
    em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path)
    newest = Checkpointer(tmp_path).files()[0][1]
    newest.with_suffix(".json").unlink()
    assert [g for g, _ in Checkpointer(tmp_path).files()] == [CONFIG.generations - 1]
    assert em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path) == full


def test_checkpoint_of_another_run_is_refused(world, tmp_path):
    em.evolve(world, CONFIG, checkpoint=tmp_path)
    other = em.EvolutionConfig(genome="hybrid", population=12, generations=5, episodes=2, seed=4)
    with pytest.raises(em.ConfigError, match="another run.*config"):
        em.evolve(world, other, checkpoint=tmp_path)


def test_checkpoint_holds_no_pickle(world, tmp_path):
    em.evolve(world, CONFIG, checkpoint=tmp_path)
    with np.load(Checkpointer(tmp_path).files()[0][1], allow_pickle=False) as npz:
        assert {a.dtype.kind for a in (npz[k] for k in npz.files)} == {"f"}


def test_bad_checkpoint_arguments(world, tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(em.ConfigError, match="checkpoint must be a folder"):
        em.evolve(world, CONFIG, checkpoint=tmp_path / "f")
    with pytest.raises(em.ConfigError, match="checkpoint_every"):
        em.evolve(world, CONFIG, checkpoint=tmp_path / "d", checkpoint_every=0)


def test_resume_from_the_last_generation_only_rebuilds(world, full, tmp_path):
    em.evolve(world, CONFIG, track=("modern",), checkpoint=tmp_path)
    calls = []
    again = em.evolve(
        world,
        CONFIG,
        track=("modern",),
        checkpoint=tmp_path,
        progress=lambda g, r: calls.append(g),
    )
    assert again == full and calls == []
    assert isinstance(Path(tmp_path), Path)
