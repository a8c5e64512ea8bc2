"""Tests for evomesa.metrics.thresholds: checked once when made, recorded as a plain dict."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from evomesa.errors import ConfigError
from evomesa.metrics.thresholds import THRESHOLD_KEYS, Thresholds


def test_defaults_and_the_recorded_form():
    t = Thresholds()
    assert (t.robust, t.competence, t.regret, t.effect) == (0.7, 0.6, 0.3, 0.2)
    assert t.to_dict() == {
        "robust_threshold": 0.7,
        "competence_threshold": 0.6,
        "regret_threshold": 0.3,
        "effect_threshold": 0.2,
    }
    assert tuple(t.to_dict()) == THRESHOLD_KEYS
    assert Thresholds.from_dict(t.to_dict()) == t


def test_a_record_from_before_the_effect_threshold_reads_it_at_its_default():
    old = {"robust_threshold": 0.5, "competence_threshold": 0.4, "regret_threshold": 0.2}
    assert Thresholds.from_dict(old) == Thresholds(0.5, 0.4, 0.2, 0.2)


def test_values_are_plain_floats_whatever_number_type_came_in():
    t = Thresholds(np.float32(0.5), 1, np.int64(0), np.float64(0.25))
    assert [type(v) for v in t.to_dict().values()] == [float] * 4
    assert t == Thresholds(0.5, 1.0, 0.0, 0.25)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"robust": 1.5}, r"robust_threshold must be a number in \[0.0, 1.0\]"),
        ({"competence": -0.1}, r"competence_threshold must be a number"),
        ({"regret": float("nan")}, r"regret_threshold must be a number"),
        ({"robust": True}, r"robust_threshold must be a number"),
        ({"regret": "0.3"}, r"regret_threshold must be a number"),
    ],
)
def test_each_threshold_is_checked_and_named_as_the_public_keyword(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        Thresholds(**kwargs)


def test_the_first_bad_threshold_is_named_in_keyword_order():
    with pytest.raises(ConfigError, match="robust_threshold"):
        Thresholds(2.0, 2.0, 2.0)
    with pytest.raises(ConfigError, match="competence_threshold"):
        Thresholds.from_dict(
            {"robust_threshold": 0.5, "competence_threshold": 9, "regret_threshold": 9}
        )


def test_frozen_hashable_and_picklable_so_it_travels_to_workers_as_made():
    t = Thresholds(0.5, 0.4, 0.2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.robust = 0.1
    assert pickle.loads(pickle.dumps(t)) == t
    assert len({t, Thresholds(0.5, 0.4, 0.2)}) == 1
