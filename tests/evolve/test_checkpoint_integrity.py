"""Checkpoints that lie: every edit of a field a resume uses is refused with a ConfigError
naming the file and the field, whether or not the editor recomputed the digests; reads honour
the memory budget before allocating. (Resume equals the uninterrupted run:
tests/evolve/test_checkpoint.py.)"""

from __future__ import annotations

import io
import json
import re
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
from evomesa.evolve.checkpoint import Checkpointer
from evomesa.evolve.checkpoint_format import ARRAYS, FIELDS, digest, field_digest

CONFIG = em.EvolutionConfig(genome="planner", population=6, generations=2, episodes=2, seed=7)
LAST = CONFIG.generations


@pytest.fixture(scope="module")
def plain(world) -> em.EvolutionResult:
    return em.evolve(world, CONFIG)


@pytest.fixture(scope="module")
def source(world, tmp_path_factory) -> Path:
    """A checkpoint folder of the whole run: generations LAST - 1 and LAST."""
    folder = tmp_path_factory.mktemp("ckpt") / "all"
    em.evolve(world, CONFIG, checkpoint=folder)
    return folder


@pytest.fixture
def folder(source, tmp_path) -> Path:
    copy = tmp_path / "ckpt"
    shutil.copytree(source, copy)
    return copy


def edit(folder: Path, gen: int, change: Callable[[dict, dict], None], rehash: bool) -> Path:
    """Apply ``change(meta, arrays)`` to generation ``gen``'s checkpoint, recomputing every
    digest (as an editor who knows the format would) when ``rehash``; returns the npz path."""
    npz = Checkpointer(folder).path(gen)
    meta = json.loads(npz.with_suffix(".json").read_text())
    with np.load(npz) as z:
        arrays = {k: np.array(z[k]) for k in z.files}
    change(meta, arrays)
    if rehash:
        meta["hof"] = len(arrays["hof_fitness"])
        meta["sha256"] = {
            **{k: field_digest(k, meta[k]) for k in FIELDS},
            **{k: digest({k: arrays[k]}) for k in ARRAYS},
        }
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    npz.write_bytes(buf.getvalue())
    npz.with_suffix(".json").write_text(json.dumps(meta))
    return npz


def refused(world, folder: Path, path: Path, field: str) -> None:
    """Resuming from ``folder`` raises ConfigError naming ``path`` and ``field`` (a regex)."""
    with pytest.raises(em.ConfigError) as caught:
        em.evolve(world, CONFIG, checkpoint=folder)
    message = str(caught.value)
    assert str(path.parent) in message and path.stem in message, message
    assert re.search(rf"(?<![\w.]){field}(?![\w\[])", message), message


def _bump_logbook_avg(meta, arrays):
    meta["logbook"][0]["avg"] = meta["logbook"][0]["max"] + 1.0


def _renumber_logbook(meta, arrays):
    meta["logbook"][1]["gen"] = 5


def _drop_record(meta, arrays):
    del meta["logbook"][0]


def _extra_column(meta, arrays):
    meta["logbook"][1]["sneaky"] = 1.0


def _rng_state(meta, arrays):
    meta["rng"]["variation"]["state"]["state"] += 1


def _rng_kind(meta, arrays):
    meta["rng"]["variation"]["bit_generator"] = "MT19937"


def _gen_back(meta, arrays):
    meta["gen"] -= 1


def _gen_far(meta, arrays):
    meta["gen"] = 99


def _hof_better(meta, arrays):
    arrays["hof_fitness"][0] += 100.0


def _hof_unsorted(meta, arrays):
    arrays["hof_fitness"][:] = arrays["hof_fitness"][::-1].copy()


def _identity_seed(meta, arrays):
    meta["identity"]["config"]["seed"] = 8


def _identity_world(meta, arrays):
    meta["identity"]["world_params"]["gestation"] = 3


def _fitness_shifted(meta, arrays):
    arrays["fitness"] += 0.5


# (the edit, the field it must be refused for with the digests left, then recomputed)
LIES = {
    "logbook avg": (_bump_logbook_avg, "logbook", r"logbook\[0\]\.avg"),
    "logbook gen": (_renumber_logbook, "logbook", r"logbook\[1\]\.gen"),
    "logbook record dropped": (_drop_record, "logbook", "logbook"),
    "logbook extra column": (_extra_column, "logbook", r"logbook\[1\]"),
    "rng state": (_rng_state, "rng", "rng"),
    "rng kind": (_rng_kind, "rng", "rng"),
    "gen number": (_gen_back, "gen", "gen"),
    "gen out of range": (_gen_far, "gen", "gen"),
    "hof fitness": (_hof_better, "hof_fitness", "hof_fitness"),
    "hof order": (_hof_unsorted, "hof_fitness", "hof_fitness"),
    "identity seed": (_identity_seed, "identity", "config"),
    "identity world": (_identity_world, "identity", "world_params"),
    "fitness": (_fitness_shifted, "fitness", "fitness"),
}


@pytest.mark.parametrize("gen", [LAST - 1, LAST])
@pytest.mark.parametrize("lie", sorted(LIES))
def test_an_edit_without_new_digests_is_refused(world, folder, lie, gen):
    change, field, _ = LIES[lie]
    if gen == LAST - 1:  # the newest must go for the older one to be read
        for part in (".npz", ".json"):
            Checkpointer(folder).path(LAST).with_suffix(part).unlink()
    path = edit(folder, gen, change, rehash=False)
    refused(world, folder, path, field)


