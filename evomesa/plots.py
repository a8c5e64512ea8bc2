"""matplotlib figures of runs and drift reports.

Every function builds and returns a :class:`matplotlib.figure.Figure` through the
object-oriented API (no pyplot, no global backend state), so it works headless and in
notebooks alike; save with ``fig.savefig(path)``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from evomesa.evolve.result import EvolutionResult
from evomesa.metrics import DriftReport


def plot_fitness(results: Mapping[str, EvolutionResult]) -> Figure:
    """Mean and best fitness over generations, one line pair per labelled run."""
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    for i, (label, res) in enumerate(results.items()):
        gen = np.array(res.logbook.select("gen"))
        colour = f"C{i}"
        ax.plot(gen, res.logbook.select("avg"), color=colour, label=f"{label} mean")
        ax.plot(
            gen, res.logbook.select("max"), color=colour, ls="--", alpha=0.6, label=f"{label} best"
        )
    ax.set_xlabel("generation")
    ax.set_ylabel("fitness (children born per episode)")
    ax.set_title("Evolution in the training regime")
    ax.legend(fontsize="small")
    return fig


def plot_drift(reports: Mapping[str, DriftReport]) -> Figure:
    """Retention (deploy / train) of fitness and of every drive's signal, with 95% CIs."""
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
            label=f"{name} ({rep.verdict.replace('_', ' ')})",
        )
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_xticks(x, labels)
    ax.set_ylabel(f"retention: {first.deploy} / {first.train}")
    ax.set_title("How much of each signal, and of fitness, survives the shift")
    ax.legend(fontsize="small")
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
        ax.scatter(train_signals[:, k], train_fitness, s=8, alpha=0.6, label=regimes[0])
        ax.scatter(deploy_signals[:, k], deploy_fitness, s=8, alpha=0.6, label=regimes[1])
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
