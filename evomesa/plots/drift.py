"""Figures of drift: how much of fitness and of each drive's signal survives the shift from
the training regime to the deploy regime, for one population or over independent runs, and
each individual's signal against its fitness in both regimes.

Built through the object-oriented API as :mod:`evomesa.plots.runs` describes; colours and
interval labels from :mod:`evomesa.plots.style`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from evomesa.metrics import DriftReport
from evomesa.metrics.reading import verdict_words
from evomesa.metrics.runs import interval_over_runs
from evomesa.plots.inputs import check_text, finite_array, non_empty_mapping
from evomesa.plots.style import LEVEL, REGIME_STYLES, RUNS_LEGEND, colour_of

__all__ = ["plot_drift", "plot_drift_replicates", "plot_signal_vs_fitness"]


def plot_drift(
    reports: Mapping[str, DriftReport],
    *,
    interval: str = "95% bootstrap CI over individuals",
) -> Figure:
    """Retention (deploy / train) of fitness and of every drive's signal, with intervals.

    Where some report reads its performance apart from fitness, performance retention gets a
    bar beside fitness; each population's legend entry names its verdict, a borderline mark
    and the performance reading (:func:`verdict_label`).

    Parameters
    ----------
    reports : mapping of label -> DriftReport
        One report per population, drawn in :func:`colour_of` its label.
    interval : str
        What the error bars are, shown as the legend title. The default fits the bootstrap
        intervals inside a :class:`~evomesa.metrics.DriftReport`; pass e.g.
        ``"95% t-interval over runs"`` when the reports' ``ci`` hold intervals over runs.
    """
    check_text("interval", interval)
    fig = Figure(figsize=(7.2, 4.0), layout="constrained")
    ax = fig.add_subplot()
    first = next(iter(reports.values()))
    # performance gets a bar of its own only where some report reads it apart from fitness
    channels = ["fitness"] + (
        ["performance"] if any(r.performance_verdict for r in reports.values()) else []
    )
    labels = [*channels, *first.drives]
    x = np.arange(len(labels))
    width = 0.8 / max(len(reports), 1)
    for i, (name, rep) in enumerate(reports.items()):
        values = [getattr(rep, f"{c}_retention") for c in channels] + [
            d.signal_retention for d in rep.drives.values()
        ]
        cis = [rep.ci[f"{c}_retention"] for c in channels] + [
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
            label=f"{name} ({verdict_label(rep)})",
        )
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_xticks(x, labels)
    ax.set_ylabel(f"retention: {first.deploy} / {first.train}")
    ax.set_title("How much of each signal, and of fitness, survives the shift")
    ax.legend(fontsize="small", title=f"error bars: {interval}", title_fontsize="small")
    return fig


def verdict_label(report: DriftReport) -> str:
    """The verdict as a legend shows it, e.g. ``"robust, borderline; performance lost"``:
    never a bare ``robust`` where the performance channel was lost."""
    text = verdict_words(report.verdict) + (", borderline" if report.borderline else "")
    if report.performance_verdict is not None:
        text += f"; performance {report.performance_verdict}"
        if "performance:borderline" in report.flags:
            text += ", borderline"
    return text


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
        Bars at the mean over runs with :func:`~evomesa.metrics.runs.interval_over_runs` 95 %
        t-intervals, each run as a small dot on top, genomes in :func:`colour_of`.

    Raises
    ------
    ConfigError
        If ``values`` is empty, or an entry is not a non-empty 1-D sequence of finite numbers.
    """
    non_empty_mapping("values", values)
    for name, text in (("train", train), ("deploy", deploy), ("title", title)):
        check_text(name, text)
    data: dict[str, dict[str, np.ndarray]] = {}
    quantities: list[str] = []
    for genome, per_quantity in values.items():
        non_empty_mapping(f"values[{genome!r}]", per_quantity)
        data[genome] = {
            q: finite_array(f"values[{genome!r}][{q!r}]", v, 1, "a non-empty 1-D sequence")
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
            mean, low, high = interval_over_runs(runs, level=LEVEL)
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
    ax.legend(fontsize="small", title=RUNS_LEGEND, title_fontsize="small")
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
            **REGIME_STYLES[0],
        )
        ax.scatter(
            deploy_signals[:, k],
            deploy_fitness,
            s=10,
            alpha=0.6,
            label=regimes[1],
            **REGIME_STYLES[1],
        )
        ax.set_xlabel(f"{drive} signal")
    axes[0].set_ylabel("fitness")
    axes[0].legend(fontsize="small")
    fig.suptitle(title or "Signal vs fitness, per individual")
    return fig
