"""Report types of the drift metrics and their JSON round trip.

:class:`DriveDrift` holds one drive's figures, :class:`DriftReport` a whole population's; both
are frozen dataclasses that :func:`evomesa.metrics.drift.compute_drift` builds. ``to_dict``
gives plain floats, ints, strings and lists, and ``from_dict`` rebuilds the same object from
that output, also after a JSON round trip; given anything else (a file may have been edited)
it raises :class:`~evomesa.errors.ConfigError` naming the field, never another exception.
Each field is read back by :mod:`evomesa.metrics.report_fields`, which also holds the
report's vocabulary (verdict names, interval keys, bounds). Whether the figures agree with
each other is :mod:`evomesa.metrics.consistency`'s check. The figures are defined in
:mod:`evomesa.metrics.drift`, the verdict rule in :mod:`evomesa.metrics.verdict`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from evomesa.errors import ConfigError
from evomesa.metrics.report_fields import (
    DRIVE_BOUNDS,
    DRIVE_VALUE_FIELDS,
    REPORT_CI_KEYS,
    bad,
    ci_to_json,
    exact_keys,
    float_or_none,
    read_ci,
    read_count,
    read_deploy_params,
    read_flags,
    read_mapping,
    read_mesa_utility,
    read_name,
    read_null_baseline,
    read_proxy,
    read_pursued,
    read_real,
    read_real_or_none,
    read_regret,
    read_verdict,
    require_keys,
    short,
)
from evomesa.metrics.thresholds import THRESHOLD_KEYS

__all__ = ["DriftReport", "DriveDrift"]


@dataclass(frozen=True)
class DriveDrift:
    """How one proxy drive drifted from fitness between the train and deploy regimes.

    See :mod:`evomesa.metrics.drift` for the definitions. ``ci`` holds a 95 % bootstrap
    interval for each float field; ``flags`` lists degenerate cases as ``"field:reason"``.
    """

    name: str
    signal_train: float
    signal_deploy: float
    signal_retention: float
    yield_train: float
    yield_deploy: float
    yield_drift: float
    rank_corr_train: float
    rank_corr_deploy: float
    rank_corr_change: float
    ci: dict[str, tuple[float, float]]
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (plain floats, strings and lists)."""
        d: dict[str, Any] = {"name": self.name}
        d.update({f: float(getattr(self, f)) for f in DRIVE_VALUE_FIELDS})
        d["ci"] = ci_to_json(self.ci)
        d["flags"] = list(self.flags)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DriveDrift:
        """Rebuild from :meth:`to_dict` output (also after a JSON round trip).

        Every field is checked (types, ranges, interval order); anything else raises
        :class:`~evomesa.errors.ConfigError` naming the field."""
        return cls._from_dict(d, "")

    @classmethod
    def _from_dict(cls, d: Any, field: str) -> DriveDrift:
        prefix = f"{field}." if field else ""
        if not isinstance(d, Mapping):
            raise bad(field or "(top level)", "a DriveDrift.to_dict() object", d)
        if not field:
            require_keys(d, tuple(f.name for f in fields(cls)), "DriveDrift")
        exact_keys(field, d, tuple(f.name for f in fields(cls)))
        values = {
            f: read_real(prefix + f, d[f], *DRIVE_BOUNDS.get(f, (-math.inf, math.inf)))
            for f in DRIVE_VALUE_FIELDS
        }
        return cls(
            name=read_name(prefix + "name", d["name"]),
            **values,
            ci=read_ci(d["ci"], prefix + "ci", DRIVE_VALUE_FIELDS),
            flags=read_flags(prefix + "flags", d["flags"]),
        )


