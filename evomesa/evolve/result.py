"""EvolutionResult: what a run produced, and how it is saved and reloaded.

A saved result is a folder with ``result.json`` (world, parameters, config, logbook,
hall-of-fame fitness, and the run's convergence as its logbook gives it) and ``result.npz``
(population genes and fitness, hall-of-fame genes).
Reloading gives an object equal to the one saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from deap import tools

from evomesa.errors import ConfigError
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.deap_types import Individual, individuals
from evomesa.evolve.result_check import check_saved
from evomesa.files.atomic import save_npz_atomic, write_json_atomic
from evomesa.files.safe_read import as_path, sha256
from evomesa.metrics.convergence import Convergence, convergence
from evomesa.worlds import make_world

#: 2: result.json records the size and SHA-256 of its result.npz (version 1 did not)
FORMAT_VERSION = 2


@dataclass(eq=False)
class EvolutionResult:
    """The outcome of :func:`evomesa.evolve`.

    Attributes
    ----------
    world : str
        Name of the world evolved in.
    world_params : dict
        Its full parameter set (so the world can be rebuilt exactly).
    config : EvolutionConfig
    genes : (n, length) float64
        Final population genes.
    fitness : (n,) float64
        Their fitness in the last generation's evaluation.
    logbook : deap.tools.Logbook
        One record per generation: ``gen, nevals, avg, std, min, max``, the mean signal of each
        drive, the planner share and mean planner horizon.
    hall_of_fame : deap.tools.HallOfFame
        Best individuals seen in any generation, each scored in the generation it entered (as
        in DEAP, a genome already in it is not entered again when it scores higher later).
    origin : dict or None
        Where the initial population came from when it was not drawn at random (``init``):
        ``{"init": "result", "world", "regime", "seed", "generations"}`` of the result it
        continued, or ``{"init": "genes"}``; None for a random start. The same seed and
        config from another start is another run.

    ``convergence`` (with ``converged`` and ``late_improvement``) says whether the run's
    mean fitness had stopped improving over its last fifth of generations
    (:mod:`evomesa.metrics.convergence`); it is computed from the logbook.
    """

    world: str
    world_params: dict
    config: EvolutionConfig
    genes: np.ndarray
    fitness: np.ndarray
    logbook: tools.Logbook
    hall_of_fame: tools.HallOfFame
    origin: dict | None = None
    _population: list | None = field(default=None, repr=False)

    @property
    def population(self) -> list[Individual]:
        """The final population as DEAP individuals (numpy rows with ``.fitness``)."""
        if self._population is None:
            self._population = individuals(self.genes, self.fitness)
        return self._population

    @property
    def genome(self) -> str:
        return self.config.genome

    @property
    def convergence(self) -> Convergence:
        """Whether the run converged and the figures that decided it
        (:func:`evomesa.metrics.convergence.convergence` of the logbook's mean fitness)."""
        return convergence([rec["avg"] for rec in self.logbook])

    @property
    def converged(self) -> bool:
        """Whether mean fitness had stopped improving over the last fifth of the generations
        (:mod:`evomesa.metrics.convergence`)."""
        return self.convergence.converged

    @property
    def late_improvement(self) -> float:
        """The trend's rise of mean fitness over the last fifth of the generations."""
        return self.convergence.late_improvement

    def make_world(self):
        """Rebuild the world this result was evolved in."""
        return make_world(self.world, **self.world_params)

    def save(self, path: str | Path) -> Path:
        """Write ``result.npz`` then ``result.json`` into the folder ``path``; return it.

        Both files are written atomically (:mod:`evomesa.files.atomic`), and ``result.json`` (the
        folder's manifest) is written last, with the size and SHA-256 of the ``result.npz``
        it belongs to: a crash between the two, or a file from another run, is refused by
        :func:`load_result` rather than silently mixed.
        """
        folder = as_path(path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:  # a file in the way, a name too long, no permission...
            raise ConfigError(
                f"path must be a folder (new or existing); got {str(folder)[:80]!r} "
                f"({err.strerror or err})"
            ) from None
        hof_genes, hof_fitness = _hall_of_fame_arrays(self.hall_of_fame, self.genes.shape[1])
        npz = save_npz_atomic(
            folder / "result.npz",
            genes=np.asarray(self.genes, dtype=np.float64),
            fitness=np.asarray(self.fitness, dtype=np.float64),
            hall_of_fame=hof_genes.astype(np.float64),
        )
        meta = {
            "format_version": FORMAT_VERSION,
            "world": self.world,
            "world_params": self.world_params,
            "config": self.config.to_dict(),
            "logbook": [dict(rec) for rec in self.logbook],
            "hall_of_fame_fitness": hof_fitness,
            "hall_of_fame_size": self.hall_of_fame.maxsize,
            "origin": self.origin,
            "convergence": self.convergence.to_dict(),
            "npz": {"size": npz.stat().st_size, "sha256": sha256(npz, "result.npz")},
        }
        write_json_atomic(folder / "result.json", meta, default=_json_default)
        return folder

    def __reduce__(self) -> tuple:
        # DEAP pickles its creator classes by value and re-creates them on unpickling, which
        # would replace creator.EvomesaIndividual in the receiving process (a parent getting
        # results back from workers), so that individuals made before no longer pass
        # isinstance. A result crosses processes as arrays and is rebuilt from them.
        hof_genes, hof_fitness = _hall_of_fame_arrays(self.hall_of_fame, self.genes.shape[1])
        hof = (self.hall_of_fame.maxsize, hof_genes, hof_fitness)
        fields = (self.world, self.world_params, self.config, self.genes, self.fitness)
        return _rebuild, (*fields, self.logbook, hof, self.origin)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EvolutionResult):
            return NotImplemented
        return (
            self.world == other.world
            and self.world_params == other.world_params
            and self.config == other.config
            and self.origin == other.origin
            and np.array_equal(self.genes, other.genes)
            and np.array_equal(self.fitness, other.fitness)
            and [dict(r) for r in self.logbook] == [dict(r) for r in other.logbook]
            and len(self.hall_of_fame) == len(other.hall_of_fame)
            and all(
                np.array_equal(a, b) and a.fitness.values == b.fitness.values
                for a, b in zip(self.hall_of_fame, other.hall_of_fame, strict=True)
            )
        )


def load_unlisted(path: str | Path) -> EvolutionResult:
    """Reload a result folder written by :meth:`EvolutionResult.save`, checking everything
    in it (:func:`evomesa.evolve.result_check.check_saved`), but not against an enclosing run
    folder: that is :func:`evomesa.load_result`
    (:mod:`evomesa.experiments.results`), which a user
    calls; this is for a reader that has verified the run's manifest itself."""
    folder = as_path(path)
    try:
        if not folder.is_dir():
            raise ConfigError(
                f"path must be a folder holding result.json and result.npz; got {str(folder)!r}"
            )
        meta, world, config, arrays = check_saved(folder)
    except OSError as err:  # a name too long, a file that cannot be read...
        raise ConfigError(
            f"path must be a readable result folder; {str(folder)[:80]!r} is not "
            f"({err.strerror or err})"
        ) from None
    logbook = tools.Logbook()
    for rec in meta["logbook"]:
        logbook.record(**rec)
    hof = _hall_of_fame(
        meta["hall_of_fame_size"], arrays["hall_of_fame"], meta["hall_of_fame_fitness"]
    )
    return EvolutionResult(
        world=world.name,
        world_params=dict(world.params),
        config=config,
        genes=arrays["genes"],
        fitness=arrays["fitness"],
        logbook=logbook,
        hall_of_fame=hof,
        origin=meta["origin"],
    )


def _hall_of_fame_arrays(hof: tools.HallOfFame, length: int) -> tuple[np.ndarray, list]:
    """(len(hof), length) float64 genes and the list of fitness values of a hall of fame, best
    first."""
    genes = np.array([np.asarray(ind) for ind in hof]).reshape(len(hof), length)
    return genes.astype(np.float64), [ind.fitness.values[0] for ind in hof]


def _hall_of_fame(size: int, genes: np.ndarray, fitness) -> tools.HallOfFame:
    """The hall of fame of ``size`` holding (k, length) ``genes`` with (k,) ``fitness``, best
    first, in that order."""
    hof = tools.HallOfFame(size, similar=np.array_equal)
    # Insert worst first: HallOfFame.insert puts an item before its equals, so ties keep
    # the saved order (update() would re-sort them).
    for ind in reversed(individuals(genes, np.array(fitness, float))):
        hof.insert(ind)
    return hof


def _rebuild(world, world_params, config, genes, fitness, logbook, hof, origin) -> EvolutionResult:
    """An :class:`EvolutionResult` from what :meth:`EvolutionResult.__reduce__` sent."""
    return EvolutionResult(
        world=world,
        world_params=world_params,
        config=config,
        genes=genes,
        fitness=fitness,
        logbook=logbook,
        hall_of_fame=_hall_of_fame(*hof),
        origin=origin,
    )


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot serialise {type(obj).__name__}")
