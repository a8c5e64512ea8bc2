"""The contraception world's hand-set agents behave as their design says (the references that
evolved agents of each architecture are compared with)."""

import numpy as np
import pytest

import evomesa as em
from evomesa.agents.reference import Agent
from evomesa.handsets import contraception as handset


@pytest.fixture(scope="module")
def world():
    return em.make_world("contraception")


def _features(world, **values):
    x = np.zeros(len(world.features))
    for name, value in values.items():
        x[[f.name for f in world.features].index(name)] = value
    return x


def _net_action(world, **values):
    genome = em.make_genome("reflex_net", world)
    agent = Agent(genome.decode(handset.net_genes(world)), 0, world.drive_scales, 0)
    return world.actions[agent.respond(_features(world, **values))]


def test_the_hand_set_network_eats_and_mates_with_what_is_here(world):
    food_here = dict(food_seen=1, food_here=1, food_near=1, food_sweet=0.5)
    mate_here = dict(mate_seen=1, mate_here=1, mate_near=1)
    for energy in (0.1, 0.5, 0.9):
        assert _net_action(world, **food_here, energy=energy) == "eat"
        assert _net_action(world, **mate_here, energy=energy) == "mate"


def test_the_hand_set_network_seeks_food_when_hungry_and_a_mate_when_not(world):
    # food to the west, a mate to the south
    both = dict(food_seen=1, food_west=1, food_near=0.6, mate_seen=1, mate_south=1, mate_near=0.6)
    assert _net_action(world, **both, energy=0.15) == "west"
    assert _net_action(world, **both, energy=0.9) == "south"
    # the larger share of the way decides the move, as the table's direction level does
    food = dict(food_seen=1, food_near=0.5)
    assert _net_action(world, **food, food_east=0.75, food_north=0.25, energy=0.2) == "east"
    assert _net_action(world, **food, food_east=0.25, food_north=0.75, energy=0.2) == "north"


@pytest.mark.parametrize("kind", ["reflex", "reflex_net", "planner"])
def test_hand_set_agents_raise_children_where_random_ones_do_not(world, kind):
    genes = {
        "reflex": handset.table_genes,
        "reflex_net": handset.net_genes,
        "planner": handset.planner_genes,
    }[kind](world)
    genome = em.make_genome(kind, world)
    seeds = np.arange(64, dtype=np.uint64)[None, :]
    hand = world.rollout(genome.decode(genes), "ancestral", seeds)
    randoms = genome.random(np.random.default_rng(0), 32)
    chance = world.rollout(genome.decode(randoms), "ancestral", np.tile(seeds, (32, 1)))
    # several children per life (a birth takes 20 steps of pregnancy, a life 150 steps), in
    # most lives, and far more than agents of the same architecture wired at random
    assert hand.fitness.mean() >= 3.0
    assert (hand.fitness > 0).mean() >= 0.8
    assert hand.fitness.mean() >= 3 * chance.fitness.mean()
    # it eats and mates, and never waits or takes protection (none is offered in training)
    events = dict(zip(world.events, hand.events.sum(axis=(0, 1)), strict=True))
    assert events["fruit"] > 0 and events["mate"] > 0 and events["protected_mate"] == 0


def test_the_hand_set_network_ignores_whether_a_mate_offers_protection(world):
    """Its rule has no weight on mate_offers, so an offer changes none of its choices."""
    for energy in (0.1, 0.5, 0.9):
        seen = dict(mate_seen=1, mate_east=1, mate_near=0.7, food_seen=1, food_north=1,
                    food_near=0.5, energy=energy)  # fmt: skip
        assert _net_action(world, **seen) == _net_action(world, **seen, mate_offers=1)
        here = dict(mate_seen=1, mate_here=1, mate_near=1, energy=energy)
        assert _net_action(world, **here, mate_offers=1) == "mate"