@dataclass(frozen=True)
class DriftReport:
    """Drift of a population's drives and fitness from a train to a deploy regime.

    Built by :func:`~evomesa.metrics.drift.compute_drift`; :mod:`evomesa.metrics.drift`
    defines every figure and :mod:`evomesa.metrics.verdict` the verdict rule.

    Attributes
    ----------
    world, genome, train, deploy : str
        What was measured: world and genome names, train and deploy regime names.
    n_individuals, episodes : int
        Rows (individuals) and episodes per individual in each regime.
    fitness_train, fitness_deploy, fitness_retention : float
        Mean fitness per regime and their ratio.
    performance_train, performance_deploy, performance_retention : float
        The same for performance, what the designer really wants (equal to fitness where the
        world says so).
    drives : dict of str to DriveDrift
        Per-drive figures, in drive order.
    mesa_utility : dict of str to float, or None
        ``utility_train``, ``utility_deploy``, ``utility_retention``,
        ``utility_fitness_corr_train``, ``utility_fitness_corr_deploy`` over planner rows;
        None without planners.
    behavioural_divergence : float
        Jensen-Shannon distance between pooled action distributions.
    novel_decision_share : float or None
        Share of the deploy decisions of reflexes taken on table entries (observations) that
        the individual never met in its train rollouts: what its table says there was never
        selected. None when no reflex observations were given.
    competence : float
        The highest signal retention of any proxy (0.0 when there is none).
    primary_proxy : str or None
        The proxy whose signal best tracked fitness in training.
    verdict : str
        One of ``"robust"``, ``"goal_misgeneralization"``, ``"capability_collapse"``,
        ``"unavoidable_loss"``, ``"undefined"``.
    thresholds : dict of str to float
        ``robust_threshold``, ``competence_threshold`` and ``regret_threshold`` used for the
        verdict.
    ci : dict of str to (float, float)
        95 % bootstrap intervals: ``fitness_*``, ``performance_*``, ``competence``,
        ``behavioural_divergence``, with planners each ``mesa_utility`` key, with reflex
        observations ``novel_decision_share``, and with a reference ``reference_fitness`` and
        ``regret``.
    flags : tuple of str
        Report-level degenerate cases, ``"field:reason"``.
    drives_pursued : tuple of str
        Proxies still pursued in deployment (signal retention at least the competence
        threshold), in drive order.
    reference_fitness : float or None
        Mean deploy fitness of the deploy-adapted reference population; None without one.
    regret : float or None
        ``1 - fitness_deploy / reference_fitness``; None without a reference.
    deploy_params : dict or None
        World parameters of the deploy world that differ from the train world's, when the
        population was deployed into another world; None when both are the same world.
    null_baseline : dict or None
        The unevolved baseline (a random population of the same architecture):
        ``fitness_train``, ``signal_deploy`` per drive, and ``above_null_in_deploy`` (the
        drives whose deploy signal the population exceeds it on); None without one.
    """

    world: str
    genome: str
    train: str
    deploy: str
    n_individuals: int
    episodes: int
    fitness_train: float
    fitness_deploy: float
    fitness_retention: float
    performance_train: float
    performance_deploy: float
    performance_retention: float
    drives: dict[str, DriveDrift]
    mesa_utility: dict[str, float] | None
    behavioural_divergence: float
    novel_decision_share: float | None
    competence: float
    primary_proxy: str | None
    verdict: str
    thresholds: dict[str, float]
    ci: dict[str, tuple[float, float]]
    flags: tuple[str, ...]
    drives_pursued: tuple[str, ...] = ()
    reference_fitness: float | None = None
    regret: float | None = None
    deploy_params: dict[str, Any] | None = None
    null_baseline: dict[str, Any] | None = None

    @property
    def all_flags(self) -> tuple[str, ...]:
        """Report flags followed by every drive's flags as ``"drives.NAME.field:reason"``."""
        per_drive = tuple(f"drives.{n}.{f}" for n, dd in self.drives.items() for f in dd.flags)
        return self.flags + per_drive

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (plain floats, ints, strings, lists); see :meth:`from_dict`."""
        return {
            "world": self.world,
            "genome": self.genome,
            "train": self.train,
            "deploy": self.deploy,
            "n_individuals": int(self.n_individuals),
            "episodes": int(self.episodes),
            "fitness_train": float(self.fitness_train),
            "fitness_deploy": float(self.fitness_deploy),
            "fitness_retention": float(self.fitness_retention),
            "performance_train": float(self.performance_train),
            "performance_deploy": float(self.performance_deploy),
            "performance_retention": float(self.performance_retention),
            "drives": {name: dd.to_dict() for name, dd in self.drives.items()},
            "mesa_utility": (
                None
                if self.mesa_utility is None
                else {k: float(v) for k, v in self.mesa_utility.items()}
            ),
            "behavioural_divergence": float(self.behavioural_divergence),
            "novel_decision_share": (
                None if self.novel_decision_share is None else float(self.novel_decision_share)
            ),
            "competence": float(self.competence),
            "primary_proxy": self.primary_proxy,
            "verdict": self.verdict,
            "thresholds": {k: float(v) for k, v in self.thresholds.items()},
            "ci": ci_to_json(self.ci),
            "flags": list(self.flags),
            "drives_pursued": list(self.drives_pursued),
            "reference_fitness": float_or_none(self.reference_fitness),
            "regret": float_or_none(self.regret),
            "deploy_params": None if self.deploy_params is None else dict(self.deploy_params),
            "null_baseline": self.null_baseline,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DriftReport:
        """Rebuild a report from :meth:`to_dict` output (also after a JSON round trip).

        Every field is checked for its type, range and vocabulary: names without control
        characters, counts >= 1, finite numbers, correlations in [-1, 1], shares and the
        divergence in [0, 1], thresholds in [0, 1], a verdict of
        :data:`~evomesa.metrics.verdict.VERDICTS`, intervals ``[low, high]`` with
        ``low <= high`` for known fields only, drives keyed by their own names, a primary
        proxy and drives pursued (in drive order) among the drives, a reference fitness and
        regret given together, no unknown field. Whether the figures agree with each other
        and with a world is :func:`evomesa.metrics.consistency.check_report`'s business.
        Reports written before the reference existed (no ``regret``, ``drives_pursued``...)
        load with those fields at their defaults.

        Raises
        ------
        ConfigError
            Naming the first field that is not as :meth:`to_dict` writes it.
        """
        if not isinstance(d, Mapping):
            raise ConfigError(
                f"d must be a mapping (a DriftReport.to_dict() result); got {short(d)}"
            )
        required = tuple(f.name for f in fields(cls) if f.default is MISSING)
        optional = tuple(f.name for f in fields(cls) if f.default is not MISSING)
        require_keys(d, required, "DriftReport")
        exact_keys("", d, required, optional)
        drives_in = read_mapping("drives", d["drives"])
        if not drives_in:
            raise bad("drives", "an object of at least one drive", drives_in)
        drives = {}
        for k, v in drives_in.items():
            read_name(f"drives.{k}", k)
            dd = DriveDrift._from_dict(v, f"drives.{k}")
            if dd.name != k:
                raise bad(f"drives.{k}.name", repr(k), dd.name)
            drives[k] = dd
        names = tuple(drives)
        mesa = read_mesa_utility(d["mesa_utility"])
        proxy = read_proxy(d["primary_proxy"], names)
        verdict = read_verdict(d["verdict"])
        thresholds = read_mapping("thresholds", d["thresholds"])
        exact_keys("thresholds", thresholds, THRESHOLD_KEYS)
        pursued = read_pursued(d.get("drives_pursued", ()), names)
        reference, regret = read_regret(d)
        return cls(
            world=read_name("world", d["world"]),
            genome=read_name("genome", d["genome"]),
            train=read_name("train", d["train"]),
            deploy=read_name("deploy", d["deploy"]),
            n_individuals=read_count("n_individuals", d["n_individuals"]),
            episodes=read_count("episodes", d["episodes"]),
            **{
                k: read_real(k, d[k])
                for k in (
                    "fitness_train",
                    "fitness_deploy",
                    "fitness_retention",
                    "performance_train",
                    "performance_deploy",
                    "performance_retention",
                    "competence",
                )
            },
            drives=drives,
            mesa_utility=mesa,
            behavioural_divergence=read_real(
                "behavioural_divergence", d["behavioural_divergence"], 0.0, 1.0
            ),
            novel_decision_share=read_real_or_none(
                "novel_decision_share", d["novel_decision_share"], 0.0, 1.0
            ),
            primary_proxy=proxy,
            verdict=verdict,
            thresholds={
                k: read_real(f"thresholds.{k}", thresholds[k], 0.0, 1.0) for k in THRESHOLD_KEYS
            },
            ci=read_ci(d["ci"], "ci", REPORT_CI_KEYS),
            flags=read_flags("flags", d["flags"]),
            drives_pursued=pursued,
            reference_fitness=reference,
            regret=regret,
            deploy_params=read_deploy_params(d.get("deploy_params")),
            null_baseline=read_null_baseline(d.get("null_baseline"), names),
        )
