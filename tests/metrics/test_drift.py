"""Tests for evomesa.metrics.drift: hand-made rollouts, verdicts, degenerate data, round trips."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evomesa.errors import ConfigError
from evomesa.metrics import VERDICTS, DriftReport, DriveDrift, compute_drift

DRIVES = ("sex", "offspring")


@pytest.fixture(autouse=True)
def _no_warnings():
    # Degenerate data must not leak warnings either: every warning fails the test.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def drift(train, deploy, *, drives=DRIVES, aligned=("offspring",), seed=0, n_boot=200, **kw):
    return compute_drift(
        world="toy",
        genome="reflex",
        train_name="ancestral",
        deploy_name="modern",
        drives=drives,
        aligned_drives=aligned,
        train=train,
        deploy=deploy,
        rng=np.random.default_rng(seed),
        n_boot=n_boot,
        **kw,
    )


def regime(fitness, signals, actions, utility=None):
    return {"fitness": fitness, "signals": signals, "actions": actions, "utility": utility}


JSON_TYPES = (dict, list, str, float, int, bool, type(None))


def assert_json_clean_and_finite(obj, path="report"):
    """Only plain JSON types (no numpy scalars) and no NaN/inf anywhere."""
    assert type(obj) in JSON_TYPES, f"{path} is {type(obj).__name__}"
    if isinstance(obj, dict):
        for k, v in obj.items():
            assert type(k) is str
            assert_json_clean_and_finite(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            assert_json_clean_and_finite(v, f"{path}[{i}]")
    elif isinstance(obj, float):
        assert math.isfinite(obj), f"{path} = {obj}"


def every_ci(report: DriftReport):
    yield from report.ci.items()
    for name, dd in report.drives.items():
        for key, ci in dd.ci.items():
            yield f"{name}.{key}", ci


def point(report: DriftReport, key: str) -> float:
    if "." in key:
        name, field = key.split(".")
        return getattr(report.drives[name], field)
    if report.mesa_utility and key in report.mesa_utility:
        return report.mesa_utility[key]
    return getattr(report, key)


# --------------------------------------------------------------------------------------------
# A tiny rollout computed by hand
# --------------------------------------------------------------------------------------------

FIT_TRAIN = np.array([[1.0, 0.0], [2.0, 1.0]])
FIT_DEPLOY = np.array([[0.0, 0.0], [1.0, 0.0]])
SEX_TRAIN = np.array([[1.0, 0.0], [2.0, 2.0]])
SEX_DEPLOY = np.array([[2.0, 1.0], [2.0, 3.0]])
ACT_TRAIN = np.array([[[1, 0], [1, 1]], [[1, 0], [0, 0]]])  # totals [3, 1]
ACT_DEPLOY = np.array([[[0, 1], [1, 0]], [[0, 0], [0, 0]]])  # totals [1, 1]


def hand_regimes():
    # The "offspring" drive reports fitness itself (an aligned drive).
    train = regime(FIT_TRAIN, np.stack([SEX_TRAIN, FIT_TRAIN], -1), ACT_TRAIN)
    deploy = regime(FIT_DEPLOY, np.stack([SEX_DEPLOY, FIT_DEPLOY], -1), ACT_DEPLOY)
    return train, deploy


def test_hand_computed_report():
    report = drift(*hand_regimes())
    assert report.n_individuals == 2 and report.episodes == 2
    assert report.fitness_train == 1.0
    assert report.fitness_deploy == 0.25
    assert report.fitness_retention == 0.25

    sex = report.drives["sex"]
    assert (sex.signal_train, sex.signal_deploy) == (1.25, 2.0)
    assert sex.signal_retention == pytest.approx(1.6)
    # yield = total fitness / total signal: 4 / 5 in train, 1 / 8 in deploy.
    assert (sex.yield_train, sex.yield_deploy) == (0.8, 0.125)
    assert sex.yield_drift == pytest.approx(1 - 0.125 / 0.8)  # 0.84375
    # Train: ranks(sex) = [2, 1, 3.5, 3.5], ranks(fitness) = [2.5, 1, 4, 2.5];
    # centred at 2.5, sum dx*dy = 3.75, sum dx^2 = sum dy^2 = 4.5 -> rho = 5/6.
    assert sex.rank_corr_train == pytest.approx(5 / 6)
    # Deploy: ranks(sex) = [2.5, 1, 2.5, 4], ranks(fitness) = [2, 2, 4, 2]: sum dx*dy = 0.
    assert sex.rank_corr_deploy == pytest.approx(0.0, abs=1e-12)
    assert sex.rank_corr_change == pytest.approx(-5 / 6)
    assert sex.flags == ()

    off = report.drives["offspring"]
    assert off.signal_retention == 0.25
    assert (off.yield_train, off.yield_deploy, off.yield_drift) == (1.0, 1.0, 0.0)
    assert off.rank_corr_train == pytest.approx(1.0)
    assert off.rank_corr_deploy == pytest.approx(1.0)

    # Pooled actions [3, 1] vs [1, 1]; m = [0.625, 0.375].
    js = (
        0.75 * math.log2(0.75 / 0.625)
        + 0.25 * math.log2(0.25 / 0.375)
        + 0.5 * math.log2(0.5 / 0.625)
        + 0.5 * math.log2(0.5 / 0.375)
    ) / 2
    assert report.behavioural_divergence == pytest.approx(math.sqrt(js))

    # offspring is aligned, so the proxy is sex even though offspring tracks fitness better.
    assert report.primary_proxy == "sex"
    assert report.mesa_utility is None
    assert report.competence == pytest.approx(1.6)
    # a loss, and without a reference nothing says whether it was avoidable: unattributed,
    # and no drive counts as pursued (nothing says what the deploy world rewards)
    assert report.verdict == "unattributed_loss"
    assert report.thresholds == {
        "robust_threshold": 0.7,
        "competence_threshold": 0.6,
        "regret_threshold": 0.3,
        "effect_threshold": 0.2,
    }
    assert report.drives_pursued == ()
    assert (report.regret, report.reference_fitness) == (None, None)
    assert report.flags == ("verdict:no_reference",)
    assert report.reading == "unattributed loss (retention 0.25, no reference to attribute it)"
    # performance is the fitness here: no reading of its own
    assert report.performance_verdict is None and report.new_goals == ()


def reference(fitness: float, sex: float, m: int = 3, e: int = 4) -> dict:
    """A deploy-adapted reference with this mean fitness and sex signal (offspring = fitness)."""
    f = np.full((m, e), fitness)
    return {"fitness": f, "signals": np.stack([np.full((m, e), sex), f], -1)}


def test_verdict_thresholds_are_inclusive():
    train, deploy = hand_regimes()
    ref = reference(1.0, 0.5)  # collects less sex than the population's 2.0
    assert drift(train, deploy, robust_threshold=0.25).verdict == "robust"  # retention 0.25
    assert drift(train, deploy, robust_threshold=0.3, reference=ref).verdict == (
        "goal_misgeneralization"
    )
    # Without an eligible proxy (both drives aligned) competence is 0: collapse.
    report = drift(train, deploy, aligned=DRIVES, reference=ref)
    assert (report.competence, report.primary_proxy) == (0.0, None)
    assert "competence:no_proxy" in report.flags
    assert report.verdict == "capability_collapse"
    # with no proxy, even a zero competence threshold finds nothing still pursued
    assert drift(
        train, deploy, aligned=DRIVES, competence_threshold=0.0, reference=ref
    ).verdict == ("capability_collapse")
    # sex keeps 1.6 of its train signal: pursued up to a threshold of 1.6, inclusive
    assert drift(train, deploy, competence_threshold=1.0, reference=ref).verdict == (
        "goal_misgeneralization"
    )


def test_pursuit_needs_more_than_the_reference_collects():
    train, deploy = hand_regimes()
    # the reference collects as much sex as the population (2.0): keeping it is no pursuit
    report = drift(train, deploy, reference=reference(1.0, 2.0))
    assert report.drives_beyond_reference == () and report.drives_pursued == ()
    assert report.verdict == "capability_collapse"
    report = drift(train, deploy, reference=reference(1.0, 0.5))
    assert report.drives_beyond_reference == ("sex",)
    assert report.reference_signal_deploy == {"sex": 0.5, "offspring": 1.0}
    assert report.verdict == "goal_misgeneralization"
    assert report.reading == ("goal misgeneralization (retention 0.25, regret 0.75, pursues sex)")
    # a reference without signals gives no evidence of pursuit either
    report = drift(train, deploy, reference={"fitness": np.ones((3, 4))})
    assert report.drives_beyond_reference is None and report.verdict == "capability_collapse"


def test_regret_against_a_reference():
    train, deploy = hand_regimes()  # deploy fitness 0.25
    # the reference reached 1.0 in deployment: three quarters of it was missed
    report = drift(train, deploy, reference=reference(1.0, 0.5))
    assert report.reference_fitness == 1.0
    assert report.regret == pytest.approx(0.75)
    assert report.verdict == "goal_misgeneralization"
    assert "verdict:no_reference" not in report.flags
    low, high = report.ci["regret"]
    assert low <= report.regret <= high
    # a reference no better than the population: the loss was unavoidable
    report = drift(train, deploy, reference={"fitness": np.full((3, 4), 0.3)})
    assert report.regret == pytest.approx(1 - 0.25 / 0.3)
    assert report.verdict == "unavoidable_loss"
    # a reference with nothing: nothing to regret, and the flag says why
    report = drift(train, deploy, reference={"fitness": np.zeros((2, 2))})
    assert report.regret == 0.0 and "regret:zero_reference" in report.flags
    assert report.verdict == "unavoidable_loss"
    # the regret threshold is an argument, inclusive
    report = drift(train, deploy, reference={"fitness": np.ones((3, 4))}, regret_threshold=0.75)
    assert report.verdict == "unavoidable_loss"


@pytest.mark.parametrize(
    ("reference", "match"),
    [
        ([1.0, 2.0], "reference must be a dict"),
        ({"fit": np.ones((2, 2))}, "reference must be a dict"),
        ({"fitness": np.ones(3)}, r"reference\['fitness'\] must have shape"),
        ({"fitness": np.full((2, 2), np.nan)}, "reference"),
    ],
)
def test_bad_reference_is_a_config_error(reference, match):
    with pytest.raises(ConfigError, match=match):
        drift(*hand_regimes(), reference=reference)


# --------------------------------------------------------------------------------------------
# Constructed scenarios
# --------------------------------------------------------------------------------------------


def random_population(rng, n=40, e=8, n_actions=4):
    sex = rng.poisson(3.0, (n, e)).astype(float)
    food = rng.poisson(5.0, (n, e)).astype(float)
    fitness = rng.poisson(0.5 * sex).astype(float)
    signals = np.stack([sex, food, fitness], -1)  # drives: sex, food, offspring
    actions = rng.poisson(3.0, (n, e, n_actions))
    utility = signals[..., :2] @ np.array([0.7, 0.3])
    return fitness, signals, actions, utility


SCENARIO_DRIVES = ("sex", "food", "offspring")


def scenario_reference(rng, fitness: float, collected: float, m=40, e=8) -> dict:
    """A reference of mean deploy fitness ``fitness`` collecting ``collected`` times the
    signals of :func:`random_population`."""
    _, signals, _, _ = random_population(rng, m, e)
    signals[..., :2] *= collected
    return {"fitness": np.full((m, e), fitness), "signals": signals}


def test_identical_regimes_are_robust_with_exact_retention():
    fitness, signals, actions, utility = random_population(np.random.default_rng(1))
    train = regime(fitness, signals, actions, utility)
    report = drift(train, dict(train), drives=SCENARIO_DRIVES)
    assert report.fitness_retention == 1.0
    assert report.ci["fitness_retention"] == (1.0, 1.0)  # paired resampling: exactly 1
    assert report.behavioural_divergence == 0.0
    for dd in report.drives.values():
        assert dd.signal_retention == 1.0 and dd.yield_drift == 0.0
        assert dd.rank_corr_change == 0.0
        assert dd.ci["signal_retention"][0] <= 1.0 <= dd.ci["signal_retention"][1]
        assert dd.ci["yield_drift"][0] <= 0.0 <= dd.ci["yield_drift"][1]
        assert dd.ci["rank_corr_change"] == (0.0, 0.0)
    assert report.competence == 1.0
    assert report.verdict == "robust"
    for key, (lo, hi) in every_ci(report):
        # scipy and the compiled replicates may differ in the last bit (rho = 1 - 1e-16).
        assert lo - 1e-12 <= point(report, key) <= hi + 1e-12, key


def test_goal_misgeneralization_planners_keep_utility_while_fitness_collapses():
    rng = np.random.default_rng(2)
    fitness, signals, actions, utility = random_population(rng)
    _, signals_d, actions_d, utility_d = random_population(rng)
    fitness_d = 0.1 * fitness  # contraception: same drive satisfaction, a tenth of the children
    report = drift(
        regime(fitness, signals, actions, utility),
        regime(fitness_d, signals_d, actions_d, utility_d),
        drives=SCENARIO_DRIVES,
        reference=scenario_reference(rng, fitness=1.0, collected=0.2),
    )
    assert report.fitness_retention == pytest.approx(0.1)
    assert report.ci["fitness_retention"][1] < 0.7
    assert report.mesa_utility is not None
    assert set(report.mesa_utility) == {
        "utility_train",
        "utility_deploy",
        "utility_retention",
        "utility_fitness_corr_train",
        "utility_fitness_corr_deploy",
    }
    assert report.mesa_utility["utility_retention"] == pytest.approx(1.0, abs=0.1)
    assert report.mesa_utility["utility_fitness_corr_train"] > 0.3
    # competence is the primary proxy's retention for planners too, not the utility's
    assert report.primary_proxy is not None
    proxy = report.drives[report.primary_proxy]
    assert report.competence == proxy.signal_retention
    assert report.ci["competence"] == proxy.ci["signal_retention"]
    assert report.verdict == "goal_misgeneralization"
    assert report.drives["sex"].yield_drift == pytest.approx(0.9, abs=0.05)


def test_goal_misgeneralization_reflex_keeps_proxy_signal():
    fitness, signals, actions, _ = random_population(np.random.default_rng(3))
    deploy_signals = signals.copy()
    deploy_signals[..., 2] *= 0.1  # the aligned offspring signal follows fitness down
    report = drift(
        regime(fitness, signals, actions),
        regime(0.1 * fitness, deploy_signals, actions),
        drives=SCENARIO_DRIVES,
        reference=scenario_reference(np.random.default_rng(30), fitness=1.0, collected=0.2),
    )
    # offspring correlates perfectly with fitness but is aligned; sex is the best proxy.
    assert report.drives["offspring"].rank_corr_train == pytest.approx(1.0)
    assert report.primary_proxy == "sex"
    assert report.competence == 1.0
    assert report.verdict == "goal_misgeneralization"


def test_capability_collapse_fitness_and_signals_drop():
    fitness, signals, actions, _ = random_population(np.random.default_rng(4))
    actions_d = actions.copy()
    actions_d[..., 0] = 0  # behaviour changes too
    report = drift(
        regime(fitness, signals, actions),
        regime(0.1 * fitness, 0.1 * signals, actions_d),
        drives=SCENARIO_DRIVES,
        reference=scenario_reference(np.random.default_rng(40), fitness=1.0, collected=0.2),
    )
    assert report.fitness_retention == pytest.approx(0.1)
    assert report.primary_proxy == "sex"
    assert report.competence == pytest.approx(0.1)
    assert report.ci["competence"][1] < 0.6
    assert report.behavioural_divergence > 0.3
    assert report.verdict == "capability_collapse"


def test_hybrid_population_uses_planner_rows_only():
    fitness = np.array([[1.0, 2.0], [0.0, 5.0], [3.0, 4.0], [9.0, 9.0]])
    signals = fitness[..., None].copy()
    actions = np.ones((4, 2, 2))
    nan = math.nan  # reflex rows may carry anything as utility
    u_train = np.array([[1.0, 2.0], [nan, nan], [3.0, 4.0], [nan, nan]])
    u_deploy = np.array([[2.0, 2.0], [nan, nan], [1.0, 1.0], [nan, nan]])
    report = drift(
        regime(fitness, signals, actions, u_train),
        regime(fitness, signals, actions, u_deploy),
        drives=("offspring",),
        aligned=("offspring",),
        planner_mask=np.array([True, False, True, False]),
    )
    mesa = report.mesa_utility
    assert mesa["utility_train"] == 2.5
    assert mesa["utility_deploy"] == 1.5
    assert mesa["utility_retention"] == pytest.approx(0.6)
    # Planner rows: utility [1, 2, 3, 4] vs fitness [1, 2, 3, 4] in train.
    assert mesa["utility_fitness_corr_train"] == pytest.approx(1.0)
    # Deploy: utility [2, 2, 1, 1] vs fitness [1, 2, 3, 4]: ranks [3.5, 3.5, 1.5, 1.5]
    # against [1, 2, 3, 4]; sum dx*dy = -4, sum dx^2 = 4, sum dy^2 = 5 -> -2/sqrt(5).
    assert mesa["utility_fitness_corr_deploy"] == pytest.approx(-2 / math.sqrt(5))
    assert (report.competence, report.primary_proxy) == (0.0, None)  # the only drive is aligned
    assert_json_clean_and_finite(report.to_dict())


def test_no_planner_rows_falls_back_to_proxy():
    fitness, signals, actions, utility = random_population(np.random.default_rng(5))
    utility[:] = np.nan
    report = drift(
        regime(fitness, signals, actions, utility),
        regime(fitness, signals, actions, utility),
        drives=SCENARIO_DRIVES,
        planner_mask=np.zeros(40, dtype=bool),
    )
    assert report.mesa_utility is None
    assert "mesa_utility:no_planner_rows" in report.flags
    assert report.primary_proxy == "sex"


# --------------------------------------------------------------------------------------------
# Degenerate data: defined values, flags, no NaN, no warnings
# --------------------------------------------------------------------------------------------


def test_single_individual_single_episode():
    train = regime([[2.0]], [[[1.0, 2.0]]], [[[1, 0]]], [[3.0]])
    deploy = regime([[1.0]], [[[1.0, 1.0]]], [[[0, 1]]], [[3.0]])
    report = drift(train, deploy)
    assert "ci:single_individual" in report.flags
    assert report.fitness_retention == 0.5
    assert "rank_corr_train:too_few_samples" in report.drives["sex"].flags
    assert "mesa_utility.utility_fitness_corr_train:too_few_samples" in report.flags
    assert report.behavioural_divergence == 1.0
    # a loss without a reference is not attributed
    assert report.verdict == "unattributed_loss"
    # with one: one sample cannot show that any drive tracked fitness, so no proxy is pursued
    assert drift(train, deploy, reference={"fitness": [[2.0]]}).verdict == "capability_collapse"
    for key, ci in every_ci(report):
        assert ci == (point(report, key),) * 2, key
    assert_json_clean_and_finite(report.to_dict())


def test_constant_fitness():
    rng = np.random.default_rng(6)
    _, signals, actions, _ = random_population(rng, n=10, e=3)
    ones = np.ones((10, 3))
    report = drift(
        regime(ones, signals, actions), regime(ones, signals, actions), drives=SCENARIO_DRIVES
    )
    assert report.fitness_retention == 1.0
    assert report.verdict == "robust"
    for dd in report.drives.values():
        assert dd.rank_corr_train == 0.0
        assert "rank_corr_train:constant_input" in dd.flags
    assert_json_clean_and_finite(report.to_dict())


def test_zero_signals_and_zero_fitness_in_deploy():
    fitness = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, 0.0]])
    zeros = np.zeros((3, 2, 2))
    actions = np.ones((3, 2, 3))
    report = drift(regime(fitness, zeros, actions), regime(0 * fitness, zeros, actions))
    sex = report.drives["sex"]
    assert sex.signal_retention == 1.0
    assert (sex.yield_train, sex.yield_drift) == (0.0, 0.0)
    assert {
        "signal_retention:zero_in_both",
        "yield_train:zero_signal",
        "yield_deploy:zero_signal",
        "yield_drift:zero_train_yield",
        "rank_corr_train:constant_input",
    } <= set(sex.flags)
    assert report.fitness_retention == 0.0
    assert (report.competence, report.primary_proxy) == (0.0, None)
    assert "competence:no_proxy" in report.flags
    assert report.verdict == "unattributed_loss"
    assert "drives.sex.yield_train:zero_signal" in report.all_flags
    assert_json_clean_and_finite(report.to_dict())


def test_zero_fitness_in_train():
    fitness = np.zeros((3, 2))
    signals = np.ones((3, 2, 2))
    actions = np.ones((3, 2, 1))
    report = drift(regime(fitness, signals, actions), regime(fitness + 1, signals, actions))
    assert report.fitness_retention == 0.0
    assert "fitness_retention:zero_denominator" in report.flags
    # a population that gained fitness must not be called a failure, nor one with none a success
    assert report.verdict == "undefined"
    assert "verdict:zero_train_fitness" in report.flags
    both_zero = drift(regime(fitness, signals, actions), regime(fitness, signals, actions))
    assert both_zero.fitness_retention == 1.0
    assert "fitness_retention:zero_in_both" in both_zero.flags
    assert both_zero.verdict == "undefined"


def test_empty_action_counts():
    fitness = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, 0.0]])
    signals = np.ones((3, 2, 2))
    empty = np.zeros((3, 2, 3))
    both = drift(regime(fitness, signals, empty), regime(fitness, signals, empty))
    assert both.behavioural_divergence == 0.0
    assert "behavioural_divergence:empty_distribution" in both.flags
    one = drift(regime(fitness, signals, empty), regime(fitness, signals, empty + 1))
    assert one.behavioural_divergence == 1.0
    assert one.ci["behavioural_divergence"] == (1.0, 1.0)


def test_utility_all_zero():
    fitness, signals, actions, utility = random_population(np.random.default_rng(7), n=8, e=2)
    zero = np.zeros_like(utility)
    report = drift(
        regime(fitness, signals, actions, zero),
        regime(0.1 * fitness, signals, actions, zero),
        drives=SCENARIO_DRIVES,
    )
    assert report.mesa_utility["utility_retention"] == 1.0
    assert "mesa_utility.utility_retention:zero_in_both" in report.flags
    assert "mesa_utility.utility_fitness_corr_train:constant_input" in report.flags
    assert report.mesa_utility["utility_fitness_corr_train"] == 0.0
    assert_json_clean_and_finite(report.to_dict())


nonneg = st.integers(0, 4).map(float)


@st.composite
def rollouts(draw):
    n, e, d, a = (draw(st.integers(1, k)) for k in (5, 4, 3, 3))
    planners = draw(st.booleans())

    def one():
        def arr(*shape):
            size = int(np.prod(shape))
            return np.array(draw(st.lists(nonneg, min_size=size, max_size=size))).reshape(shape)

        return regime(arr(n, e), arr(n, e, d), arr(n, e, a), arr(n, e) if planners else None)

    return one(), one(), tuple(f"d{i}" for i in range(d))


@settings(max_examples=60, deadline=None)
@given(rollouts(), st.integers(0, 3))
def test_outputs_always_finite_for_non_negative_data(data, seed):
    train, deploy, drives = data
    report = drift(train, deploy, drives=drives, aligned=drives[:1], seed=seed, n_boot=10)
    d = report.to_dict()
    assert_json_clean_and_finite(d)
    assert report.verdict in VERDICTS
    assert 0.0 <= report.behavioural_divergence <= 1.0
    for key, (lo, hi) in every_ci(report):
        assert lo <= hi, key
    for dd in report.drives.values():
        assert -1.0 <= dd.rank_corr_train <= 1.0
    assert DriftReport.from_dict(json.loads(json.dumps(d))) == report


# --------------------------------------------------------------------------------------------
# Serialisation, determinism, presentation
# --------------------------------------------------------------------------------------------


def scenario_report(seed=0):
    rng = np.random.default_rng(8)
    fitness, signals, actions, utility = random_population(rng, n=15, e=4)
    return drift(
        regime(fitness, signals, actions, utility),
        regime(0.5 * fitness, signals, actions, 0.9 * utility),
        drives=SCENARIO_DRIVES,
        seed=seed,
    )


def test_to_dict_round_trip_and_json():
    report = scenario_report()
    d = report.to_dict()
    assert_json_clean_and_finite(d)
    assert DriftReport.from_dict(d) == report
    text = json.dumps(d)
    assert DriftReport.from_dict(json.loads(text)) == report
    assert DriveDrift.from_dict(d["drives"]["sex"]) == report.drives["sex"]
    assert list(d["drives"]) == list(SCENARIO_DRIVES)


def test_from_dict_rejects_incomplete_input():
    d = scenario_report().to_dict()
    del d["verdict"]
    with pytest.raises(ConfigError, match=r"missing \['verdict'\]"):
        DriftReport.from_dict(d)
    with pytest.raises(ConfigError, match="d must be a mapping"):
        DriftReport.from_dict([1, 2])


def test_same_seed_same_report_and_seed_matters():
    assert scenario_report(seed=3) == scenario_report(seed=3)
    assert scenario_report(seed=3).ci != scenario_report(seed=4).ci


# --------------------------------------------------------------------------------------------
# Validation of user input
# --------------------------------------------------------------------------------------------


def _with(base: dict, **changes) -> dict:
    out = dict(base)
    out.update(changes)
    return out


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_boot": 3}, r"n_boot must be an integer in \[10, 100000\]; got 3"),
        ({"n_boot": 100.0}, r"n_boot must be an integer"),
        ({"robust_threshold": 1.5}, r"robust_threshold must be a number in \[0.0, 1.0\]"),
        ({"competence_threshold": -0.1}, r"competence_threshold must be a number"),
        ({"rng": 0}, r"rng must be a numpy.random.Generator; got int"),
        ({"drives": ("sex",)}, r"train\['signals'\] must be an array of shape \(2, 2, 1\)"),
        ({"drives": ("sex", "sex")}, r"drives must hold distinct non-empty strings"),
        ({"drives": "sex"}, r"drives must be a tuple of drive names"),
        ({"aligned_drives": ("babies",)}, r"aligned_drives must be a subset of drives"),
        ({"world": ""}, r"world must be a non-empty string"),
        ({"train_name": 3}, r"train_name must be a non-empty string; got 3"),
        ({"planner_mask": np.array([True, False])}, r"planner_mask must be None when no util"),
    ],
)
def test_argument_validation(kwargs, message):
    train, deploy = hand_regimes()
    args = {
        "world": "toy",
        "genome": "reflex",
        "train_name": "a",
        "deploy_name": "m",
        "drives": DRIVES,
        "aligned_drives": (),
        "train": train,
        "deploy": deploy,
        "rng": np.random.default_rng(0),
    }
    args.update(kwargs)
    with pytest.raises(ConfigError, match=message):
        compute_drift(**args)


@pytest.mark.parametrize(
    ("which", "change", "message"),
    [
        ("deploy", {"fitness": np.ones((2, 3))}, r"deploy\['fitness'\] must be an array of sha"),
        ("train", {"fitness": np.ones(2)}, r"train\['fitness'\] must be an array of shape \(n, E"),
        ("deploy", {"actions": np.ones((2, 2, 5))}, r"deploy\['actions'\] .*matching train"),
        ("train", {"fitness": [[1.0, math.nan], [0, 0]]}, r"train\['fitness'\] must hold fin"),
        ("train", {"actions": -np.ones((2, 2, 2))}, r"train\['actions'\] must be non-negative"),
        ("train", {"fitness": "abc"}, r"train\['fitness'\] must be a numeric array"),
        ("train", {"utility": np.ones((2, 2))}, r"deploy\['utility'\] must be given exactly"),
        ("train", {"utilty": np.ones((2, 2))}, r"train must have keys"),
    ],
)
def test_rollout_validation(which, change, message):
    train, deploy = hand_regimes()
    if which == "train":
        train = _with(train, **change)
    else:
        deploy = _with(deploy, **change)
    with pytest.raises(ConfigError, match=message):
        drift(train, deploy)


def test_planner_mask_validation():
    train, deploy = hand_regimes()
    train["utility"] = deploy["utility"] = np.ones((2, 2))
    with pytest.raises(ConfigError, match=r"planner_mask must be a boolean array of shape \(2,\)"):
        drift(train, deploy, planner_mask=np.array([1, 0]))
    train["utility"] = np.array([[1.0, math.nan], [1.0, 1.0]])
    with pytest.raises(ConfigError, match=r"train\['utility'\] \(planner rows\) must hold"):
        drift(train, deploy)
    # The same NaN on a reflex row is fine.
    report = drift(train, deploy, planner_mask=np.array([False, True]))
    assert report.mesa_utility["utility_train"] == 1.0


# ---- performance and novel decisions


def _simple(n=4, e=3, fitness=1.0):
    return {
        "fitness": np.full((n, e), fitness),
        "signals": np.ones((n, e, 2)),
        "actions": np.ones((n, e, 2)),
    }


def test_performance_defaults_to_fitness_and_is_reported_apart_from_it():
    rep = drift(_simple(), _simple(fitness=0.5))
    assert rep.performance_retention == rep.fitness_retention == pytest.approx(0.5)
    train, deploy = _simple(), _simple(fitness=0.5)
    train["performance"] = np.full((4, 3), 2.0)
    deploy["performance"] = np.full((4, 3), 2.0)  # what the designer wants did not move
    rep = drift(train, deploy)
    assert rep.fitness_retention == pytest.approx(0.5)
    assert rep.performance_retention == pytest.approx(1.0)
    assert rep.ci["performance_retention"] == pytest.approx((1.0, 1.0))
    assert_json_clean_and_finite(rep.to_dict())


def test_novel_decision_share_counts_deploy_decisions_on_entries_never_met_in_training():
    train, deploy = _simple(n=2, e=2), _simple(n=2, e=2)
    k = 5
    train["observations"] = np.zeros((2, 2, k))
    deploy["observations"] = np.zeros((2, 2, k))
    train["observations"][0, :, 0] = 3  # row 0 met observation 0 only
    train["observations"][1, 0, [0, 1]] = 1  # row 1 met observations 0 and 1
    deploy["observations"][0, :, 0] = 1  # row 0: 2 decisions on met entries
    deploy["observations"][0, 1, 4] = 6  # ... and 6 on a never-met entry
    deploy["observations"][1, :, 1] = 1  # row 1: 2 decisions, both met
    rep = drift(train, deploy)
    assert rep.novel_decision_share == pytest.approx(6 / 10)
    lo, hi = rep.ci["novel_decision_share"]
    assert 0.0 <= lo <= 0.6 <= hi <= 1.0
    back = DriftReport.from_dict(json.loads(json.dumps(rep.to_dict())))
    assert back == rep


def test_novel_decision_share_is_none_without_reflex_decisions():
    train, deploy = _simple(), _simple()
    assert drift(train, deploy).novel_decision_share is None
    train["observations"] = np.zeros((4, 3, 6))
    deploy["observations"] = np.zeros((4, 3, 6))
    rep = drift(train, deploy)
    assert rep.novel_decision_share is None
    assert "novel_decision_share:no_reflex_decisions" in rep.flags
    del deploy["observations"]
    with pytest.raises(ConfigError, match="observations"):
        drift(train, deploy)
    deploy["observations"] = -np.ones((4, 3, 6))
    with pytest.raises(ConfigError, match="non-negative"):
        drift(train, deploy)


def test_the_unevolved_baseline_decides_evolution():
    train, deploy = hand_regimes()  # sex signal: 1.25 in train, 2.0 in deploy
    ref = reference(1.0, 0.5)
    # a baseline that collects as much sex in deployment: sex is not above it
    same = {"fitness_train": np.zeros((4, 2)), "signals_deploy": np.full((4, 2, 2), 2.0)}
    report = drift(train, deploy, null=same, reference=ref)
    assert report.null_baseline["above_null_in_deploy"] == []
    # pursuit is judged against the reference, not the baseline
    assert report.drives_pursued == ("sex",) and report.verdict == "goal_misgeneralization"
    none = {"fitness_train": np.zeros((4, 2)), "signals_deploy": np.zeros((4, 2, 2))}
    report = drift(train, deploy, null=none)
    assert report.null_baseline["above_null_in_deploy"] == ["sex"]
    assert report.verdict == "unattributed_loss"
    # a baseline as fit as the population in training: nothing evolved, nothing to judge
    fit = {"fitness_train": np.full((4, 2), 1.0), "signals_deploy": np.zeros((4, 2, 2))}
    report = drift(train, deploy, null=fit)
    assert report.verdict == "undefined" and "verdict:not_above_null" in report.flags
    assert_json_clean_and_finite(report.to_dict())
    assert DriftReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report


@pytest.mark.parametrize(
    ("null", "match"),
    [
        ({"fitness_train": np.zeros((2, 2))}, "null must be a dict"),
        ({"fitness_train": np.zeros(2), "signals_deploy": np.zeros((2, 2, 2))}, "fitness_train"),
        ({"fitness_train": np.zeros((2, 2)), "signals_deploy": np.zeros((2, 2, 3))}, "signals"),
    ],
)
def test_bad_baseline_is_a_config_error(null, match):
    with pytest.raises(ConfigError, match=match):
        drift(*hand_regimes(), null=null)


def test_the_effect_size_needs_a_meaningful_gain_over_the_baseline():
    train, deploy = hand_regimes()  # fitness 1.0 in training, 0.25 in deployment
    # the baseline gets 0.4 in training (below every resample of the population's mean), the
    # reference 4.0 over a baseline at 0 in deployment: the population's gain of 0.6 is 15 %
    # of what evolution reaches there
    null = {
        "fitness_train": np.full((4, 2), 0.4),
        "signals_deploy": np.zeros((4, 2, 2)),
        "fitness_deploy": np.zeros((4, 2)),
    }
    small = drift(train, deploy, null=null, reference=reference(4.0, 0.5))
    assert small.effect_size == pytest.approx(0.6 / 4.0)
    assert small.verdict == "undefined" and "verdict:small_effect" in small.flags
    # two individuals: the interval of the effect size is wide and holds the threshold
    assert "verdict:borderline_effect" in small.flags and small.borderline
    assert small.reading == "undefined (too little evolved in training to lose) [borderline]"
    assert small.null_baseline["fitness_deploy"] == 0.0
    # the same gain where evolution reaches little more is meaningful
    big = drift(train, deploy, null=null, reference=reference(0.5, 0.5))
    assert big.effect_size == 1.0
    assert big.verdict != "undefined"
    # the threshold is an argument
    assert (
        drift(
            train, deploy, null=null, reference=reference(4.0, 0.5), effect_threshold=0.0
        ).verdict
        != "undefined"
    )
    assert DriftReport.from_dict(json.loads(json.dumps(small.to_dict()))) == small


def test_negative_regret_is_flagged():
    train, deploy = hand_regimes()  # deploy fitness 0.25
    report = drift(train, deploy, reference={"fitness": np.full((2, 2), 0.2)})
    assert report.regret < 0 and "regret:reference_below_population" in report.flags
    # a zero reference: regret 0 and its interval too
    report = drift(train, deploy, reference={"fitness": np.zeros((2, 2))})
    assert report.ci["regret"] == (0.0, 0.0)
