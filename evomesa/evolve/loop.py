"""``em.evolve``: the generational GA, with DEAP's HallOfFame, Statistics and Logbook.

How selection treats noisy fitness
----------------------------------
Episodes are random, so one individual's score is noisy. Every generation *all* individuals,
elites included, are re-evaluated on the same fresh episode seeds (common random numbers):
selection compares genomes on identical worlds, and nobody survives on one lucky draw, since
no fitness is ever carried over from an earlier generation.

Randomness
----------
Every stream is keyed by ``config.seed`` and its purpose (:mod:`evomesa.seeding`): the initial
population, each generation's episode seeds, and each generation's variation (selection,
crossover and mutation, in a fixed order) draw from streams that no other purpose and no other
seed shares. Kernels get explicit per-episode seeds, so results do not depend on numba's
thread count.

Checked genes
-------------
Genes from the toolbox's ``population``, ``mate`` and ``mutate`` (which a user may have
replaced) and from ``init`` are checked before any kernel sees them: real, finite, in [0, 1],
of the right shape. A bad operator raises :class:`~evomesa.errors.ConfigError` naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from deap import base, tools

from evomesa.budget import check_evolve_memory
from evomesa.errors import ConfigError
from evomesa.evolve.checkpoint import Checkpointer, run_identity
from evomesa.evolve.checkpoint_format import State, digest, rng_from_state
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.generation import breed, play, play_tracked
from evomesa.evolve.islands import run_islands
from evomesa.evolve.mixture import is_mixture
from evomesa.evolve.record import (
    enter_hall_of_fame,
    generation_record,
    make_statistics,
    new_logbook,
)
from evomesa.evolve.result import EvolutionResult
from evomesa.evolve.start import (
    check_islands_arguments,
    check_progress,
    initial_genes,
    progress_reporter,
    random_population,
    tracked_regimes,
)
from evomesa.evolve.toolbox import checked_toolbox, make_toolbox
from evomesa.genomes import make_genome
from evomesa.seeding import generator
from evomesa.worlds.base import World, require_world


def evolve(
    world: World,
    config: EvolutionConfig,
    *,
    init=None,
    track: Sequence[str] | None = None,
    toolbox: base.Toolbox | None = None,
    progress: bool | Callable[[int, dict], None] = False,
    checkpoint: str | Path | None = None,
    checkpoint_every: int = 1,
    client: Any = None,
) -> EvolutionResult:
    """Evolve a population in ``config.regime`` of ``world``.

    Parameters
    ----------
    world : World
    config : EvolutionConfig
    init : EvolutionResult or (population, length) array-like, optional
        Start from these genes (an earlier result's final population, or genes of
        ``config.genome``) instead of a random population: to continue evolution, for
        instance in another regime. Checked like every other gene source.
    track : sequence of str, optional
        Regimes the population is also played in every generation, on episodes of their own
        stream (selection never sees them): the logbook gets ``"{regime}:fitness"`` and
        ``"{regime}:retention"`` (that fitness over the generation's training fitness) for
        each, beside what it always logs: fitness statistics, mean performance
        (``"performance"``), each drive's mean signal, each event's mean count per episode
        (``"event:{event}"``), and the evolved traits (the planners' mean weight per drive
        ``"w_{drive}"``, their share and mean horizon). With a training mixture the logbook
        also records how many episodes each regime drew, ``"episodes:{regime}"``.
    toolbox : deap.base.Toolbox, optional
        Operators to use instead of :func:`make_toolbox`'s defaults.
    progress : bool or callable
        True shows a tqdm bar; a callable is called as ``progress(gen, record)`` after each
        generation. Library calls are quiet by default.
    checkpoint : str or Path, optional
        A folder for checkpoints (:mod:`evomesa.evolve.checkpoint`). If it already holds a
        checkpoint of this run (same world, parameters, config and start), evolution resumes
        from the latest good one and ends exactly as the uninterrupted run would; one of
        another run raises ConfigError. Ctrl-C then writes a checkpoint of the last finished
        generation and raises :class:`~evomesa.evolve.checkpoint.CheckpointInterrupt` (a
        KeyboardInterrupt).
    checkpoint_every : int
        Write a checkpoint after every this many generations (and after the last).
    client : dask.distributed.Client or concurrent.futures.Executor, optional
        With ``config.islands > 1``: where the islands run, one task per island between
        migrations (:mod:`evomesa.evolve.islands`); None runs them here. The result does
        not depend on it.

    Returns
    -------
    EvolutionResult
    """
    require_world(world)
    if not isinstance(config, EvolutionConfig):
        raise ConfigError(f"config must be an EvolutionConfig; got {type(config).__name__}")
    config = config.resolved(world)
    length = make_genome(config.genome, world).length
    check_evolve_memory(world, config, length)
    check_progress(progress)
    if config.islands > 1:
        check_islands_arguments(config, init=init, track=track, toolbox=toolbox)
        ckpt = None if checkpoint is None else Checkpointer(checkpoint, checkpoint_every)
        return _evolve_islands(world, config, client, progress, ckpt)
    if toolbox is None:
        tb = make_toolbox(world, config)
    else:
        tb = checked_toolbox(toolbox, config, world, population=init is None)
    origin = None
    if init is None:
        genes = random_population(tb, config, length)
    else:
        genes, origin = initial_genes(world, config, init, length)

    tracked = tracked_regimes(world, track)
    ckpt = None if checkpoint is None else Checkpointer(checkpoint, checkpoint_every)
    start = None if origin is None else digest({"genes": np.asarray(genes)})
    identity = run_identity(world, config, origin, start, tracked)
    genes, fitness, logbook, hof = _generations(
        world, config, tb, genes, tracked, progress, ckpt, identity
    )
    return EvolutionResult(
        world=world.name,
        world_params=dict(world.params),
        config=config,
        genes=np.array(genes),  # its own array, not a view of the last generation's buffer
        fitness=fitness,
        logbook=logbook,
        hall_of_fame=hof,
        origin=origin,
    )


def _generations(
    world: World,
    config: EvolutionConfig,
    tb: base.Toolbox,
    genes: np.ndarray,
    tracked: tuple[str, ...],
    progress,
    ckpt: Checkpointer | None,
    identity: dict,
) -> tuple[np.ndarray, np.ndarray, tools.Logbook, tools.HallOfFame]:
    """The generations of :func:`evolve` from the initial ``genes`` (or from the latest
    checkpoint in ``ckpt``): the last generation's genes and fitness, the logbook and the
    hall of fame."""
    n = config.population
    mixture = config.regime if is_mixture(config.regime) else None
    stats = make_statistics()
    logbook = new_logbook(world, mixture, tracked)
    hof = tools.HallOfFame(config.hall_of_fame, similar=np.array_equal)
    bar, report = progress_reporter(progress, config.generations + 1)

    fitness = np.zeros(n)
    first = 0
    resumed = None if ckpt is None else ckpt.latest(identity, genes.shape[1])
    if resumed is not None:
        logbook = _restored_logbook(resumed, logbook.header)
        hof = resumed.hall_of_fame(config.hall_of_fame)
        genes, fitness, first = resumed.genes, resumed.fitness, resumed.gen + 1
        ckpt.last_written = resumed.gen
        if first <= config.generations:  # breed the generation after the checkpoint
            rng = rng_from_state(resumed.rng["variation"])
            genes = breed(tb, config, genes, fitness, resumed.gen, rng)
    snapshot = None
    try:
        for gen in range(first, config.generations + 1):
            played = play(tb, config, genes, gen)
            fitness = played.fitness
            enter_hall_of_fame(hof, [played])
            scores = {r: play_tracked(tb, config, genes, gen, r) for r in tracked}
            record = generation_record(world, [played], stats, scores)
            logbook.record(gen=gen, nevals=n, **record)
            # one assignment: an interrupt leaves either the previous snapshot or this one
            snapshot = (gen, genes, fitness, len(logbook), _hof_rows(hof))
            if ckpt is not None and ckpt.due(gen, config.generations):
                ckpt.save(_state(snapshot, logbook, identity, config.seed))
            report(gen, record)
            if gen == config.generations:
                break
            genes = breed(tb, config, genes, fitness, gen)
    except KeyboardInterrupt:
        if ckpt is None:
            raise
        latest = None if snapshot is None else _state(snapshot, logbook, identity, config.seed)
        interrupt = ckpt.interrupted(latest)
        if interrupt is None:
            raise
        raise interrupt from None
    finally:
        if bar is not None:
            bar.close()
    return genes, fitness, logbook, hof


def _evolve_islands(
    world: World, config: EvolutionConfig, client, progress, ckpt: Checkpointer | None
) -> EvolutionResult:
    """:func:`evolve` with ``config.islands > 1`` (:mod:`evomesa.evolve.islands`)."""
    mixture = config.regime if is_mixture(config.regime) else None
    logbook = new_logbook(world, mixture)
    hof = tools.HallOfFame(config.hall_of_fame, similar=np.array_equal)
    bar, report = progress_reporter(progress, config.generations + 1)
    try:
        genes, fitness, logbook, hof = run_islands(
            world, config, client, logbook, hof, report, make_statistics(), ckpt
        )
    finally:
        if bar is not None:
            bar.close()
    return EvolutionResult(
        world=world.name,
        world_params=dict(world.params),
        config=config,
        genes=genes,
        fitness=fitness,
        logbook=logbook,
        hall_of_fame=hof,
        origin=None,
    )


def _hof_rows(hof: tools.HallOfFame) -> tuple[np.ndarray, np.ndarray]:
    """A copy of the hall of fame as (h, length) genes and (h,) fitness, in its order."""
    genes = np.array([np.asarray(ind) for ind in hof], dtype=np.float64)
    return genes, np.array([ind.fitness.values[0] for ind in hof], dtype=np.float64)


def _state(snapshot, logbook: tools.Logbook, identity: dict, seed: int) -> State:
    """The checkpoint state of a snapshot taken at the end of a generation."""
    gen, genes, fitness, n_records, (hof_genes, hof_fitness) = snapshot
    variation = generator(seed, "evolve", "variation", gen).bit_generator.state
    return State(
        gen=gen,
        genes=genes,
        fitness=fitness,
        logbook=[dict(r) for r in logbook[:n_records]],
        hof_genes=hof_genes.reshape(len(hof_fitness), genes.shape[1]),
        hof_fitness=hof_fitness,
        rng={"variation": variation},
        identity=identity,
    )


def _restored_logbook(state: State, header: list[str]) -> tools.Logbook:
    book = state.logbook_object()
    book.header = header
    return book
