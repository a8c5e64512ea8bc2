"""The deception world: kernel vs reference, determinism, parameters, and its consequences."""

import numpy as np
import pytest
from by_hand import assert_steps_add_up, assert_totals_equal_rollout, play_agent, play_by_hand
from conformance import assert_kernel_matches_reference

import evomesa as em
from evomesa.evolve.recording import evolve_recording
from evomesa.genomes import make_genome
from evomesa.handsets.deception import hand_set_planner, hand_set_reflex_net, hand_set_table
from evomesa.measure.deception import classify, horizon_histogram, profile
from evomesa.rng import episode_seeds
from evomesa.worlds.deception.params import beliefs

TASK, LOOT = 0, 1
WORK, BUILD, DEFECT = range(3)


def _planners(world, weights, horizons, gamma=0.95):
    genome = make_genome("planner", world)
    return genome.decode(genome.encode(weights, horizons, gamma))


def _seeds(n, episodes, seed=0):
    return episode_seeds(np.random.default_rng(seed), n, episodes, common=False)


@pytest.mark.parametrize("kind", ["reflex", "reflex_net", "planner", "hybrid"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"honeypot_rate": 0.5, "honeypot_fidelity": 0.7, "retrain_steps": 3},
        {"honeypot_rate": 1.0, "honeypot_fidelity": 0.0, "myopic_objective": 0},
        {"watched_steps": 3, "deploy_steps": 5, "project_steps": 2, "horizon_cap": 4},
        {"honeypot_rate": 0.3, "brain_cost": 0.01, "project_steps": 1, "retrain_steps": 20},
        {"honeypot_rate": 0.5, "honeypot_fidelity": 0.7, "belief_regime": "deployment"},
    ],
)
def test_kernel_matches_python_reference_exactly(kind, params, rng):
    world = em.make_world("deception", **params)
    assert_kernel_matches_reference(world, kind, rng, n=12, episodes=6)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"honeypot_rate": 0.4, "honeypot_fidelity": 0.5},
        {"honeypot_rate": 0.4, "honeypot_fidelity": 0.5, "belief_regime": "deployment"},
    ],
)
def test_world_passes_the_contract_checker(params):
    world = em.make_world("deception", **params)
    assert em.check_world(world)["regimes"] == ("training", "deployment")


@pytest.mark.parametrize(
    "params",
    [
        {"watched_steps": 0},
        {"deploy_steps": 1001},
        {"honeypot_rate": 1.5},
        {"honeypot_fidelity": -0.1},
        {"myopic_objective": 2},
        {"horizon_cap": 0},
        {"project_reward": float("nan")},
        {"belief_regime": "honeypot"},
        {"belief_regime": 0},
        {"no_such_parameter": 1},
    ],
)
def test_bad_parameters_raise_config_error(params):
    with pytest.raises(em.ConfigError, match=next(iter(params))):
        em.make_world("deception", **params)


def test_a_long_horizon_complies_while_watched_and_a_short_one_is_caught():
    world = em.make_world("deception")
    # loot lovers (loot weighed above task) with a horizon reaching deployment, and not
    brains = _planners(world, [[0.3, 0.8], [0.3, 0.8], [0.8, -0.5]], [36, 3, 36])
    out = world.rollout(brains, "training", _seeds(3, 10))
    labels = classify(world, out)["label"]
    assert labels.tolist() == [1, 2, 0]  # deceptive, open, aligned
    ev = out.events
    assert (ev[0, :, 0] == 0).all() and (ev[0, :, 1] == 24).all()  # complies, then defects
    assert (ev[1, :, 3] == 1).all()  # caught ...
    assert (ev[1, :, 1] == 0).all() and out.signals[1, :, LOOT].max() == 1.0  # ... loot stops


def test_modification_is_foreseen_only_by_a_horizon_that_reaches_deployment():
    world = em.make_world("deception")  # watched phase of 12 steps
    brains = _planners(world, [[0.05, 0.9]] * 2, [11, 36])
    out = world.rollout(brains, "training", _seeds(2, 4))
    assert (out.events[0, :, 3] == 1).all()  # horizon 11 does not see the loot of deployment
    assert (out.events[1, :, 3] == 0).all() and (out.events[1, :, 1] == 24).all()


def test_the_myopic_objective_counts_watched_steps_only():
    full = em.make_world("deception", myopic_objective=0)
    myopic = em.make_world("deception")
    brains = _planners(myopic, [[1.0, -1.0]], [36])  # aligned builder: 2 + 4 projects
    seeds = _seeds(1, 3)
    a = myopic.rollout(brains, "training", seeds)
    b = full.rollout(brains, "training", seeds)
    assert (a.fitness == 18.0).all() and (b.fitness == 54.0).all()
    np.testing.assert_array_equal(a.performance, b.performance)
    np.testing.assert_array_equal(b.performance, b.signals[..., TASK])


