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

from deap import base

from evomesa.errors import ConfigError
from evomesa.evaluation import rollout_genes
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.operators import mixed_mutation, tournament_select, uniform_crossover
from evomesa.genomes import make_genome
from evomesa.worlds.base import World, require_world


def make_toolbox(world: World, config: EvolutionConfig) -> base.Toolbox:
    """A toolbox with the default batch operators for ``config.genome`` in ``world``."""
    require_world(world)
    if not isinstance(config, EvolutionConfig):
        raise ConfigError(f"config must be an EvolutionConfig; got {type(config).__name__}")
    config = config.for_world(world)
    genome = make_genome(config.genome, world)
    tb = base.Toolbox()
    tb.genome = genome
    tb.register("population", lambda rng, n: genome.random(rng, n))
    tb.register(
        "evaluate", rollout_genes, world, genome, regime=config.regime, backend=config.backend
    )
    tb.register("select", tournament_select, tournsize=config.tournament_size)
    tb.register("mate", uniform_crossover, rate=config.crossover_rate, inplace=True)
    rate = config.mutation_rate if config.mutation_rate is not None else 1.0 / genome.length
    tb.register(
        "mutate",
        mixed_mutation,
        categorical=genome.categorical,
        rate=rate,
        sigma=config.mutation_sigma,
        inplace=True,
    )
    return tb
