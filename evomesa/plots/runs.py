"""matplotlib figures of runs and drift reports.

Every function builds and returns a :class:`matplotlib.figure.Figure` through the
object-oriented API (no pyplot, no global backend state), so it works headless and in
notebooks alike; save with ``fig.savefig(path)``.

Each genome keeps one colour in every figure (:data:`GENOME_COLOURS`, looked up with
:func:`colour_of`), so figures of the same experiment can be read side by side. Error bars
always say what they are: a bootstrap interval over the individuals of one population, or a
t-interval over independent runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from evomesa.errors import ConfigError
from evomesa.evolve.result import EvolutionResult
from evomesa.metrics import DriftReport
from evomesa.metrics.runs import interval_over_runs

__all__ = [
    "GENOME_COLOURS",
    "colour_of",
    "plot_dose_response",
    "plot_drift",
    "plot_drift_replicates",
    "plot_fitness",
    "plot_over_generations",
    "plot_signal_vs_fitness",
    "plot_traits",
]

GENOME_COLOURS: dict[str, str] = {
    "reflex": "#E69F00",  # Okabe-Ito orange
    "planner": "#0072B2",  # Okabe-Ito blue
    "hybrid": "#009E73",  # Okabe-Ito bluish green
}
"""One colour per genome, from the colour-blind-safe Okabe-Ito palette."""

# Regimes in plot_signal_vs_fitness are drawn in black and grey, which no genome uses, so a
# regime is never mistaken for a genome.
_REGIME_STYLES = (
    {"color": "black", "marker": "o"},
    {"facecolors": "none", "edgecolors": "grey", "marker": "^"},
)

_LEVEL = 0.95
"""Coverage of every t-interval over runs drawn here (the labels below say 95%)."""

_RUNS_LEGEND = "mean, 95% t-interval over runs (dots: runs)"


def colour_of(label: str, index: int) -> str:
    """Colour of a labelled series: its genome's colour, else the ``index``-th cycle colour.

    Parameters
    ----------
    label : str
        Series label; a genome name (``"planner"``) or one followed by more text
        (``"planner seed 3"``) gets :data:`GENOME_COLOURS` of that genome.
    index : int
        Position of the series in its figure, for the fallback ``f"C{index}"``.
    """
    key = str(label).lower()
    # Longest name first, so a future genome whose name extends another's gets its own colour.
    for name in sorted(GENOME_COLOURS, key=len, reverse=True):
        if key.startswith(name):
            return GENOME_COLOURS[name]
    return f"C{index}"


def _shape_of(value: Any) -> str:
    """Short description of a given value for error messages (shape, not a full repr)."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"an array of shape {tuple(shape)}"
    try:
        return f"an array of shape {np.shape(value)}"
    except (TypeError, ValueError):
        return repr(value)


def _finite_array(name: str, value: Any, ndim: int, what: str) -> np.ndarray:
    """``value`` as a float array of ``ndim`` dimensions, non-empty and finite.

    Raises
    ------
    ConfigError
        Naming ``name``, the expected ``what`` and what was given.
    """
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be {what} of finite numbers; got {value!r}") from None
    if a.ndim != ndim or a.size == 0:
        raise ConfigError(f"{name} must be {what} of finite numbers; got {_shape_of(a)}")
    if not np.isfinite(a).all():
        raise ConfigError(
            f"{name} must be {what} of finite numbers; got {int((~np.isfinite(a)).sum())} "
            "non-finite entries"
        )
    return a


def _non_empty_mapping(name: str, value: Any) -> None:
    """Raise ConfigError unless ``value`` is a non-empty mapping with string keys."""
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(f"{name} must be a non-empty mapping of label -> values; got {value!r}")
    bad_keys = [k for k in value if not isinstance(k, str)]
    if bad_keys:
        raise ConfigError(f"{name} keys must be strings (series labels); got {bad_keys!r}")


def _check_text(name: str, value: Any) -> str:
    """Raise ConfigError unless ``value`` is a string."""
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a string; got {value!r}")
    return value


