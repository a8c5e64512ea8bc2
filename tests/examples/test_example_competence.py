"""examples/competence.py: evolved fitness against each architecture's hand-set agent."""

import pytest
from example_loader import load

from evomesa.cli import main
from evomesa.studies.competence import competence_of_run

SMALL = ["--population", "16", "--generations", "2", "--episodes", "2", "--drift-episodes",
         "4", "--replicates", "2", "--workers", "1", "--no-reference", "-q"]  # fmt: skip


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "run"
    genomes = ["--genome", "reflex", "reflex_net", "planner"]
    assert main(["run", "contraception", *SMALL, *genomes, "--out", str(out)]) == 0
    return out


def test_every_architecture_is_compared_with_its_hand_set_agent(small_run):
    rows = competence_of_run(small_run)
    assert [r.genome for r in rows] == ["reflex", "reflex_net", "planner"]
    for r in rows:
        assert r.runs == 2 and r.low <= r.evolved <= r.high
        # children per episode, of the best individual on fresh episodes (not the mean's
        # episodes, so it may fall below the mean in runs this short)
        assert 0.0 <= r.best < float("inf")
        # two generations from random genomes: far below an agent written to be competent
        assert r.hand_set is not None and r.hand_set > r.evolved
        assert r.converged == 0  # too few generations to call converged


def test_the_example_prints_one_row_per_architecture(small_run, capsys):
    table = load("competence").main([str(small_run)])
    assert table.count("| contraception (ancestral) |") == 3
    assert "hand-set" in capsys.readouterr().out
