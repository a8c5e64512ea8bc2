"""Hostile arguments to every public entry point (issue 15, item 6): only ConfigError escapes.

Each test draws values a hostile or careless user could pass (ints beyond float range such
as ``10**400`` and ``2**1024``, an int of 5000 digits whose repr Python refuses, numpy scalars
of every dtype, bools, NaN and infinities, text, bytes, None, lists, dicts, objects whose
``__float__``, ``__index__``, ``__eq__`` or ``__repr__`` raise, arrays of wrong shapes) for the
arguments of ``EvolutionConfig`` (regime mixtures included), ``make_world``, genes, the verdict
thresholds, ``evaluate``, ``measure_drift``, ``run_experiment``, ``sweep``, ``evolve`` and the
operators of a user's toolbox. The property: evomesa accepts the input and gives finite
results, or raises :class:`evomesa.ConfigError`; never another exception.

The budget is fixed and the draws derandomized, as in ``tests/test_fuzz.py``;
``EVOMESA_FUZZ_EXAMPLES`` scales it. ``EVOMESA_FUZZ_COUNT=FILE`` turns the property into a
tally: every escape is counted by family and cause instead of failing the test, and the tally
is written to FILE as JSON at the end of the module (how the escapes before and after issue 15
were measured).
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from deap import base
from fuzzing import fuzz
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import evomesa as em
import evomesa.experiments.experiment as experiment
import evomesa.measure.drift as measure
from evomesa.executors import InProcessExecutor
from evomesa.experiments.progress import Progress

# the module, not the function evomesa exports under the same name
sweep_module = importlib.import_module("evomesa.experiments.sweep")
COUNT = os.environ.get("EVOMESA_FUZZ_COUNT")
TRIED: Counter = Counter()
ESCAPED: Counter = Counter()


class Reached(Exception):
    """Raised by a stub standing for the work: every argument was accepted."""


def _cause(err: BaseException) -> str:
    """An escape's cause, grouped: its type and its message with numbers and quotes cut."""
    text = re.sub(r"'[^']*'|\d+", "_", str(err))[:70]
    return f"{type(err).__name__}: {text}"


def attempt(family: str, call, check=None) -> str:
    """Run ``call``; a ConfigError or reaching the stubbed work is fine, and so is a result
    ``check`` accepts; anything else fails the test (or, when counting, is tallied)."""
    TRIED[family] += 1
    try:
        out = call()
        if check is not None:
            check(out)
    except em.ConfigError:
        event(f"{family}: refused")
        return "refused"
    except Reached:
        event(f"{family}: reached the work")
        return "reached"
    except AssertionError as err:
        if not COUNT:
            raise
        ESCAPED[(family, f"non-finite or wrong result: {err}")] += 1
        return "escaped"
    except Exception as err:  # noqa: BLE001 - the property under test
        if not COUNT:
            raise
        ESCAPED[(family, _cause(err))] += 1
        return "escaped"
    event(f"{family}: accepted")
    return "accepted"


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    if COUNT:
        doc = {
            "tried": dict(TRIED),
            "escaped": [
                {"family": f, "cause": c, "count": n} for (f, c), n in ESCAPED.most_common()
            ],
        }
        with open(COUNT, "w") as fh:
            json.dump(doc, fh, indent=1)


# ----------------------------------------------------------------------- hostile values


class RaisingNumber:
    """Looks like a number until converted."""

    def __float__(self):
        raise RuntimeError("no float")

    def __index__(self):
        raise RuntimeError("no index")

    def __int__(self):
        raise RuntimeError("no int")


class RaisingEq:
    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = object.__hash__


class RaisingRepr:
    def __repr__(self):
        raise RuntimeError("no repr")


class EvilStr(str):
    """A str whose comparison and hash raise."""

    def __eq__(self, other):
        raise RuntimeError("no eq")

    def __hash__(self):
        raise RuntimeError("no hash")


