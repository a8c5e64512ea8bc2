"""Vectorised genetic operators."""

import random

import numpy as np
import pytest
from deap import tools

from evomesa.evolve.operators import (
    mixed_mutation,
    per_individual,
    tournament_select,
    uniform_crossover,
)


def test_tournament_of_the_whole_population_always_picks_the_best(rng):
    fitness = rng.random(30)
    winners = tournament_select(fitness, 50, rng, tournsize=300)
    assert (winners == np.argmax(fitness)).all()


def test_tournament_selection_prefers_fitter_individuals(rng):
    fitness = np.arange(100.0)
    winners = tournament_select(fitness, 10_000, rng, tournsize=3)
    # expected mean rank of the best of 3 uniform draws is 3/4 of the range
    assert abs(winners.mean() / 99 - 0.75) < 0.02


def test_uniform_crossover_only_swaps_genes_between_partners(rng):
    a, b = rng.random((50, 8)), rng.random((50, 8))
    c, d = uniform_crossover(a, b, rng, rate=1.0)
    assert ((c == a) | (c == b)).all()
    np.testing.assert_array_equal(
        np.sort(np.stack([c, d]), axis=0), np.sort(np.stack([a, b]), axis=0)
    )
    assert (c != a).any()
    e, f = uniform_crossover(a, b, rng, rate=0.0)
    np.testing.assert_array_equal(e, a)
    np.testing.assert_array_equal(f, b)


def test_mixed_mutation_stays_in_bounds_and_respects_gene_kinds(rng):
    genes = rng.random((400, 6))
    categorical = np.array([True, True, True, False, False, False])
    out = mixed_mutation(genes, rng, categorical, rate=1.0, sigma=0.9)
    assert out.min() >= 0.0 and out.max() <= 1.0
    small = mixed_mutation(genes, rng, categorical, rate=1.0, sigma=0.01)
    assert np.abs(small[:, 3:] - genes[:, 3:]).max() < 0.1  # nudged
    assert np.abs(small[:, :3] - genes[:, :3]).max() > 0.5  # redrawn
    np.testing.assert_array_equal(mixed_mutation(genes, rng, categorical, 0.0, 0.5), genes)


def test_per_individual_adapter_runs_stock_deap_operators_and_restores_random(rng):
    random.seed(99)
    before = random.getstate()
    mutate = per_individual(tools.mutGaussian, mu=0.0, sigma=0.2, indpb=1.0)
    genes = np.full((5, 4), 0.5)
    out = mutate(genes, rng)
    assert random.getstate() == before
    assert (out != 0.5).all() and out.min() >= 0 and out.max() <= 1
    np.testing.assert_array_equal(genes, 0.5)  # input untouched


def test_bernoulli_positions_match_independent_trials(rng):
    from evomesa.evolve.operators import bernoulli_positions

    size, rate = 5_000, 0.01
    counts = np.zeros(size)
    totals = []
    for _ in range(400):
        pos = bernoulli_positions(size, rate, rng)
        assert (np.diff(pos) > 0).all() and pos.min(initial=0) >= 0 and pos.max(initial=0) < size
        counts[pos] += 1
        totals.append(len(pos))
    # Binomial(5000, 0.01): mean 50, sd ~7; uniform over positions
    assert abs(np.mean(totals) - 50) < 1.5
    assert abs(np.std(totals) - np.sqrt(size * rate * (1 - rate))) < 1.0
    halves = counts[: size // 2].sum(), counts[size // 2 :].sum()
    assert abs(halves[0] - halves[1]) < 0.1 * sum(halves)
    assert len(bernoulli_positions(size, 0.0, rng)) == 0
    assert len(bernoulli_positions(10, 1.0, rng)) == 10
    assert len(bernoulli_positions(3, 0.9999, rng)) <= 3


@pytest.mark.parametrize("rate", [9.65519689159114e-293, 5e-324, 1e-30, 1e-12])
def test_bernoulli_positions_end_for_vanishing_rates(rng, rate):
    """numpy draws geometric gaps of 2**63 - 1 for such rates; their running sum used to wrap
    negative and the draw never ended (a config with mutation_rate=1e-292 hung evolution)."""
    from evomesa.evolve.operators import bernoulli_positions

    for size in (1, 7, 10_000):
        pos = bernoulli_positions(size, rate, rng)
        assert pos.dtype == np.int64 and len(pos) == 0


def test_bernoulli_positions_draw_the_same_as_before_the_overflow_guard():
    """The guard only caps gaps past the last trial: ordinary rates give the same positions
    from the same stream as an uncapped draw."""
    from evomesa.evolve.operators import bernoulli_positions

    for rate in (0.001, 0.05, 0.5):
        rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
        got = bernoulli_positions(2_000, rate, rng_a)
        expected = 2_000 * rate
        batch = int(expected + 4.0 * np.sqrt(expected)) + 16
        chunks, last = [], -1  # the uncapped draw, from the same geometric gaps
        while True:
            positions = last + np.cumsum(rng_b.geometric(rate, size=batch))
            chunks.append(positions[positions < 2_000])
            if positions[-1] >= 2_000:
                want = np.concatenate(chunks)
                break
            last = int(positions[-1])
        np.testing.assert_array_equal(got, want)


def test_uniform_crossover_swaps_about_half_the_genes(rng):
    a, b = np.zeros((400, 13)), np.ones((400, 13))
    c, _ = uniform_crossover(a, b, rng, rate=1.0)
    assert abs(c.mean() - 0.5) < 0.02
    assert abs(c[:, -1].mean() - 0.5) < 0.1  # the last, partial byte too
    c, _ = uniform_crossover(a, b, rng, rate=1.0, indpb=0.1)
    assert abs(c.mean() - 0.1) < 0.02
