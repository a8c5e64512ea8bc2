"""The memory budget: sizes estimated before anything is allocated.

A configuration whose arrays would not fit is refused up front with a
:class:`~evomesa.errors.ConfigError` that names the size asked for and the budget, instead of
ending in a ``MemoryError`` (or the operating system killing the process) after minutes of
work. The estimates count the large arrays evomesa itself allocates for one run in one
process (genes, episode seeds, every rollout channel, the bootstrap, the logbook); they are
deliberately simple upper bounds, not a profiler.

The budget is ``4 GiB`` by default, or less where the machine has less: the default is the
smallest of 4 GiB, the physical memory and the process's address-space limit (``ulimit -v``,
``RLIMIT_AS``). Set the environment variable ``EVOMESA_MEMORY_BUDGET`` (bytes, or a number
with a unit such as ``512MiB``, ``16GiB``, ``2GB``) to raise or lower it; it is read at every
check, so pool workers started later see the same value. A budget set above the physical
memory or the address-space limit is refused (a :class:`ConfigError`, not a silent cap): it
could not be honoured, and the user who set it should know. Readers of saved files use the
same budget to refuse a file that would expand beyond it (a zip bomb), and allocate only what
a file's size needs (:mod:`evomesa.files.safe_read`).
"""

from __future__ import annotations

import os
import re

from evomesa.budget import environment
from evomesa.errors import ConfigError, printable

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


#: the longest value of EVOMESA_MEMORY_BUDGET read (a size is a few characters)
MAX_VALUE_CHARS = 64

_SIZE = re.compile(r"\s*([0-9]+)(?:\.([0-9]+))?\s*([a-zA-Z]*)\s*")
_ALLOWED = "a positive size such as 4294967296, 512MiB or 16GiB"


def physical_memory() -> int | None:
    """Bytes of physical memory (``SC_PHYS_PAGES * SC_PAGE_SIZE``), or None where unknown."""
    try:
        pages, page = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not on this platform
        return None
    return pages * page if pages > 0 and page > 0 else None


def address_space_limit() -> int | None:
    """The process's soft address-space limit in bytes (``ulimit -v``), or None if none."""
    try:
        import resource
    except ImportError:  # not on this platform
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft in (resource.RLIM_INFINITY, -1) or soft <= 0 else int(soft)


def _parse(raw: str) -> int:
    """Bytes of a size such as ``512MiB``: exact (no float, so no overflow), at least 1."""
    m = _SIZE.fullmatch(raw) if len(raw) <= MAX_VALUE_CHARS else None
    unit = _UNITS.get(m.group(3).lower()) if m else None
    if m is None or unit is None:
        raise ConfigError(
            f"{ENV} must be {_ALLOWED} (at most {MAX_VALUE_CHARS} characters); got "
            f"{printable(repr(raw), 80)}"
        )
    whole, frac = m.group(1), m.group(2) or ""
    value = (int(whole) * 10 ** len(frac) + int(frac or 0)) * unit // 10 ** len(frac)
    if value < 1:
        raise ConfigError(f"{ENV} must be {_ALLOWED} (at least 1 byte); got {raw.strip()!r}")
    return value


def memory_budget() -> int:
    """The budget in bytes: ``EVOMESA_MEMORY_BUDGET`` if set, else the default (4 GiB, or the
    physical memory or address-space limit where either is smaller).

    Raises
    ------
    ConfigError
        If the variable is set to something that is not a positive size (naming the variable,
        what it allows and the value, escaped for printing), or to a size above the physical
        memory or the address-space limit, which the process could never honour.
    """
    raw = os.environ.get(ENV)
    ceilings = [(n, what) for n, what in _ceilings() if n is not None]
    if raw is None or raw.strip() == "":
        return min([DEFAULT_BUDGET] + [n for n, _ in ceilings])
    value = _parse(raw)
    for ceiling, what in ceilings:
        if value > ceiling:
            raise ConfigError(
                f"{ENV} must be at most {what} ({ceiling} bytes, {_fmt(ceiling)}); got "
                f"{printable(repr(raw.strip()), 80)} ({_fmt(value)}): a budget the process "
                "cannot have is no protection"
            )
    return value


def _ceilings() -> list[tuple[int | None, str]]:
    return [
        (physical_memory(), "the physical memory"),
        (address_space_limit(), "the address-space limit (ulimit -v)"),
    ]


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
    environment.check()  # a bad environment variable is refused here, before any work
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
    config = config.resolved(world)  # the genome's own generations if left at None
    check_memory(
        f"evolve(population={config.population}, episodes={config.episodes}, "
        f"generations={config.generations})",
        evolve_bytes(world, config.population, length, config.episodes, config.generations),
        "population, episodes or generations, or raise the budget",
    )