class EvilInt(int):
    """An int whose comparisons and repr raise."""

    def __lt__(self, other):
        raise RuntimeError("no lt")

    __gt__ = __le__ = __ge__ = __lt__

    def __repr__(self):
        raise RuntimeError("no repr")


class EvilFloat(float):
    def __float__(self):
        raise RuntimeError("no float")


HUGE = [10**400, -(10**400), 2**1024, -(2**1024), 10**5000, 2**63, 2**64, -(2**63) - 1]
SPECIALS = [
    *HUGE,
    None,
    True,
    False,
    float("nan"),
    float("inf"),
    -float("inf"),
    -0.0,
    1e308,
    5e-324,
    "",
    "1",
    "nan",
    b"1",
    [],
    [1],
    (0.5,),
    {},
    {"a": 1},
    {1: 2},
    set(),
    1j,
    RaisingNumber(),
    RaisingEq(),
    RaisingRepr(),
    EvilStr("ancestral"),
    EvilInt(3),
    EvilFloat(0.5),
    object(),
    np.array(0.5),
    np.zeros((2, 2)),
    np.array([np.nan]),
    np.longdouble("1e4000"),
    np.float64("nan"),
    np.datetime64("2020-01-01"),
    np.str_("planner"),
]
NUMPY_DTYPES = [
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "longdouble", "complex64", "complex128", "bool",
]  # fmt: skip
numpy_scalars = st.sampled_from(NUMPY_DTYPES).flatmap(
    lambda dt: hnp.arrays(np.dtype(dt), ()).map(lambda a: a[()])
)


def pick(values: list):
    """One of ``values``, drawn by index (hypothesis never has to repr the values: some of
    them have no repr)."""
    return st.integers(0, len(values) - 1).map(lambda i: values[i])


hostile = st.one_of(
    pick(SPECIALS),
    pick(HUGE),
    numpy_scalars,
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.lists(st.integers(-2, 2) | st.floats(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(-2, 2), max_size=2),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3)),
)


def plausible(strategy):
    """A plausible value, or a hostile one as often."""
    return st.one_of(strategy, hostile)


WORLD = em.make_world("contraception")
LENGTHS = {g: em.make_genome(g, WORLD).length for g in em.GENOMES}
TINY = {"population": 4, "generations": 1, "episodes": 1}


def _plain_name(value, names) -> bool:
    """Whether ``value`` is one of ``names`` (compared safely: it may be a hostile object)."""
    return type(value) in (str, np.str_) and str(value) in names


def _finite(value) -> None:
    assert np.isfinite(np.asarray(value, dtype=float)).all(), "non-finite"


def _finite_rollout(roll) -> None:
    for name in ("fitness", "performance", "signals", "utility"):
        _finite(getattr(roll, name))


def _finite_result(result) -> None:
    _finite(result.fitness)
    assert ((result.genes >= 0) & (result.genes <= 1)).all(), "genes outside [0, 1]"
    for record in result.logbook:
        for value in record.values():
            _finite(value)


# ----------------------------------------------------------------------- EvolutionConfig

mixtures = st.dictionaries(
    st.sampled_from(WORLD.regimes) | st.sampled_from([1, None, b"modern"]) | st.text(),
    hostile | st.floats(0, 1),
    max_size=3,
)
CONFIG_FIELDS = {
    "genome": plausible(st.sampled_from(em.GENOMES)),
    "population": plausible(st.integers(2, 6)),
    "generations": plausible(st.integers(0, 1)),
    "episodes": plausible(st.integers(1, 2)),
    "regime": st.one_of(st.sampled_from(WORLD.regimes), mixtures, hostile),
    "seed": plausible(st.integers(0, 3)),
    "elite": plausible(st.none() | st.integers(0, 1)),
    "tournament_size": plausible(st.integers(1, 3)),
    "crossover_rate": plausible(st.floats(0, 1)),
    "mutation_rate": plausible(st.none() | st.floats(0, 1)),
    "mutation_sigma": plausible(st.floats(0, 1)),
    "hall_of_fame": plausible(st.integers(1, 3)),
    "common_seeds": plausible(st.booleans()),
    "backend": plausible(st.just("numba")),
    "islands": plausible(st.just(1)),
    "migration_interval": plausible(st.integers(1, 3)),
    "migrants": plausible(st.just(1)),
}


