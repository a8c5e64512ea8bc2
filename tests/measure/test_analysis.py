"""Knock-outs and intervals over independent runs."""

import numpy as np
import pytest

import evomesa as em
from evomesa.measure.knockouts import knock_out_drives
from evomesa.metrics.runs import interval_over_runs


def test_knocking_out_the_only_drive_that_attracts_a_planner_stops_it(world):
    genome = em.make_genome("planner", world)
    # eats by satiety alone, mates by sex alone
    genes = np.repeat(genome.encode([[0.8, 0.0, 0.5, 0.0, 0.0]], 6, 0.9), 4, axis=0)
    out = knock_out_drives(world, genes, "planner", episodes=16, seed=2)
    assert set(out) == {"intact", *world.drives}
    assert out["intact"] > 1.0
    assert out["sex"] == 0.0  # nothing else makes it mate
    # a weight that was already 0 changes nothing: same episodes, same fitness, exactly
    assert out["sweet"] == out["offspring"] == out["toil"] == out["intact"]
    with pytest.raises(em.ConfigError, match="drives"):
        knock_out_drives(world, genes, "planner", drives=("greed",))
    with pytest.raises(em.ConfigError, match="weights"):
        knock_out_drives(world, np.full((2, world.n_observations), 0.5), "reflex")


def test_interval_over_runs_is_a_t_interval():
    mean, lo, hi = interval_over_runs([1.0, 2.0, 3.0])
    assert mean == 2.0
    assert hi - mean == pytest.approx(4.302653 * 1.0 / np.sqrt(3), rel=1e-6)  # t(0.975, 2)
    assert mean - lo == pytest.approx(hi - mean)
    assert interval_over_runs([0.5]) == (0.5, 0.5, 0.5)
    assert interval_over_runs([0.2, 0.2]) == (0.2, 0.2, 0.2)
    for bad in ([], [np.nan, 1.0], [[1.0]]):
        with pytest.raises(em.ConfigError, match="values"):
            interval_over_runs(bad)
