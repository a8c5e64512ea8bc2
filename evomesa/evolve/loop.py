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

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from deap import base, tools

from evomesa.budget import check_evolve_memory
from evomesa.errors import ConfigError, shown
from evomesa.evolve.checkpoint import Checkpointer, CheckpointInterrupt
from evomesa.evolve.checkpoint_format import State, digest, rng_from_state
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.deap_types import individuals
from evomesa.evolve.islands import run_islands
from evomesa.evolve.mixture import draw_columns, is_mixture
from evomesa.evolve.result import EvolutionResult
from evomesa.evolve.toolbox import checked_toolbox, make_toolbox
from evomesa.genomes import make_genome
from evomesa.genomes.base import check_genes
from evomesa.metrics.stats import retention
from evomesa.rng import episode_seeds
from evomesa.seeding import generator
from evomesa.worlds.base import World, require_world


def make_statistics() -> tools.Statistics:
    """DEAP Statistics over the (n,) fitness array of a generation."""
    stats = tools.Statistics()
    stats.register("avg", np.mean)
    stats.register("std", np.std)
    stats.register("min", np.min)
    stats.register("max", np.max)
    return stats


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
    config = config.for_world(world)
    check_evolve_memory(world, config, make_genome(config.genome, world).length)
    if not (isinstance(progress, bool) or callable(progress)):
        raise ConfigError(
            f"progress must be True, False or a callable(gen, record); got {shown(progress)}"
        )
    if config.islands > 1:
        given = {"init": init, "track": track, "toolbox": toolbox}
        unsupported = [k for k, v in given.items() if v not in (None, ())]
        if unsupported:
            raise ConfigError(
                f"{unsupported[0]} must be None with islands > 1 (not supported yet); got "
                f"islands={config.islands}"
            )
        ckpt = None if checkpoint is None else Checkpointer(checkpoint, checkpoint_every)
        return _evolve_islands(world, config, client, progress, ckpt)
    if toolbox is None:
        tb = make_toolbox(world, config)
    else:
        tb = checked_toolbox(toolbox, config, world, population=init is None)
    n, elite = config.population, config.n_elite
    length = make_genome(config.genome, world).length
    origin = None
    if init is None:
        genes = tb.population(generator(config.seed, "evolve", "init"), n)
        genes = check_genes(genes, length, name="toolbox.population", rows=n)
    else:
        genes, origin = _initial_genes(world, config, init, length)

    tracked = _tracked(world, track)
    mixture = config.regime if is_mixture(config.regime) else None
    ckpt = None if checkpoint is None else Checkpointer(checkpoint, checkpoint_every)
    identity = {
        "world": world.name,
        "world_params": dict(world.params),
        "config": config.to_dict(),
        "origin": origin,
        "start": None if origin is None else digest({"genes": np.asarray(genes)}),
        "track": list(tracked),
    }

    stats = make_statistics()
    logbook = new_logbook(world, mixture, tracked)
    hof = tools.HallOfFame(config.hall_of_fame, similar=np.array_equal)
    bar, report = _progress(progress, config.generations + 1)

    fitness = np.zeros(n)
    first = 0
    resumed = None if ckpt is None else ckpt.latest(identity, length)
    if resumed is not None:
        logbook = _restored_logbook(resumed, logbook.header)
        hof = resumed.hall_of_fame(config.hall_of_fame)
        genes, fitness, first = resumed.genes, resumed.fitness, resumed.gen + 1
        ckpt.last_written = resumed.gen
        if first <= config.generations:  # breed the generation after the checkpoint
            ranking = np.argsort(-fitness, kind="stable")
            rng = rng_from_state(resumed.rng["variation"])
            genes = _next_generation(tb, genes, ranking[:elite], fitness, rng)
    snapshot = None
    try:
        for gen in range(first, config.generations + 1):
            seeds = episode_seeds(
                generator(config.seed, "evolve", "episodes", gen),
                n,
                config.episodes,
                common=config.common_seeds,
            )
            if mixture is None:
                brains, out = tb.evaluate(genes, seeds=seeds)
            else:  # each episode column in a regime drawn from the mixture
                columns = draw_columns(
                    mixture, config.episodes, generator(config.seed, "evolve", "regimes", gen)
                )
                brains, out = tb.evaluate(genes, seeds=seeds, regime=columns)
            fitness = out.fitness.mean(axis=1)
            # the dose actually drawn, which at small shares is far from its expectation
            realised = {f"episodes:{r}": columns.count(r) for r in mixture} if mixture else {}

            ranking = np.argsort(-fitness, kind="stable")  # best first; serves HoF and elites
            # Only the best few can enter the HallOfFame: wrap just those as DEAP individuals.
            top = ranking[: config.hall_of_fame]
            hof.update(individuals(genes[top], fitness[top]))
            # Statistics.compile applies its key to every element in Python; handing it the
            # whole array as one element gives the same figures without a loop over individuals
            record = stats.compile((fitness,))
            record.update(zip(world.drives, out.signals.mean(axis=(0, 1)), strict=True))
            # what the designer wants, beside what selection counts (they part under
            # Goodharting), and how often each event happened per episode
            record["performance"] = float(out.performance.mean())
            events = out.events.mean(axis=(0, 1))
            record.update({f"event:{e}": float(events[k]) for k, e in enumerate(world.events)})
            planners = brains.arch == 1
            record["planners"] = float(planners.mean())
            record["horizon"] = float(brains.horizon[planners].mean()) if planners.any() else 0.0
            weights = brains.weights[planners].mean(axis=0) if planners.any() else None
            for d, drive in enumerate(world.drives):
                record[f"w_{drive}"] = 0.0 if weights is None else float(weights[d])
            for regime in tracked:
                record.update(_tracked_record(tb, genes, config, regime, gen, record["avg"]))
            record.update(realised)
            logbook.record(gen=gen, nevals=n, **record)
            # one assignment: an interrupt leaves either the previous snapshot or this one
            snapshot = (gen, genes, fitness, len(logbook), _hof_rows(hof))
            if ckpt is not None and ckpt.due(gen, config.generations):
                ckpt.save(_state(snapshot, logbook, identity, config.seed))
            report(gen, record)
            if gen == config.generations:
                break

            rng = generator(config.seed, "evolve", "variation", gen)
            genes = _next_generation(tb, genes, ranking[:elite], fitness, rng)
    except KeyboardInterrupt:
        if ckpt is None:
            raise
        if snapshot is not None and snapshot[0] != ckpt.last_written:
            ckpt.save(_state(snapshot, logbook, identity, config.seed))
        if ckpt.last_written is None:
            raise
        raise CheckpointInterrupt(ckpt.path(ckpt.last_written), ckpt.last_written) from None
    finally:
        if bar is not None:
            bar.close()

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


