"""The DEAP layer: configuration, types, operators, toolbox, loop and results."""

from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.loop import evolve
from evomesa.evolve.operators import (
    mixed_mutation,
    per_individual,
    tournament_select,
    uniform_crossover,
)
from evomesa.evolve.record import make_statistics
from evomesa.evolve.result import EvolutionResult
from evomesa.evolve.toolbox import make_toolbox

__all__ = [
    "EvolutionConfig",
    "EvolutionResult",
    "evolve",
    "make_statistics",
    "make_toolbox",
    "mixed_mutation",
    "per_individual",
    "tournament_select",
    "uniform_crossover",
]
