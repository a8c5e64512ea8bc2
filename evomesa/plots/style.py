"""The shared look of evomesa's figures: one colour per genome, regime markers, interval
labels.

Each genome keeps one colour in every figure (:data:`GENOME_COLOURS`, looked up with
:func:`colour_of`), so figures of the same experiment can be read side by side; regimes are
drawn in black and grey, which no genome uses. Error bars always say what they are: a
bootstrap interval over the individuals of one population, or a t-interval over independent
runs (:data:`LEVEL`, :data:`RUNS_LEGEND`).
"""

from __future__ import annotations

from fractions import Fraction

GENOME_COLOURS: dict[str, str] = {
    "reflex": "#E69F00",  # Okabe-Ito orange
    "reflex_net": "#D55E00",  # Okabe-Ito vermillion
    "planner": "#0072B2",  # Okabe-Ito blue
    "hybrid": "#009E73",  # Okabe-Ito bluish green
}
"""One colour per genome, from the colour-blind-safe Okabe-Ito palette."""

# Regimes in plot_signal_vs_fitness are drawn in black and grey, which no genome uses, so a
# regime is never mistaken for a genome.
REGIME_STYLES = (
    {"color": "black", "marker": "o"},
    {"facecolors": "none", "edgecolors": "grey", "marker": "^"},
)

LEVEL = 0.95
"""Coverage of every t-interval over runs drawn (the labels, :data:`RUNS_LEGEND` among them,
say 95%)."""

RUNS_LEGEND = "mean, 95% t-interval over runs (dots: runs)"


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


def fraction_label(x: float) -> str:
    """``1/256`` for 0.00390625, ``0`` for 0; plain decimals where no small fraction fits."""
    frac = Fraction(x).limit_denominator(4096)
    if abs(float(frac) - x) > 1e-9 * max(abs(x), 1.0):
        return f"{x:.3g}"
    return str(frac)
