"""A run saved before its world declared its reflexes' own budget is refused with the reason."""

import pytest

import evomesa as em
from evomesa.experiments import run_io
from evomesa.worlds.strawberry.world import StrawberryWorld


def test_a_strawberry_run_from_before_the_reflex_budget_says_why_it_cannot_be_read(
    tmp_path, monkeypatch
):
    world = em.make_world("strawberry")
    config = em.EvolutionConfig(population=6, episodes=1, seed=3)  # generations left at None
    with monkeypatch.context() as before:  # the world as it was: no budget of its own
        before.setattr(StrawberryWorld, "reflex_generations", None)
        exp = em.run_experiment(
            world, config, genomes=("reflex",), replicates=1, episodes=1, progress=False
        )
        run_io.save_experiment(exp, tmp_path / "run")
        assert exp.runs["reflex"][0].result.config.generations == 300
        run_io.load_experiment(tmp_path / "run")  # readable under the rule it was made with
    with pytest.raises(em.ConfigError, match="before strawberry's reflexes got their own budget"):
        run_io.load_experiment(tmp_path / "run")
