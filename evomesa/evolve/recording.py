"""``evolve_recording``: :func:`evomesa.evolve` with a look at every generation's evaluation.

Some measurements need more than the logbook's means: which individuals complied while
watched and defected when not, say. ``evolve_recording`` runs the ordinary GA (same seeds,
same result as :func:`evomesa.evolve`) with the toolbox's ``evaluate`` wrapped, so that a
caller's ``record`` sees each generation's training rollout as selection saw it, at no extra
evaluation cost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from evomesa.agents.brains import Brains
from evomesa.errors import ConfigError
from evomesa.evolve.config import EvolutionConfig
from evomesa.evolve.loop import evolve
from evomesa.evolve.result import EvolutionResult
from evomesa.evolve.toolbox import make_toolbox
from evomesa.worlds.base import RolloutArrays, World

Record = Callable[[Brains, RolloutArrays], dict[str, Any]]


def evolve_recording(
    world: World,
    config: EvolutionConfig,
    record: Record,
    *,
    init=None,
    track: Sequence[str] | None = None,
) -> tuple[EvolutionResult, list[dict[str, Any]]]:
    """Evolve as :func:`evomesa.evolve` does, and return ``record``'s output per generation.

    Parameters
    ----------
    world, config, init, track
        As for :func:`evomesa.evolve`.
    record : callable ``(brains, out) -> dict``
        Called on every generation's training evaluation (decoded genomes and their
        :class:`~evomesa.worlds.base.RolloutArrays`, shapes (n, episodes, ...)), in order;
        evaluations of ``track`` regimes are not passed.

    Returns
    -------
    (EvolutionResult, list of dict)
        The result, identical to ``evolve(world, config, init=init, track=track)``, and one
        record per generation (``config.generations + 1``).
    """
    if not callable(record):
        raise ConfigError(f"record must be callable (brains, out) -> dict; got {record!r}")
    tb = make_toolbox(world, config)
    inner = tb.evaluate
    rows: list[dict[str, Any]] = []

    def evaluate(genes, seeds, **kwargs):
        brains, out = inner(genes, seeds=seeds, **kwargs)
        # a tracked regime arrives by name; training, as the toolbox's own or a mixture's
        # per-episode columns
        if not isinstance(kwargs.get("regime"), str):
            rows.append(dict(record(brains, out)))
        return brains, out

    tb.register("evaluate", evaluate)
    result = evolve(world, config, init=init, track=track, toolbox=tb)
    return result, rows