def new_logbook(world: World, mixture, tracked: Sequence[str] = ()) -> tools.Logbook:
    """A logbook whose header lists the columns a run prints (every key is still logged)."""
    logbook = tools.Logbook()
    logbook.header = [
        "gen",
        "nevals",
        "avg",
        "std",
        "min",
        "max",
        *world.drives,
        "planners",
        "horizon",
        *(f"w_{d}" for d in world.drives),
        *(f"{r}:{what}" for r in tracked for what in ("fitness", "retention")),
        *(f"episodes:{r}" for r in (mixture or ())),
    ]
    return logbook


def _evolve_islands(
    world: World, config: EvolutionConfig, client, progress, ckpt: Checkpointer | None
) -> EvolutionResult:
    """:func:`evolve` with ``config.islands > 1`` (:mod:`evomesa.evolve.islands`)."""
    mixture = config.regime if is_mixture(config.regime) else None
    logbook = new_logbook(world, mixture)
    hof = tools.HallOfFame(config.hall_of_fame, similar=np.array_equal)
    bar, report = _progress(progress, config.generations + 1)
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


def _tracked(world: World, track) -> tuple[str, ...]:
    """The ``track`` argument as checked regime names."""
    if track is None:
        return ()
    if isinstance(track, str):
        track = (track,)
    if isinstance(track, Mapping):
        raise ConfigError(
            f"track must be a sequence of regime names; got the mapping {shown(track)}"
        )
    try:
        names = tuple(track)
    except TypeError:
        raise ConfigError(
            f"track must be a sequence of regime names; got {shown(track)}"
        ) from None
    return tuple(dict.fromkeys(world.check_regime(r, "track") for r in names))


def _tracked_record(tb, genes, config: EvolutionConfig, regime: str, gen: int, train: float):
    """Fitness and retention of this generation in a tracked regime, on its own episodes."""
    seeds = episode_seeds(
        generator(config.seed, "evolve", "track", regime, gen),
        genes.shape[0],
        config.episodes,
        common=config.common_seeds,
    )
    _, out = tb.evaluate(genes, seeds=seeds, regime=regime)
    fitness = float(out.fitness.mean())
    kept, _ = retention(train, fitness)
    return {f"{regime}:fitness": fitness, f"{regime}:retention": kept}


