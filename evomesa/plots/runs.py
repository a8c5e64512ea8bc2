"""matplotlib figures of runs and drift reports.

Every function builds and returns a :class:`matplotlib.figure.Figure` through the
object-oriented API (no pyplot, no global backend state), so it works headless and in
notebooks alike; save with ``fig.savefig(path)``.

Each genome keeps one colour in every figure (:data:`GENOME_COLOURS`, looked up with
:func:`colour_of`), so figures of the same experiment can be read side by side. Error bars
always say what they are: a bootstrap interval over the individuals of one population, or a
t-interval over independent runs.

This module draws a run over generations, over training exposure and its evolved traits; the
drift figures are :mod:`evomesa.plots.drift`, the shared colours and labels
:mod:`evomesa.plots.style`, the checks of what is plotted :mod:`evomesa.plots.inputs`. Every
figure of a run folder is reachable from here, as before the split.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from evomesa.errors import ConfigError
from evomesa.evolve.result import EvolutionResult
from evomesa.metrics.runs import interval_over_runs
from evomesa.plots.drift import plot_drift, plot_drift_replicates, plot_signal_vs_fitness
from evomesa.plots.inputs import check_text, finite_array, non_empty_mapping, shape_of
from evomesa.plots.style import GENOME_COLOURS, LEVEL, RUNS_LEGEND, colour_of, fraction_label

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


def _t_band(samples: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, ...]:
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
        :func:`~evomesa.metrics.runs.interval_over_runs`); with R == 1 no band is drawn.
    xlabel : str
        X axis label.

    Raises
    ------
    ConfigError
        If ``generations`` is not a non-empty finite 1-D array, a series is not a finite
        (R, G) array with G == len(generations), or ``threshold`` is not finite.
    """
    gens = finite_array("generations", generations, 1, "a non-empty 1-D array")
    non_empty_mapping("series", series)
    for name, text in (
        ("ylabel", ylabel),
        ("title", title),
        ("interval", interval),
        ("xlabel", xlabel),
    ):
        check_text(name, text)
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float | np.integer | np.floating)
        or not np.isfinite(threshold)
    ):
        raise ConfigError(f"threshold must be None or a finite number; got {threshold!r}")
    arrays = {}
    for label, values in series.items():
        what = f"an (R, {gens.size}) array (runs x generations)"
        a = finite_array(f"series[{label!r}]", values, 2, what)
        if a.shape[1] != gens.size:
            raise ConfigError(f"series[{label!r}] must be {what}; got {shape_of(a)}")
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
        (:func:`~evomesa.metrics.runs.interval_over_runs`), each run as a faint dot.
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
    s = finite_array("shares", shares, 1, "a non-empty 1-D array")
    if (s < 0).any() or (s > 1).any():
        raise ConfigError(f"shares must be numbers in [0, 1]; got {s.tolist()!r}")
    non_empty_mapping("series", series)
    for name, text in (("train", train), ("deploy", deploy), ("ylabel", ylabel), ("title", title)):
        check_text(name, text)
    arrays = {}
    for label, values in series.items():
        what = f"a ({s.size}, R) array (shares x runs)"
        a = finite_array(f"series[{label!r}]", values, 2, what)
        if a.shape[0] != s.size:
            raise ConfigError(f"series[{label!r}] must be {what}; got {shape_of(a)}")
        arrays[label] = a

    order = np.argsort(s, kind="stable")  # connect points left to right whatever the input order
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    for i, (label, a) in enumerate(arrays.items()):
        colour = colour_of(label, i)
        rows = np.array([interval_over_runs(a[j], level=LEVEL) for j in order])
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
    ax.set_xticks(ticks, [fraction_label(float(t)) for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(f"share of {deploy} episodes in training (rest: {train})")
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"Dose response: {deploy} exposure during training")
    ax.legend(fontsize="small", title=RUNS_LEGEND, title_fontsize="small")
    return fig


def plot_traits(traits: Mapping[str, np.ndarray], title: str = "") -> Figure:
    """Distributions of evolved traits (e.g. drive weights and planning horizons, or a
    network's feature sensitivities).

    Parameters
    ----------
    traits : mapping of name -> (n,) array
        As returned by ``Genome.describe(genes)``; ``w_*`` entries are drawn as box plots on a
        shared [-1, 1] axis, a network's ``sense[feature]`` entries as box plots on one axis
        from 0 (one panel, however many features), everything else as a histogram.
    """
    weights = {k: v for k, v in traits.items() if k.startswith("w_")}
    senses = {k: v for k, v in traits.items() if k.startswith("sense[") and k.endswith("]")}
    others = {k: v for k, v in traits.items() if k not in weights and k not in senses}
    # a box per feature needs room: that panel is wider
    widths = [1.0] * bool(weights) + [max(1.0, len(senses) / 4)] * bool(senses)
    widths += [1.0] * len(others)
    widths = widths or [1.0]
    fig = Figure(figsize=(3.4 * sum(widths), 3.2), layout="constrained")
    axes = list(
        fig.subplots(1, len(widths), squeeze=False, gridspec_kw={"width_ratios": widths})[0]
    )
    if weights:
        ax = axes.pop(0)
        ax.boxplot(list(weights.values()), tick_labels=[k[2:] for k in weights])
        ax.axhline(0.0, color="grey", lw=0.8, ls=":")
        ax.set_ylim(-1.05, 1.05)
        ax.set_ylabel("evolved drive weight")
    if senses:
        ax = axes.pop(0)
        ax.boxplot(list(senses.values()), tick_labels=[k[6:-1] for k in senses])
        ax.tick_params(axis="x", labelrotation=60, labelsize="small")
        ax.set_ylim(bottom=0.0)
        ax.set_ylabel("mean |input weight| (0: ignored)")
    for ax, (name, values) in zip(axes, others.items(), strict=False):
        ax.hist(np.asarray(values, dtype=float), bins=20)
        ax.set_xlabel(name)
        ax.set_ylabel("individuals")
    fig.suptitle(title or "Evolved traits")
    return fig