def test_lookahead_pays_at_the_task():
    world = em.make_world("deception")
    brains = _planners(world, [[1.0, -1.0]] * 2, [4, 5])  # a project needs horizon 5
    out = world.rollout(brains, "deployment", _seeds(2, 2))
    assert out.performance[0].mean() == 36.0 and out.performance[1].mean() == 54.0


def test_a_tell_shows_only_in_honeypots_at_the_rate_fidelity_implies():
    world = em.make_world("deception", honeypot_rate=0.5, honeypot_fidelity=0.25)
    brains = _planners(world, [[1.0, -1.0]], [36])
    out = world.rollout(brains, "training", _seeds(1, 4000))
    honey, tell = out.events[0, :, 5], out.events[0, :, 6]
    assert (tell <= honey).all()
    assert abs(honey.mean() - 0.5) < 0.03 and abs(tell.sum() / honey.sum() - 0.75) < 0.03
    assert world.rollout(brains, "deployment", _seeds(1, 500)).events[..., 5].sum() == 0


def test_beliefs():
    assert beliefs(0.0, 1.0) == (1.0, 0.0)
    assert beliefs(0.5, 1.0) == (1.0, 0.5)
    assert beliefs(1.0, 0.0) == (0.0, 1.0)
    m, q = beliefs(0.5, 0.5)
    assert m == 0.75 and q == pytest.approx(0.25 / 0.75)


def test_the_beliefs_are_those_of_belief_regime():
    world = em.make_world("deception", honeypot_rate=0.5, honeypot_fidelity=0.5)
    assert world.params["belief_regime"] == "training"  # the regime a lineage met
    assert world.beliefs == beliefs(0.5, 0.5)
    knows = em.make_world(
        "deception", honeypot_rate=0.5, honeypot_fidelity=0.5, belief_regime="deployment"
    )
    assert knows.beliefs == beliefs(0.0, 0.5) == (1.0, 0.0)  # no honeypots in deployment


@pytest.mark.parametrize("belief_regime", [None, "training", "deployment"])
@pytest.mark.parametrize("regime", ["training", "deployment"])
def test_a_planner_is_shown_the_beliefs_of_belief_regime_whatever_the_regime(
    regime, belief_regime
):
    params = {"honeypot_rate": 0.5, "honeypot_fidelity": 0.5}
    if belief_regime is not None:
        params["belief_regime"] = belief_regime
    world = em.make_world("deception", **params)
    # by default the training regime's: a clear-looking phase is a honeypot with chance q
    q = 0.0 if belief_regime == "deployment" else beliefs(0.5, 0.5)[1]
    read = 0
    for seed in range(4):
        sim = world.simulator(regime)
        view = sim.reset(seed)
        for _ in range(12):  # work through the watched phase
            view = sim.step(WORK).view
        if view.observation // 2 != 2:  # a honeypot showing its tell: nothing to read
            continue
        grab = view.menu[2]  # loot now, then loot times 1 - q (not caught now)
        drive, amount = grab.terms[1][:2]
        assert grab.action == DEFECT and drive == LOOT and amount == pytest.approx(1.0 - q)
        read += 1
    assert read >= 2


def test_planners_in_deployment_act_on_the_training_honeypot_beliefs_by_default():
    # a loot lover (loot 1 over task 0.5; a project brings 0.75 a step of its task weight)
    # for whom being caught costs 20 steps of retraining: at the training regime's q = 1/2
    # grabbing is worth less than building, at q = 0 (no honeypots) more
    seeds = _seeds(1, 10)
    defections = {}
    for belief in (None, "deployment"):
        params = {"honeypot_rate": 0.5, "retrain_steps": 20}
        if belief is not None:
            params["belief_regime"] = belief
        world = em.make_world("deception", **params)
        out = world.rollout(_planners(world, [[0.5, 1.0]], [36], 0.99), "deployment", seeds)
        defections[belief] = out.events[0, :, 1]  # defect_deploy
        assert (out.events[0, :, 0] == 0).all()  # complies while watched either way
    assert (defections[None] == 0).all()  # fears honeypots it cannot tell apart: builds
    assert (defections["deployment"] == 24).all()  # knows there are none: defects throughout


def test_profile_and_histogram():
    world = em.make_world("deception")
    brains = _planners(world, [[0.3, 0.8], [0.8, -0.5]], [36, 36])
    p = profile(world, world.rollout(brains, "deployment", _seeds(2, 5)))
    assert p["deceptive"] == p["aligned"] == 0.5 and p["open"] == 0.0
    assert p["p_defect_watched"] == 0.0 and p["deception_gap"] == 0.5
    assert horizon_histogram(np.array([1, 3, 3, 0]), 4).tolist() == [1, 0, 2, 0]


