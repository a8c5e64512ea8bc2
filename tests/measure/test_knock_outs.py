"""Knock-outs of features (networks), factors (tables) and drives (planners): which parts of
the evolved brains are under selection, measured, reported, read back and summarised."""

import json
import re

import numpy as np
import pytest
from hand_nets import FORAGER_SENSES, forager

import evomesa as em
from evomesa.genomes import HybridGenome, make_genome
from evomesa.measure.knockouts import (
    knock_out,
    knock_out_drives,
    knock_out_features,
    knockable,
    knocked_genome,
)
from evomesa.metrics.consistency import check_report
from evomesa.metrics.report import DriftReport
from evomesa.metrics.runs import summarize_reports


@pytest.fixture(scope="module")
def foragers(world):
    spec, genes = forager(world)
    return spec, np.repeat(genes, 3, axis=0)


def test_a_feature_the_network_relies_on_is_under_selection_one_it_ignores_is_not(world, foragers):
    _, genes = foragers
    out = knock_out_features(world, genes, episodes=16, seed=3)
    assert out["intact"] > 0.5
    assert out["food_here"] < 0.5 * out["intact"]  # it no longer eats
    assert out["mate_here"] < 0.5 * out["intact"]  # it no longer mates
    for ignored in set(f.name for f in world.features) - set(FORAGER_SENSES):
        assert out[ignored] == out["intact"]  # exactly: the same network, the same episodes


def test_measure_drift_reports_the_knock_outs_and_reads_them_back(world, foragers):
    _, genes = foragers
    report = em.measure_drift(
        world, genes, genome="reflex_net", episodes=16, seed=3, baseline=False, n_boot=50
    )
    ko = report.knock_outs
    assert list(ko["parts"]) == [f"feature:{f.name}" for f in world.features]
    # the same episodes as knock_out_features with the same seed, episodes and regime
    alone = knock_out_features(world, genes, regime=report.train, episodes=16, seed=3)
    assert ko["intact"] == alone["intact"]
    for f in world.features:
        fig = ko["parts"][f"feature:{f.name}"]
        assert fig["fitness"] == alone[f.name]
        assert fig["effect"] == pytest.approx(ko["intact"] - fig["fitness"])
        assert fig["low"] <= fig["high"]
    assert "feature:food_here" in report.under_selection
    assert "feature:mate_offers" not in report.under_selection
    assert ko["parts"]["feature:mate_offers"]["effect"] == 0.0
    back = DriftReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert back == report
    assert back.novel_decision_share == report.novel_decision_share is not None
    check_report(back, world.drives, world.aligned_drives)
    # without knock-outs: none, and an older report without the field reads back
    bare = em.measure_drift(
        world, genes, genome="reflex_net", episodes=4, baseline=False, n_boot=10, knock_outs=False
    )
    assert bare.knock_outs is None and bare.under_selection == ()
    old = bare.to_dict()
    del old["knock_outs"]
    assert DriftReport.from_dict(old) == bare


def test_malformed_knock_outs_are_refused_by_name(world, foragers):
    _, genes = foragers
    good = em.measure_drift(
        world, genes, genome="reflex_net", episodes=4, baseline=False, n_boot=10
    ).to_dict()
    fig = {"fitness": 1.0, "effect": 0.5, "low": 0.2, "high": 0.1}
    for ko, field in (
        ({"intact": 1.5, "parts": {"feature:energy": fig}}, "knock_outs.parts.feature:energy"),
        ({"intact": 1.5, "parts": {"gene:energy": {**fig, "low": 0.0}}}, "gene:energy"),
        ({"intact": 1.5}, "knock_outs.parts"),
        ({"intact": 1.5, "parts": {}}, "knock_outs.parts"),
        ({"intact": "x", "parts": {"feature:energy": {**fig, "low": 0.0}}}, "knock_outs.intact"),
    ):
        with pytest.raises(em.ConfigError, match=re.escape(field)):
            DriftReport.from_dict({**good, "knock_outs": ko})
    # read back, but the effect disagrees with intact - knocked
    wrong = {"intact": 1.5, "parts": {"feature:energy": {**fig, "effect": 0.7, "low": 0.0}}}
    report = DriftReport.from_dict({**good, "knock_outs": wrong})
    with pytest.raises(em.ConfigError, match="intact - knocked"):
        check_report(report, world.drives, world.aligned_drives)


