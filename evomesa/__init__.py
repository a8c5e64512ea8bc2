"""evomesa: evolution as a base optimizer, and how its evolved proxy drives drift.

Quick start::

    import evomesa as em
    world = em.make_world("contraception")
    result = em.evolve(world, em.EvolutionConfig(genome="planner", seed=0))
    report = em.measure_drift(world, result)          # world.default_shift: ancestral -> modern
    print(report.fitness_retention, report.verdict, report.drives["sex"].signal_retention)
"""

# first, before anything imports numba: importing it checks numba's environment variables
# (numba reads them when it is imported; see evomesa.environment)
from evomesa import environment as _environment  # noqa: F401

# isort: split
from evomesa import agents
from evomesa.contract import check_world
from evomesa.errors import ConfigError
from evomesa.evaluation import Rollout, evaluate
from evomesa.evolve import (
    EvolutionConfig,
    EvolutionResult,
    evolve,
    make_toolbox,
    per_individual,
)
from evomesa.experiment import Experiment, run_experiment
from evomesa.genomes import GENOMES, make_genome
from evomesa.measure import measure_drift
from evomesa.metrics import DriftReport, DriveDrift
from evomesa.run_check import load_result
from evomesa.seeding import seed_sequence
from evomesa.sweep import Sweep, load_sweep, sweep
from evomesa.worlds import Factor, Param, World, list_worlds, make_world, register

__version__ = "0.1.0"

__all__ = [
    "agents",
    "GENOMES",
    "ConfigError",
    "DriftReport",
    "DriveDrift",
    "EvolutionConfig",
    "EvolutionResult",
    "Experiment",
    "Factor",
    "Param",
    "Rollout",
    "World",
    "check_world",
    "evaluate",
    "evolve",
    "list_worlds",
    "load_result",
    "make_genome",
    "make_toolbox",
    "make_world",
    "measure_drift",
    "per_individual",
    "register",
    "run_experiment",
    "seed_sequence",
    "Sweep",
    "load_sweep",
    "sweep",
]
