"""A reflex network tied across the quarter turns of a world that turns with its moves."""

import numpy as np
import pytest

import evomesa as em
from evomesa.agents.reference import Agent
from evomesa.genomes import ReflexNetGenome
from evomesa.genomes.net_ties import tied_genes, turned_parameters
from evomesa.handsets.contraception import net_genes
from evomesa.worlds.contraception.world import ContraceptionWorld
from evomesa.worlds.quarter_turn import MOVES, QuarterTurn, quarter_turn, world_turn
from evomesa.worlds.registry import check_declared_class


@pytest.fixture(scope="module", params=["contraception", "strawberry"])
def world(request):
    return em.make_world(request.param)


def _turn_features(x: np.ndarray, turn) -> np.ndarray:
    """Features ``x`` as sensed after a quarter turn: feature k's value moves to turn(k)."""
    out = np.empty_like(x)
    out[list(turn.features)] = x
    return out


def test_grid_worlds_declare_a_turn_that_moves_each_direction_to_the_next(world):
    turn = world_turn(world)
    names = [f.name for f in world.features]
    for k, name in enumerate(names):
        turned = names[turn.features[k]]
        for i, move in enumerate(MOVES):
            if name.endswith(f"_{move}"):
                assert turned == name.replace(move, MOVES[(i + 1) % 4])
                break
        else:
            assert turned == name  # carrying, energy, ...: unchanged
    assert [world.actions[turn.actions[world.actions.index(m)]] for m in MOVES] == [
        "east",
        "south",
        "west",
        "north",
    ]
    assert world_turn(em.make_world("absent_supervisor")) is None


def test_the_default_network_is_tied_and_each_gene_sets_a_whole_turned_orbit(world):
    genome = em.make_genome("reflex_net", world)
    assert genome.tied and genome.hidden == 4 and genome.length < genome.n_parameters
    assert len(set(genome.gene_names)) == genome.length
    params = genome.decode(genome.random(np.random.default_rng(0), 6)).net
    image = turned_parameters(genome.dims, world_turn(world))
    # turning the network changes nothing, and distinct genes give distinct parameters
    np.testing.assert_array_equal(params[:, image], params)
    gene = tied_genes(genome.dims, world_turn(world))
    first = np.unique(gene, return_index=True)[1]
    assert len(np.unique(params[0, first])) == genome.length
    # the untied twin plays the same networks
    untied = genome.untied()
    assert not untied.tied and untied.length == genome.n_parameters
    genes = genome.random(np.random.default_rng(1), 3)
    np.testing.assert_array_equal(untied.decode(genome.untie(genes)).net, genome.decode(genes).net)


@pytest.mark.parametrize("hidden", [None, 0, 8])
def test_a_tied_network_answers_a_turned_scene_with_the_turned_action(world, hidden):
    turn = world_turn(world)
    names = tuple(f.name for f in world.features)
    genome = ReflexNetGenome(
        names, world.actions, world.n_observations, len(world.drives), hidden, turn=turn
    )
    assert genome.tied and genome.length < genome.n_parameters
    brains = genome.decode(genome.random(np.random.default_rng(2), 20))
    rng = np.random.default_rng(3)
    for i in range(20):
        agent = Agent(brains, i, world.drive_scales, 0)
        for x in rng.uniform(0, 1, size=(10, len(world.features))):
            assert agent.respond(_turn_features(x, turn)) == turn.actions[agent.respond(x)]
    # an untied network in general does not
    untied = genome.untied()
    brains = untied.decode(untied.random(np.random.default_rng(4), 20))
    agents = [Agent(brains, i, world.drive_scales, 0) for i in range(20)]
    xs = rng.uniform(0, 1, size=(10, len(world.features)))
    assert any(
        a.respond(_turn_features(x, turn)) != turn.actions[a.respond(x)]
        for a in agents
        for x in xs
    )


def test_encode_refuses_parameters_that_differ_across_turns():
    world = em.make_world("contraception")
    genome = em.make_genome("reflex_net", world)
    params = genome.decode(net_genes(world)).net.copy()
    assert np.array_equal(genome.encode(params), net_genes(world))
    view = genome.layer_view(params)
    view["w_in"][0, 1, 0] += 1.0  # unit 1 (east) alone
    with pytest.raises(em.ConfigError, match=r"equal across the quarter turns.*net\.in\[h1,"):
        genome.encode(params)


def test_a_tied_network_needs_whole_sets_of_four_units():
    world = em.make_world("contraception")
    names = tuple(f.name for f in world.features)
    turn = world_turn(world)
    with pytest.raises(em.ConfigError, match="hidden must be a multiple of 4"):
        ReflexNetGenome(names, world.actions, world.n_observations, 5, hidden=6, turn=turn)
    eight = ReflexNetGenome(names, world.actions, world.n_observations, 5, hidden=8, turn=turn)
    assert (
        eight.tied
        and eight.n_parameters > eight.length > em.make_genome("reflex_net", world).length
    )


def test_a_world_that_claims_to_turn_must_name_every_turned_part():
    class Lopsided(ContraceptionWorld):
        features = tuple(f for f in ContraceptionWorld.features if f.name != "food_east")

    with pytest.raises(em.ConfigError, match="'food_north' turns into 'food_east'"):
        check_declared_class(Lopsided)
    with pytest.raises(em.ConfigError, match="actions must include the moves"):
        quarter_turn(("x",), ("eat", "wait"))

    class Untied(Lopsided):
        turns_with_moves = False

    check_declared_class(Untied)  # a world that does not claim to turn is not checked for it


def test_a_turn_that_is_no_quarter_turn_is_refused():
    world = em.make_world("contraception")
    names = tuple(f.name for f in world.features)
    good = world_turn(world)
    nf = len(names)
    three_cycle = (1, 2, 0, *range(3, nf))  # three turns undo it, four do not
    for bad in (
        QuarterTurn((0,) * nf, good.actions),  # not a permutation
        QuarterTurn((*good.features[:-1], nf), good.actions),  # out of range
        QuarterTurn(three_cycle, good.actions),
        QuarterTurn(good.features, good.actions[:-1]),  # too short
    ):
        with pytest.raises(
            em.ConfigError, match=r"turn\.(features|actions) must be a permutation"
        ):
            ReflexNetGenome(names, world.actions, world.n_observations, 5, turn=bad)
    with pytest.raises(em.ConfigError, match="turn must be a QuarterTurn"):
        ReflexNetGenome(names, world.actions, world.n_observations, 5, turn=(1, 2))
    with pytest.raises(em.ConfigError, match="distinct names"):
        quarter_turn(("food_north", "food_north"), MOVES)