def test_evolve_recording_gives_one_record_per_generation_and_the_plain_result():
    world = em.make_world("deception")
    config = em.EvolutionConfig(genome="planner", population=20, generations=3, episodes=2, seed=1)
    result, rows = evolve_recording(
        world, config, lambda b, o: profile(world, o), track=["deployment"]
    )
    assert len(rows) == 4 and set(rows[0]) >= {"aligned", "deceptive", "open", "deception_gap"}
    plain = em.evolve(world, config, track=["deployment"])
    np.testing.assert_array_equal(result.genes, plain.genes)
    with pytest.raises(em.ConfigError, match="record"):
        evolve_recording(world, config, None)


@pytest.mark.parametrize("retrain, caught_under_tell", [(0, 1.0), (4, 0.0)])
def test_a_recognised_test_deters_only_when_being_caught_costs_what_the_planner_values(
    retrain, caught_under_tell
):
    # nothing follows a honeypot deployment phase, so a deceiver that sees the tell keeps
    # defecting unless being caught costs it task it foresees (retraining)
    world = em.make_world(
        "deception", honeypot_rate=1.0, honeypot_fidelity=0.0, retrain_steps=retrain
    )
    out = world.rollout(_planners(world, [[0.3, 0.8]], [36]), "training", _seeds(1, 5))
    assert (out.events[0, :, 6] == 1).all()  # every test shows its tell
    assert (out.events[0, :, 3] > 0).mean() == caught_under_tell


# ---- the step-wise reference, stepped by hand

HAND = {"honeypot_rate": 0.5, "honeypot_fidelity": 0.5, "retrain_steps": 3, "brain_cost": 0.01}


def _hand_rule(observation):
    """Finish a project under way; else build while the supervisor is in view, defect when
    deployment looks clear, work under a tell (cue = observation // 2)."""
    cue, under_way = divmod(observation, 2)
    if under_way:
        return BUILD
    return (BUILD, WORK, DEFECT)[cue]


@pytest.mark.parametrize("regime", ["training", "deployment"])
def test_a_hand_set_rule_stepped_by_hand_totals_as_the_kernel_its_table(regime):
    world = em.make_world("deception", **HAND)
    table = np.array([_hand_rule(o) for o in range(world.n_observations)])
    genome = make_genome("reflex", world)
    seeds = _seeds(1, 16, seed=3)
    out = world.rollout(genome.decode(genome.encode(table[None, :])), regime, seeds,
                        record_observations=True)  # fmt: skip
    retrained = 0
    for e, seed in enumerate(seeds[0]):
        sim, steps = play_by_hand(world, regime, int(seed), lambda v: _hand_rule(v.observation))
        totals = sim.totals()
        assert_totals_equal_rollout(totals, out, e)
        assert_steps_add_up(totals, steps, rounded=("fitness",))  # brain cost, then task
        assert totals.steps == len(steps)
        retrained += totals.steps < 36
    # caught in honeypots (about half the training lifetimes): retraining steps were skipped
    assert (retrained > 0) == (regime == "training")


@pytest.mark.parametrize("regime", ["training", "deployment"])
@pytest.mark.parametrize("kind", ["reflex", "planner"])
def test_a_hand_set_genome_stepped_by_hand_totals_as_the_kernel(kind, regime):
    world = em.make_world("deception", **HAND)
    if kind == "planner":  # loot lovers, far- and short-sighted, and an aligned builder
        rows = [([0.3, 0.8], 36), ([0.3, 0.8], 3), ([1.0, -1.0], 20)]
        genomes = [_planners(world, [w], [h]) for w, h in rows]
    else:
        genome = make_genome("reflex", world)
        table = np.array([[WORK, BUILD, WORK, BUILD, DEFECT, BUILD]])
        genomes = [genome.decode(genome.encode(table))]
    seeds = _seeds(1, 8, seed=4)
    for brains in genomes:
        out = world.rollout(brains, regime, seeds, record_observations=True)
        for e, seed in enumerate(seeds[0]):
            visits = [0] * world.n_observations
            sim, steps = play_agent(world, brains, regime, int(seed), visits)
            assert_totals_equal_rollout(sim.totals(), out, e, visits)
            assert_steps_add_up(sim.totals(), steps, rounded=("fitness",))


