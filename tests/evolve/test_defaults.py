"""Per-genome default operators (evomesa.evolve.defaults): what a None operator setting
becomes, that given values are kept exactly, that the result records what was used, and that
configs saved before the defaults existed still load and rerun as they were made."""

from __future__ import annotations

import json

import pytest

import evomesa as em
from evomesa.evolve.defaults import CLASSIC, OPERATOR_DEFAULTS, OPERATOR_FIELDS
from evomesa.genomes import make_genome


def _small(**kw):
    base = dict(population=20, generations=3, episodes=2, seed=3)
    return em.EvolutionConfig(**{**base, **kw})


@pytest.mark.parametrize("genome", ["reflex", "reflex_net", "planner", "hybrid"])
def test_none_settings_become_the_genome_defaults(world, genome):
    length = make_genome(genome, world).length
    spec = OPERATOR_DEFAULTS[genome]
    config = em.EvolutionConfig(genome=genome).resolved(world)
    assert config.tournament_size == spec.tournament
    assert config.mutation_rate == min(1.0, spec.mutations / length)
    assert config.mutation_sigma == spec.sigma
    assert config.generations == spec.generations
    assert config.regime == world.default_shift[0]


def test_planners_evolve_for_fewer_generations_than_reflexes(world):
    # planners plateau within 25 generations; reflexes still climb at 300
    gens = {g: em.EvolutionConfig(genome=g).resolved(world).generations for g in OPERATOR_DEFAULTS}
    assert gens == {"reflex": 300, "reflex_net": 300, "planner": 100, "hybrid": 300}
    classic = em.EvolutionConfig(genome="planner", operator_defaults="classic")
    assert classic.resolved(world).generations == 300
    assert em.EvolutionConfig(genome="planner", generations=7).resolved(world).generations == 7


def test_a_world_whose_reflexes_need_more_generations_gets_them():
    # strawberry: nothing is selected until a whole pick, carry and drop chain exists
    straw = em.make_world("strawberry")
    assert straw.reflex_generations == 900
    gens = {g: em.EvolutionConfig(genome=g).resolved(straw).generations for g in OPERATOR_DEFAULTS}
    assert gens == {"reflex": 900, "reflex_net": 900, "planner": 100, "hybrid": 900}
    classic = em.EvolutionConfig(genome="reflex", operator_defaults="classic")
    assert classic.resolved(straw).generations == 300  # the classic rule, as it was
    assert em.EvolutionConfig(genome="reflex", generations=7).resolved(straw).generations == 7


def test_a_world_declaring_a_malformed_reflex_budget_is_refused():
    from evomesa.worlds.registry import check_declared_class
    from evomesa.worlds.strawberry.world import StrawberryWorld

    for bad in (0, 2.5, True, "900"):
        odd = type("Odd", (StrawberryWorld,), {"reflex_generations": bad})
        with pytest.raises(em.ConfigError, match="reflex_generations must be None or an int"):
            check_declared_class(odd)


def test_given_values_are_kept_exactly_and_the_rest_resolved(world):
    config = em.EvolutionConfig(genome="reflex", mutation_rate=0.0123456789).resolved(world)
    assert config.mutation_rate == 0.0123456789
    assert config.tournament_size == OPERATOR_DEFAULTS["reflex"].tournament
    given = em.EvolutionConfig(
        genome="reflex_net",
        generations=12,
        tournament_size=2,
        mutation_rate=0.5,
        mutation_sigma=0.01,
    )
    assert given.resolved(world) == given.for_world(world)


def test_the_classic_rule_is_the_old_one(world):
    for genome in ("reflex", "planner"):
        length = make_genome(genome, world).length
        c = em.EvolutionConfig(genome=genome, operator_defaults="classic").resolved(world)
        assert (c.tournament_size, c.mutation_rate, c.mutation_sigma) == (3, 1.0 / length, 0.1)
    assert CLASSIC.tournament == 3
    with pytest.raises(em.ConfigError, match="operator_defaults"):
        em.EvolutionConfig(operator_defaults="newest")


def test_the_result_records_the_values_used_and_reruns_from_them(world, tmp_path):
    result = em.evolve(world, _small(genome="reflex"))
    assert all(getattr(result.config, k) is not None for k in OPERATOR_FIELDS)
    assert result.config == _small(genome="reflex").resolved(world)
    again = em.evolve(world, result.config)  # the recorded config reruns the same run
    assert again == result
    loaded = em.load_result(result.save(tmp_path / "r"))
    assert loaded.config == result.config
    meta = json.loads((tmp_path / "r" / "result.json").read_text())
    assert meta["config"]["mutation_rate"] == result.config.mutation_rate
    assert meta["config"]["operator_defaults"] == "genome"


def test_a_result_saved_before_the_defaults_loads_under_the_classic_rule(world, tmp_path):
    # what evomesa wrote before: no operator_defaults, mutation_rate null, sigma 0.1, t 3
    old = em.evolve(world, _small(genome="reflex", operator_defaults="classic"))
    path = old.save(tmp_path / "old")
    meta = json.loads((path / "result.json").read_text())
    del meta["config"]["operator_defaults"]
    del meta["convergence"]
    meta["config"]["mutation_rate"] = None
    (path / "result.json").write_text(json.dumps(meta))
    loaded = em.load_result(path)
    length = make_genome("reflex", world).length
    assert loaded.config.operator_defaults == "classic"
    assert loaded.config.mutation_rate == 1.0 / length
    assert loaded == old
    # rerunning the loaded config gives the old run exactly
    assert em.evolve(world, loaded.config) == old


def test_a_saved_config_edited_to_another_rate_is_refused(world, tmp_path):
    path = em.evolve(world, _small(genome="planner")).save(tmp_path / "r")
    meta = json.loads((path / "result.json").read_text())
    meta["config"]["mutation_rate"] = None  # a new-style config must be resolved
    (path / "result.json").write_text(json.dumps(meta))
    with pytest.raises(em.ConfigError, match="config"):
        em.load_result(path)


def test_toolbox_uses_the_resolved_operators(world):
    tb = em.make_toolbox(world, em.EvolutionConfig(genome="reflex"))
    resolved = em.EvolutionConfig(genome="reflex").resolved(world)
    assert tb.mutate.keywords["rate"] == resolved.mutation_rate
    assert tb.select.keywords["tournsize"] == resolved.tournament_size


def test_a_small_table_is_not_shredded_by_three_mutations_per_child():
    from evomesa.evolve.defaults import default_operators

    # at most one entry in eight, but never below one mutation per child
    assert default_operators("reflex", 288)["mutation_rate"] == 3 / 288
    assert default_operators("reflex", 16)["mutation_rate"] == 0.125
    assert default_operators("reflex", 6)["mutation_rate"] == 1 / 6
    assert default_operators("hybrid", 16)["mutation_rate"] == 0.125
    # networks and planners have no ceiling below one
    assert default_operators("planner", 3)["mutation_rate"] == 1 / 3
