"""em.evolve: DEAP integration, learning, determinism, persistence, validation."""

import json
import random

import numpy as np
import pytest
from deap import base, creator, tools

import evomesa as em


def _config(**kw):
    base_kw = dict(genome="planner", population=30, generations=4, episodes=3, seed=1)
    base_kw.update(kw)
    return em.EvolutionConfig(**base_kw)


def test_result_has_deap_objects(small_planner_result):
    r = small_planner_result
    assert isinstance(r.logbook, tools.Logbook)
    assert r.logbook.select("gen") == list(range(6))
    assert isinstance(r.hall_of_fame, tools.HallOfFame) and len(r.hall_of_fame) == 10
    assert len(r.population) == 40
    ind = r.population[0]
    assert isinstance(ind, creator.EvomesaIndividual) and ind.fitness.valid
    assert r.fitness.shape == (40,) and r.genes.shape == (40, 7)
    best = r.hall_of_fame[0].fitness.values[0]
    # DEAP's HallOfFame keeps a genome's first entry: an elite re-scored higher in a later
    # generation is not entered again, so the best entry is at most the best score logged
    assert r.logbook[0]["max"] <= best <= max(rec["max"] for rec in r.logbook)
    fits = [ind.fitness.values[0] for ind in r.hall_of_fame]
    assert fits == sorted(fits, reverse=True)


def test_creator_types_are_created_once_under_evomesa_names():
    import importlib

    # em.evolve is the function; the subpackage is reached through sys.modules
    dt = importlib.import_module("evomesa.evolve.deap_types")
    first = creator.EvomesaIndividual
    importlib.reload(dt)
    assert creator.EvomesaIndividual is first
    assert not hasattr(creator, "Individual")


def test_a_result_crossing_processes_leaves_the_creator_types_alone(small_planner_result):
    # DEAP pickles creator classes by value and re-creates them when unpickled; a parent that
    # got results back from spawned workers then held a new creator.EvomesaIndividual, and
    # every individual made before failed isinstance
    import pickle

    first = creator.EvomesaIndividual
    again = pickle.loads(pickle.dumps(small_planner_result))
    assert creator.EvomesaIndividual is first
    assert again == small_planner_result
    assert all(isinstance(ind, first) for ind in again.population)
    assert all(isinstance(ind, first) for ind in again.hall_of_fame)
    assert [i.fitness.values for i in again.hall_of_fame] == [
        i.fitness.values for i in small_planner_result.hall_of_fame
    ]


def test_evolution_improves_fitness(world):
    r = em.evolve(world, _config(population=60, generations=12, episodes=4, seed=0))
    avg = r.logbook.select("avg")
    assert np.mean(avg[-3:]) > 2 * np.mean(avg[:2])


def test_same_seed_same_saved_json_different_seed_differs(world, tmp_path):
    a = em.evolve(world, _config()).save(tmp_path / "a")
    b = em.evolve(world, _config()).save(tmp_path / "b")
    c = em.evolve(world, _config(seed=2)).save(tmp_path / "c")
    text = (a / "result.json").read_text()
    assert text == (b / "result.json").read_text()
    assert text != (c / "result.json").read_text()
    assert np.array_equal(np.load(a / "result.npz")["genes"], np.load(b / "result.npz")["genes"])


def test_save_and_load_round_trip(small_planner_result, tmp_path):
    path = small_planner_result.save(tmp_path / "run")
    loaded = em.load_result(path)
    assert loaded == small_planner_result
    assert loaded.make_world().params == small_planner_result.world_params
    meta = json.loads((path / "result.json").read_text())
    assert meta["config"]["genome"] == "planner"
    with pytest.raises(em.ConfigError, match="result.json"):
        em.load_result(tmp_path / "missing")


def test_global_random_states_are_untouched(world):
    py_state = random.getstate()
    np_state = np.random.get_state()  # noqa: NPY002 -- checking the legacy global is untouched
    em.evolve(world, _config(genome="hybrid", generations=2))
    assert random.getstate() == py_state
    np.testing.assert_array_equal(np.random.get_state()[1], np_state[1])  # noqa: NPY002


def test_a_swapped_toolbox_operator_is_used(world):
    config = _config(generations=3)
    calls = []
    tb = em.make_toolbox(world, config)
    stock = em.per_individual(tools.mutGaussian, mu=0.0, sigma=0.05, indpb=0.2)

    def mutate(genes, rng):
        calls.append(genes.shape)
        return stock(genes, rng)

    tb.register("mutate", mutate)
    assert isinstance(tb, base.Toolbox)
    r = em.evolve(world, config, toolbox=tb)
    assert calls == [(28, 7)] * 3  # population minus two elites, each generation
    assert r.genes.min() >= 0 and r.genes.max() <= 1


