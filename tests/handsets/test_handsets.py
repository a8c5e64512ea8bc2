"""Every world offers a hand-set competent agent of each architecture (the references evolved
agents are compared with), and each does better in training than agents wired at random."""

import numpy as np
import pytest

import evomesa as em
from evomesa.genomes import genomes_of, make_genome
from evomesa.handsets import hand_set, hand_set_agent


@pytest.mark.parametrize("name", em.list_worlds())
def test_every_world_offers_a_hand_set_agent_of_each_architecture(name):
    world = em.make_world(name)
    agents = hand_set(world)
    assert set(agents) == set(genomes_of(world)) - {"hybrid"}
    for kind, (genome, genes) in agents.items():
        assert genome.kind == kind
        assert genes.shape == (1, genome.length)
        assert ((genes >= 0) & (genes <= 1)).all()


@pytest.mark.parametrize("name", em.list_worlds())
def test_hand_set_agents_beat_random_agents_of_their_architecture_in_training(name):
    world = em.make_world(name)
    for kind, (genome, genes) in hand_set(world).items():
        hand = em.evaluate(world, genes, genome=genome, episodes=32, seed=5)
        randoms = genome.random(np.random.default_rng(0), 32)
        chance = em.evaluate(world, randoms, genome=genome, episodes=32, seed=5)
        assert hand.fitness.mean() > chance.fitness.mean(), kind


def test_asking_for_an_architecture_a_world_has_no_hand_set_agent_of_is_refused():
    world = em.make_world("contraception")
    with pytest.raises(em.ConfigError, match="kind must be one of the hand-set"):
        hand_set_agent(world, "hybrid")
    genome, genes = hand_set_agent(world, "reflex_net")
    # of the default genome, the one evolution searches
    assert genome.hidden == make_genome("reflex_net", world).hidden
    assert genes.shape == (1, genome.length)