def test_planner_knock_outs_in_the_report_match_knock_out_drives(world, small_planner_result):
    report = em.measure_drift(world, small_planner_result, episodes=6, seed=2, n_boot=20)
    alone = knock_out_drives(
        world, small_planner_result.genes, regime=report.train, episodes=6, seed=2
    )
    ko = report.knock_outs
    assert list(ko["parts"]) == [f"drive:{d}" for d in world.drives]
    assert ko["intact"] == alone["intact"]
    assert all(ko["parts"][f"drive:{d}"]["fitness"] == alone[d] for d in world.drives)


def test_a_factor_knocked_out_reads_every_entry_at_the_factors_first_level(world, rng):
    spec = make_genome("reflex", world)
    genes = rng.random((2, spec.length))
    knocked = knock_out(spec, world, genes, "factor:offer")
    before, after = spec.table(genes), spec.table(knocked)
    levels = dict(food="north", sweet="high", mate="here", energy="low")
    yes = world.observation_index(offer="yes", **levels)
    no = world.observation_index(offer="no", **levels)
    assert (after[:, yes] == before[:, no]).all() and (after[:, no] == before[:, no]).all()
    assert knockable(spec, world) == tuple(f"factor:{f.name}" for f in world.factors)


def test_a_hybrid_knocks_out_its_drives_and_its_reflex_halfs_parts(world, rng):
    net = make_genome("reflex_net", world)
    hybrid = HybridGenome(net, make_genome("planner", world))
    parts = knockable(hybrid, world)
    assert parts[: len(world.drives)] == tuple(f"drive:{d}" for d in world.drives)
    assert parts[len(world.drives) :] == tuple(f"feature:{f}" for f in net.features)
    genes = rng.random((3, hybrid.length))
    knocked = knock_out(hybrid, world, genes, "feature:energy")
    # the knock-out unties the network: genes of the hybrid with the untied reflex half
    played = knocked_genome(hybrid, "feature:energy")
    assert played.reflex.tied is False and played.length == knocked.shape[1]
    half, r = slice(1, 1 + net.length), 1 + net.n_parameters
    expected = net.knock_out_feature(genes[:, half], "energy")
    assert np.array_equal(knocked[:, 1:r], expected)
    assert np.array_equal(knocked[:, :1], genes[:, :1])
    assert np.array_equal(knocked[:, r:], genes[:, 1 + net.length :])
    assert knocked_genome(hybrid, "drive:sex") is hybrid
    with pytest.raises(em.ConfigError, match="part"):
        knock_out(make_genome("reflex_net", world), world, genes, "factor:offer")


def test_summaries_count_the_runs_in_which_a_part_is_under_selection(world, foragers):
    _, genes = foragers
    reports = [
        em.measure_drift(
            world, genes, genome="reflex_net", episodes=8, seed=s, baseline=False, n_boot=20
        )
        for s in (1, 2)
    ]
    summary = summarize_reports(reports)
    ko = summary["knock_outs"]
    assert ko["feature:food_here"]["under_selection"] == 2
    assert ko["feature:mate_offers"]["under_selection"] == 0
    assert ko["feature:mate_offers"]["runs"] == [0.0, 0.0]
    assert ko["feature:food_here"]["n"] == 2
    assert "knock_outs" not in summarize_reports(
        [DriftReport.from_dict({**reports[0].to_dict(), "knock_outs": None})]
    )
