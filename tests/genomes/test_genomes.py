"""Genome encodings: bounds, decoding, and the planner's hand-set encoding."""

import numpy as np
import pytest

import evomesa as em
from evomesa.genomes import make_genome
from evomesa.genomes.base import as_genes, unit_to_int
from evomesa.genomes.planner import GAMMA_HIGH, GAMMA_LOW


def test_unit_to_int_covers_every_value_with_equal_bins():
    genes = np.linspace(0.0, 1.0, 1001)
    values = unit_to_int(genes, 1, 5)
    assert values.min() == 1 and values.max() == 5
    counts = np.bincount(values)[1:]
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("kind", ["reflex", "planner", "hybrid"])
def test_decoded_traits_stay_in_their_ranges(world, kind, rng):
    genome = make_genome(kind, world)
    genes = np.vstack([genome.random(rng, 200), np.zeros(genome.length), np.ones(genome.length)])
    b = genome.decode(genes)
    assert b.table.shape == (202, world.n_observations)
    assert b.table.min() >= 0 and b.table.max() < len(world.actions)
    assert np.all(np.abs(b.weights) <= 1.0)
    planners = b.arch == 1
    assert np.all((b.horizon[planners] >= 1) & (b.horizon[planners] <= world.max_horizon))
    assert np.all(b.horizon[~planners] == 0) if kind == "hybrid" else True
    assert genome.categorical.shape == (genome.length,)


def test_architecture_flags(world, rng):
    n_obs = world.n_observations
    assert (make_genome("reflex", world).decode(np.full((3, n_obs), 0.5)).arch == 0).all()
    hybrid = make_genome("hybrid", world)
    genes = hybrid.random(rng, 10)
    genes[:5, 0], genes[5:, 0] = 0.2, 0.8
    assert hybrid.decode(genes).arch.tolist() == [0] * 5 + [1] * 5
    assert hybrid.gene_names[0] == "switch" and hybrid.length == 1 + n_obs + 7


def test_planner_encode_is_the_inverse_of_decode(world):
    planner = make_genome("planner", world)
    weights = np.array([[0.5, -0.25, 1.0, -1.0, 0.0], [0.0, 0.1, 0.2, 0.3, -0.7]])
    genes = planner.encode(weights, [1, world.max_horizon], [GAMMA_LOW, GAMMA_HIGH])
    np.testing.assert_allclose(planner.weights(genes), weights)
    assert planner.horizon(genes).tolist() == [1, world.max_horizon]
    np.testing.assert_allclose(planner.gamma(genes), [GAMMA_LOW, GAMMA_HIGH])
    assert set(planner.describe(genes)) == {
        "w_satiety",
        "w_sweet",
        "w_sex",
        "w_offspring",
        "w_toil",
        "horizon",
        "gamma",
    }


def test_as_genes_rejects_bad_populations():
    assert as_genes([[0.1, 0.2]], 2).shape == (1, 2)
    with pytest.raises(em.ConfigError, match=r"shape \(n >= 1, 3\)"):
        as_genes(np.zeros((4, 2)), 3)
    with pytest.raises(em.ConfigError, match=r"\[0, 1\]"):
        as_genes([[0.1, 1.5]], 2)
    with pytest.raises(em.ConfigError, match="population"):
        as_genes([[0.1], [0.1, 0.2]], 2)
    with pytest.raises(em.ConfigError, match="finite"):
        as_genes([[0.1, np.nan]], 2)
    for silently_converted in ([["0.1", "0.2"]], [[0.1 + 0j, 0.2]], [[True, False]]):
        with pytest.raises(em.ConfigError, match="real numbers"):
            as_genes(silently_converted, 2)
    with pytest.raises(em.ConfigError, match="genome"):
        make_genome("insect", em.make_world("contraception"))


@pytest.mark.parametrize(
    ("weights", "horizon", "gamma", "name"),
    [
        ([[0, 0, 1, 5, 0]], 10, 0.9, "weights"),
        ([[0, 0, 1, 1]], 10, 0.9, "weights"),
        ([[0, 0, 1, np.nan, 0]], 10, 0.9, "weights"),
        ([[0, 0, 1, 1, 0]], 0, 0.9, "horizon"),
        ([[0, 0, 1, 1, 0]], 41, 0.9, "horizon"),
        ([[0, 0, 1, 1, 0]], 10.5, 0.9, "horizon"),
        ([[0, 0, 1, 1, 0]], 10, 0.1, "gamma"),
        ([[0, 0, 1, 1, 0], [0, 0, 1, 1, 0]], [1, 2, 3], 0.9, "horizon"),
    ],
)
def test_planner_encode_rejects_instead_of_clipping(world, weights, horizon, gamma, name):
    with pytest.raises(em.ConfigError, match=name):
        make_genome("planner", world).encode(weights, horizon, gamma)


def test_hybrid_describe_reports_planner_traits_of_planner_rows_only(world, rng):
    hybrid = make_genome("hybrid", world)
    genes = hybrid.random(rng, 10)
    genes[:4, 0], genes[4:, 0] = 0.1, 0.9
    traits = hybrid.describe(genes)
    assert traits["architecture"].tolist() == [0] * 4 + [1] * 6
    assert len(traits["horizon"]) == 6 and len(traits["w_sex"]) == 6
    np.testing.assert_array_equal(traits["horizon"], hybrid.decode(genes).horizon[4:])


def test_reflex_encode_is_the_inverse_of_decode(world, rng):
    reflex = make_genome("reflex", world)
    table = rng.integers(0, len(world.actions), size=(3, world.n_observations))
    np.testing.assert_array_equal(reflex.decode(reflex.encode(table)).table, table)
    with pytest.raises(em.ConfigError, match="table"):
        reflex.encode(np.full((1, world.n_observations), len(world.actions)))


@pytest.mark.parametrize("kind", ["planner", "hybrid"])
def test_knock_out_sets_exactly_one_weight_to_zero(world, rng, kind):
    genome = make_genome(kind, world)
    genes = genome.random(rng, 20)
    if kind == "hybrid":
        genes[:, 0] = 0.9  # planners
    before = genome.decode(genes)
    after = genome.decode(genome.knock_out(genes, "sweet"))
    sweet = world.drives.index("sweet")
    assert (after.weights[:, sweet] == 0.0).all()
    others = [d for d in range(len(world.drives)) if d != sweet]
    np.testing.assert_array_equal(after.weights[:, others], before.weights[:, others])
    np.testing.assert_array_equal(after.horizon, before.horizon)
    with pytest.raises(em.ConfigError, match="drive"):
        genome.knock_out(genes, "greed")
    with pytest.raises(em.ConfigError, match="weights"):
        make_genome("reflex", world).knock_out(genes, "sweet")


def test_make_genome_rejects_a_non_world():
    with pytest.raises(em.ConfigError, match="World"):
        make_genome("planner", "contraception")


@pytest.mark.parametrize("dtype", [np.complex128, np.str_, np.bool_, object])
def test_empty_genes_of_a_non_real_dtype_are_refused_not_cast(dtype):
    """An empty population is allowed, but only of real numbers: casting an empty complex or
    text array to float would silently accept what a non-empty one refuses."""
    genome = em.make_genome("planner", em.make_world("contraception"))
    with pytest.raises(em.ConfigError, match="genes"):
        genome.describe(np.empty((0, genome.length), dtype=dtype))
