"""One generation of the GA, shared by the single-population loop and every island.

A generation is played (:func:`play`: every individual, elites included, on the
generation's fresh episode seeds, in a regime drawn per episode column from a training
mixture) and then bred into the next (:func:`breed`: elites, then children picked by
``toolbox.select``, recombined by ``toolbox.mate`` and mutated by ``toolbox.mutate``). Every
stream is keyed by the (island's) seed, the purpose and the generation
(:mod:`evomesa.seeding`), so a generation depends only on its genes, wherever it runs.
"""

from __future__ import annotations

import numpy as np
from deap import base

from evomesa.errors import ConfigError
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.mixture import draw_columns, is_mixture
from evomesa.evolve.record import Generation, summarise
from evomesa.genomes.base import check_genes
from evomesa.rng import episode_seeds
from evomesa.seeding import generator


def play(tb: base.Toolbox, config: EvolutionConfig, genes: np.ndarray, gen: int) -> Generation:
    """Evaluate generation ``gen``'s ``genes`` with ``tb.evaluate`` on its episodes, and
    summarise it for the logbook and the hall of fame."""
    seeds = episode_seeds(
        generator(config.seed, "evolve", "episodes", gen),
        config.population,
        config.episodes,
        common=config.common_seeds,
    )
    realised: dict[str, int] = {}
    if not is_mixture(config.regime):
        brains, out = tb.evaluate(genes, seeds=seeds)
    else:  # each episode column in a regime drawn from the mixture
        mixture = config.regime
        columns = draw_columns(
            mixture, config.episodes, generator(config.seed, "evolve", "regimes", gen)
        )
        brains, out = tb.evaluate(genes, seeds=seeds, regime=columns)
        realised = {r: columns.count(r) for r in mixture}
    return summarise(genes, brains, out, realised, config.hall_of_fame)


def play_tracked(
    tb: base.Toolbox, config: EvolutionConfig, genes: np.ndarray, gen: int, regime: str
) -> float:
    """The mean fitness of generation ``gen``'s ``genes`` in the tracked ``regime``, on
    episodes of its own stream (selection never sees it)."""
    seeds = episode_seeds(
        generator(config.seed, "evolve", "track", regime, gen),
        genes.shape[0],
        config.episodes,
        common=config.common_seeds,
    )
    _, out = tb.evaluate(genes, seeds=seeds, regime=regime)
    return float(out.fitness.mean())


def breed(
    tb: base.Toolbox,
    config: EvolutionConfig,
    genes: np.ndarray,
    fitness: np.ndarray,
    gen: int,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Generation ``gen + 1`` bred from generation ``gen``'s ``genes`` and ``fitness``, with
    the variation stream of ``gen`` (``rng``: that stream restored from a checkpoint)."""
    ranking = np.argsort(-fitness, kind="stable")  # best first
    if rng is None:
        rng = generator(config.seed, "evolve", "variation", gen)
    return next_generation(tb, genes, ranking[: config.n_elite], fitness, rng)


def next_generation(tb, genes: np.ndarray, keep: np.ndarray, fitness, rng) -> np.ndarray:
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
