"""EvolutionConfig: every knob of a run, validated up front."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from evomesa.errors import ConfigError, check_bool, check_choice, check_float, check_int, shown
from evomesa.evolve.defaults import (
    OPERATOR_FIELDS,
    RULES,
    default_generations,
    default_operators,
    saved_config,
)
from evomesa.evolve.mixture import check_regime_spec, regime_label
from evomesa.genomes import GENOMES, make_genome
from evomesa.seeding import child_seed
from evomesa.worlds.base import BACKENDS


@dataclass(frozen=True)
class EvolutionConfig:
    """Settings of one evolutionary run.

    Parameters
    ----------
    genome : {"reflex", "reflex_net", "planner", "hybrid"}
        Genome architecture.
    population : int
        Individuals per generation.
    generations : int or None
        Generations of selection after the initial one (0 only evaluates a random population);
        None (default): the genome architecture's budget (300 for reflexes, 100 for planners,
        which plateau within 25 in every world; :data:`evomesa.evolve.defaults.OPERATOR_DEFAULTS`),
        or for reflexes the world's own where it declares more (``World.reflex_generations``:
        strawberry 900).
    episodes : int
        Episodes per individual per generation; fitness is their mean.
    regime : str, dict of str to float, or None
        The world regime evolution runs in (checked against the world by :func:`evolve`), or
        a mixture of regimes with their probabilities, e.g. ``{"ancestral": 0.97, "modern":
        0.03}``, drawn per episode column each generation (:mod:`evomesa.evolve.mixture`).
        None (default) means the world's training regime, ``world.default_shift[0]``; the
        result's config records the regime or mixture actually used.
    seed : int
        The one seed every random draw of the run derives from.
    elite : int or None
        Best individuals copied unchanged into the next generation (and re-evaluated);
        None (default) keeps ``min(2, population - 1)``.
    tournament_size : int or None
        Tournament size of the default selection (contestants are drawn with replacement,
        as in DEAP, so it may exceed the population); None (default): the genome
        architecture's default.
    crossover_rate : float
        Chance a pair of parents is recombined (uniform crossover).
    mutation_rate : float or None
        Per-gene chance of mutation; None (default): the genome architecture's default,
        ``mutations / genome length`` with its own expected number of mutated genes per
        child (:data:`evomesa.evolve.defaults.OPERATOR_DEFAULTS`). A value given is kept
        exactly.
    mutation_sigma : float or None
        Standard deviation of the Gaussian step on continuous genes (genes live in [0, 1]);
        None (default): the genome architecture's default.
    operator_defaults : {"genome", "classic"}
        What a None ``tournament_size``, ``mutation_rate`` or ``mutation_sigma`` becomes:
        ``"genome"`` (default) the architecture's own defaults; ``"classic"`` the rule before
        them, tournaments of 3, ``1 / genome length`` and 0.1 for every architecture
        (configs saved before this field existed read as "classic", so they rerun as they
        were made). :func:`evomesa.evolve` records the values it used in the result's
        config (:meth:`resolved`).
    hall_of_fame : int
        Size of the DEAP HallOfFame kept across generations.
    common_seeds : bool
        Every individual meets the same fresh episode seeds each generation (common random
        numbers), so selection compares genomes, not luck; no fitness is carried over.
    backend : {"numba", "python"}
        Kernel or plain-Python reference (slow; for debugging).
    islands : int
        Sub-populations evolving apart (the island model, :mod:`evomesa.evolve.islands`);
        ``population`` is split equally between them, so it must be a multiple of
        ``islands``. 1 (default): one panmictic population.
    migration_interval : int
        With islands: generations between migrations, when each island sends its best
        ``migrants`` to the next island of the ring, replacing that island's worst (DEAP's
        ``tools.migRing``).
    migrants : int
        With islands: individuals each island sends at a migration.
    """

    genome: str = "planner"
    population: int = 200
    generations: int | None = None
    episodes: int = 8
    regime: str | dict[str, float] | None = None
    seed: int = 0
    elite: int | None = None
    tournament_size: int | None = None
    crossover_rate: float = 0.7
    mutation_rate: float | None = None
    mutation_sigma: float | None = None
    hall_of_fame: int = 10
    common_seeds: bool = True
    backend: str = "numba"
    islands: int = 1
    migration_interval: int = 10
    migrants: int = 1
    operator_defaults: str = "genome"

    def __post_init__(self) -> None:
        # Each field is replaced by its checked value: plain Python ints, floats and strs, so
        # that a numpy scalar (np.int8(1) islands) cannot overflow in the arithmetic below or
        # later, and a str subclass cannot compare oddly. Frozen: set through object.__setattr__.
        def keep(name: str, value) -> None:
            object.__setattr__(self, name, value)

        keep("genome", check_choice("genome", self.genome, GENOMES))
        keep("population", check_int("population", self.population, 2, 10_000_000))
        if self.generations is not None:
            keep("generations", check_int("generations", self.generations, 0, 1_000_000))
        keep("episodes", check_int("episodes", self.episodes, 1, 100_000))
        # a plain dict copy, so that later edits to the caller's mapping cannot change a config
        keep("regime", check_regime_spec(self.regime))
        keep("seed", check_int("seed", self.seed, 0, 2**63 - 1))
        keep("islands", check_int("islands", self.islands, 1, self.population // 2))
        if self.population % self.islands:
            raise ConfigError(
                f"population must be a multiple of islands={self.islands}; got {self.population}"
            )
        keep(
            "migration_interval",
            check_int("migration_interval", self.migration_interval, 1, 1_000_000),
        )
        keep("migrants", check_int("migrants", self.migrants, 1, max(1, self.island_size - 1)))
        if self.elite is not None:
            keep("elite", check_int("elite", self.elite, 0, self.island_size - 1))
        if self.tournament_size is not None:
            keep("tournament_size", check_int("tournament_size", self.tournament_size, 1, 10_000))
        keep("crossover_rate", check_float("crossover_rate", self.crossover_rate, 0.0, 1.0))
        if self.mutation_rate is not None:
            keep("mutation_rate", check_float("mutation_rate", self.mutation_rate, 0.0, 1.0))
        if self.mutation_sigma is not None:
            keep("mutation_sigma", check_float("mutation_sigma", self.mutation_sigma, 0.0, 1.0))
        keep("operator_defaults", check_choice("operator_defaults", self.operator_defaults, RULES))
        keep("hall_of_fame", check_int("hall_of_fame", self.hall_of_fame, 1, 10_000))
        keep("common_seeds", check_bool("common_seeds", self.common_seeds))
        keep("backend", check_choice("backend", self.backend, BACKENDS))

    @property
    def island_size(self) -> int:
        """Individuals per island (the population itself without islands)."""
        return self.population // self.islands

    @property
    def n_elite(self) -> int:
        """The number of elites actually kept (``elite`` with its default resolved), per
        island with islands."""
        return self.elite if self.elite is not None else min(2, self.island_size - 1)

    def for_island(self, island: int) -> EvolutionConfig:
        """The single-population config island ``island`` evolves with: its own seed (spawned
        from this config's) and its share of the population."""
        return replace(
            self,
            population=self.island_size,
            islands=1,
            seed=child_seed(self.seed, "island", island),
        )

    def for_world(self, world) -> EvolutionConfig:
        """This config with its regime checked against ``world`` and a None regime resolved
        to the world's training regime."""
        if self.regime is None:
            return replace(self, regime=world.default_shift[0])
        names = [self.regime] if isinstance(self.regime, str) else list(self.regime)
        for name in names:
            world.check_regime(name, "config.regime")
        return self

    def resolved(self, world) -> EvolutionConfig:
        """:meth:`for_world`, with each setting left at None (``generations``,
        ``tournament_size``, ``mutation_rate``, ``mutation_sigma``) set to the default of this
        genome in ``world`` under ``operator_defaults`` (:mod:`evomesa.evolve.defaults`): the
        config a run actually evolves with, and the one its result records. Values given are
        kept exactly."""
        config = self.for_world(world)
        if all(getattr(config, k) is not None for k in OPERATOR_FIELDS):
            return config
        length = make_genome(config.genome, world).length
        found = default_operators(config.genome, length, config.operator_defaults)
        found["generations"] = default_generations(config.genome, config.operator_defaults, world)
        given = {k: getattr(config, k) for k in found if getattr(config, k) is not None}
        return replace(config, **{**found, **given})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def regime_label(self) -> str:
        """The regime, or the mixture as ``ancestral=0.97,modern=0.03``."""
        return regime_label(self.regime)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvolutionConfig:
        if not isinstance(data, dict):
            raise ConfigError(f"data must be a dict of config keys; got {type(data).__name__}")
        unknown = [k for k in data if not (isinstance(k, str) and k in cls.__dataclass_fields__)]
        if unknown:
            raise ConfigError(
                f"config key must be one of {', '.join(cls.__dataclass_fields__)}; "
                f"got {shown(unknown[0])}"
            )
        return cls(**data)

    @classmethod
    def from_saved(cls, data: dict[str, Any]) -> EvolutionConfig:
        """:meth:`from_dict` of a config a run saved: one written before
        ``operator_defaults`` existed reads as ``"classic"`` (the rule it was made with)."""
        return cls.from_dict(saved_config(data))

    def matches_saved(self, data: Any) -> bool:
        """Whether this config is the saved ``data`` (as :meth:`from_saved` reads it): equal
        in every field, a None mutation setting of a config saved before
        ``operator_defaults`` standing for this config's classic value."""
        want = saved_config(data)
        if not isinstance(want, dict):
            return False
        have = self.to_dict()
        if want is not data:  # an older config: its None settings meant the classic rule
            want = {**want}
            for key in OPERATOR_FIELDS:
                if want.get(key) is None and key in want:
                    want[key] = have[key]
        return have == want