@pytest.mark.parametrize("gen", [LAST - 1, LAST])
@pytest.mark.parametrize("lie", sorted(LIES))
def test_an_edit_with_recomputed_digests_is_refused(world, folder, lie, gen):
    change, _, field = LIES[lie]
    if gen == LAST - 1:
        for part in (".npz", ".json"):
            Checkpointer(folder).path(LAST).with_suffix(part).unlink()
    path = edit(folder, gen, change, rehash=True)
    refused(world, folder, path, field)


def _nan_gene(meta, arrays):
    arrays["genes"][2, 3] = np.nan


def _gene_above_one(meta, arrays):
    arrays["genes"][2, 3] = 1.5


def _gene_below_zero(meta, arrays):
    arrays["hof_genes"][0, 0] = -0.25


def _extra_row(meta, arrays):
    arrays["genes"] = np.vstack([arrays["genes"], arrays["genes"][:1]])
    arrays["fitness"] = np.append(arrays["fitness"], arrays["fitness"][0])


def _missing_row(meta, arrays):
    arrays["genes"] = arrays["genes"][:-1]


def _extra_column_of_genes(meta, arrays):
    arrays["genes"] = np.hstack([arrays["genes"], arrays["genes"][:, :1]])


def _nan_fitness(meta, arrays):
    arrays["fitness"][0] = np.inf


def _short_fitness(meta, arrays):
    arrays["fitness"] = arrays["fitness"][:-1]


def _hof_too_big(meta, arrays):
    rows = np.random.default_rng(0).random((CONFIG.hall_of_fame + 1, arrays["genes"].shape[1]))
    arrays["hof_genes"] = rows
    arrays["hof_fitness"] = np.full(len(rows), -1.0)


GENES = {
    "NaN gene": (_nan_gene, "genes"),
    "gene above 1": (_gene_above_one, "genes"),
    "hof gene below 0": (_gene_below_zero, "hof_genes"),
    "extra row": (_extra_row, "genes"),
    "missing row": (_missing_row, "genes"),
    "extra gene column": (_extra_column_of_genes, "genes"),
    "infinite fitness": (_nan_fitness, "fitness"),
    "short fitness": (_short_fitness, "fitness"),
    "hall of fame too big": (_hof_too_big, "hof(_genes)?"),
}


@pytest.mark.parametrize("rehash", [False, True])
@pytest.mark.parametrize("lie", sorted(GENES))
def test_bad_arrays_in_the_last_checkpoint_never_reach_the_result(world, folder, lie, rehash):
    """The last generation's checkpoint is returned as the result without breeding: its
    arrays are checked all the same."""
    change, field = GENES[lie]
    path = edit(folder, LAST, change, rehash=rehash)
    refused(world, folder, path, field)


def test_untouched_checkpoints_resume_to_the_uninterrupted_run(world, plain, folder):
    assert em.evolve(world, CONFIG, checkpoint=folder) == plain
    for part in (".npz", ".json"):
        Checkpointer(folder).path(LAST).with_suffix(part).unlink()
    assert em.evolve(world, CONFIG, checkpoint=folder) == plain


def test_island_rng_edited_with_recomputed_digests_is_refused(world, tmp_path):
    config = em.EvolutionConfig(
        genome="planner", population=8, generations=2, episodes=2, seed=2, islands=2
    )
    em.evolve(world, config, checkpoint=tmp_path, checkpoint_every=1)

    def swap(meta, arrays):
        meta["rng"]["islands"].reverse()

    path = edit(tmp_path, config.generations, swap, rehash=True)
    with pytest.raises(em.ConfigError, match=rf"checkpoint {re.escape(str(path.parent))}.*rng"):
        em.evolve(world, config, checkpoint=tmp_path)


def test_extra_key_in_the_json_file_is_refused(world, folder):
    def extra(meta, arrays):
        meta["note"] = "hello"

    path = edit(folder, LAST, extra, rehash=True)
    refused(world, folder, path, "note")


@pytest.mark.parametrize("shape", ["large file", "bomb"])
def test_a_member_over_the_budget_is_refused_before_allocation(world, folder, monkeypatch, shape):
    """A genes member of 8 MiB (a large file, or a few KiB that inflate) under a 1 MiB
    budget: refused before its data is read (tracemalloc sees nothing near its size)."""
    big = np.zeros((CONFIG.population, 8 * 2**20 // 8 // CONFIG.population))

    def huge(meta, arrays):
        arrays["genes"] = big

    path = edit(folder, LAST, huge, rehash=True)
    if shape == "bomb":
        buf = io.BytesIO()
        with np.load(path) as z:
            np.savez_compressed(buf, **{k: z[k] for k in z.files})
        path.write_bytes(buf.getvalue())
        assert path.stat().st_size < 2**20
    else:
        assert path.stat().st_size > 8 * 2**20
    identity = json.loads(path.with_suffix(".json").read_text())["identity"]
    length = em.make_genome("planner", world).length
    monkeypatch.setenv("EVOMESA_MEMORY_BUDGET", "1MiB")
    tracemalloc.start()
    try:
        with pytest.raises(em.ConfigError, match=rf"checkpoint {re.escape(str(path))}"):
            Checkpointer(folder).latest(identity, length)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20


def test_a_json_file_over_the_budget_is_refused_before_reading(world, folder, monkeypatch):
    path = Checkpointer(folder).path(LAST).with_suffix(".json")
    path.write_bytes(path.read_bytes() + b" " * 8 * 2**20)
    identity = json.loads(path.read_text())["identity"]
    monkeypatch.setenv("EVOMESA_MEMORY_BUDGET", "1MiB")
    tracemalloc.start()
    try:
        with pytest.raises(em.ConfigError, match=rf"checkpoint {re.escape(str(path))}"):
            Checkpointer(folder).latest(identity)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20
