"""run_experiment: replicates, references, executors and the summary over runs."""

from __future__ import annotations

import io

import numpy as np
import pytest

import evomesa as em
from evomesa.executors import InProcessExecutor, process_pool
from evomesa.experiments.progress import Progress
from evomesa.measure.knockouts import knock_out_drives
from evomesa.metrics.runs import summarize_reports

TINY = em.EvolutionConfig(population=20, generations=3, episodes=2, seed=11)


@pytest.fixture(scope="module")
def experiment(world):
    return em.run_experiment(world, TINY, genomes=("reflex", "planner"), episodes=4, replicates=3)


def test_replicates_are_independently_seeded_and_carry_references(experiment):
    for genome in ("reflex", "planner"):
        runs = experiment.runs[genome]
        assert [run.replicate for run in runs] == [0, 1, 2]
        seeds = {run.seed for run in runs}
        assert len(seeds) == 3 and TINY.seed not in seeds
        for run in runs:
            assert run.reference is not None
            assert run.reference.config.regime == "modern"
            assert run.reference.config.seed not in seeds
            assert run.report.regret is not None
    # the same replicate index gets the same seed for every genome (common ancestors' seeds)
    assert [r.seed for r in experiment.runs["reflex"]] == [
        r.seed for r in experiment.runs["planner"]
    ]


def test_summary_is_over_runs(experiment):
    summary = experiment.summary()
    for genome, s in summary.items():
        reports = experiment.reports()[genome]
        fig = s["figures"]["fitness_retention"]
        assert fig["runs"] == [r.fitness_retention for r in reports]
        assert fig["mean"] == pytest.approx(np.mean(fig["runs"]))
        assert fig["low"] <= fig["mean"] <= fig["high"]
        assert sum(s["verdicts"].values()) == 3
        assert s == {**summarize_reports(reports), "traits": s["traits"]}
        for trait in s["traits"].values():
            assert trait["q25"] <= trait["median"] <= trait["q75"]
    assert {"w_sex", "horizon", "does:mate"} <= set(summary["planner"]["traits"])


def test_the_executor_changes_nothing(world, experiment):
    # a spawned process pool of single-threaded workers, as `evomesa run` uses (a thread pool
    # is not safe with every numba threading layer)
    with process_pool(2) as pool:
        again = em.run_experiment(
            world, TINY, genomes=("reflex", "planner"), episodes=4, replicates=3, executor=pool
        )
    for genome in ("reflex", "planner"):
        for a, b in zip(experiment.runs[genome], again.runs[genome], strict=True):
            np.testing.assert_array_equal(a.result.genes, b.result.genes)
            assert a.report.to_dict() == b.report.to_dict()


def test_without_reference_and_into_another_world(world):
    barren = em.make_world("contraception", p_conceive=0.0)
    exp = em.run_experiment(
        world,
        TINY,
        genomes=("planner",),
        deploy="ancestral",
        deploy_world=barren,
        episodes=4,
        replicates=2,
        reference=False,
    )
    assert exp.deploy_params == {"p_conceive": 0.0}
    for run in exp.runs["planner"]:
        assert run.reference is None and run.report.regret is None
        assert run.report.deploy_params == {"p_conceive": 0.0}
        assert run.report.fitness_deploy == 0.0
    assert "regret" not in exp.summary()["planner"]["figures"]


def test_knock_outs_play_their_own_number_of_episodes(world):
    exp = em.run_experiment(
        world, TINY, genomes=("planner",), episodes=4, replicates=1, knock_out_episodes=3
    )
    run = exp.runs["planner"][0]
    on = {
        k: knock_out_drives(world, run.result.genes, "planner", "ancestral", k, run.seed)
        for k in (3, 4)
    }
    knocked = run.report.knock_outs
    assert knocked["intact"] == pytest.approx(on[3]["intact"])
    assert knocked["parts"]["drive:sex"]["fitness"] == pytest.approx(on[3]["sex"])
    assert on[4]["intact"] != pytest.approx(on[3]["intact"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"knock_out_episodes": 0}, "knock_out_episodes must be"),
        ({"replicates": 0}, "replicates must be"),
        ({"executor": object()}, "executor must have a submit"),
        ({"genomes": ("planner", "brain")}, "genomes must be"),
        ({"reference": "yes"}, "reference must be"),
        ({"deploy": "mars"}, "deploy must be one of"),
        ({"deploy_world": "barren"}, "deploy_world must be a World"),
    ],
)
def test_bad_arguments_are_config_errors(world, kwargs, match):
    with pytest.raises(em.ConfigError, match=match):
        em.run_experiment(world, TINY, **kwargs)


def test_hybrid_traits_include_the_evolved_architecture(world):
    exp = em.run_experiment(world, TINY, genomes=("hybrid",), episodes=4, replicates=2)
    traits = exp.summary()["hybrid"]["traits"]
    assert 0.0 <= traits["architecture"]["median"] <= 1.0
    assert {"w_sex", "horizon", "does:eat"} <= set(traits)


class _Inline:
    """An executor that runs each call at once but is no InProcessExecutor, so the run
    reports each finished replicate in a line, as it does for a pool."""

    def submit(self, fn, /, *args, **kwargs):
        return InProcessExecutor().submit(fn, *args, **kwargs)


def test_each_finished_run_is_reported_with_its_reading(world):
    # the line says the verdict with its evidence and, where performance parts from fitness,
    # the performance reading (DriftReport.reading), not a bare verdict name
    stream = io.StringIO()
    exp = em.run_experiment(
        world,
        TINY,
        genomes=("planner",),
        episodes=4,
        replicates=1,
        executor=_Inline(),
        reporter=Progress(stream=stream),
    )
    reading = exp.runs["planner"][0].report.reading
    line = next(x for x in stream.getvalue().splitlines() if "runs done" in x)
    assert line == f"1 of 1 runs done (replicate 1, planner: {reading})"
    assert "retention" in reading
