"""What every registered world owes the contract, checked over the registry: a new world is
covered by registering it."""

from __future__ import annotations

import numpy as np
import pytest

import evomesa as em
from evomesa.worlds.checks import CHECKS

WORLDS = em.list_worlds()


@pytest.fixture(scope="module")
def built():
    """One default world per name, shared by the checks (worlds are immutable)."""
    return {name: em.make_world(name) for name in WORLDS}


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("name", WORLDS)
def test_every_world_passes_every_named_check(built, name, check):
    # registry x checks: the contract written once, every world against each of its checks
    # (kernel equals reference for every architecture in every regime, same seed same
    # output, thread-count independence, the step-wise API, ...: see evomesa.worlds.checks)
    CHECKS[check](built[name])


@pytest.mark.parametrize("name", WORLDS)
def test_every_parameter_rejects_bad_values_by_name(name):
    for key, spec in em.make_world(name).parameters.items():
        if spec.choices:
            bad = ["no such " + key, 1, None]
        else:
            step = 1 if spec.is_int else 0.5
            bad = [spec.low - step, spec.high + step, "3", True, float("nan")]
            if spec.is_int:
                bad.append(float(spec.default))  # never silently truncated
        for value in bad:
            with pytest.raises(em.ConfigError, match=key):
                em.make_world(name, **{key: value})


@pytest.mark.parametrize("name", WORLDS)
def test_every_parameter_documents_its_meaning_and_rationale(name):
    # "meaning; rationale" (DESIGN section 0: defaults are chosen for realism, with a reason)
    for key, spec in em.make_world(name).parameters.items():
        meaning, sep, rationale = spec.doc.partition("; ")
        assert sep and meaning and len(rationale) > 10, (name, key)


@pytest.mark.parametrize("name", WORLDS)
def test_params_are_read_only_and_unknown_ones_refused(name):
    world = em.make_world(name)
    key = next(iter(world.params))
    with pytest.raises(TypeError):
        world.params[key] = world.params[key]
    with pytest.raises(em.ConfigError, match="unknown parameter"):
        em.make_world(name, no_such_parameter=1)
    assert np.isfinite(world.drive_scales).all() and (world.drive_scales > 0).all()
