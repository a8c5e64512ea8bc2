"""The DEAP toolbox evomesa evolves with, and how users swap its operators.

The toolbox holds batch operators over the whole population array (see
:mod:`evomesa.evolve.operators`), registered under DEAP's usual names::

    toolbox.population(rng, n)          -> (n, length) genes
    toolbox.evaluate(genes, seeds)      -> (Brains, RolloutArrays)
    toolbox.select(fitness, k, rng)     -> (k,) parent indices
    toolbox.mate(a, b, rng)             -> two (m, length) child arrays
    toolbox.mutate(genes, rng)          -> (n, length) genes

The loop hands ``mate`` and ``mutate`` arrays it owns (rows of the next generation): an
operator may change them in place and return them, as DEAP's own operators do, or return new
arrays; either way the result is checked (real, finite, in [0, 1], right shape) before any
kernel sees it. The defaults work in place, which spares the loop a copy of the population
per operator.

Swap one the DEAP way before passing the toolbox to :func:`evomesa.evolve`::

    tb = em.make_toolbox(world, config)
    tb.register("mutate", em.per_individual(tools.mutGaussian, mu=0, sigma=0.05, indpb=0.1))
    result = em.evolve(world, config, toolbox=tb)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from deap import base

from evomesa.agents.brains import Brains
from evomesa.errors import ConfigError, shown
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.operators import mixed_mutation, tournament_select, uniform_crossover
from evomesa.genomes import make_genome
from evomesa.measure.evaluate import rollout_genes
from evomesa.worlds.base import RolloutArrays, World, require_world

#: each operator :func:`evomesa.evolve` calls, and how (the batch contract)
CONTRACT = {
    "population": "a callable(rng, n) -> (n, length) genes",
    "evaluate": "a callable(genes, seeds, regime=...) -> (Brains, RolloutArrays)",
    "select": "a callable(fitness, k, rng) -> (k,) parent indices",
    "mate": "a callable(a, b, rng) -> two (m, length) child arrays",
    "mutate": "a callable(genes, rng) -> (n, length) genes",
}


def make_toolbox(world: World, config: EvolutionConfig) -> base.Toolbox:
    """A toolbox with the default batch operators for ``config.genome`` in ``world``, their
    rates and steps from ``config.resolved(world)`` (a None mutation setting: the genome's
    default, :mod:`evomesa.evolve.defaults`)."""
    require_world(world)
    if not isinstance(config, EvolutionConfig):
        raise ConfigError(f"config must be an EvolutionConfig; got {type(config).__name__}")
    config = config.resolved(world)
    genome = make_genome(config.genome, world)
    tb = base.Toolbox()
    tb.genome = genome
    tb.register("population", lambda rng, n: genome.random(rng, n))
    tb.register(
        "evaluate", rollout_genes, world, genome, regime=config.regime, backend=config.backend
    )
    tb.register("select", tournament_select, tournsize=config.tournament_size)
    tb.register("mate", uniform_crossover, rate=config.crossover_rate, inplace=True)
    tb.register(
        "mutate",
        mixed_mutation,
        categorical=genome.categorical,
        rate=config.mutation_rate,
        sigma=config.mutation_sigma,
        inplace=True,
    )
    return tb


def checked_toolbox(
    toolbox: Any, config: EvolutionConfig, world: World, *, population: bool = True
) -> base.Toolbox:
    """A user's toolbox, checked to serve ``config`` in ``world``, with its ``mate`` and
    ``evaluate`` wrapped to check what they return.

    Every operator the run will call must be there and callable before any work
    (``population`` only when ``population`` is True: an ``init`` replaces it). What
    ``select``, ``mutate`` and ``population`` return is checked where the loop stores it;
    ``mate`` must return two arrays and ``evaluate`` a (Brains, RolloutArrays) pair of this
    population's and episodes' sizes, with finite numbers, or the run stops with a ConfigError
    naming the operator, what it must return and what it returned.

    Raises
    ------
    ConfigError
        Not a ``deap.base.Toolbox``, an operator missing or not callable, or a toolbox made
        for another genome or regime (the result records config's genome and regime, so it
        would mislabel the run).
    """
    if not isinstance(toolbox, base.Toolbox):
        raise ConfigError(f"toolbox must be a deap.base.Toolbox; got {type(toolbox).__name__}")
    ops = {
        name: _operator(toolbox, name) for name in CONTRACT if population or name != "population"
    }
    genome = getattr(getattr(toolbox, "genome", None), "kind", config.genome)
    if genome != config.genome:
        raise ConfigError(
            f"toolbox genome must be config.genome={config.genome!r}; got {shown(genome)}"
        )
    keywords = getattr(ops["evaluate"], "keywords", None)
    regime = keywords.get("regime", config.regime) if isinstance(keywords, dict) else config.regime
    if regime != config.regime:
        raise ConfigError(
            f"toolbox regime must be config.regime={config.regime!r}; got {shown(regime)}"
        )
    tb = base.Toolbox()
    tb.genome = getattr(toolbox, "genome", None)
    for name, fn in ops.items():
        tb.register(name, fn)
    tb.register("mate", _checked_mate(ops["mate"]))
    tb.register("evaluate", _checked_evaluate(ops["evaluate"], world))
    return tb


def _operator(toolbox: base.Toolbox, name: str) -> Callable:
    try:
        fn = getattr(toolbox, name, None)
    except Exception:  # noqa: BLE001 - a user's attribute lookup may fail in any way
        fn = None
    if not callable(fn):
        raise ConfigError(f"toolbox.{name} must be {CONTRACT[name]}; got {shown(fn)}")
    return fn


def _checked_mate(mate: Callable) -> Callable:
    def checked(a: np.ndarray, b: np.ndarray, rng: np.random.Generator):
        out = mate(a, b, rng)
        if not (isinstance(out, tuple | list) and len(out) == 2):
            raise ConfigError(
                f"toolbox.mate must return two {a.shape} arrays (the children of a and b); "
                f"got {_what(out)}"
            )
        return out[0], out[1]  # each checked, shape and values, where the loop stores it

    return checked


def _checked_evaluate(evaluate: Callable, world: World) -> Callable:
    def checked(genes: np.ndarray, seeds: np.ndarray, **kwargs):
        out = evaluate(genes, seeds=seeds, **kwargs)
        want = "a (Brains, RolloutArrays) pair"
        if not (isinstance(out, tuple | list) and len(out) == 2):
            raise ConfigError(f"toolbox.evaluate must return {want}; got {_what(out)}")
        brains, arrays = out
        if not isinstance(brains, Brains) or not isinstance(arrays, RolloutArrays):
            raise ConfigError(
                f"toolbox.evaluate must return {want}; got ({type(brains).__name__}, "
                f"{type(arrays).__name__})"
            )
        n, episodes = seeds.shape
        drives = len(world.drives)
        for field, value, shape in (
            ("Brains.arch", brains.arch, (n,)),
            ("Brains.horizon", brains.horizon, (n,)),
            ("Brains.weights", brains.weights, (n, drives)),
            ("fitness", arrays.fitness, (n, episodes)),
            ("performance", arrays.performance, (n, episodes)),
            ("signals", arrays.signals, (n, episodes, drives)),
            ("events", arrays.events, (n, episodes, len(world.events))),
        ):
            _check_output(f"toolbox.evaluate's {field}", value, shape)
        return brains, arrays

    return checked


def _check_output(name: str, value: Any, shape: tuple[int, ...]) -> None:
    """Raise ConfigError unless ``value`` is an array of finite real numbers of ``shape``."""
    real = isinstance(value, np.ndarray) and value.dtype.kind in "fiub"
    if not real or value.shape != shape:
        raise ConfigError(f"{name} must be a {shape} array of real numbers; got {_what(value)}")
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        raise ConfigError(
            f"{name} must be finite; got {np.count_nonzero(~np.isfinite(value))} "
            "NaN or infinite values"
        )


def _what(value: Any) -> str:
    """What an operator returned, in a few words."""
    if isinstance(value, np.ndarray):
        return f"one {value.dtype} array of shape {value.shape}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} items"
    return shown(value, 80)
