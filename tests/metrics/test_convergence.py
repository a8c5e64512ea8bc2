"""The convergence rule (evomesa.metrics.convergence) on hand-made logbooks."""

from __future__ import annotations

import json

import numpy as np
import pytest

import evomesa as em
from evomesa.metrics.convergence import MIN_WINDOW, Convergence, convergence

GENS = 301  # generation 0 and 300 of selection, the default budget


def test_a_run_still_rising_has_not_converged():
    c = convergence(np.linspace(0.0, 10.0, GENS))
    assert not c.converged
    assert c.late_improvement == pytest.approx(2.0)  # the last fifth: 61 generations of 1/30
    assert c.progress == pytest.approx(9.0)
    assert c.window == 61


def test_a_flat_run_has_converged():
    c = convergence(np.full(GENS, 5.0))
    assert c.converged
    assert (c.late_improvement, c.progress, c.noise) == (0.0, 0.0, 0.0)


def test_a_noisy_flat_run_has_converged_on_almost_every_draw():
    rng = np.random.default_rng(0)
    draws = [convergence(5.0 + 0.3 * rng.standard_normal(GENS)).converged for _ in range(200)]
    assert sum(draws) >= 190  # a one-sided test at about 2.3 %: a few false alarms at most


def test_a_run_that_rose_then_levelled_off_has_converged_despite_noise():
    rng = np.random.default_rng(1)
    mean = np.r_[np.linspace(0.0, 8.0, 120), np.full(GENS - 120, 8.0)]
    assert all(convergence(mean + 0.2 * rng.standard_normal(GENS)).converged for _ in range(20))


def test_a_slow_noisy_rise_is_still_improving():
    # the reflex table of issue 19: about 5 at generation 300, still gaining about half a
    # child per hundred generations; noise as large as a generation's mean fitness jitters
    rng = np.random.default_rng(2)
    mean = np.r_[np.linspace(0.0, 3.5, 200), np.linspace(3.5, 5.0, GENS - 200)]
    runs = [convergence(mean + 0.15 * rng.standard_normal(GENS)) for _ in range(20)]
    assert not any(c.converged for c in runs)
    assert all(c.late_improvement > 0.0 for c in runs)


def test_a_declining_run_is_not_still_improving():
    assert convergence(np.r_[np.linspace(0, 5, 200), np.linspace(5, 4, GENS - 200)]).converged


def test_a_run_too_short_to_judge_has_not_converged():
    for n in (0, 1, 2, 5, 20):
        c = convergence(np.full(n, 3.0))
        assert not c.converged
        assert c.window < MIN_WINDOW
        assert all(np.isfinite([c.late_improvement, c.progress, c.noise]))
    assert convergence(np.full(21, 3.0)).converged  # 20 generations of selection: judged


def test_convergence_round_trips_through_json_and_refuses_bad_input():
    c = convergence(np.linspace(0.0, 1.0, 50) ** 0.5)
    assert Convergence.from_dict(json.loads(json.dumps(c.to_dict()))) == c
    with pytest.raises(em.ConfigError, match="converged"):
        Convergence.from_dict({**c.to_dict(), "converged": 1})
    with pytest.raises(em.ConfigError, match="noise"):
        Convergence.from_dict({**c.to_dict(), "noise": float("nan")})
    with pytest.raises(em.ConfigError, match="finite"):
        convergence([1.0, float("inf"), 2.0])
