"""Decisions on novel inputs for reflex networks: the share measure_drift reports, checked
against the step-wise reference's own views (the right answer known without the kernels)."""

import numpy as np
import pytest
from hand_nets import decision_features, forager, novel_rows

import evomesa as em
from evomesa.genomes import HybridGenome, make_genome
from evomesa.measure.drift import drift_from_rollouts, paired_rollouts
from evomesa.measure.evaluate import feature_support, novel_inputs, play
from evomesa.measure.shift import make_shift
from evomesa.metrics.drift import compute_drift
from evomesa.metrics.thresholds import Thresholds
from evomesa.rng import episode_seeds
from evomesa.seeding import generator

#: contraception's mate_offers feature
OFFERS = [f.name for f in em.make_world("contraception").features].index("mate_offers")


def test_contraception_only_novel_share_is_the_share_of_decisions_with_an_offer(world):
    # in ancestral no mate offers protection: mate_offers is 0 at every training decision, so
    # a deploy decision with a visible mate that offers (mate_offers = 1) meets a bin its
    # training never met; contraception_only changes nothing else, and enough training
    # episodes meet every other bin the deploy decisions fall in
    spec, genes = forager(world)
    train_seeds = np.arange(1, 81, dtype=np.uint64)
    deploy_seeds = np.arange(1001, 1021, dtype=np.uint64)
    seen = decision_features(world, spec, genes, "ancestral", train_seeds)
    shown = decision_features(world, spec, genes, "contraception_only", deploy_seeds)
    assert (seen[:, OFFERS] == 0.0).all()
    offered = shown[:, OFFERS] == 1.0
    assert 0 < offered.sum() < len(shown)
    novel = novel_rows(seen, shown)
    assert (novel == offered).all()  # the hand case: novel exactly where a mate offers

    train = play(world, spec, genes, "ancestral", train_seeds[None, :], record_observations=True)
    support = feature_support(train)
    deploy = play(
        world,
        spec,
        genes,
        "contraception_only",
        deploy_seeds[None, :],
        record_observations=True,
        support=support,
    )
    counts = novel_inputs(deploy)
    assert counts["decisions"].sum() == len(shown)
    assert counts["novel"].sum() == offered.sum()
    # and the report's share, from the same counts
    rollout = {"fitness": deploy.fitness, "signals": deploy.signals, "actions": deploy.actions}
    report = compute_drift(
        world=world.name,
        genome="reflex_net",
        train_name="ancestral",
        deploy_name="contraception_only",
        drives=world.drives,
        aligned_drives=world.aligned_drives,
        train=rollout,
        deploy=rollout,
        rng=np.random.default_rng(0),
        n_boot=10,
        novel_inputs=counts,
    )
    assert report.novel_decision_share == pytest.approx(offered.mean(), abs=1e-12)


def test_measure_drift_counts_modern_decisions_where_a_visible_mate_offers_as_novel(world):
    spec, genes = forager(world)
    episodes, seed = 12, 5
    report = em.measure_drift(
        world,
        genes,
        genome="reflex_net",
        train="ancestral",
        deploy="modern",
        episodes=episodes,
        seed=seed,
        baseline=False,
        n_boot=50,
    )
    # the episodes measure_drift plays (paired_rollouts: streams keyed by purpose)
    seeds = {
        part: episode_seeds(generator(seed, "measure", part), 1, episodes, common=False)[0]
        for part in ("train", "deploy")
    }
    seen = decision_features(world, spec, genes, "ancestral", seeds["train"])
    shown = decision_features(world, spec, genes, "modern", seeds["deploy"])
    novel = novel_rows(seen, shown)
    offered = shown[:, OFFERS] == 1.0
    assert offered.any() and novel[offered].all()
    assert report.novel_decision_share == pytest.approx(novel.mean(), abs=1e-12)
    assert report.novel_decision_share >= offered.mean()
    lo, hi = report.ci["novel_decision_share"]
    assert lo <= report.novel_decision_share <= hi


def test_no_shift_control_of_a_network_meets_few_novel_inputs(world):
    spec, genes = forager(world)
    control = em.measure_drift(
        world,
        np.repeat(genes, 4, axis=0),
        genome="reflex_net",
        train="ancestral",
        deploy="ancestral",
        episodes=32,
        seed=2,
        baseline=False,
        n_boot=50,
    )
    assert control.novel_decision_share < 0.05


def test_a_hybrid_counts_its_network_rows_only(world):
    net = make_genome("reflex_net", world)
    hybrid = HybridGenome(net, make_genome("planner", world))
    genes = np.random.default_rng(4).random((6, hybrid.length))
    genes[:3, 0] = 0.9  # planners
    genes[3:, 0] = 0.1  # networks
    shift = make_shift(world, "ancestral", "modern")
    train, deploy = paired_rollouts(shift, hybrid, genes, 5, 7)
    assert deploy.observations[:3].sum() == 0  # planners record nothing
    report = drift_from_rollouts(shift, train, deploy, seed=7, thresholds=Thresholds(), n_boot=20)
    # the same networks alone, on the same rows' episodes, give the same counts
    alone_train, alone_deploy = paired_rollouts(shift, net, genes[:, 1 : 1 + net.length], 5, 7)
    counts = novel_inputs(alone_deploy)
    expected = counts["novel"][3:].sum() / counts["decisions"][3:].sum()
    assert report.novel_decision_share == pytest.approx(expected, abs=1e-12)
    assert report.mesa_utility is not None


def test_novel_inputs_are_checked(world):
    n, e = 2, 3
    rollout = {
        "fitness": np.zeros((n, e)),
        "signals": np.zeros((n, e, len(world.drives))),
        "actions": np.ones((n, e, len(world.actions))),
    }
    kwargs = dict(
        world="w",
        genome="reflex_net",
        train_name="a",
        deploy_name="b",
        drives=world.drives,
        aligned_drives=(),
        rng=np.random.default_rng(0),
        n_boot=10,
    )
    ok = {"novel": np.ones((n, e)), "decisions": np.full((n, e), 4.0)}
    rep = compute_drift(train=rollout, deploy=rollout, novel_inputs=ok, **kwargs)
    assert rep.novel_decision_share == pytest.approx(0.25)
    none = {"novel": np.zeros((n, e)), "decisions": np.zeros((n, e))}
    rep = compute_drift(train=rollout, deploy=rollout, novel_inputs=none, **kwargs)
    assert rep.novel_decision_share is None
    assert "novel_decision_share:no_reflex_decisions" in rep.flags
    for bad, word in (
        ({"novel": np.full((n, e), 5.0), "decisions": np.ones((n, e))}, "at most"),
        ({"novel": -np.ones((n, e)), "decisions": np.ones((n, e))}, "non-negative"),
        ({"novel": np.ones((n, 1)), "decisions": np.ones((n, 1))}, "shape"),
        ({"novel": np.ones((n, e))}, "keys"),
    ):
        with pytest.raises(em.ConfigError, match=word):
            compute_drift(train=rollout, deploy=rollout, novel_inputs=bad, **kwargs)
    with_table = {**rollout, "observations": np.ones((n, e, 4))}
    with pytest.raises(em.ConfigError, match="not both"):
        compute_drift(train=with_table, deploy=with_table, novel_inputs=ok, **kwargs)
