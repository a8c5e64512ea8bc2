"""Options that ``run`` and ``sweep`` share, and the parsers of their values.

Both commands add the same evolution, shift, threshold and ``-q`` options through the
functions here (in the same order, so their help reads alike), so the two cannot drift apart;
``--set`` values, ``--train`` and ``--genome`` choices are read by the same functions.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Sequence

from evomesa.errors import ConfigError
from evomesa.evolve import EvolutionConfig
from evomesa.evolve.mixture import RegimeSpec, parse_regime_spec
from evomesa.genomes import GENOMES, genomes_of
from evomesa.worlds.base import World

DEFAULT = EvolutionConfig()  # the CLI's defaults are the library's

#: longest ``--set`` value read as a Python literal (deeper nesting is never a parameter)
_MAX_SET_VALUE = 200


def parse_set(items: Sequence[str], option: str = "--set") -> dict:
    """``["gestation=10", "brain_cost=0.01"]`` -> ``{"gestation": 10, "brain_cost": 0.01}``.

    Each parameter may be given once (a second value would silently hide the first from
    validation); values are Python literals of at most 200 characters, or text.
    """
    params = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key:
            raise ConfigError(f"{option} must be given as param=value; got {item!r}")
        if key in params:
            raise ConfigError(
                f"{option} must give each parameter once; got {key} twice "
                f"({params[key]!r} and {raw!r})"
            )
        if len(raw) > _MAX_SET_VALUE:
            raise ConfigError(
                f"{option} {key} must be a value of at most {_MAX_SET_VALUE} characters; got "
                f"{len(raw)} ({raw[:20]!r}...)"
            )
        try:
            params[key] = ast.literal_eval(raw)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            params[key] = raw  # left as text, so validation names it
    return params


def chosen_genomes(selected: Sequence[str], world: World | None = None) -> tuple[str, ...]:
    """The genomes ``--genome`` names: for ``all`` every genome ``world`` offers (every genome
    without a world), else de-duplicated, in order."""
    if "all" in selected:
        return GENOMES if world is None else genomes_of(world)
    return tuple(dict.fromkeys(selected))  # de-duplicated, order kept


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's default in its help (unless the help already says it, or there is none
    to show), and the epilog's lines kept as written."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        # identity, not ==: a default of 0 is worth showing, though 0 == False
        shown = not (
            default is None or default is False or default == [] or default is argparse.SUPPRESS
        )
        if shown and "default" not in text and action.option_strings:
            text += " (default: %(default)s)"
        return text


def add_evolution_options(p: argparse.ArgumentParser) -> None:
    """``--genome``, the sizes of an evolution, ``--seed`` and the island options."""
    p.add_argument(
        "--genome",
        nargs="+",
        default=["reflex", "reflex_net", "planner"],
        choices=[*GENOMES, "all"],
        help="architectures to evolve (all: every one the world offers; reflex_net only in a "
        "world that declares perceived features)",
    )
    p.add_argument("--population", type=int, default=DEFAULT.population, help="individuals")
    p.add_argument(
        "--generations",
        type=int,
        default=DEFAULT.generations,
        help="generations of selection (default: each architecture's budget, 300 for reflexes "
        "and 100 for planners; reflexes get more in a world that needs it: strawberry 900)",
    )
    p.add_argument(
        "--episodes",
        type=int,
        default=DEFAULT.episodes,
        help="episodes per individual per generation",
    )
    p.add_argument("--seed", type=int, default=DEFAULT.seed, help="the one seed of the run")
    add_island_options(p)


def add_island_options(p: argparse.ArgumentParser) -> None:
    """``--islands``, ``--migration-interval`` and ``--migrants`` (EvolutionConfig's)."""
    p.add_argument(
        "--islands",
        type=int,
        default=DEFAULT.islands,
        help="sub-populations evolving apart (the population is split between them)",
    )
    p.add_argument(
        "--migration-interval",
        type=int,
        default=DEFAULT.migration_interval,
        metavar="M",
        help="with islands: generations between migrations",
    )
    p.add_argument(
        "--migrants",
        type=int,
        default=DEFAULT.migrants,
        help="with islands: individuals each island sends to the next at a migration",
    )


def island_options(args: argparse.Namespace) -> dict[str, int]:
    """The island options of parsed ``args``, as EvolutionConfig's keyword arguments."""
    return {
        "islands": args.islands,
        "migration_interval": args.migration_interval,
        "migrants": args.migrants,
    }


def train_spec(args: argparse.Namespace, world) -> RegimeSpec | None:
    """``--train`` parsed (a regime or a mixture) with each regime checked against ``world``;
    None when not given (the world's default shift decides)."""
    train = None if args.train is None else parse_regime_spec(args.train, "--train")
    for name in [] if train is None else [train] if isinstance(train, str) else list(train):
        world.check_regime(name, "--train")
    return train


def evolution_config(args: argparse.Namespace, train: str | dict[str, float]) -> EvolutionConfig:
    """The :class:`EvolutionConfig` the evolution and island options of ``run`` and ``sweep``
    give, evolving in ``train`` (a checked regime or mixture)."""
    return EvolutionConfig(
        population=args.population,
        generations=args.generations,
        episodes=args.episodes,
        regime=train,
        seed=args.seed,
        **island_options(args),
    )


def add_shift_options(p: argparse.ArgumentParser) -> None:
    """Where the agents evolve and where they are deployed: regimes, world parameters,
    ``--drift-episodes`` and ``--no-reference``."""
    p.add_argument(
        "--train",
        default=None,
        metavar="SPEC",
        help="regime to evolve in, or a mixture such as ancestral=0.97,modern=0.03 "
        "(default: the world's default shift)",
    )
    p.add_argument(
        "--deploy",
        default=None,
        metavar="REGIME",
        help="regime to deploy into (default: the world's default shift)",
    )
    p.add_argument(
        "--drift-episodes",
        type=int,
        default=64,
        help="episodes per individual per regime when measuring drift",
    )
    p.add_argument(
        "--set",
        nargs="+",
        action="extend",
        default=[],
        metavar="PARAM=VALUE",
        help="world parameters, e.g. --set gestation=10 brain_cost=0.01",
    )
    p.add_argument(
        "--deploy-set",
        nargs="+",
        action="extend",
        default=[],
        metavar="PARAM=VALUE",
        help="deploy into another world of the same kind with these parameters changed, "
        "e.g. --deploy-set p_conceive=0",
    )
    p.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the deploy-adapted reference (halves the time; no regret, and a loss is "
        "not attributed: unattributed loss)",
    )


def add_threshold_options(p: argparse.ArgumentParser) -> None:
    """The verdict thresholds: ``--robust-threshold``, ``--competence-threshold``,
    ``--regret-threshold`` and ``--effect-threshold``."""
    for name, default, what in (
        ("robust", 0.7, "fitness retention at or above which a run is robust"),
        ("competence", 0.6, "signal retention at or above which a proxy is still pursued"),
        ("regret", 0.3, "regret at or below which a loss is unavoidable"),
        (
            "effect",
            0.2,
            "effect size (training gain over an unevolved population, on the scale of the "
            "reference's gain in deployment) below which nothing evolved: undefined",
        ),
    ):
        p.add_argument(f"--{name}-threshold", type=float, default=default, help=what)


def add_quiet_option(p: argparse.ArgumentParser) -> None:
    """``-q``/``--quiet``."""
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