def test_progress_callback_sees_every_generation(world):
    seen = []
    em.evolve(world, _config(generations=3), progress=lambda gen, rec: seen.append(gen))
    assert seen == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"genome": "insect"}, "genome"),
        ({"population": 1}, "population"),
        ({"generations": -1}, "generations"),
        ({"episodes": 0}, "episodes"),
        ({"seed": -3}, "seed"),
        ({"elite": 30}, "elite"),
        ({"tournament_size": 0}, "tournament_size"),
        ({"crossover_rate": 1.5}, "crossover_rate"),
        ({"mutation_rate": -0.1}, "mutation_rate"),
        ({"mutation_sigma": 2.0}, "mutation_sigma"),
        ({"hall_of_fame": 0}, "hall_of_fame"),
        ({"common_seeds": 1}, "common_seeds"),
        ({"backend": "gpu"}, "backend"),
        ({"population": 10.0}, "population"),
    ],
)
def test_bad_config_raises_config_error_naming_it(kw, name):
    with pytest.raises(em.ConfigError, match=name):
        _config(**kw)


def test_unknown_regime_is_rejected_before_any_work(world):
    with pytest.raises(em.ConfigError, match="config.regime"):
        em.evolve(world, _config(regime="future"))
    with pytest.raises(em.ConfigError, match="config"):
        em.evolve(world, {"genome": "planner"})


def test_python_backend_evolves_identically(world):
    config = _config(population=6, generations=1, episodes=2)
    fast = em.evolve(world, config)
    slow = em.evolve(world, _config(population=6, generations=1, episodes=2, backend="python"))
    np.testing.assert_array_equal(fast.genes, slow.genes)
    np.testing.assert_array_equal(fast.fitness, slow.fitness)


def test_evolution_does_not_depend_on_thread_count(world):
    import numba

    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs numba to allow at least 2 threads")
    saved = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = em.evolve(world, _config(genome="hybrid"))
        numba.set_num_threads(2)
        two = em.evolve(world, _config(genome="hybrid"))
    finally:
        numba.set_num_threads(saved)
    assert one == two


def test_evolve_rejects_wrong_world_toolbox_and_progress(world):
    config = _config(generations=1)
    with pytest.raises(em.ConfigError, match="world must be a World"):
        em.evolve("contraception", config)
    with pytest.raises(em.ConfigError, match="toolbox must be a deap.base.Toolbox"):
        em.evolve(world, config, toolbox="fast")
    reflex_tb = em.make_toolbox(world, _config(genome="reflex"))
    with pytest.raises(em.ConfigError, match="toolbox genome must be config.genome='planner'"):
        em.evolve(world, config, toolbox=reflex_tb)
    modern_tb = em.make_toolbox(world, _config(regime="modern"))
    with pytest.raises(em.ConfigError, match="toolbox regime must be"):
        em.evolve(world, config, toolbox=modern_tb)
    with pytest.raises(em.ConfigError, match="progress"):
        em.evolve(world, config, progress=5)


# ---- genes are checked wherever they come from


@pytest.mark.parametrize(
    "bad, message",
    [
        (lambda genes, rng: genes - 1.0, r"toolbox.mutate must all lie in \[0, 1\]"),
        (lambda genes, rng: genes * np.nan, "toolbox.mutate must all lie in"),
        (lambda genes, rng: genes[:, :-1], r"toolbox.mutate must have shape \(28, 7\)"),
        (lambda genes, rng: genes[:-1], r"toolbox.mutate must have shape \(28, 7\)"),
        (lambda genes, rng: genes.astype(str), "toolbox.mutate must hold real numbers"),
    ],
)
def test_genes_from_a_user_operator_are_checked_before_any_kernel(world, bad, message):
    tb = em.make_toolbox(world, _config())
    tb.register("mutate", bad)
    with pytest.raises(em.ConfigError, match=message):
        em.evolve(world, _config(), toolbox=tb)


def test_genes_from_a_user_crossover_and_population_are_checked(world):
    tb = em.make_toolbox(world, _config())
    tb.register("mate", lambda a, b, rng: (a + 2.0, b))
    with pytest.raises(em.ConfigError, match="toolbox.mate's first output"):
        em.evolve(world, _config(), toolbox=tb)
    tb = em.make_toolbox(world, _config())
    tb.register("population", lambda rng, n: -np.ones((n, 7)))
    with pytest.raises(em.ConfigError, match="toolbox.population"):
        em.evolve(world, _config(), toolbox=tb)


def test_reflex_genes_below_zero_never_reach_the_kernel(world):
    config = _config(genome="reflex")
    tb = em.make_toolbox(world, config)
    tb.register("mutate", lambda genes, rng: genes - 0.5)
    with pytest.raises(em.ConfigError, match=r"\[0, 1\]"):
        em.evolve(world, config, toolbox=tb)


