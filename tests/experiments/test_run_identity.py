"""A run folder's identity: one written under the older verdict rule is refused, by name."""

from __future__ import annotations

import pytest

import evomesa as em
from evomesa.experiments.run_identity import check_identity, identity


def test_a_run_from_before_the_effect_threshold_is_refused_with_its_reason():
    world = em.make_world("contraception")
    config = em.EvolutionConfig(genome="planner", population=4, generations=1, episodes=1)
    exp = em.run_experiment(
        world, config, genomes=("planner",), replicates=1, episodes=1, reference=False
    )
    ident = identity(exp)
    assert check_identity(ident)["thresholds"] == em.Thresholds().to_dict()
    del ident["thresholds"]["effect_threshold"]
    with pytest.raises(em.ConfigError, match="older verdict rule.*re-run it"):
        check_identity(ident)
