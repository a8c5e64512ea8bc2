"""Figures of a sweep: each figure's mean over seeds, with its 95 % t interval, against the
grid (the first grid parameter on the x axis; one line per genome and combination of the
other parameters)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from evomesa.files.atomic import write_bytes_atomic as write_bytes
from evomesa.metrics.runs import FIGURES
from evomesa.plots.style import colour_of


def _numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def plot_sweep_figure(summary: Mapping[str, Any], figure: str) -> Figure | None:
    """One figure of a sweep's summary
    (:func:`evomesa.experiments.sweep_summary.summarize_sweep`) against the grid; None when no
    cell has it."""
    grid = summary["grid"]
    x_key = next(iter(grid))
    xs = list(grid[x_key])
    numeric = _numeric(xs)
    lines: dict[str, dict[str, Any]] = {}
    for cell in summary["cells"]:
        fig = cell["figures"].get(figure)
        if fig is None:
            continue
        rest = ", ".join(f"{k}={cell['point'][k]}" for k in grid if k != x_key)
        name = cell["genome"] + (f" ({rest})" if rest else "")
        line = lines.setdefault(name, {"genome": cell["genome"], "points": []})
        x = cell["point"][x_key]
        at = x if numeric else xs.index(x)
        line["points"].append((at, fig["mean"], fig["low"], fig["high"]))
    if not lines:
        return None
    out = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = out.add_subplot()
    for i, (name, line) in enumerate(lines.items()):
        pts = np.array(sorted(line["points"]), dtype=float)
        x, mean, low, high = pts.T
        ax.errorbar(
            x,
            mean,
            yerr=[mean - low, high - mean],
            marker="o",
            capsize=3,
            label=name,
            color=colour_of(line["genome"], i) if len(lines) <= 3 else None,
        )
    if not numeric:
        ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_xlabel(x_key)
    ax.set_ylabel(FIGURES.get(figure, (figure,))[0])
    ax.set_title(f"{figure}: mean over seeds, 95% t-interval", fontsize="medium")
    ax.legend(fontsize="small")
    return out


def write_sweep_figures(folder: Path, summary: Mapping[str, Any]) -> list[Path]:
    """Draw every figure of a sweep's summary into ``folder/figures/NAME.png``.

    Parameters
    ----------
    folder : Path
        The sweep folder; ``figures/`` is made in it.
    summary : dict
        :func:`evomesa.experiments.sweep_summary.summarize_sweep` of the sweep's records (the
        sweep has it already, so it is taken, not recomputed).
    """
    names = dict.fromkeys(k for cell in summary["cells"] for k in cell["figures"])
    target = folder / "figures"
    target.mkdir(exist_ok=True)
    written = []
    for name in names:
        fig = plot_sweep_figure(summary, name)
        if fig is None:
            continue
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        written.append(write_bytes(target / f"{name}.png", buf.getvalue()))
    return written