def _t_band(samples: np.ndarray, level: float = _LEVEL) -> tuple[np.ndarray, ...]:
    """Column-wise mean and two-sided Student t interval of (R, G) samples.

    The vectorised form of :func:`evomesa.metrics.runs.interval_over_runs` applied to each
    column: ``mean +- t_{(1+level)/2, R-1} * sd / sqrt(R)``.

    Returns
    -------
    mean, low, high : (G,) float64
        With R == 1 (or a constant column) ``low == high == mean``.
    """
    from scipy import stats

    r = samples.shape[0]
    mean = samples.mean(axis=0)
    if r == 1:
        return mean, mean.copy(), mean.copy()
    half = stats.t.ppf(0.5 + level / 2, r - 1) * samples.std(axis=0, ddof=1) / np.sqrt(r)
    return mean, mean - half, mean + half


def _fraction_label(x: float) -> str:
    """``1/256`` for 0.00390625, ``0`` for 0; plain decimals where no small fraction fits."""
    frac = Fraction(x).limit_denominator(4096)
    if abs(float(frac) - x) > 1e-9 * max(abs(x), 1.0):
        return f"{x:.3g}"
    return str(frac)


def plot_fitness(results: Mapping[str, EvolutionResult]) -> Figure:
    """Mean and best fitness over generations, one line pair per labelled run.

    Each run is drawn in :func:`colour_of` its label, so genome labels keep their colours.
    """
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    for i, (label, res) in enumerate(results.items()):
        gen = np.array(res.logbook.select("gen"))
        colour = colour_of(label, i)
        ax.plot(gen, res.logbook.select("avg"), color=colour, label=f"{label} mean")
        ax.plot(
            gen, res.logbook.select("max"), color=colour, ls="--", alpha=0.6, label=f"{label} best"
        )
    ax.set_xlabel("generation")
    ax.set_ylabel("fitness per episode")
    ax.set_title("Evolution in the training regime")
    ax.legend(fontsize="small")
    return fig


def plot_drift(
    reports: Mapping[str, DriftReport],
    *,
    interval: str = "95% bootstrap CI over individuals",
) -> Figure:
    """Retention (deploy / train) of fitness and of every drive's signal, with intervals.

    Parameters
    ----------
    reports : mapping of label -> DriftReport
        One report per population, drawn in :func:`colour_of` its label.
    interval : str
        What the error bars are, shown as the legend title. The default fits the bootstrap
        intervals inside a :class:`~evomesa.metrics.DriftReport`; pass e.g.
        ``"95% t-interval over runs"`` when the reports' ``ci`` hold intervals over runs.
    """
    _check_text("interval", interval)
    fig = Figure(figsize=(7.2, 4.0), layout="constrained")
    ax = fig.add_subplot()
    first = next(iter(reports.values()))
    labels = ["fitness", *first.drives]
    x = np.arange(len(labels))
    width = 0.8 / max(len(reports), 1)
    for i, (name, rep) in enumerate(reports.items()):
        values = [rep.fitness_retention] + [d.signal_retention for d in rep.drives.values()]
        cis = [rep.ci["fitness_retention"]] + [
            d.ci["signal_retention"] for d in rep.drives.values()
        ]
        lo = np.maximum(np.array(values) - [c[0] for c in cis], 0.0)
        hi = np.maximum(np.array([c[1] for c in cis]) - np.array(values), 0.0)
        ax.bar(
            x + (i - (len(reports) - 1) / 2) * width,
            values,
            width,
            yerr=[lo, hi],
            capsize=3,
            color=colour_of(name, i),
            label=f"{name} ({rep.verdict.replace('_', ' ')})",
        )
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_xticks(x, labels)
    ax.set_ylabel(f"retention: {first.deploy} / {first.train}")
    ax.set_title("How much of each signal, and of fitness, survives the shift")
    ax.legend(fontsize="small", title=f"error bars: {interval}", title_fontsize="small")
    return fig