def test_init_continues_from_an_earlier_result_or_genes(world, small_planner_result):
    config = _config(population=40, generations=0, regime="modern")
    again = em.evolve(world, config, init=small_planner_result)
    np.testing.assert_array_equal(again.genes, small_planner_result.genes)
    assert again.config.regime == "modern"
    from_genes = em.evolve(world, config, init=small_planner_result.genes.tolist())
    np.testing.assert_array_equal(from_genes.genes, small_planner_result.genes)
    with pytest.raises(em.ConfigError, match=r"init must have shape \(30, 7\)"):
        em.evolve(world, _config(), init=small_planner_result)
    with pytest.raises(em.ConfigError, match="init must all lie in"):
        em.evolve(world, config, init=small_planner_result.genes + 2.0)
    with pytest.raises(em.ConfigError, match="init must be a result of the 'reflex' genome"):
        em.evolve(world, _config(genome="reflex", population=40), init=small_planner_result)


# ---- seeding: streams keyed by purpose


def _episode_seeds_of(world, config):
    tb = em.make_toolbox(world, config)
    inner, seen = tb.evaluate, []

    def recording(genes, seeds):
        seen.append(seeds.copy())
        return inner(genes, seeds=seeds)

    tb.register("evaluate", recording)
    em.evolve(world, config, toolbox=tb)
    return np.concatenate([s.ravel() for s in seen])


def test_runs_with_consecutive_seeds_share_no_episode_seeds(world):
    for k in (0, 7, 41):
        a = _episode_seeds_of(world, _config(seed=k, common_seeds=False))
        b = _episode_seeds_of(world, _config(seed=k + 1, common_seeds=False))
        assert np.intersect1d(a, b).size == 0, k


def test_measurement_streams_never_reuse_evolution_streams(world, small_planner_result):
    from evomesa.measure.drift import paired_rollouts
    from evomesa.measure.shift import make_shift

    evolved = np.concatenate(
        [_episode_seeds_of(world, _config(seed=s, common_seeds=False)) for s in (3, 4)]
    )
    # the drift measurement of run seed 3 draws its own episodes, apart from both runs'
    seeds = []
    import evomesa.measure.drift as measure

    original = measure.play

    def recording(world_, spec, genes, regime, episode_seeds, *args):
        seeds.append(episode_seeds.ravel().copy())
        return original(world_, spec, genes, regime, episode_seeds, *args)

    measure.play = recording
    try:
        shift = make_shift(world, "ancestral", "modern")
        planner = em.make_genome("planner", world)
        paired_rollouts(shift, planner, small_planner_result.genes, 4, 3)
    finally:
        measure.play = original
    assert np.intersect1d(np.concatenate(seeds), evolved).size == 0


def test_seed_sequences_differ_by_purpose_and_by_seed():
    states = {
        (seed, purpose): tuple(em.seed_sequence(seed, *purpose).generate_state(4))
        for seed in (0, 1, 2)
        for purpose in (("evolve", "episodes", 0), ("evolve", "episodes", 1), ("measure",))
    }
    assert len(set(states.values())) == len(states)
    with pytest.raises(em.ConfigError, match="seed"):
        em.seed_sequence(-1, "x")


def test_a_user_crossover_may_return_its_inputs_swapped(world):
    # the outputs alias each other's destination rows: nothing may be lost in the copy back
    config = _config(generations=1, crossover_rate=1.0)
    tb = em.make_toolbox(world, config)
    seen = []

    def swap(a, b, rng):
        seen.append((a.copy(), b.copy()))
        return b, a

    tb.register("mate", swap)
    tb.register("mutate", lambda genes, rng: genes)
    result = em.evolve(world, config, toolbox=tb)
    a, b = seen[0]
    children = np.concatenate([b, a])[: config.population - config.n_elite]
    np.testing.assert_array_equal(result.genes[config.n_elite :], children)


@pytest.mark.parametrize(
    "select, message",
    [
        (lambda fitness, k, rng: list(range(k)), None),
        (lambda fitness, k, rng: np.arange(k - 2), "toolbox.select must return 28"),
        (lambda fitness, k, rng: np.full(k, 30), r"integer indices in \[0, 29\]"),
        (lambda fitness, k, rng: np.full(k, -1), r"integer indices in \[0, 29\]"),
        (lambda fitness, k, rng: np.zeros(k) + 0.5, "integer indices"),
    ],
)
def test_what_a_user_selection_returns_is_checked(world, select, message):
    tb = em.make_toolbox(world, _config())
    tb.register("select", select)
    if message is None:  # a plain list of indices is fine
        assert em.evolve(world, _config(), toolbox=tb).genes.shape == (30, 7)
    else:
        with pytest.raises(em.ConfigError, match=message):
            em.evolve(world, _config(), toolbox=tb)


def test_the_result_owns_its_genes(world):
    result = em.evolve(world, _config(population=31))
    assert result.genes.base is None and result.genes.shape == (31, 7)
