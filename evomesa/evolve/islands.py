"""The island model: ``config.islands`` sub-populations that evolve apart and exchange their
best every ``config.migration_interval`` generations.

Each island plays and breeds the generations of the ordinary loop
(:mod:`evomesa.evolve.generation`) on ``population / islands`` individuals, with its own
streams: island ``i`` draws everything from ``child_seed(seed, "island", i)``
(:mod:`evomesa.seeding`). Between migrations an island is one task, :func:`island_segment`, a
pure function of its genes and generation range; with a Dask client the islands of a segment
run as parallel tasks, otherwise one after another here. Migration
runs here, with DEAP's ``tools.migRing`` (each island's best ``migrants``, ``tools.selBest``,
replace the next island's worst, ``tools.selWorst``, around the ring). So the same seed gives
the same result whatever the number of workers, or none.

The logbook has the same columns as a single population's, computed over all islands
together (:mod:`evomesa.evolve.record`); the hall of fame is kept over all islands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from deap import tools

from evomesa.evolve.checkpoint import Checkpointer, run_identity
from evomesa.evolve.checkpoint_format import State
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.deap_types import Fitness
from evomesa.evolve.generation import breed, play
from evomesa.evolve.record import Generation, enter_hall_of_fame, generation_record
from evomesa.evolve.start import random_population
from evomesa.evolve.toolbox import make_toolbox
from evomesa.executors import InProcessExecutor, check_executor, in_task, one_at_a_time
from evomesa.genomes import make_genome
from evomesa.seeding import generator
from evomesa.worlds import make_world
from evomesa.worlds.base import World


@dataclass
class Segment:
    """An island after a segment: its evaluated genes and fitness at the last generation."""

    genes: np.ndarray
    fitness: np.ndarray
    generations: list[Generation]


def island_segment(
    world_name: str,
    params: dict[str, Any],
    config: EvolutionConfig,
    island: int,
    genes: np.ndarray | None,
    fitness: np.ndarray | None,
    start: int,
    stop: int,
) -> Segment:
    """Task: evolve island ``island`` over generations ``start`` ... ``stop - 1``.

    Parameters
    ----------
    genes, fitness : (n_i, length) and (n_i,) arrays, or None
        The island as evaluated in generation ``start - 1`` (after migration), bred into
        generation ``start`` first; None at ``start == 0`` (a random start).
    """
    world = make_world(world_name, **params)
    cfg = config.for_island(island)
    tb = make_toolbox(world, cfg)
    if genes is None:
        genes = random_population(tb, cfg, make_genome(cfg.genome, world).length)
    else:
        genes = breed(tb, cfg, genes, fitness, start - 1)
    out = []
    for gen in range(start, stop):
        played = play(tb, cfg, genes, gen)
        out.append(played)
        if gen < stop - 1:
            genes = breed(tb, cfg, genes, played.fitness, gen)
    return Segment(np.array(genes), played.fitness, out)


class _Slot:
    """A stand-in individual for ``tools.migRing``: an (island, row) with its fitness.
    (migRing finds immigrants with ``list.index``, which numpy-array individuals break.)"""

    __slots__ = ("island", "row", "fitness")

    def __init__(self, island: int, row: int, fitness: float) -> None:
        self.island, self.row = island, row
        self.fitness = Fitness()
        self.fitness.values = (float(fitness),)


def migrate(segments: Sequence[Segment], migrants: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each island's ``migrants`` best replace the next island's worst (``tools.migRing``);
    returns every island's (genes, fitness) after migration."""
    pops = [[_Slot(i, j, f) for j, f in enumerate(seg.fitness)] for i, seg in enumerate(segments)]
    tools.migRing(pops, migrants, tools.selBest, replacement=tools.selWorst)
    out = []
    for pop in pops:
        genes = np.array([segments[s.island].genes[s.row] for s in pop])
        fitness = np.array([segments[s.island].fitness[s.row] for s in pop])
        out.append((genes, fitness))
    return out


