"""evomesa: evolution as a base optimizer, and how its evolved proxy drives drift.

Quick start::

    import evomesa as em
    world = em.make_world("contraception")
    result = em.evolve(world, em.EvolutionConfig(genome="planner", seed=0))
    report = em.measure_drift(world, result)          # world.default_shift: ancestral -> modern
    print(report.fitness_retention, report.verdict, report.drives["sex"].signal_retention)
"""

# first, before anything imports numba: importing it checks numba's environment variables
# (numba reads them when it is imported; see evomesa.budget.environment)
from evomesa.budget import environment as _environment  # noqa: F401

# isort: split
from evomesa import agents
from evomesa.errors import ConfigError
from evomesa.evolve import (
    EvolutionConfig,
    EvolutionResult,
    evolve,
    make_toolbox,
    per_individual,
)
from evomesa.experiments.experiment import Experiment, run_experiment
from evomesa.experiments.results import load_result
from evomesa.experiments.sweep import Sweep, load_sweep, sweep
from evomesa.genomes import GENOMES, make_genome
from evomesa.measure.drift import measure_drift
from evomesa.measure.evaluate import Rollout, evaluate
from evomesa.measure.shift import Shift, make_shift
from evomesa.metrics import DriftReport, DriveDrift
from evomesa.metrics.thresholds import Thresholds
from evomesa.seeding import seed_sequence
from evomesa.worlds import Factor, Param, World, list_worlds, make_world, register
from evomesa.worlds.checks import CHECKS, check_world

__version__ = "0.1.0"

__all__ = [
    "agents",
    "CHECKS",
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
    "Shift",
    "Thresholds",
    "World",
    "check_world",
    "evaluate",
    "evolve",
    "list_worlds",
    "load_result",
    "make_genome",
    "make_shift",
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
