"""What a drift measurement plays: the genes measured and the reference's, each checked once.

A population comes as an evolved result (its final population or its hall of fame) or as
hand-made genes with their architecture; the genome it decodes with is built here, once per
measurement, and handed on with the genes.
"""

from __future__ import annotations

import numpy as np

from evomesa.errors import ConfigError, check_choice
from evomesa.evolve.result import EvolutionResult
from evomesa.genomes import GENOMES, Genome, make_genome
from evomesa.genomes.base import as_genes
from evomesa.measure.shift import Shift
from evomesa.worlds.base import World

__all__ = ["WHO", "measured_genes", "reference_genes"]

WHO = ("population", "hall_of_fame")


def measured_genes(
    world: World, result, genome: str | None, individuals: str
) -> tuple[np.ndarray, Genome]:
    """(genes, genome) of what is to be measured: checked (n, length) float64 genes, and the
    genome built for ``world`` that decodes them."""
    individuals = check_choice("individuals", individuals, WHO)
    if genome is not None:
        genome = check_choice("genome", genome, GENOMES)
    if not isinstance(result, EvolutionResult):
        if individuals != "population":
            raise ConfigError(
                f"individuals must be 'population' when measuring a bare population (there is "
                f"no hall of fame); got {individuals!r}"
            )
        if genome is None:
            raise ConfigError(
                "genome must name the architecture when measuring a bare population; got None"
            )
        spec = make_genome(genome, world)
        return as_genes(result, spec.length, genome), spec
    if world.name != result.world:
        raise ConfigError(
            f"world must be the {result.world!r} world the result was evolved in;"
            f" got {world.name!r}"
        )
    for key, value in result.world_params.items():
        # the same genes decode and behave differently under other parameters
        if world.params.get(key) != value:
            raise ConfigError(
                f"world parameter {key} must be {value!r}, as in the world the result was "
                f"evolved in (use result.make_world()); got {world.params.get(key)!r}"
            )
    if genome is not None and genome != result.genome:
        raise ConfigError(f"genome must be {result.genome!r} for this result; got {genome!r}")
    spec = make_genome(result.genome, world)
    return as_genes(_individuals(result, individuals), spec.length, result.genome), spec


def reference_genes(
    shift: Shift, reference, genome: Genome, individuals: str = "population"
) -> np.ndarray:
    """Genes of the reference population, checked to be adapted to the deploy regime of the
    deploy world: its hall of fame when the population measured is a hall of fame (elites
    against elites). ``genome`` is the architecture as built for the deploy world."""
    target = shift.reference_world
    if isinstance(reference, EvolutionResult):
        if reference.genome != genome.kind:
            raise ConfigError(
                f"reference must be a {genome.kind!r} result like the population measured; "
                f"got {reference.genome!r}"
            )
        if reference.world != target.name or dict(reference.world_params) != dict(target.params):
            raise ConfigError(
                "reference must be evolved in the deploy world itself (same parameters, those "
                f"of shift.reference_world: {dict(target.params)}); got one evolved in "
                f"{reference.world!r} with {dict(reference.world_params)}"
            )
        if reference.config.regime != shift.deploy:
            raise ConfigError(
                f"reference must be evolved in the deploy regime {shift.deploy!r}; got one "
                f"evolved in {reference.config.regime!r}"
            )
        return as_genes(_individuals(reference, individuals), genome.length, genome.kind)
    try:
        return as_genes(reference, genome.length, genome.kind)
    except ConfigError as err:
        raise ConfigError(f"reference must be a result or a population of genes: {err}") from None


def _individuals(result: EvolutionResult, individuals: str):
    """A result's final population, or its hall of fame."""
    if individuals == "population":
        return result.genes
    return np.array([np.asarray(ind) for ind in result.hall_of_fame])