def _next_generation(tb, genes: np.ndarray, keep: np.ndarray, fitness, rng) -> np.ndarray:
    """Elites, then children: parents picked by ``tb.select``, recombined by ``tb.mate``,
    mutated by ``tb.mutate``, all built in one new array.

    Parents are copied straight into the rows their children will occupy, and the operators
    may work there in place: one allocation per generation rather than one per step (at a
    few MB a population, fresh allocations cost page faults worth a tenth of a generation).
    """
    n, length = genes.shape
    elite = keep.shape[0]
    n_children = n - elite
    wanted = n_children + (n_children % 2)
    parents = _checked_parents(tb.select(fitness, wanted, rng), wanted, n)
    pairs = wanted // 2
    nxt = np.empty((elite + 2 * pairs, length))
    nxt[:elite] = genes[keep]
    a, b = nxt[elite : elite + pairs], nxt[elite + pairs :]
    np.take(genes, parents[0::2], axis=0, out=a)
    np.take(genes, parents[1::2], axis=0, out=b)
    out_a, out_b = tb.mate(a, b, rng)
    # An operator may hand back other rows of this buffer (say, its inputs swapped): take
    # copies of any such output before storing either, or the first store would clobber it.
    out_a, out_b = (_detached(out, dest, nxt) for out, dest in ((out_a, a), (out_b, b)))
    _store(a, out_a, "toolbox.mate's first output")
    _store(b, out_b, "toolbox.mate's second output")
    children = nxt[elite : elite + n_children]  # an odd count drops the last child
    _store(children, tb.mutate(children, rng), "toolbox.mutate")
    return nxt[:n]


def _detached(out, dest: np.ndarray, buffer: np.ndarray):
    """``out`` itself, or a copy of it when it is other rows of ``buffer`` than ``dest``."""
    if isinstance(out, np.ndarray) and out is not dest and np.shares_memory(out, buffer):
        return np.array(out)
    return out


def _checked_parents(parents, wanted: int, n: int) -> np.ndarray:
    """What ``toolbox.select`` returned, as (wanted,) int64 indices into the population."""
    try:
        idx = np.asarray(parents)
    except Exception:  # noqa: BLE001 - ragged, ints beyond int64, or a user's failing object
        idx = np.asarray([], dtype=float)
    if idx.shape != (wanted,) or idx.dtype.kind not in "iu" or (idx < 0).any() or (idx >= n).any():
        raise ConfigError(
            f"toolbox.select must return {wanted} integer indices in [0, {n - 1}]; got "
            f"{idx.dtype} of shape {idx.shape}"
            + (
                f" with values in [{idx.min()}, {idx.max()}]"
                if idx.size and idx.dtype.kind in "iuf"
                else ""
            )
        )
    return idx.astype(np.int64, copy=False)


def _store(rows: np.ndarray, result, name: str) -> None:
    """Check an operator's ``result`` and make it the content of ``rows`` (a no-op when the
    operator worked in place)."""
    checked = check_genes(result, rows.shape[1], name=name, rows=rows.shape[0])
    if checked is not rows:
        rows[...] = checked


def _initial_genes(world: World, config: EvolutionConfig, init, length: int):
    """The (population, length) starting genes given as ``init``, and the result's origin."""
    origin = {"init": "genes"}
    if isinstance(init, EvolutionResult):
        if init.genome != config.genome or init.world != world.name:
            raise ConfigError(
                f"init must be a result of the {config.genome!r} genome in the {world.name!r} "
                f"world; got the {init.genome!r} genome in {init.world!r}"
            )
        changed = sorted(k for k, v in init.world_params.items() if world.params.get(k) != v)
        if changed:
            # the same genes decode and behave differently under other parameters
            raise ConfigError(
                f"init must be a result evolved with this world's parameters; {changed[0]} was "
                f"{init.world_params[changed[0]]!r}, here {world.params.get(changed[0])!r}"
            )
        origin = {
            "init": "result",
            "world": init.world,
            "regime": init.config.regime,
            "seed": init.config.seed,
            "generations": init.config.generations,
        }
        init = init.genes
    genes = check_genes(init, length, name="init", genome=config.genome, rows=config.population)
    return genes, origin


def _progress(progress, total: int):
    """(tqdm bar or None, per-generation callback) for the ``progress`` argument."""
    if callable(progress):
        return None, progress
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="evolving", unit="gen", leave=False)

        def tick(gen: int, record: dict) -> None:
            bar.set_postfix(best=f"{record['max']:.2f}", avg=f"{record['avg']:.2f}")
            bar.update(1)

        return bar, tick
    return None, lambda gen, record: None
