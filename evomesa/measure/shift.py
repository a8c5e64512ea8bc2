"""The shift a population is measured across: from a training regime (or mixture) of one world
into a deploy regime of the same world or of another world of the same kind.

:func:`make_shift` checks the worlds and the regimes once, at a public entry point
(:func:`evomesa.measure_drift`, :func:`evomesa.run_experiment`); the frozen :class:`Shift` it
returns is handed down to everything that plays or measures, which takes it as checked.
Whether a genome's genes can cross the shift (same length in both worlds, horizons that fit) is
:meth:`Shift.deployed`'s check, since it depends on the genome.
"""

from __future__ import annotations

from dataclasses import dataclass

from evomesa.errors import ConfigError
from evomesa.evolve.mixture import RegimeSpec, main_regime
from evomesa.genomes import Genome, make_genome
from evomesa.worlds.base import World, require_world

__all__ = [
    "Shift",
    "changed_params",
    "check_deployable",
    "deployed_genome",
    "make_shift",
    "same_kind_world",
]


@dataclass(frozen=True)
class Shift:
    """A change of regime, and possibly of world, that a population is measured across.

    Made by :func:`make_shift`, which checks it; the constructor itself checks nothing (what
    rebuilds a shift from a checked task, or warms up on a world's own default shift, uses it).

    Attributes
    ----------
    world : World
        The training world: genes decode against it, in both regimes.
    deploy_world : World
        The world deployed into: ``world`` itself, or another world of the same kind.
    train : str or dict of str to float
        The regime trained in, or a mixture of regimes; drift is measured from
        :attr:`train_regime`.
    deploy : str
        A regime of ``deploy_world``.
    """

    world: World
    deploy_world: World
    train: RegimeSpec
    deploy: str

    @property
    def train_regime(self) -> str:
        """The regime drift is measured from: ``train``, or a mixture's most probable one."""
        return main_regime(self.train)

    @property
    def deploy_params(self) -> dict | None:
        """Parameters of the deploy world that differ from the training world's; None when
        both are the same world."""
        return changed_params(self.world, self.deploy_world)

    @property
    def reference_world(self) -> World:
        """Where the deploy-adapted reference evolves and plays: the deploy world as a lineage
        adapted to the deploy regime meets it (:meth:`World.adapted_to`)."""
        return self.deploy_world.adapted_to(self.deploy)

    def deployed(self, genome: Genome) -> Genome:
        """``genome`` (built for :attr:`world`) as built for :attr:`deploy_world`, after
        checking that its genes can play there (see :func:`deployed_genome`)."""
        return deployed_genome(genome, self.world, self.deploy_world)


def make_shift(
    world: World,
    train: str | None = None,
    deploy: str | None = None,
    deploy_world: World | None = None,
    *,
    trained: RegimeSpec | None = None,
) -> Shift:
    """A checked :class:`Shift`.

    Parameters
    ----------
    world : World
        The training world (checked by the caller, first of all its arguments).
    train : str, optional
        A regime of ``world`` to measure from; default: ``trained``, else the world's
        ``default_shift[0]``.
    deploy : str, optional
        A regime of the deploy world; default: its ``default_shift[1]``.
    deploy_world : World, optional
        Another world of the same kind (other parameters) to deploy into; default ``world``.
    trained : str or dict, optional
        The regime or mixture a population evolved in, as its (already checked) configuration
        holds it.

    Raises
    ------
    ConfigError
        Naming ``deploy_world``, ``train`` or ``deploy``, in that order.
    """
    target = same_kind_world(world, deploy_world)
    if train is None:
        # a result is measured from the regime it (mostly) trained in
        train = world.default_shift[0] if trained is None else trained
    else:
        train = world.check_regime(train, "train")
    deploy = target.default_shift[1] if deploy is None else target.check_regime(deploy, "deploy")
    return Shift(world, target, train, deploy)


def same_kind_world(world: World, deploy_world: World | None) -> World:
    """``deploy_world`` checked to be the same kind of world as ``world`` (or ``world``)."""
    if deploy_world is None:
        return world
    require_world(deploy_world, "deploy_world")
    if deploy_world.name != world.name:
        raise ConfigError(
            f"deploy_world must be a {world.name!r} world (the same kind, other parameters); "
            f"got a {deploy_world.name!r} world"
        )
    return deploy_world


def deployed_genome(genome: Genome, world: World, target: World) -> Genome:
    """``genome`` (built for ``world``) as built for ``target``, or ConfigError unless genes
    evolved in ``world`` can play in ``target`` (checked before any evolution, so that nothing
    is computed in vain). ``genome`` itself when ``target`` is ``world``."""
    if target is world:
        return genome
    there = make_genome(genome.kind, target)
    if there.length != genome.length:
        raise ConfigError(
            f"deploy_world must take the same {genome.kind} genes as the training world; its "
            "parameters change the genome's length"
        )
    if genome.kind not in ("reflex", "reflex_net") and target.max_horizon < world.max_horizon:
        raise ConfigError(
            f"deploy_world max_horizon must be at least the training world's "
            f"({world.max_horizon}), or evolved horizons may not fit; got {target.max_horizon}"
        )
    return there


def check_deployable(world: World, target: World, genome: str) -> None:
    """Raise ConfigError unless genes of the architecture ``genome`` evolved in ``world`` can
    play in ``target`` (see :func:`deployed_genome`)."""
    if target is not world:
        deployed_genome(make_genome(genome, world), world, target)


def changed_params(world: World, deploy_world: World) -> dict | None:
    """Parameters of ``deploy_world`` that differ from ``world``'s; None if it is ``world``."""
    if deploy_world is world:
        return None
    return {k: v for k, v in deploy_world.params.items() if world.params.get(k) != v}