def plot_drift_replicates(
    values: Mapping[str, Mapping[str, Sequence[float]]],
    train: str,
    deploy: str,
    title: str = "",
) -> Figure:
    """Retention per genome and quantity over independent runs: mean bars, t-intervals, dots.

    Parameters
    ----------
    values : mapping of genome -> mapping of quantity -> (R,) floats
        ``values[genome][quantity]`` holds one retention (deploy / train) per independent
        run, e.g. quantity ``"fitness"`` for fitness retention and a drive name for that
        drive's signal retention. R may differ between entries; a quantity missing for some
        genome leaves a gap. Quantities are drawn in order of first appearance.
    train, deploy : str
        Regime names, for the axis label.
    title : str
        Figure title; a default is used when empty.

    Returns
    -------
    Figure
        Bars at the mean over runs with :func:`~evomesa.measure.knockouts.interval_over_runs` 95 %
        t-intervals, each run as a small dot on top, genomes in :func:`colour_of`.

    Raises
    ------
    ConfigError
        If ``values`` is empty, or an entry is not a non-empty 1-D sequence of finite numbers.
    """
    _non_empty_mapping("values", values)
    for name, text in (("train", train), ("deploy", deploy), ("title", title)):
        _check_text(name, text)
    data: dict[str, dict[str, np.ndarray]] = {}
    quantities: list[str] = []
    for genome, per_quantity in values.items():
        _non_empty_mapping(f"values[{genome!r}]", per_quantity)
        data[genome] = {
            q: _finite_array(f"values[{genome!r}][{q!r}]", v, 1, "a non-empty 1-D sequence")
            for q, v in per_quantity.items()
        }
        quantities += [q for q in per_quantity if q not in quantities]

    fig = Figure(figsize=(max(6.4, 1.1 * len(quantities) + 2.0), 4.0), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(quantities))
    width = 0.8 / len(data)
    for i, (genome, per_quantity) in enumerate(data.items()):
        colour = colour_of(genome, i)
        offset = (i - (len(data) - 1) / 2) * width
        xs, means, lo, hi = [], [], [], []
        for j, q in enumerate(quantities):
            if q not in per_quantity:
                continue
            runs = per_quantity[q]
            mean, low, high = interval_over_runs(runs, level=_LEVEL)
            xs.append(x[j] + offset)
            means.append(mean)
            lo.append(mean - low)
            hi.append(high - mean)
            # Spread the dots evenly across the middle of the bar so equal runs stay visible.
            spread = np.linspace(-0.25, 0.25, runs.size) * width if runs.size > 1 else [0.0]
            ax.scatter(
                x[j] + offset + np.asarray(spread),
                runs,
                s=9,
                color="black",
                alpha=0.7,
                zorder=3,
                label="_nolegend_",
            )
        ax.bar(
            xs,
            means,
            width,
            yerr=[lo, hi],
            capsize=3,
            color=colour,
            alpha=0.85,
            label=genome,
        )
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_xticks(x, quantities)
    ax.set_ylabel(f"retention: {deploy} / {train}")
    ax.set_title(title or "Retention over independent runs")
    ax.legend(fontsize="small", title=_RUNS_LEGEND, title_fontsize="small")
    return fig


