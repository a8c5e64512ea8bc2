"""A result's convergence (evomesa.metrics.convergence) in the result, its saved JSON and the
drift report measured from it."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

import evomesa as em


def _small(**kw):
    base = dict(population=20, generations=3, episodes=2, seed=3)
    return em.EvolutionConfig(**{**base, **kw})


def test_the_result_carries_its_convergence_through_save_and_load(world, tmp_path):
    result = em.evolve(world, _small(genome="planner", generations=24))
    c = result.convergence
    assert c.window == 5 and result.converged == c.converged
    assert result.late_improvement == c.late_improvement
    path = result.save(tmp_path / "r")
    meta = json.loads((path / "result.json").read_text())
    assert meta["convergence"] == c.to_dict()
    assert em.load_result(path).convergence == c
    meta["convergence"]["converged"] = not c.converged  # a file that claims otherwise
    (path / "result.json").write_text(json.dumps(meta))
    with pytest.raises(em.ConfigError, match="convergence"):
        em.load_result(path)


def test_measure_drift_reports_the_convergence_of_the_result(world):
    result = em.evolve(world, _small(genome="planner", generations=24))
    report = em.measure_drift(world, result, episodes=4, n_boot=10)
    assert report.converged == result.converged
    assert report.late_improvement == result.late_improvement
    back = em.DriftReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert back == report
    bare = em.measure_drift(world, result.genes, genome="planner", episodes=4, n_boot=10)
    assert bare.converged is None and "converged" not in bare.to_dict()
    old = replace(report, converged=None, late_improvement=None).to_dict()
    assert em.DriftReport.from_dict(old).converged is None
    with pytest.raises(em.ConfigError, match="converged"):
        em.DriftReport.from_dict({**old, "converged": "yes", "late_improvement": 0.0})
    assert np.isfinite(report.late_improvement)
