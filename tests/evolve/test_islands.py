"""The island model: migration by DEAP's migRing, joint logbook, same seed same result."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import evomesa as em
from evomesa.evolve import checkpoint
from evomesa.evolve.islands import Segment, migrate

CONFIG = em.EvolutionConfig(
    genome="hybrid",
    population=24,
    generations=7,
    episodes=2,
    seed=5,
    islands=3,
    migration_interval=3,
    migrants=2,
)


@pytest.fixture(scope="module")
def islands(world) -> em.EvolutionResult:
    return em.evolve(world, CONFIG)


def test_island_run_shapes_logbook_and_hall_of_fame(islands):
    assert islands.genes.shape[0] == 24 and islands.fitness.shape == (24,)
    assert islands.logbook.select("gen") == list(range(8))
    assert set(islands.logbook.select("nevals")) == {24}
    assert len(islands.hall_of_fame) == CONFIG.hall_of_fame
    # the hall of fame holds the best fitness any island reached
    assert islands.hall_of_fame[0].fitness.values[0] == max(islands.logbook.select("max"))


def test_island_logbook_has_the_single_population_keys(world, islands):
    single = em.evolve(world, em.EvolutionConfig(genome="hybrid", population=8, generations=1))
    assert set(islands.logbook[0]) == set(single.logbook[0])
    # contraception: performance is fitness, so their means agree generation by generation
    np.testing.assert_allclose(
        islands.logbook.select("performance"), islands.logbook.select("avg")
    )


def test_same_seed_same_result_and_save_load(world, islands, tmp_path):
    assert em.evolve(world, CONFIG) == islands
    assert em.load_result(islands.save(tmp_path)) == islands


def test_migration_changes_the_run(world, islands):
    from dataclasses import replace

    apart = em.evolve(world, replace(CONFIG, migration_interval=100))
    assert apart.logbook[:3] == islands.logbook[:3]  # identical until the first migration
    assert apart != islands


def test_migrate_moves_the_best_into_the_next_islands_worst():
    g0, g1 = np.arange(3.0)[:, None] + [0.0], np.arange(3.0)[:, None] + [10.0]
    segs = [Segment(g0, np.array([1.0, 5.0, 3.0]), []), Segment(g1, np.array([2.0, 0.0, 4.0]), [])]
    (genes0, fit0), (genes1, fit1) = migrate(segs, 1)
    # island 0's best (row 1, fitness 5) replaced island 1's worst (row 1, fitness 0)
    assert fit1.tolist() == [2.0, 5.0, 4.0] and genes1[1, 0] == 1.0
    # island 1's best (row 2, fitness 4) replaced island 0's worst (row 0, fitness 1)
    assert fit0.tolist() == [4.0, 5.0, 3.0] and genes0[0, 0] == 12.0


def test_islands_with_a_mixture(world):
    cfg = em.EvolutionConfig(
        population=8,
        generations=2,
        episodes=4,
        islands=2,
        regime={"ancestral": 0.5, "modern": 0.5},
    )
    r = em.evolve(world, cfg)
    assert all(rec["episodes:ancestral"] + rec["episodes:modern"] == 8 for rec in r.logbook)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"population": 10, "islands": 3}, "multiple of islands"),
        ({"population": 10, "islands": 6}, "islands must be"),
        ({"population": 12, "islands": 3, "migrants": 4}, "migrants"),
        ({"population": 12, "islands": 3, "migration_interval": 0}, "migration_interval"),
        ({"population": 12, "islands": 3, "elite": 4}, "elite"),
    ],
)
def test_bad_island_configs(kwargs, match):
    with pytest.raises(em.ConfigError, match=match):
        em.EvolutionConfig(**kwargs)


def test_unsupported_island_options_are_refused(world):
    with pytest.raises(em.ConfigError, match="track must be None with islands"):
        em.evolve(world, CONFIG, track=("modern",))


def test_island_checkpoints_resume_to_the_uninterrupted_run(world, islands, tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "KEEP", 100)  # keep every checkpoint, to resume from each
    assert em.evolve(world, CONFIG, checkpoint=tmp_path / "all") == islands
    files = checkpoint.Checkpointer(tmp_path / "all").files()
    # after each migration (generations 2 and 5) and at the end (7)
    assert [g for g, _ in files] == [7, 5, 2]
    for gen, path in files:
        one = tmp_path / f"from-{gen}"
        one.mkdir()
        for part in (path, path.with_suffix(".json")):  # the arrays and their JSON file
            shutil.copy(part, one / part.name)
        calls = []
        resumed = em.evolve(
            world, CONFIG, checkpoint=one, progress=lambda g, r, calls=calls: calls.append(g)
        )
        assert resumed == islands
        assert calls == list(range(gen + 1, CONFIG.generations + 1))


def test_island_checkpoint_every_counts_generations(world, islands, tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "KEEP", 100)
    assert em.evolve(world, CONFIG, checkpoint=tmp_path, checkpoint_every=5) == islands
    # a migration state once 5 generations have passed since the last one, and the end
    assert [g for g, _ in checkpoint.Checkpointer(tmp_path).files()] == [7, 5]


def test_ctrl_c_in_an_island_run_checkpoints_the_last_migration(world, islands, tmp_path):
    def interrupt(gen, record):
        if gen == 4:
            raise KeyboardInterrupt

    with pytest.raises(checkpoint.CheckpointInterrupt) as caught:
        em.evolve(world, CONFIG, checkpoint=tmp_path, checkpoint_every=100, progress=interrupt)
    assert caught.value.gen == 2  # the migration after generation 2, written on Ctrl-C
    assert em.evolve(world, CONFIG, checkpoint=tmp_path) == islands


def test_islands_inside_a_pool_task_finish_and_equal_a_plain_run(world):
    # a replicate on a pool or Dask worker runs inside one_at_a_time, holding the process's
    # kernel lock; its islands went through one_at_a_time again and waited on that lock for
    # ever (`evomesa run --islands 2 --workers 2` hung); a thread timeout turns a
    # regression into a failure instead of a hung test run
    from concurrent.futures import ThreadPoolExecutor

    from evomesa.executors import InProcessExecutor, one_at_a_time

    cfg = em.EvolutionConfig(genome="planner", population=8, generations=3, episodes=2, islands=2)
    with ThreadPoolExecutor(1) as pool:
        nested = pool.submit(one_at_a_time, em.evolve, world, cfg)
        assert nested.result(timeout=120) == em.evolve(world, cfg)
        # a client handed in from within a task is not used: another thread of this
        # process would wait for the lock the task holds
        inner = pool.submit(
            one_at_a_time, lambda: em.evolve(world, cfg, client=ThreadPoolExecutor(2))
        )
        assert inner.result(timeout=120) == em.evolve(world, cfg, client=InProcessExecutor())
