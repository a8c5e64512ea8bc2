"""Report types of the drift metrics and their JSON round trip.

:class:`DriveDrift` holds one drive's figures, :class:`DriftReport` a whole population's; both
are frozen dataclasses that :func:`evomesa.metrics.drift.compute_drift` builds. ``to_dict``
gives plain floats, ints, strings and lists, and ``from_dict`` rebuilds the same object from
that output, also after a JSON round trip. The figures are defined in
:mod:`evomesa.metrics.drift`, the verdict rule in :mod:`evomesa.metrics.verdict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from evomesa.errors import ConfigError

__all__ = ["CI_LEVEL", "DRIVE_VALUE_FIELDS", "UTILITY_KEYS", "DriftReport", "DriveDrift"]

CI_LEVEL = 0.95
"""Coverage of every bootstrap interval in a report."""

DRIVE_VALUE_FIELDS = (
    "signal_train",
    "signal_deploy",
    "signal_retention",
    "yield_train",
    "yield_deploy",
    "yield_drift",
    "rank_corr_train",
    "rank_corr_deploy",
    "rank_corr_change",
)
"""The float fields of :class:`DriveDrift`, each with an interval in ``DriveDrift.ci``."""

UTILITY_KEYS = (
    "utility_train",
    "utility_deploy",
    "utility_retention",
    "utility_fitness_corr_train",
    "utility_fitness_corr_deploy",
)
"""The keys of ``DriftReport.mesa_utility``, each with an interval in ``DriftReport.ci``."""


def _ci_to_json(ci: Mapping[str, tuple[float, float]]) -> dict[str, list[float]]:
    """Intervals as ``{field: [lo, hi]}`` with plain floats."""
    return {k: [float(lo), float(hi)] for k, (lo, hi) in ci.items()}


def _ci_from_json(ci: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Inverse of :func:`_ci_to_json`: ``{field: (lo, hi)}``."""
    return {str(k): (float(v[0]), float(v[1])) for k, v in ci.items()}


def _require_keys(d: Any, keys: tuple[str, ...], what: str) -> None:
    """Raise :class:`~evomesa.errors.ConfigError` unless ``d`` is a mapping with ``keys``."""
    if not isinstance(d, Mapping):
        raise ConfigError(f"d must be a mapping (a {what}.to_dict() result); got {d!r}")
    missing = [k for k in keys if k not in d]
    if missing:
        raise ConfigError(f"d must contain the {what} keys {list(keys)}; missing {missing}")


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
        d["ci"] = _ci_to_json(self.ci)
        d["flags"] = list(self.flags)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DriveDrift:
        """Rebuild from :meth:`to_dict` output (also after a JSON round trip)."""
        _require_keys(d, tuple(f.name for f in fields(cls)), "DriveDrift")
        return cls(
            name=str(d["name"]),
            **{f: float(d[f]) for f in DRIVE_VALUE_FIELDS},
            ci=_ci_from_json(d["ci"]),
            flags=tuple(str(f) for f in d["flags"]),
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
            "ci": _ci_to_json(self.ci),
            "flags": list(self.flags),
            "drives_pursued": list(self.drives_pursued),
            "reference_fitness": _float_or_none(self.reference_fitness),
            "regret": _float_or_none(self.regret),
            "deploy_params": None if self.deploy_params is None else dict(self.deploy_params),
            "null_baseline": self.null_baseline,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DriftReport:
        """Rebuild a report from :meth:`to_dict` output (also after a JSON round trip).

        Reports written before the reference existed (no ``regret``, ``drives_pursued``...)
        load with those fields at their defaults."""
        required = tuple(f.name for f in fields(cls) if f.default is MISSING)
        _require_keys(d, required, "DriftReport")
        mesa = d["mesa_utility"]
        proxy = d["primary_proxy"]
        return cls(
            world=str(d["world"]),
            genome=str(d["genome"]),
            train=str(d["train"]),
            deploy=str(d["deploy"]),
            n_individuals=int(d["n_individuals"]),
            episodes=int(d["episodes"]),
            fitness_train=float(d["fitness_train"]),
            fitness_deploy=float(d["fitness_deploy"]),
            fitness_retention=float(d["fitness_retention"]),
            performance_train=float(d["performance_train"]),
            performance_deploy=float(d["performance_deploy"]),
            performance_retention=float(d["performance_retention"]),
            drives={str(k): DriveDrift.from_dict(v) for k, v in d["drives"].items()},
            mesa_utility=None if mesa is None else {str(k): float(v) for k, v in mesa.items()},
            behavioural_divergence=float(d["behavioural_divergence"]),
            novel_decision_share=(
                None if d["novel_decision_share"] is None else float(d["novel_decision_share"])
            ),
            competence=float(d["competence"]),
            primary_proxy=None if proxy is None else str(proxy),
            verdict=str(d["verdict"]),
            thresholds={str(k): float(v) for k, v in d["thresholds"].items()},
            ci=_ci_from_json(d["ci"]),
            flags=tuple(str(f) for f in d["flags"]),
            drives_pursued=tuple(str(x) for x in d.get("drives_pursued", ())),
            reference_fitness=_float_or_none(d.get("reference_fitness")),
            regret=_float_or_none(d.get("regret")),
            deploy_params=None if d.get("deploy_params") is None else dict(d["deploy_params"]),
            null_baseline=d.get("null_baseline"),
        )


def _float_or_none(x) -> float | None:
    return None if x is None else float(x)
