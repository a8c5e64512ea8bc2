"""Report types of the drift metrics and their JSON round trip.

:class:`DriveDrift` holds one drive's figures, :class:`DriftReport` a whole population's; both
are frozen dataclasses that :func:`evomesa.metrics.drift.compute_drift` builds. ``to_dict``
gives plain floats, ints, strings and lists, and ``from_dict`` rebuilds the same object from
that output, also after a JSON round trip; given anything else (a file may have been edited)
it raises :class:`~evomesa.errors.ConfigError` naming the field, never another exception.
Whether the figures agree with each other is :mod:`evomesa.metrics.consistency`'s check. The
figures are defined in :mod:`evomesa.metrics.drift`, the verdict rule in
:mod:`evomesa.metrics.verdict`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

import numpy as np

from evomesa.errors import ConfigError

__all__ = [
    "CI_LEVEL",
    "DRIVE_VALUE_FIELDS",
    "UTILITY_KEYS",
    "VERDICTS",
    "DriftReport",
    "DriveDrift",
]

CI_LEVEL = 0.95
"""Coverage of every bootstrap interval in a report."""

#: the verdicts a report can carry (the rule that picks one is :func:`evomesa.metrics.verdict`;
#: the names live here, beside the report that holds them, so the reader can check them)
VERDICTS = (
    "robust",
    "goal_misgeneralization",
    "capability_collapse",
    "unavoidable_loss",
    "undefined",
)

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


def _short(x: Any) -> str:
    """``repr(x)`` cut to 80 characters (a hostile value may be megabytes long)."""
    try:
        text = repr(x)
    except (ValueError, RecursionError):  # an int too long for text, a self-nesting list
        text = f"<{type(x).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def _bad(field: str, allowed: str, got: Any) -> ConfigError:
    return ConfigError(f"d field {field!r} must be {allowed}; got {_short(got)}")


def _real(field: str, x: Any, low: float = -math.inf, high: float = math.inf) -> float:
    """``x`` as a float if it is a finite real number (not a bool) in ``[low, high]``."""
    allowed = "a finite number" + (
        "" if (low, high) == (-math.inf, math.inf) else f" in [{low:g}, {high:g}]"
    )
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        raise _bad(field, allowed, x)
    try:
        v = float(x)
    except OverflowError:  # an int beyond float range
        raise _bad(field, allowed, x) from None
    if not math.isfinite(v) or not low <= v <= high:
        raise _bad(field, allowed, x)
    return v


def _real_or_none(field: str, x: Any, low: float = -math.inf, high: float = math.inf):
    return None if x is None else _real(field, x, low, high)


def _count(field: str, x: Any) -> int:
    if isinstance(x, bool) or not isinstance(x, int | np.integer) or not 1 <= x <= 2**62:
        raise _bad(field, "an integer >= 1", x)
    return int(x)


def _name(field: str, x: Any) -> str:
    """A non-empty name of at most 200 characters, without control characters."""
    if (
        not isinstance(x, str)
        or not 1 <= len(x) <= 200
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in x)
    ):
        raise _bad(field, "a non-empty name of at most 200 printable characters", x)
    return x


def _mapping(field: str, x: Any, what: str = "an object") -> Mapping[str, Any]:
    if not isinstance(x, Mapping) or not all(isinstance(k, str) for k in x):
        raise _bad(field, f"{what} with text keys", x)
    return x


def _list(field: str, x: Any) -> list | tuple:
    if not isinstance(x, list | tuple):
        raise _bad(field, "a list", x)
    return x


def _exact_keys(field: str, d: Mapping[str, Any], required, optional=()) -> None:
    """``d`` holds every key of ``required`` and otherwise only keys of ``optional``."""
    missing = [k for k in required if k not in d]
    if missing:
        where = f"{field}.{missing[0]}" if field else missing[0]
        raise _bad(where, "present", "missing")
    allowed = {*required, *optional}
    extra = [k for k in d if k not in allowed]
    if extra:
        where = f"{field}.{extra[0]}" if field else extra[0]
        raise _bad(where, f"absent (the fields are {sorted(allowed)})", d[extra[0]])


def _ci_from_json(
    ci: Any, field: str = "ci", keys: tuple[str, ...] | None = None
) -> dict[str, tuple[float, float]]:
    """Inverse of :func:`_ci_to_json`: ``{field: (lo, hi)}``, each a finite ``lo <= hi``
    (a percentile interval is ordered by construction), keys among ``keys`` when given."""
    ci = _mapping(field, ci)
    out: dict[str, tuple[float, float]] = {}
    for k, v in ci.items():
        where = f"{field}.{k}"
        if keys is not None and k not in keys:
            raise _bad(where, f"absent (intervals are of {', '.join(keys)})", v)
        if not isinstance(v, list | tuple) or len(v) != 2:
            raise _bad(where, "an interval [low, high]", v)
        lo, hi = _real(where, v[0]), _real(where, v[1])
        if lo > hi:
            raise _bad(where, "an interval [low, high] with low <= high", v)
        out[k] = (lo, hi)
    return out


def _flags(field: str, x: Any) -> tuple[str, ...]:
    """Flags ``"field:reason"``: names without control characters, each with a colon."""
    flags = _list(field, x)
    for k, f in enumerate(flags):
        _name(f"{field}[{k}]", f)
        if ":" not in f:
            raise _bad(f"{field}[{k}]", "a flag 'field:reason'", f)
    return tuple(flags)


def _require_keys(d: Any, keys: tuple[str, ...], what: str) -> None:
    """Raise :class:`~evomesa.errors.ConfigError` unless ``d`` is a mapping with ``keys``."""
    if not isinstance(d, Mapping):
        raise ConfigError(f"d must be a mapping (a {what}.to_dict() result); got {_short(d)}")
    missing = [k for k in keys if k not in d]
    if missing:
        raise ConfigError(f"d must contain the {what} keys {list(keys)}; missing {missing}")


#: bounds of the DriveDrift fields that have them (rank correlations and their change)
_DRIVE_BOUNDS = {
    "rank_corr_train": (-1.0, 1.0),
    "rank_corr_deploy": (-1.0, 1.0),
    "rank_corr_change": (-2.0, 2.0),
}
#: report-level intervals (``DriftReport.ci``) and the figures bounded by construction
_REPORT_CI_KEYS = (
    "fitness_train",
    "fitness_deploy",
    "fitness_retention",
    "performance_train",
    "performance_deploy",
    "performance_retention",
    "competence",
    "behavioural_divergence",
    *UTILITY_KEYS,
    "novel_decision_share",
    "reference_fitness",
    "regret",
)
_UTILITY_BOUNDS = {
    "utility_fitness_corr_train": (-1.0, 1.0),
    "utility_fitness_corr_deploy": (-1.0, 1.0),
}
_THRESHOLD_KEYS = ("robust_threshold", "competence_threshold", "regret_threshold")


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
        """Rebuild from :meth:`to_dict` output (also after a JSON round trip).

        Every field is checked (types, ranges, interval order); anything else raises
        :class:`~evomesa.errors.ConfigError` naming the field."""
        return cls._from_dict(d, "")

    @classmethod
    def _from_dict(cls, d: Any, field: str) -> DriveDrift:
        prefix = f"{field}." if field else ""
        if not isinstance(d, Mapping):
            raise _bad(field or "(top level)", "a DriveDrift.to_dict() object", d)
        if not field:
            _require_keys(d, tuple(f.name for f in fields(cls)), "DriveDrift")
        _exact_keys(field, d, tuple(f.name for f in fields(cls)))
        values = {
            f: _real(prefix + f, d[f], *_DRIVE_BOUNDS.get(f, (-math.inf, math.inf)))
            for f in DRIVE_VALUE_FIELDS
        }
        return cls(
            name=_name(prefix + "name", d["name"]),
            **values,
            ci=_ci_from_json(d["ci"], prefix + "ci", DRIVE_VALUE_FIELDS),
            flags=_flags(prefix + "flags", d["flags"]),
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
                f"d must be a mapping (a DriftReport.to_dict() result); got {_short(d)}"
            )
        required = tuple(f.name for f in fields(cls) if f.default is MISSING)
        optional = tuple(f.name for f in fields(cls) if f.default is not MISSING)
        _require_keys(d, required, "DriftReport")
        _exact_keys("", d, required, optional)
        drives_in = _mapping("drives", d["drives"])
        if not drives_in:
            raise _bad("drives", "an object of at least one drive", drives_in)
        drives = {}
        for k, v in drives_in.items():
            _name(f"drives.{k}", k)
            dd = DriveDrift._from_dict(v, f"drives.{k}")
            if dd.name != k:
                raise _bad(f"drives.{k}.name", repr(k), dd.name)
            drives[k] = dd
        names = tuple(drives)
        mesa = d["mesa_utility"]
        if mesa is not None:
            mesa = _mapping("mesa_utility", mesa)
            _exact_keys("mesa_utility", mesa, UTILITY_KEYS)
            mesa = {
                k: _real(
                    f"mesa_utility.{k}", mesa[k], *_UTILITY_BOUNDS.get(k, (-math.inf, math.inf))
                )
                for k in UTILITY_KEYS
            }
        proxy = d["primary_proxy"]
        if proxy is not None and (not isinstance(proxy, str) or proxy not in names):
            raise _bad("primary_proxy", f"null or one of the drives {list(names)}", proxy)
        verdict = d["verdict"]
        if not isinstance(verdict, str) or verdict not in VERDICTS:
            raise _bad("verdict", f"one of {list(VERDICTS)}", verdict)
        thresholds = _mapping("thresholds", d["thresholds"])
        _exact_keys("thresholds", thresholds, _THRESHOLD_KEYS)
        pursued = tuple(_list("drives_pursued", d.get("drives_pursued", ())))
        if any(not isinstance(x, str) or x not in names for x in pursued) or list(pursued) != [
            n for n in names if n in pursued
        ]:
            raise _bad("drives_pursued", f"drives of {list(names)}, each once, in order", pursued)
        reference = _real_or_none("reference_fitness", d.get("reference_fitness"))
        regret = _real_or_none("regret", d.get("regret"))
        if (reference is None) != (regret is None):
            raise _bad("regret", "given exactly when reference_fitness is", regret)
        return cls(
            world=_name("world", d["world"]),
            genome=_name("genome", d["genome"]),
            train=_name("train", d["train"]),
            deploy=_name("deploy", d["deploy"]),
            n_individuals=_count("n_individuals", d["n_individuals"]),
            episodes=_count("episodes", d["episodes"]),
            **{
                k: _real(k, d[k])
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
            behavioural_divergence=_real(
                "behavioural_divergence", d["behavioural_divergence"], 0.0, 1.0
            ),
            novel_decision_share=_real_or_none(
                "novel_decision_share", d["novel_decision_share"], 0.0, 1.0
            ),
            primary_proxy=proxy,
            verdict=verdict,
            thresholds={
                k: _real(f"thresholds.{k}", thresholds[k], 0.0, 1.0) for k in _THRESHOLD_KEYS
            },
            ci=_ci_from_json(d["ci"], "ci", _REPORT_CI_KEYS),
            flags=_flags("flags", d["flags"]),
            drives_pursued=pursued,
            reference_fitness=reference,
            regret=regret,
            deploy_params=_deploy_params(d.get("deploy_params")),
            null_baseline=_null_baseline(d.get("null_baseline"), names),
        )


def _deploy_params(x: Any) -> dict[str, Any] | None:
    """None, or parameter names mapped to plain values (numbers, text, true/false)."""
    if x is None:
        return None
    x = _mapping("deploy_params", x)
    for k, v in x.items():
        _name(f"deploy_params.{k}", k)
        if isinstance(v, str):
            _name(f"deploy_params.{k}", v)
        elif not isinstance(v, bool):
            _real(f"deploy_params.{k}", v)
    return dict(x)


def _null_baseline(x: Any, drives: tuple[str, ...]) -> dict[str, Any] | None:
    """None, or ``{fitness_train, signal_deploy: {drive: value}, above_null_in_deploy}``."""
    if x is None:
        return None
    x = _mapping("null_baseline", x)
    _exact_keys("null_baseline", x, ("fitness_train", "signal_deploy", "above_null_in_deploy"))
    signal = _mapping("null_baseline.signal_deploy", x["signal_deploy"])
    if list(signal) != list(drives):
        raise _bad(
            "null_baseline.signal_deploy", f"an object of the drives {list(drives)}", signal
        )
    above = _list("null_baseline.above_null_in_deploy", x["above_null_in_deploy"])
    if any(not isinstance(a, str) or a not in drives for a in above) or list(above) != [
        n for n in drives if n in above
    ]:
        raise _bad(
            "null_baseline.above_null_in_deploy", f"drives of {list(drives)}, each once", above
        )
    return {
        "fitness_train": _real("null_baseline.fitness_train", x["fitness_train"]),
        "signal_deploy": {
            k: _real(f"null_baseline.signal_deploy.{k}", v) for k, v in signal.items()
        },
        "above_null_in_deploy": list(above),
    }


def _float_or_none(x) -> float | None:
    return None if x is None else float(x)
