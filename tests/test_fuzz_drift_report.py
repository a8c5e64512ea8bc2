"""Fuzzing DriftReport.from_dict (issue 15, item 6): a valid report's dict, mutated by
hypothesis (fields replaced by hostile values, removed, added, nested wrongly), is either
rebuilt into a report whose every field has its type and range, or refused with a
ConfigError naming the field: never another exception.

Fixed budget and derandomized draws (the house style of tests/test_fuzz.py): the same inputs
on every run, a few seconds in all; ``EVOMESA_FUZZ_EXAMPLES`` scales the budget and
``EVOMESA_FUZZ_RANDOM=1`` draws fresh inputs.
"""

from __future__ import annotations

import copy
import json
import math

import numpy as np
from fuzzing import fuzz, hostile_scalars
from hypothesis import given
from hypothesis import strategies as st

import evomesa as em
from evomesa.metrics import DriftReport
from evomesa.metrics.drift import compute_drift
from evomesa.metrics.verdict import VERDICTS

DRIVES = ("food", "sweet", "kids")


def _report(seed: int, *, planners: bool, reference: bool, null: bool) -> dict:
    """A valid report's dict, with or without the optional parts."""
    rng = np.random.default_rng(seed)
    n, e = 8, 3

    def regime(scale):
        out = {
            "fitness": rng.random((n, e)) * scale,
            "signals": rng.random((n, e, len(DRIVES))),
            "actions": rng.integers(0, 5, (n, e, 4)),
            "observations": rng.integers(0, 3, (n, e, 6)),
        }
        if planners:
            out["utility"] = rng.random((n, e))
        return out

    return compute_drift(
        world="w",
        genome="planner" if planners else "reflex",
        train_name="a",
        deploy_name="b",
        drives=DRIVES,
        aligned_drives=("kids",),
        train=regime(1.0),
        deploy=regime(0.4),
        rng=np.random.default_rng(seed),
        n_boot=50,
        reference={"fitness": rng.random((5, 2))} if reference else None,
        null=(
            {"fitness_train": rng.random((5, 2)) * 0.1, "signals_deploy": rng.random((5, 2, 3))}
            if null
            else None
        ),
        deploy_params={"gestation": 10} if reference else None,
    ).to_dict()


VALID = [
    json.loads(json.dumps(_report(s, planners=p, reference=r, null=u)))
    for s, (p, r, u) in enumerate(
        [(True, True, True), (False, False, False), (True, False, True), (False, True, False)]
    )
]

# field names and verdict words among the hostile values, so that some mutations are near-valid
scalars = hostile_scalars(
    st.sampled_from(["robust", "food", "sweet", "\x1b[2J", "x:y", "fitness_train"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3)), inner, max_size=3)
    ),
    max_leaves=5,
)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated(draw):
    d = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from([p for p in _paths(d) if p] or [("world",)]))
        parent = d
        for k in path[:-1]:
            parent = parent[k]
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "swap"]))
        if op == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.one_of(st.text(max_size=4), st.integers(0, 3)))] = draw(values)
        elif op == "swap":  # a value of another field, of the right JSON type but wrong place
            other = draw(st.sampled_from([p for p in _paths(VALID[0]) if p]))
            source = VALID[0]
            for k in other:
                source = source[k]
            parent[path[-1]] = copy.deepcopy(source)
        else:
            parent[path[-1]] = draw(values)
    return d if draw(st.integers(0, 49)) else draw(values)


def _finite_everywhere(obj) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(_finite_everywhere(v) for v in obj.values())
    if isinstance(obj, list | tuple):
        return all(_finite_everywhere(v) for v in obj)
    return True


def test_valid_reports_round_trip():
    for d in VALID:
        assert DriftReport.from_dict(d).to_dict() == d


@fuzz(600)
@given(mutated())
def test_fuzz_from_dict_raises_only_config_errors(d):
    try:
        report = DriftReport.from_dict(d)
    except em.ConfigError as err:
        assert str(err)  # names the field (checked for each family in the unit tests)
        return
    # accepted: every field is of its type and range, and it round-trips through JSON
    out = report.to_dict()
    assert _finite_everywhere(out)
    assert report.verdict in VERDICTS
    assert 0.0 <= report.behavioural_divergence <= 1.0
    assert all(lo <= hi for lo, hi in report.ci.values())
    assert set(report.drives_pursued) <= set(report.drives)
    assert DriftReport.from_dict(json.loads(json.dumps(out))) == report


def test_from_dict_names_the_field():
    import pytest

    cases = [
        (("verdict",), "robust\x1b[2J", "'verdict'"),
        (("ci", "fitness_train"), [5.0, 1.0], "'ci.fitness_train'"),
        (("drives", "sweet", "rank_corr_train"), 3.0, "'drives.sweet.rank_corr_train'"),
        (("behavioural_divergence",), 1.5, "'behavioural_divergence'"),
        (("n_individuals",), 2**70, "'n_individuals'"),
        (("fitness_train",), 2**2000, "'fitness_train'"),
        (("thresholds", "robust_threshold"), 3, "'thresholds.robust_threshold'"),
        (("primary_proxy",), "bogus", "'primary_proxy'"),
        (("drives_pursued",), ["bogus"], "'drives_pursued'"),
        (("mesa_utility",), {"utility_train": 1.0}, "'mesa_utility.utility_deploy'"),
        (("flags",), ["no colon"], "'flags[0]'"),
        (("world",), "", "'world'"),
        (("extra",), 1, "'extra'"),
    ]
    for path, value, field in cases:
        d = copy.deepcopy(VALID[0])
        parent = d
        for k in path[:-1]:
            parent = parent[k]
        parent[path[-1]] = value
        with pytest.raises(em.ConfigError, match=field.replace("[", r"\[").replace("]", r"\]")):
            DriftReport.from_dict(d)
