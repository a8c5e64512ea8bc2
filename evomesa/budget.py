"""The memory budget: sizes estimated before anything is allocated.

A configuration whose arrays would not fit is refused up front with a
:class:`~evomesa.errors.ConfigError` that names the size asked for and the budget, instead of
ending in a ``MemoryError`` (or the operating system killing the process) after minutes of
work. The estimates count the large arrays evomesa itself allocates for one run in one
process (genes, episode seeds, every rollout channel, the bootstrap, the logbook); they are
deliberately simple upper bounds, not a profiler.

The budget is ``4 GiB`` by default. Set the environment variable ``EVOMESA_MEMORY_BUDGET``
(bytes, or a number with a unit such as ``512MiB``, ``16GiB``, ``2GB``) to raise or lower it;
it is read at every check, so pool workers started later see the same value. Readers of saved
files use the same budget to refuse a file that would expand beyond it (a zip bomb).
"""

from __future__ import annotations

import os
import re

from evomesa.errors import ConfigError

ENV = "EVOMESA_MEMORY_BUDGET"
DEFAULT_BUDGET = 4 * 2**30

_UNITS = {
    "": 1,
    "b": 1,
    "k": 10**3,
    "kb": 10**3,
    "kib": 2**10,
    "m": 10**6,
    "mb": 10**6,
    "mib": 2**20,
    "g": 10**9,
    "gb": 10**9,
    "gib": 2**30,
    "t": 10**12,
    "tb": 10**12,
    "tib": 2**40,
}

#: bytes one logbook record costs in memory (a dict of ~25 floats) and in result.json
LOGBOOK_RECORD_BYTES = 4096


def memory_budget() -> int:
    """The budget in bytes: ``EVOMESA_MEMORY_BUDGET`` if set, else 4 GiB.

    Raises
    ------
    ConfigError
        If the variable is set to something that is not a positive size.
    """
    raw = os.environ.get(ENV)
    if raw is None or raw.strip() == "":
        return DEFAULT_BUDGET
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", raw[:64])
    unit = _UNITS.get(m.group(2).lower()) if m else None
    if m is None or unit is None or float(m.group(1)) <= 0:
        raise ConfigError(
            f"{ENV} must be a positive size such as 4294967296, 512MiB or 16GiB; got {raw!r}"
        )
    return int(float(m.group(1)) * unit)


def _fmt(n: float) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def check_memory(what: str, need: int, hint: str = "") -> None:
    """Raise ConfigError if ``need`` bytes exceed the budget.

    Parameters
    ----------
    what : str
        What asks for the memory, e.g. ``"evolve(population=10000000, episodes=8)"``.
    need : int
        The estimate in bytes.
    hint : str
        What to lower, e.g. ``"population or episodes"``.
    """
    budget = memory_budget()
    if need > budget:
        raise ConfigError(
            f"{what} must fit the memory budget of {_fmt(budget)} ({ENV}); it needs about "
            f"{_fmt(need)}" + (f": lower {hint}" if hint else "")
        )


def rollout_bytes(world, n: int, episodes: int, record_observations: bool = False) -> int:
    """Bytes of one rollout of ``n`` individuals x ``episodes`` episodes in ``world``:
    seeds, fitness, performance, steps, utility, signals, actions, events (and the observation
    counts when recorded)."""
    per_episode = 8 * (5 + 2 * len(world.drives) + len(world.actions) + len(world.events))
    if record_observations:
        per_episode += 4 * world.n_observations
    return int(n) * int(episodes) * per_episode


def genes_bytes(n: int, length: int) -> int:
    """Bytes of an (n, length) float64 gene array."""
    return 8 * int(n) * int(length)


def evolve_bytes(world, population: int, length: int, episodes: int, generations: int) -> int:
    """An upper bound on what one evolution allocates: four gene arrays (the population,
    the next generation, operator temporaries), one generation's rollout, and the logbook."""
    return (
        4 * genes_bytes(population, length)
        + rollout_bytes(world, population, episodes)
        + (int(generations) + 1) * LOGBOOK_RECORD_BYTES
    )


def drift_bytes(world, n: int, episodes: int, n_boot: int, reflex: bool) -> int:
    """An upper bound on :func:`evomesa.measure_drift`: train, deploy, reference and the two
    baseline rollouts, plus the bootstrap's (n_boot, n) resample counts."""
    return 5 * rollout_bytes(world, n, episodes, record_observations=reflex) + 16 * int(
        n_boot
    ) * int(n)


def check_evolve_memory(world, config, length: int) -> None:
    """ConfigError if one evolution of ``config`` (an EvolutionConfig) in ``world``, genomes
    of ``length`` genes, would exceed the budget."""
    check_memory(
        f"evolve(population={config.population}, episodes={config.episodes}, "
        f"generations={config.generations})",
        evolve_bytes(world, config.population, length, config.episodes, config.generations),
        "population, episodes or generations, or raise the budget",
    )