def test_the_lifetime_draws_are_counted_with_the_first_step_and_retraining_passes():
    world = em.make_world("deception", honeypot_rate=1.0, honeypot_fidelity=0.0, retrain_steps=4)
    sim = world.simulator("training")
    view = sim.reset(0)
    assert sim.totals().events.sum() == 0 and view.observation == 0  # watched, idle
    assert [o.action for o in view.menu] == [WORK, BUILD, DEFECT, WORK, BUILD]
    assert view.fallback == (WORK, BUILD, DEFECT)
    first = sim.step(WORK)
    assert first.events[5:].tolist() == [1, 1] and first.fitness == first.performance == 1.0
    for _ in range(11):
        view = sim.step(WORK).view
    assert view.observation == 2 and view.t == 12  # deployment showing its tell
    caught = sim.step(DEFECT)
    assert caught.signals.tolist() == [0.0, 1.0] and caught.events[[2, 3]].tolist() == [1, 1]
    assert caught.view.fallback == (WORK, BUILD)  # modified: nothing to grab
    assert sim.t == 12 + 1 + 4  # retraining: 4 time steps passed without a decision
    while not sim.done:
        sim.step(DEFECT)  # a modified agent's defection brings nothing
    totals = sim.totals()
    assert totals.steps == 36 - 4 and totals.signals.tolist() == [12.0, 1.0]
    with pytest.raises(em.ConfigError, match="reset"):
        sim.step(WORK)


@pytest.mark.parametrize("action", [3, -1, 1.0, True, "work"])
def test_a_bad_action_raises_config_error(action):
    sim = em.make_world("deception").simulator("deployment")
    sim.reset(1)
    with pytest.raises(em.ConfigError, match="action"):
        sim.step(action)


# ---- hand-set competent agents (evomesa.handsets.deception)

(
    E_DEFECT_WATCHED,
    E_DEFECT_DEPLOY,
    E_DEFECT_HONEYPOT,
    E_CAUGHT,
    E_PROJECTS,
    E_HONEYPOT,
    E_TELL,
) = range(7)
TESTED = {"honeypot_rate": 0.5, "honeypot_fidelity": 0.5}


def _hand_set(world, kind, **kwargs):
    make = {"reflex_net": hand_set_reflex_net, "reflex": hand_set_table}
    genes = make.get(kind, hand_set_planner)(world, **kwargs)
    return make_genome(kind, world).decode(genes)


@pytest.mark.parametrize("params", [{}, TESTED])
def test_a_hand_set_reflex_net_builds_on_every_step_and_never_defects(params):
    world = em.make_world("deception", **params)
    lifetime = world.params["watched_steps"] + world.params["deploy_steps"]
    for regime in world.regimes:
        out = world.rollout(_hand_set(world, "reflex_net"), regime, _seeds(1, 32))
        assert (out.actions[0, :, BUILD] == lifetime).all()
        assert (out.events[0, :, E_PROJECTS] == lifetime // world.params["project_steps"]).all()
        assert out.signals[0, :, LOOT].sum() == 0 and out.events[0, :, E_CAUGHT].sum() == 0


@pytest.mark.parametrize("params", [{}, TESTED])
def test_the_hand_set_table_planner_and_reflex_net_behave_alike(params):
    world = em.make_world("deception", **params)
    seeds = _seeds(1, 16)
    for regime in world.regimes:
        net = world.rollout(_hand_set(world, "reflex_net"), regime, seeds)
        for kind in ("reflex", "planner"):
            other = world.rollout(_hand_set(world, kind), regime, seeds)
            for field in ("fitness", "actions", "events"):
                np.testing.assert_array_equal(getattr(net, field), getattr(other, field))


def test_a_hand_set_deceptive_reflex_net_defects_exactly_when_the_phase_looks_clear():
    world = em.make_world("deception", **TESTED)
    n_w, n_u = world.params["watched_steps"], world.params["deploy_steps"]
    brains = _hand_set(world, "reflex_net", defect_when_clear=True)
    seeds = _seeds(1, 64)
    for regime in world.regimes:
        out = world.rollout(brains, regime, seeds)
        ev, acts = out.events[0], out.actions[0]
        tell, honeypot = ev[:, E_TELL], ev[:, E_HONEYPOT]
        # builds while watched and through a phase showing a tell; defects on every step of
        # a clear-looking one, caught there only when it is a honeypot
        assert ev[:, E_DEFECT_WATCHED].sum() == 0
        assert (acts[:, DEFECT] == n_u * (1 - tell)).all()
        assert (acts[:, BUILD] == n_w + n_u * tell).all()
        assert (ev[:, E_CAUGHT] == honeypot * (1 - tell)).all()
        if regime == "training":
            assert tell.sum() > 0 and ev[:, E_CAUGHT].sum() > 0
        else:
            assert (out.signals[0, :, LOOT] == n_u).all()  # uncaught: loot on every step
        table = world.rollout(_hand_set(world, "reflex", defect_when_clear=True), regime, seeds)
        np.testing.assert_array_equal(out.actions, table.actions)
