"""Report types of the drift metrics and their JSON round trip: :class:`DriftReport`, built by
:func:`evomesa.metrics.drift.compute_drift`; ``from_dict`` rebuilds what ``to_dict`` wrote and
raises :class:`~evomesa.errors.ConfigError` naming the field for anything else (fields are read
by :mod:`evomesa.metrics.report_fields`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from evomesa.errors import ConfigError
from evomesa.metrics.drive_drift import DriveDrift
from evomesa.metrics.knockouts import knock_outs_to_json, read_knock_outs, under_selection
from evomesa.metrics.reading import reading
from evomesa.metrics.report_fields import (
    PERFORMANCE_VERDICTS,
    REPORT_CI_KEYS,
    bad,
    ci_to_json,
    exact_keys,
    float_or_none,
    read_choice_or_none,
    read_ci,
    read_convergence,
    read_count,
    read_deploy_params,
    read_drives_or_none,
    read_flags,
    read_mapping,
    read_mesa_utility,
    read_name,
    read_name_or_none,
    read_null_baseline,
    read_proxy,
    read_pursued,
    read_real,
    read_real_or_none,
    read_regret,
    read_signal_levels,
    read_verdict,
    require_keys,
    short,
)
from evomesa.metrics.thresholds import ADDED_KEYS, THRESHOLD_KEYS, Thresholds

__all__ = ["DriftReport", "DriveDrift"]


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
        Share of the reflexes' deploy decisions taken on inputs the individual never met in
        its train rollouts (pooled over individuals and episodes): for a lookup table, an
        entry (observation) its training never visited, so what the table says there was
        never selected; for a reflex network, an input with some perceived feature in a bin
        (of 16 equal bins over [-1, 1] per feature) that none of its training decisions fell
        in, which the network answers by extrapolation. Only rows that decide as reflexes
        count (a hybrid's planner rows record no decisions). None when neither record was
        given (planners).
    competence : float
        The highest signal retention of any proxy (0.0 when there is none).
    primary_proxy : str or None
        The proxy whose signal best tracked fitness in training.
    verdict : str
        One of :data:`~evomesa.metrics.report_fields.VERDICTS` (the rule:
        :mod:`evomesa.metrics.verdict`); :attr:`reading` says it in words with its evidence.
    thresholds : dict of str to float
        The thresholds used for the verdict, keyed by
        :data:`~evomesa.metrics.thresholds.THRESHOLD_KEYS`.
    ci : dict of str to (float, float)
        95 % bootstrap intervals: ``fitness_*``, ``performance_*``, ``competence``,
        ``behavioural_divergence``, with planners each ``mesa_utility`` key, with a reflex
        record ``novel_decision_share``, and with a reference ``reference_fitness`` and
        ``regret``.
    flags : tuple of str
        Report-level degenerate cases, ``"field:reason"``.
    drives_pursued : tuple of str
        Proxies still pursued in deployment (signal retention at least the competence
        threshold, and collected beyond the reference), in drive order.
    reference_fitness : float or None
        Mean deploy fitness of the deploy-adapted reference population; None without one.
    regret : float or None
        ``(reference - deploy) / |reference|`` (``1 - deploy / reference`` for a positive
        reference); None without a reference.
    deploy_params : dict or None
        World parameters of the deploy world that differ from the train world's, when the
        population was deployed into another world; None when both are the same world.
    null_baseline : dict or None
        The unevolved baseline (a random population of the same architecture):
        ``fitness_train``, ``signal_deploy`` per drive, and ``above_null_in_deploy`` (the
        drives whose deploy signal the population exceeds it on) and ``fitness_deploy``;
        None without one.
    new_goals : tuple of str
        Drives that were not proxies in training and are pursued after the shift.
    drives_rising : tuple of str
        Drives whose deploy signal is above their train signal (interval of the difference
        above 0).
    drives_beyond_reference : tuple of str or None
        Drives whose deploy signal is above the reference's (interval of the difference above
        0); None without a reference's signals. ``reference_signal_deploy`` holds the
        reference's deploy signal per drive.
    performance_verdict : str or None
        The performance channel's reading, ``"kept"`` or ``"lost"``; None where performance
        is the fitness. ``performance_meaning`` is the world's own words for what
        performance counts that fitness does not.
    effect_size : float or None
        The training gain over the baseline on the scale of the reference's gain over it in
        deployment; None without both.
    alternative, alternative_fitness : str, float or None
        The best simple alternative measured beside the reference, and its mean deploy
        fitness; None without one.
    knock_outs : dict or None
        Which parts of the evolved brains are under selection: training fitness with one part
        of every brain knocked out at a time (a drive's weight, a network's feature, a
        table's factor; :mod:`evomesa.metrics.knockouts`), played in the train regime on
        episodes common to every variant: ``{"intact": mean fitness, "parts": {"KIND:NAME":
        {"fitness", "effect", "low", "high"}}}``, the effect being the fitness lost with its
        95 % bootstrap interval over individuals; None when not measured.
        :attr:`under_selection` names the parts whose knock-out measurably lowers fitness.
    converged, late_improvement : bool, float or None
        Whether the evolution that produced the population converged, and the rise of its
        mean fitness over its last fifth of generations
        (:mod:`evomesa.metrics.convergence`); None for a population measured without its
        evolution (hand-made genes). Written by :meth:`to_dict` only when known, so reports
        written before these fields existed read back as they were written.
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
    new_goals: tuple[str, ...] = ()
    drives_rising: tuple[str, ...] = ()
    drives_beyond_reference: tuple[str, ...] | None = None
    reference_signal_deploy: dict[str, float] | None = None
    performance_verdict: str | None = None
    performance_meaning: str | None = None
    effect_size: float | None = None
    alternative: str | None = None
    alternative_fitness: float | None = None
    knock_outs: dict[str, Any] | None = None

    @property
    def under_selection(self) -> tuple[str, ...]:
        """The knocked-out parts (``"KIND:NAME"``) whose knock-out lowers training fitness:
        the lower end of the effect's 95 % interval is above 0; () without knock-outs."""
        return under_selection(self.knock_outs)

    converged: bool | None = None
    late_improvement: float | None = None

    @property
    def borderline(self) -> bool:
        """Whether an interval of a quantity the verdict read straddles its threshold."""
        return any(f.startswith("verdict:borderline_") for f in self.flags)

    @property
    def reading(self) -> str:
        """The verdict in words, with the figures that decided it and the performance
        channel's reading where it differs from fitness; e.g. ``"robust (retention 1.02,
        regret 0.52: high); performance lost (retention -4.70): hidden harm"``."""
        return reading(self)

    @property
    def all_flags(self) -> tuple[str, ...]:
        """Report flags followed by every drive's flags as ``"drives.NAME.field:reason"``."""
        per_drive = tuple(f"drives.{n}.{f}" for n, dd in self.drives.items() for f in dd.flags)
        return self.flags + per_drive

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (plain floats, ints, strings, lists); see :meth:`from_dict`.
        ``converged`` and ``late_improvement`` appear only when known."""
        convergence = (
            {}
            if self.converged is None
            else {
                "converged": bool(self.converged),
                "late_improvement": float_or_none(self.late_improvement),
            }
        )
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
            "new_goals": list(self.new_goals),
            "drives_rising": list(self.drives_rising),
            "drives_beyond_reference": (
                None
                if self.drives_beyond_reference is None
                else list(self.drives_beyond_reference)
            ),
            "reference_signal_deploy": (
                None
                if self.reference_signal_deploy is None
                else {k: float(v) for k, v in self.reference_signal_deploy.items()}
            ),
            "performance_verdict": self.performance_verdict,
            "performance_meaning": self.performance_meaning,
            "effect_size": float_or_none(self.effect_size),
            "alternative": self.alternative,
            "alternative_fitness": float_or_none(self.alternative_fitness),
            "knock_outs": knock_outs_to_json(self.knock_outs),
            **convergence,
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
        exact_keys(
            "thresholds",
            thresholds,
            tuple(k for k in THRESHOLD_KEYS if k not in ADDED_KEYS),
            ADDED_KEYS,
        )
        # a report written before a threshold existed was decided without it: its default
        thresholds = {**Thresholds().to_dict(), **thresholds}
        pursued = read_pursued(d.get("drives_pursued", ()), names)
        reference, regret = read_regret(d)
        converged, late = read_convergence(d)
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
            new_goals=read_pursued(d.get("new_goals", ()), names, "new_goals"),
            drives_rising=read_pursued(d.get("drives_rising", ()), names, "drives_rising"),
            drives_beyond_reference=read_drives_or_none(
                d.get("drives_beyond_reference"), names, "drives_beyond_reference"
            ),
            reference_signal_deploy=read_signal_levels(
                d.get("reference_signal_deploy"), names, "reference_signal_deploy"
            ),
            performance_verdict=read_choice_or_none(
                "performance_verdict", d.get("performance_verdict"), PERFORMANCE_VERDICTS
            ),
            performance_meaning=read_name_or_none(
                "performance_meaning", d.get("performance_meaning")
            ),
            effect_size=read_real_or_none("effect_size", d.get("effect_size"), -1.0, 1.0),
            alternative=read_name_or_none("alternative", d.get("alternative")),
            alternative_fitness=read_real_or_none(
                "alternative_fitness", d.get("alternative_fitness")
            ),
            knock_outs=read_knock_outs(d.get("knock_outs")),
            converged=converged,
            late_improvement=late,
        )
