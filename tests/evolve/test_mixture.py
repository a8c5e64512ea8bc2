"""Training mixtures (per-episode regime draws) and per-generation tracking in em.evolve."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

import evomesa as em
from evomesa.evolve.mixture import draw_columns, main_regime, parse_regime_spec, regime_label

SMALL = {"genome": "planner", "population": 20, "generations": 3, "episodes": 4, "seed": 5}


@pytest.mark.parametrize(
    ("regime", "match"),
    [
        ({"ancestral": 0.9, "modern": 0.05}, "must sum to 1"),
        ({"ancestral": 1.1, "modern": -0.1}, r"regime\['ancestral'\] must be a probability"),
        ({"ancestral": float("nan")}, "must be a probability"),
        ({"ancestral": True}, "must be a probability"),
        ({1: 1.0}, "keys must be regime names"),
        ({}, "non-empty mapping"),
        (["ancestral"], "regime name or a non-empty mapping"),
    ],
)
def test_bad_mixtures_are_config_errors(regime, match):
    with pytest.raises(em.ConfigError, match=match):
        em.EvolutionConfig(regime=regime)


def test_unknown_regime_in_a_mixture_is_caught_against_the_world(world):
    config = em.EvolutionConfig(**SMALL, regime={"ancestral": 0.5, "mars": 0.5})
    with pytest.raises(em.ConfigError, match="config.regime"):
        em.evolve(world, config)


def test_a_mixture_is_copied_and_round_trips_through_json():
    weights = {"ancestral": 0.97, "modern": 0.03}
    config = em.EvolutionConfig(regime=weights)
    weights["modern"] = 0.5  # the config keeps its own copy
    assert config.regime == {"ancestral": 0.97, "modern": 0.03}
    again = em.EvolutionConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config
    assert config.regime_label == "ancestral=0.97,modern=0.03"
    with pytest.raises(TypeError, match="read-only"):
        config.regime["modern"] = 0.5
    assert hash(config) == hash(em.EvolutionConfig(regime={"ancestral": 0.97, "modern": 0.03}))
    assert pickle.loads(pickle.dumps(config)) == config


def test_parse_and_label_regime_specs():
    assert parse_regime_spec("modern") == "modern"
    assert parse_regime_spec("ancestral=0.97, modern=0.03") == {"ancestral": 0.97, "modern": 0.03}
    assert main_regime({"ancestral": 0.97, "modern": 0.03}) == "ancestral"
    assert main_regime({"a": 0.5, "b": 0.5}) == "a"
    assert regime_label("modern") == "modern"
    for bad in (
        "ancestral=x",
        "ancestral=0.5,modern",
        "ancestral=0.5,modern=0.4",
        "modern=0.5,modern=0.5",
    ):
        with pytest.raises(em.ConfigError, match="--train"):
            parse_regime_spec(bad)


def test_draws_follow_the_probabilities():
    rng = np.random.default_rng(0)
    columns = draw_columns({"ancestral": 0.75, "modern": 0.25}, 40_000, rng)
    share = columns.count("modern") / len(columns)
    assert share == pytest.approx(0.25, abs=0.01)
    assert set(draw_columns({"ancestral": 1.0, "modern": 0.0}, 1000, rng)) == {"ancestral"}


def test_a_pure_mixture_evolves_exactly_as_its_regime(world):
    plain = em.evolve(world, em.EvolutionConfig(**SMALL, regime="ancestral"))
    pure = em.evolve(world, em.EvolutionConfig(**SMALL, regime={"ancestral": 1.0, "modern": 0.0}))
    np.testing.assert_array_equal(plain.genes, pure.genes)
    assert pure.config.regime == {"ancestral": 1.0, "modern": 0.0}  # the result records it
    half = em.evolve(world, em.EvolutionConfig(**SMALL, regime={"ancestral": 0.5, "modern": 0.5}))
    assert not np.array_equal(plain.fitness, half.fitness)
    again = em.evolve(world, em.EvolutionConfig(**SMALL, regime={"ancestral": 0.5, "modern": 0.5}))
    np.testing.assert_array_equal(half.genes, again.genes)
    # the logbook records the dose actually drawn, generation by generation
    drawn = [rec["episodes:modern"] + rec["episodes:ancestral"] for rec in half.logbook]
    assert drawn == [SMALL["episodes"]] * (SMALL["generations"] + 1)
    assert all(rec["episodes:modern"] == 0 for rec in pure.logbook)


def test_tracking_logs_without_changing_evolution(world):
    config = em.EvolutionConfig(**SMALL)
    plain = em.evolve(world, config)
    tracked = em.evolve(world, config, track=("modern", "contraception_only"))
    np.testing.assert_array_equal(plain.genes, tracked.genes)
    for record in tracked.logbook:
        for regime in ("modern", "contraception_only"):
            fit = record[f"{regime}:fitness"]
            assert fit >= 0.0
            assert record[f"{regime}:retention"] == pytest.approx(
                fit / record["avg"] if record["avg"] > 0 else (1.0 if fit == 0 else 0.0)
            )
        assert {f"w_{d}" for d in world.drives} <= set(record)
        assert all(-1.0 <= record[f"w_{d}"] <= 1.0 for d in world.drives)
    assert "modern:fitness" not in plain.logbook[0]
    with pytest.raises(em.ConfigError, match="track"):
        em.evolve(world, config, track=("mars",))
    with pytest.raises(em.ConfigError, match="track must be a sequence"):
        em.evolve(world, config, track={"modern": 1})


def test_a_continued_run_records_where_it_started(world, tmp_path):
    first = em.evolve(world, em.EvolutionConfig(**SMALL))
    onward = em.EvolutionConfig(**{**SMALL, "regime": "modern", "seed": 6})
    more = em.evolve(world, onward, init=first)
    assert first.origin is None
    assert more.origin == {
        "init": "result",
        "world": "contraception",
        "regime": "ancestral",
        "seed": SMALL["seed"],
        "generations": SMALL["generations"],
    }
    assert em.load_result(more.save(tmp_path / "more")) == more
    assert em.evolve(world, onward, init=first.genes).origin == {"init": "genes"}
    other = em.make_world("contraception", gestation=5)
    with pytest.raises(em.ConfigError, match="init must be a result evolved with this world"):
        em.evolve(other, onward, init=first)