def run_islands(
    world: World,
    config: EvolutionConfig,
    client: Any,
    logbook: tools.Logbook,
    hof: tools.HallOfFame,
    report: Callable[[int, dict], None],
    stats,
    ckpt: Checkpointer | None = None,
) -> tuple[np.ndarray, np.ndarray, tools.Logbook, tools.HallOfFame]:
    """Evolve ``config.islands`` islands, filling ``logbook`` and ``hof``; return the final
    (population, length) genes (island 0 first), their (population,) fitness, the logbook
    and the hall of fame.

    With ``ckpt``, the state after each migration (every island's genes and fitness, the
    logbook, the hall of fame) is checkpointed when ``ckpt.every`` generations have passed
    since the last one, and at the end; an existing checkpoint of this run is resumed from.
    Ctrl-C writes the last migration's state and raises ``CheckpointInterrupt``.
    """
    submit = _submitter(client)
    k, last = config.islands, config.generations
    state: list[tuple[np.ndarray | None, np.ndarray | None]] = [(None, None)] * k
    start = 0
    identity = run_identity(world, config)
    resumed = None if ckpt is None else ckpt.latest(identity)
    if resumed is not None:
        book = resumed.logbook_object()
        book.header = logbook.header
        logbook, hof = book, resumed.hall_of_fame(config.hall_of_fame)
        ckpt.last_written = resumed.gen
        size = config.island_size
        state = [
            (resumed.genes[i * size : (i + 1) * size], resumed.fitness[i * size : (i + 1) * size])
            for i in range(k)
        ]
        if resumed.gen == last:
            return resumed.genes, resumed.fitness, logbook, hof
        start = resumed.gen + 1
    latest: list[State] = []  # the state after the latest migration, when checkpointing
    try:
        genes, fitness = _run(
            world,
            config,
            submit,
            logbook,
            hof,
            report,
            stats,
            ckpt,
            identity,
            state,
            start,
            latest,
        )
    except KeyboardInterrupt:
        if ckpt is None:
            raise
        interrupt = ckpt.interrupted(latest[0] if latest else None)
        if interrupt is None:
            raise
        raise interrupt from None
    return genes, fitness, logbook, hof


def _variation_state(config: EvolutionConfig, island: int, gen: int) -> dict:
    seed = config.for_island(island).seed
    return generator(seed, "evolve", "variation", gen).bit_generator.state


def _state(gen, islands, logbook, hof, identity, config) -> State:
    genes = np.concatenate([g for g, _ in islands])
    hof_genes = np.array([np.asarray(ind) for ind in hof], dtype=np.float64)
    return State(
        gen=gen,
        genes=genes,
        fitness=np.concatenate([f for _, f in islands]),
        logbook=[dict(r) for r in logbook],
        hof_genes=hof_genes.reshape(len(hof), genes.shape[1]),
        hof_fitness=np.array([ind.fitness.values[0] for ind in hof], dtype=np.float64),
        # each island breeds its next generation from this stream of its own seed
        rng={"islands": [_variation_state(config, i, gen) for i in range(config.islands)]},
        identity=identity,
    )


def _run(world, config, submit, logbook, hof, report, stats, ckpt, identity, state, start, latest):
    """The segments and migrations of :func:`run_islands` from generation ``start``."""
    k, last = config.islands, config.generations
    params = dict(world.params)
    segments: list[Segment] = []
    while start <= last:
        stop = min(start + config.migration_interval, last + 1)
        futures = [
            submit(
                one_at_a_time,
                island_segment,
                world.name,
                params,
                config,
                i,
                *state[i],
                start,
                stop,
            )
            for i in range(k)
        ]
        segments = [f.result() for f in futures]
        for offset, gen in enumerate(range(start, stop)):
            gens = [seg.generations[offset] for seg in segments]
            enter_hall_of_fame(hof, gens)
            record = generation_record(world, gens, stats)
            logbook.record(gen=gen, nevals=config.population, **record)
            report(gen, record)
        if stop <= last:
            state = migrate(segments, config.migrants)
        else:
            state = [(seg.genes, seg.fitness) for seg in segments]
        if ckpt is not None:
            snapshot = _state(stop - 1, state, logbook, hof, identity, config)
            latest[:] = [snapshot]
            since = stop - 1 - (-1 if ckpt.last_written is None else ckpt.last_written)
            if stop > last or since >= ckpt.every:
                ckpt.save(snapshot)
        if stop > last:
            break
        start = stop
    genes = np.concatenate([g for g, _ in state])
    return genes, np.concatenate([f for _, f in state])


def _submitter(client: Any) -> Callable:
    """``submit(fn, *args) -> future`` for ``client`` (a Dask Client, an Executor, or None:
    in this process).

    Within an evomesa task (a replicate on a pool worker or a Dask worker, whose thread holds
    the process's kernel lock) the islands run in that thread whatever ``client`` is: another
    thread of this process would wait for the lock the task holds, and the task for it. The
    result is the same wherever the islands run.
    """
    check_executor(client, "client")
    if client is None or in_task():
        return InProcessExecutor().submit
    if callable(getattr(client, "get_executor", None)):  # a dask Client
        return client.get_executor(pure=False).submit
    return client.submit