@fuzz(300)
@given(kwargs=st.fixed_dictionaries({}, optional=CONFIG_FIELDS))
def test_fuzz_config_arguments(kwargs):
    outcome = attempt("EvolutionConfig", lambda: em.EvolutionConfig(**kwargs))
    if outcome != "accepted":
        return
    config = em.EvolutionConfig(**kwargs)
    attempt("EvolutionConfig", lambda: em.EvolutionConfig.from_dict(config.to_dict()))
    if config.backend == "numba":  # a tiny run of what was accepted
        gens = 1 if config.generations is None else min(config.generations, 1)  # None: genome's
        small = replace(config, population=4, generations=gens, episodes=1,
                        islands=1, elite=None, migrants=1)  # fmt: skip
        attempt("EvolutionConfig", lambda: em.evolve(WORLD, small), _finite_result)


@fuzz(80)
@given(data=st.one_of(hostile, st.dictionaries(st.sampled_from(list(CONFIG_FIELDS)), hostile)))
def test_fuzz_config_from_dict(data):
    attempt("EvolutionConfig", lambda: em.EvolutionConfig.from_dict(data))


# ----------------------------------------------------------------------- world parameters


@fuzz(200)
@given(
    params=st.fixed_dictionaries({}, optional={name: hostile for name in WORLD.parameters}).filter(
        bool
    ),
    name=plausible(st.just("contraception")),
)
def test_fuzz_world_parameters(params, name):
    def check(world):
        for key, value in world.params.items():
            p = world.parameters[key]
            assert p.choices or (p.low <= value <= p.high), key

    attempt("make_world", lambda: em.make_world(name, **params), check)


# ----------------------------------------------------------------------- genes and genomes

gene_values = st.one_of(
    hnp.arrays(
        st.sampled_from([np.float64, np.float32, np.int64, np.uint8, np.bool_, np.complex128]),
        st.tuples(st.integers(0, 2), st.sampled_from(sorted(set(LENGTHS.values())))),
        elements=st.integers(0, 1),
    ),
    st.sampled_from(sorted(set(LENGTHS.values()))).map(lambda n: [[0.5] * (n - 1) + [10**400]]),
    st.sampled_from(sorted(set(LENGTHS.values()))).map(lambda n: [[0.5] * (n - 1) + [2**64]]),
    st.sampled_from(sorted(set(LENGTHS.values()))).map(
        lambda n: [[0.5] * (n - 1) + [RaisingNumber()]]
    ),
    st.sampled_from(sorted(set(LENGTHS.values()))).map(lambda n: [[-1] * (n - 1) + [2**63]]),
    hostile,
    st.lists(st.lists(hostile, max_size=3), max_size=2),
)


@fuzz(150)
@given(
    genes=gene_values,
    genome=plausible(st.sampled_from(em.GENOMES)),
    drive=plausible(st.sampled_from(WORLD.drives)),
)
def test_fuzz_genes_and_genome_methods(genes, genome, drive):
    attempt(
        "genes",
        lambda: em.evaluate(WORLD, genes, genome=genome, episodes=1),
        _finite_rollout,
    )
    if not _plain_name(genome, em.GENOMES):
        attempt("genome methods", lambda: em.make_genome(genome, WORLD))
        return
    spec = em.make_genome(genome, WORLD)
    attempt(
        "genome methods", lambda: spec.describe(genes), lambda d: [_finite(v) for v in d.values()]
    )
    attempt("genome methods", lambda: spec.knock_out(genes, drive), _finite)


