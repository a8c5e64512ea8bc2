"""The reflex network genome: names, bounds, encode/decode, knock-outs, its place in hybrids."""

import numpy as np
import pytest

import evomesa as em
from evomesa.agents import NET, PLANNER
from evomesa.genomes import HybridGenome, ReflexNetGenome, genomes_of
from evomesa.genomes.reflex_net import WEIGHT_SCALE


@pytest.fixture(scope="module")
def world():
    return em.make_world("contraception")


@pytest.fixture(scope="module", params=["tied", "untied"])
def genome(world, request):
    """The default (tied across turns, in contraception) network, and the untied one."""
    tied = em.make_genome("reflex_net", world)
    return tied if request.param == "tied" else tied.untied()


def test_a_gene_is_named_for_every_parameter(world, genome):
    assert len(genome.gene_names) == genome.length == len(set(genome.gene_names))
    assert f"net.in[h0,{world.features[0].name}]" in genome.gene_names
    assert f"net.bias[{world.actions[-1]}]" in genome.gene_names
    linear = ReflexNetGenome(
        tuple(f.name for f in world.features), world.actions, world.n_observations, 5, hidden=0
    )
    assert linear.length == len(world.actions) * (len(world.features) + 1)
    assert len(linear.gene_names) == linear.length


def test_genes_span_the_parameter_range_and_encode_inverts_decode(genome):
    rng = np.random.default_rng(0)
    genes = genome.random(rng, 5)
    brains = genome.decode(genes)
    assert brains.arch.tolist() == [NET] * 5
    assert np.abs(brains.net).max() <= WEIGHT_SCALE
    np.testing.assert_allclose(genome.encode(brains.net), genes, atol=1e-12)
    ends = genome.decode(np.array([[0.0] * genome.length, [1.0] * genome.length]))
    assert ends.net[0].tolist() == [-WEIGHT_SCALE] * genome.n_parameters
    assert ends.net[1].tolist() == [WEIGHT_SCALE] * genome.n_parameters


def test_encode_refuses_parameters_out_of_range(genome):
    with pytest.raises(em.ConfigError, match="parameters must be finite and lie in"):
        genome.encode(np.full((1, genome.n_parameters), WEIGHT_SCALE + 0.1))
    with pytest.raises(em.ConfigError, match="parameters must have shape"):
        genome.encode(np.zeros((1, genome.n_parameters + 1)))


def test_a_feature_knock_out_zeroes_exactly_its_input_weights(world, genome):
    genes = genome.random(np.random.default_rng(1), 3)
    feature = world.features[4].name
    out = genome.knock_out_feature(genes, feature)  # genes of the untied network
    untied = genome.untied()
    before, after = genome.input_weights(genes), untied.input_weights(out)
    assert (after[:, 4] == 0.0).all()
    np.testing.assert_array_equal(np.delete(after, 4, axis=1), np.delete(before, 4, axis=1))
    # every other parameter is untouched
    changed = np.flatnonzero((out != genome.untie(genes)).any(axis=0))
    names = [untied.gene_names[k] for k in changed]
    assert names and all(n.endswith(f",{feature}]") for n in names)
    assert {n.split("[")[0] for n in names} == {"net.in", "net.skip"}
    with pytest.raises(em.ConfigError, match="feature must be one of"):
        genome.knock_out_feature(genes, "nonsense")


def test_a_knocked_out_feature_no_longer_changes_the_action(world, genome):
    genes = genome.knock_out_feature(genome.random(np.random.default_rng(2), 1), "energy")
    brains = genome.untied().decode(genes)
    agent = em.agents.reference.Agent(brains, 0, world.drive_scales, 0)
    rng = np.random.default_rng(3)
    for x in rng.uniform(0, 1, size=(50, len(world.features))):
        low, high = x.copy(), x.copy()
        low[-1], high[-1] = 0.0, 1.0
        assert agent.respond(low) == agent.respond(high)


def test_describe_reports_how_strongly_each_feature_is_sensed(world, genome):
    genes = genome.random(np.random.default_rng(4), 2)
    traits = genome.describe(genes)
    assert traits["architecture"].tolist() == [NET, NET]
    assert set(traits) == {"architecture"} | {f"sense[{f.name}]" for f in world.features}
    ko = genome.untied().describe(genome.knock_out_feature(genes, "energy"))
    assert ko["sense[energy]"].tolist() == [0.0, 0.0]


def test_a_world_without_features_offers_no_reflex_net():
    class Bare:
        features = ()

    assert "reflex_net" not in genomes_of(Bare())
    with pytest.raises(em.ConfigError, match="declares perceived features"):
        ReflexNetGenome((), ("a",), 1, 1)


def test_a_hybrid_can_have_a_network_for_its_reflex_half(world):
    net, planner = em.make_genome("reflex_net", world), em.make_genome("planner", world)
    hybrid = HybridGenome(net, planner)
    genes = hybrid.random(np.random.default_rng(5), 40)
    brains = hybrid.decode(genes)
    assert set(brains.arch.tolist()) == {NET, PLANNER}
    assert ((genes[:, 0] >= 0.5) == (brains.arch == PLANNER)).all()
    np.testing.assert_array_equal(brains.net, net.decode(genes[:, 1 : 1 + net.length]).net)
    out = world.rollout(brains, "modern", np.arange(80, dtype=np.uint64).reshape(40, 2))
    assert out.steps.min() > 0