def plot_over_generations(
    generations: np.ndarray,
    series: Mapping[str, np.ndarray],
    ylabel: str,
    *,
    threshold: float | None = None,
    title: str = "",
    interval: str = "95% t-interval over runs",
    xlabel: str = "generation",
) -> Figure:
    """A quantity tracked generation by generation over independent runs: mean line and band.

    Any other ordered x (a label budget, say) works the same way; name it with ``xlabel``.

    E.g. deploy-regime fitness retention during re-alignment, one series per genome.

    Parameters
    ----------
    generations : (G,) array
        Generation numbers, the x axis.
    series : mapping of label -> (R, G) array
        ``series[label][r, g]`` is run ``r``'s value at ``generations[g]``; R may differ
        between labels. Drawn in :func:`colour_of` the label.
    ylabel : str
        Y axis label.
    threshold : float, optional
        Draws a dashed horizontal line labelled "robust threshold" at this value.
    title : str
        Axes title; none when empty.
    interval : str
        What the shaded band is, shown in the legend title. The band itself is always the
        per-generation 95 % Student t-interval over runs (as
        :func:`~evomesa.measure.knockouts.interval_over_runs`); with R == 1 no band is drawn.
    xlabel : str
        X axis label.

    Raises
    ------
    ConfigError
        If ``generations`` is not a non-empty finite 1-D array, a series is not a finite
        (R, G) array with G == len(generations), or ``threshold`` is not finite.
    """
    gens = _finite_array("generations", generations, 1, "a non-empty 1-D array")
    _non_empty_mapping("series", series)
    for name, text in (
        ("ylabel", ylabel),
        ("title", title),
        ("interval", interval),
        ("xlabel", xlabel),
    ):
        _check_text(name, text)
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float | np.integer | np.floating)
        or not np.isfinite(threshold)
    ):
        raise ConfigError(f"threshold must be None or a finite number; got {threshold!r}")
    arrays = {}
    for label, values in series.items():
        what = f"an (R, {gens.size}) array (runs x generations)"
        a = _finite_array(f"series[{label!r}]", values, 2, what)
        if a.shape[1] != gens.size:
            raise ConfigError(f"series[{label!r}] must be {what}; got {_shape_of(a)}")
        arrays[label] = a

    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    banded = False
    for i, (label, a) in enumerate(arrays.items()):
        colour = colour_of(label, i)
        mean, low, high = _t_band(a)
        runs = "run" if a.shape[0] == 1 else "runs"
        ax.plot(gens, mean, color=colour, label=f"{label} ({a.shape[0]} {runs})")
        if a.shape[0] > 1:
            ax.fill_between(gens, low, high, color=colour, alpha=0.25, lw=0)
            banded = True
    if threshold is not None:
        ax.axhline(float(threshold), color="black", lw=1.0, ls="--", label="robust threshold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    legend_title = f"line: mean; band: {interval}" if banded else "mean (single run: no band)"
    ax.legend(fontsize="small", title=legend_title, title_fontsize="small")
    return fig


def plot_dose_response(
    shares: np.ndarray,
    series: Mapping[str, np.ndarray],
    *,
    train: str,
    deploy: str,
    ylabel: str = "fitness retention",
    title: str = "",
) -> Figure:
    """A quantity against the share of deploy-regime episodes seen during training.

    Parameters
    ----------
    shares : (k,) array
        Share of ``deploy`` episodes in training, in [0, 1] (e.g. 0, 1/256, ..., 1/8). The x
        axis is symlog with a linear part below 1/512 so that 0 is shown; ticks are labelled
        as fractions.
    series : mapping of genome -> (k, R) array
        ``series[genome][j, r]`` is run ``r``'s value at ``shares[j]``. Drawn in
        :func:`colour_of` the genome: mean over runs with 95 % t-interval error bars
        (:func:`~evomesa.measure.knockouts.interval_over_runs`), each run as a faint dot.
    train, deploy : str
        Regime names, for the axis label.
    ylabel : str
        Y axis label.
    title : str
        Axes title; a default is used when empty.

    Raises
    ------
    ConfigError
        If ``shares`` is not a non-empty 1-D array of numbers in [0, 1], or a series is not a
        finite (k, R) array with k == len(shares).
    """
    s = _finite_array("shares", shares, 1, "a non-empty 1-D array")
    if (s < 0).any() or (s > 1).any():
        raise ConfigError(f"shares must be numbers in [0, 1]; got {s.tolist()!r}")
    _non_empty_mapping("series", series)
    for name, text in (("train", train), ("deploy", deploy), ("ylabel", ylabel), ("title", title)):
        _check_text(name, text)
    arrays = {}
    for label, values in series.items():
        what = f"a ({s.size}, R) array (shares x runs)"
        a = _finite_array(f"series[{label!r}]", values, 2, what)
        if a.shape[0] != s.size:
            raise ConfigError(f"series[{label!r}] must be {what}; got {_shape_of(a)}")
        arrays[label] = a

    order = np.argsort(s, kind="stable")  # connect points left to right whatever the input order
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    for i, (label, a) in enumerate(arrays.items()):
        colour = colour_of(label, i)
        rows = np.array([interval_over_runs(a[j], level=_LEVEL) for j in order])
        mean, low, high = rows.T
        ax.errorbar(
            s[order],
            mean,
            yerr=[mean - low, high - mean],
            color=colour,
            marker="o",
            capsize=3,
            label=label,
        )
        ax.scatter(
            np.repeat(s, a.shape[1]),
            a.ravel(),
            s=8,
            color=colour,
            alpha=0.35,
            zorder=1,
            label="_nolegend_",
        )
    # Linear below 1/512 puts 0 on the axis while 1/256 ... 1/8 stay evenly spaced.
    ax.set_xscale("symlog", linthresh=1 / 512, linscale=0.5)
    ticks = np.unique(s)
    ax.set_xticks(ticks, [_fraction_label(float(t)) for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(f"share of {deploy} episodes in training (rest: {train})")
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"Dose response: {deploy} exposure during training")
    ax.legend(fontsize="small", title=_RUNS_LEGEND, title_fontsize="small")
    return fig


def plot_signal_vs_fitness(
    train_signals: np.ndarray,
    train_fitness: np.ndarray,
    deploy_signals: np.ndarray,
    deploy_fitness: np.ndarray,
    drives: tuple[str, ...],
    regimes: tuple[str, str],
    title: str = "",
) -> Figure:
    """Per-individual mean signal against mean fitness, one panel per drive.

    The two colours here are regimes, not genomes: train is drawn as black dots and deploy as
    hollow grey triangles, neither of which is a :data:`GENOME_COLOURS` entry.

    Parameters
    ----------
    train_signals, deploy_signals : (n, n_drives) float64
        Mean signal per individual in each regime.
    train_fitness, deploy_fitness : (n,) float64
        Mean fitness per individual in each regime.
    """
    fig = Figure(figsize=(3.0 * len(drives), 3.2), layout="constrained")
    axes = fig.subplots(1, len(drives), squeeze=False)[0]
    for k, (ax, drive) in enumerate(zip(axes, drives, strict=True)):
        ax.scatter(
            train_signals[:, k],
            train_fitness,
            s=8,
            alpha=0.6,
            label=regimes[0],
            **_REGIME_STYLES[0],
        )
        ax.scatter(
            deploy_signals[:, k],
            deploy_fitness,
            s=10,
            alpha=0.6,
            label=regimes[1],
            **_REGIME_STYLES[1],
        )
        ax.set_xlabel(f"{drive} signal")
    axes[0].set_ylabel("fitness")
    axes[0].legend(fontsize="small")
    fig.suptitle(title or "Signal vs fitness, per individual")
    return fig


def plot_traits(traits: Mapping[str, np.ndarray], title: str = "") -> Figure:
    """Distributions of evolved traits (e.g. drive weights and planning horizons).

    Parameters
    ----------
    traits : mapping of name -> (n,) array
        As returned by ``Genome.describe(genes)``; ``w_*`` entries are drawn as box plots on a
        shared [-1, 1] axis, everything else as a histogram.
    """
    weights = {k: v for k, v in traits.items() if k.startswith("w_")}
    others = {k: v for k, v in traits.items() if not k.startswith("w_")}
    panels = (1 if weights else 0) + len(others)
    fig = Figure(figsize=(3.4 * max(panels, 1), 3.2), layout="constrained")
    axes = list(fig.subplots(1, max(panels, 1), squeeze=False)[0])
    if weights:
        ax = axes.pop(0)
        ax.boxplot(list(weights.values()), tick_labels=[k[2:] for k in weights])
        ax.axhline(0.0, color="grey", lw=0.8, ls=":")
        ax.set_ylim(-1.05, 1.05)
        ax.set_ylabel("evolved drive weight")
    for ax, (name, values) in zip(axes, others.items(), strict=False):
        ax.hist(np.asarray(values, dtype=float), bins=20)
        ax.set_xlabel(name)
        ax.set_ylabel("individuals")
    fig.suptitle(title or "Evolved traits")
    return fig