# ----------------------------------------------------------------------- evaluate


@fuzz(120)
@given(
    kwargs=st.fixed_dictionaries(
        {},
        optional={
            "genome": plausible(st.sampled_from(em.GENOMES)),
            "regime": plausible(st.sampled_from(WORLD.regimes)),
            "episodes": plausible(st.integers(1, 2)),
            "seed": plausible(st.integers(0, 3)),
            "backend": plausible(st.just("numba")),
            "common_seeds": plausible(st.booleans()),
            "record_observations": plausible(st.booleans()),
        },
    )
)
def test_fuzz_evaluate_arguments(kwargs):
    genome = kwargs.get("genome", "planner")
    length = LENGTHS[genome] if _plain_name(genome, em.GENOMES) else 7
    genes = np.full((2, length), 0.5)
    kwargs.setdefault("episodes", 1)
    attempt("evaluate", lambda: em.evaluate(WORLD, genes, **kwargs), _finite_rollout)


# ----------------------------------------------------------------------- measure_drift


@pytest.fixture(scope="module")
def small_result():
    return em.evolve(WORLD, em.EvolutionConfig(genome="planner", **TINY))


class stubbed:
    """Replace ``module.name`` by a function raising :class:`Reached` (the work begins)."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __enter__(self):
        self.saved = getattr(self.module, self.name)

        def stop(*a, **k):
            raise Reached

        setattr(self.module, self.name, stop)

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.saved)


THRESHOLDS = {
    "robust_threshold": plausible(st.floats(0, 1)),
    "competence_threshold": plausible(st.floats(0, 1)),
    "regret_threshold": plausible(st.floats(0, 1)),
}


@fuzz(150)
@given(
    kwargs=st.fixed_dictionaries(
        {},
        optional={
            "train": plausible(st.sampled_from(WORLD.regimes)),
            "deploy": plausible(st.sampled_from(WORLD.regimes)),
            "episodes": plausible(st.integers(1, 3)),
            "seed": plausible(st.integers(0, 3)),
            "genome": plausible(st.sampled_from(em.GENOMES)),
            "individuals": plausible(st.sampled_from(["population", "hall_of_fame"])),
            "baseline": plausible(st.booleans()),
            "n_boot": plausible(st.integers(10, 2000)),
            "backend": plausible(st.just("numba")),
            "reference": st.none() | hostile,
            "deploy_world": st.none() | hostile,
            **THRESHOLDS,
        },
    ),
    bare=st.booleans(),
)
def test_fuzz_measure_drift_arguments(small_result, kwargs, bare):
    """Every argument is checked before the rollouts (a stub that stops the call)."""
    result = small_result.genes if bare else small_result
    with stubbed(measure, "paired_rollouts"):
        attempt("measure_drift", lambda: em.measure_drift(WORLD, result, **kwargs))


# ----------------------------------------------------------------------- run_experiment


class BadReporter:
    def phase(self, text):
        pass

    task = 5


@fuzz(150)
@given(
    kwargs=st.fixed_dictionaries(
        {},
        optional={
            "genomes": plausible(st.sampled_from([("reflex",), "planner", ("reflex", "hybrid")]))
            | st.sampled_from([5, [5], ["planner", "planner"], [EvilStr("x")], range(0)]),
            "deploy": plausible(st.sampled_from(WORLD.regimes)),
            "episodes": plausible(st.integers(1, 2)),
            "progress": plausible(st.booleans()),
            "replicates": plausible(st.integers(1, 2)),
            "seed": st.none() | plausible(st.integers(0, 3)),
            "deploy_world": st.none() | hostile,
            "reference": plausible(st.booleans()),
            "reporter": st.none()
            | st.just(Progress(enabled=False))
            | st.just(BadReporter())
            | hostile,
            **THRESHOLDS,
        },
    )
)
def test_fuzz_run_experiment_arguments(kwargs):
    """Every argument is checked before the kernels are compiled (a stub that stops there)."""
    config = em.EvolutionConfig(**TINY)
    with stubbed(experiment, "warm_up"):
        attempt("run_experiment", lambda: em.run_experiment(WORLD, config, **kwargs))


@fuzz(100)
@given(
    kwargs=st.fixed_dictionaries(
        {},
        optional={
            "genomes": st.none()
            | plausible(st.sampled_from([("reflex",), "planner"]))
            | st.sampled_from([5, [5], ["planner", "planner"], [EvilStr("x")]]),
            "deploy": plausible(st.sampled_from(WORLD.regimes)),
            "deploy_params": st.none()
            | plausible(st.just({"gestation": 6}))
            | st.dictionaries(st.sampled_from(list(WORLD.parameters)), hostile, max_size=1),
            "episodes": plausible(st.integers(1, 2)),
            "reference": plausible(st.booleans()),
            **THRESHOLDS,
        },
    )
)
def test_fuzz_sweep_arguments(kwargs):
    config = em.EvolutionConfig(**TINY)
    with stubbed(sweep_module, "warm_up"):
        attempt(
            "sweep",
            lambda: em.sweep(
                WORLD, {"gestation": [5]}, 1, config, client=InProcessExecutor(), **kwargs
            ),
        )


# ----------------------------------------------------------------------- evolve and toolboxes

OPERATORS = ("population", "evaluate", "select", "mate", "mutate")


def _returns(value):
    """An operator returning ``value`` whatever it is given (arrays: sized by the call)."""
    return lambda *args, **kwargs: value


def _bad_operator(name: str, how: str, value):
    """A replacement for operator ``name``: ``how`` says what it does wrong."""
    if how == "value":  # not callable at all
        return value
    if how == "returns":
        return _returns(value)
    if how == "one":  # mate returning one array
        return lambda a, b, rng: a
    if how == "three":
        return lambda a, b, rng: (a, b, a)
    if how == "shape":  # the right kind of thing, of the wrong shape
        return lambda first, *args, **kwargs: (
            np.asarray(first)[:-1] if np.ndim(first) else np.zeros(3)
        )
    raise AssertionError(how)


@fuzz(150)
@given(
    name=st.sampled_from(OPERATORS),
    how=st.sampled_from(["value", "returns", "returns", "one", "three", "shape", "delete"]),
    value=hostile | st.just((np.zeros((1, 7)), None)),
    genome=st.sampled_from(["planner", "reflex"]),
)
def test_fuzz_toolbox_operators(name, how, value, genome):
    config = em.EvolutionConfig(genome=genome, **TINY)
    tb = em.make_toolbox(WORLD, config)
    if how == "delete":
        tb.unregister(name)
    elif how in ("one", "three"):
        tb.register("mate", _bad_operator("mate", how, value))
    elif how == "value":
        setattr(tb, name, value)
    else:
        tb.register(name, _bad_operator(name, how, value))
    attempt("toolbox", lambda: em.evolve(WORLD, config, toolbox=tb), _finite_result)


@fuzz(100)
@given(
    kwargs=st.fixed_dictionaries(
        {},
        optional={
            "init": hostile | gene_values,
            "track": plausible(st.sampled_from([("modern",), "modern", ()])),
            "progress": plausible(st.booleans()),
            "toolbox": st.none() | hostile | st.just(base.Toolbox()),
        },
    ),
    operator=hostile | st.just(lambda ind: (ind,)),
    enabled=plausible(st.booleans()),
    stream=st.none() | hostile,
)
def test_fuzz_evolve_arguments_and_helpers(kwargs, operator, enabled, stream):
    config = em.EvolutionConfig(genome="planner", **TINY)
    attempt("evolve", lambda: em.evolve(WORLD, config, **kwargs), _finite_result)
    attempt("per_individual", lambda: em.per_individual(operator))
    attempt("Progress", lambda: Progress(enabled=enabled, stream=stream))
