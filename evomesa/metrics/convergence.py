"""Has a run converged? A pure function of its logbook's mean fitness per generation.

DESIGN principle 6: before comparing architectures, show that the run converged, i.e. that
evolution was not stopped while its population was still improving. The rule reads the
population's mean fitness (the logbook's ``avg``), not its best: the best of a few hundred
individuals on a few episodes is mostly the luckiest one, while the mean moves only when the
population does.

The rule
--------
Take the last fifth of the generations (the *window*, rounded up) and fit a least-squares
line to the mean fitness over it. The **late improvement** is the rise of that line across
the window: how much the population still gained over the last fifth of the run, in fitness
units (negative when it declined). Its standard error comes from the line's residuals. The
**progress** is what the run gained in all: the window's mean fitness less generation 0's,
in absolute value. The run has **converged** when the late improvement is at most

    max(TOLERANCE * progress, Z * standard error)

that is, when it is small beside what evolution achieved (at most 5 % of it over the last
fifth), or indistinguishable from the generation-to-generation noise (a one-sided test at
about 2.3 %). A run still rising steadily fails both; a flat run, noisy or not, passes. A
line rather than the difference of two means uses every generation of the window, and a
noisy generation moves it little. Mean fitness wanders slowly as well as jitters, so the
residual noise understates the slope's true uncertainty: the test leans toward "still
improving", the safe side for a claim of convergence.

What it does not say: that the population is competent (a run that never left its random
start is flat, hence converged; the drift verdict's unevolved baseline and a hand-set agent
of the same architecture say whether it learnt anything), nor that it will not improve later
(evolution moves in steps: a table in contraception may sit on a plateau for the last fifth
of 300 generations and climb again by 900).

A run too short to judge (a window of fewer than :data:`MIN_WINDOW` generations, i.e. fewer
than 21 generations in all, counting generation 0) has not shown that it converged:
``converged`` is False; its figures are still computed over its last fifth (at least two
generations; all 0.0 with fewer than two).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from evomesa.errors import ConfigError

#: the share of the run's generations the rule reads (the last fifth)
WINDOW_SHARE = 0.2
#: fewest generations in the window for the rule to judge at all
MIN_WINDOW = 5
#: a late improvement at most this share of the run's progress counts as converged
TOLERANCE = 0.05
#: standard errors a late improvement must exceed to count as more than noise (one-sided)
Z = 2.0

__all__ = ["MIN_WINDOW", "TOLERANCE", "WINDOW_SHARE", "Z", "Convergence", "convergence"]


@dataclass(frozen=True)
class Convergence:
    """Whether a run converged, and the figures that decided it (module docstring).

    Attributes
    ----------
    converged : bool
        The late improvement is small beside the progress, or within the noise.
    late_improvement : float
        The trend's rise of mean fitness across the last fifth of the generations.
    progress : float
        ``|mean fitness over the window - mean fitness of generation 0|``.
    noise : float
        The standard error of ``late_improvement`` (from the line's residuals).
    window : int
        Generations in the window (the last fifth, rounded up; at least 2 where there are).
    """

    converged: bool
    late_improvement: float
    progress: float
    noise: float
    window: int

    @property
    def judged(self) -> bool:
        """Whether the run was long enough to judge (a window of ``MIN_WINDOW`` or more)."""
        return self.window >= MIN_WINDOW

    def to_dict(self) -> dict[str, Any]:
        return {
            "converged": bool(self.converged),
            "late_improvement": float(self.late_improvement),
            "progress": float(self.progress),
            "noise": float(self.noise),
            "window": int(self.window),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Convergence:
        """Rebuild from :meth:`to_dict` output; ConfigError naming the field otherwise."""
        if not isinstance(d, Mapping) or set(d) != set(cls.__dataclass_fields__):
            raise ConfigError(
                f"convergence must be an object with {sorted(cls.__dataclass_fields__)}; "
                f"got {str(d)[:80]}"
            )
        if not isinstance(d["converged"], bool):
            raise ConfigError(
                f"convergence.converged must be true or false; got {d['converged']!r}"
            )
        for key in ("late_improvement", "progress", "noise"):
            x = d[key]
            if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
                raise ConfigError(f"convergence.{key} must be a finite number; got {x!r}")
        w = d["window"]
        if isinstance(w, bool) or not isinstance(w, int) or w < 0:
            raise ConfigError(f"convergence.window must be an integer >= 0; got {w!r}")
        return cls(
            d["converged"], float(d["late_improvement"]), float(d["progress"]),
            float(d["noise"]), w,
        )  # fmt: skip


def convergence(mean_fitness: Sequence[float]) -> Convergence:
    """Whether the run whose mean fitness per generation (generation 0 first) is
    ``mean_fitness`` converged, by the rule of this module.

    Parameters
    ----------
    mean_fitness : sequence of float
        The logbook's ``avg`` column, one value per generation, finite.

    Returns
    -------
    Convergence
    """
    y = np.asarray(mean_fitness, dtype=np.float64).ravel()
    if not np.isfinite(y).all():
        raise ConfigError("mean_fitness must be finite numbers, one per generation")
    n = y.size
    window = min(n, max(2, math.ceil(WINDOW_SHARE * n)))
    if window < 2:
        return Convergence(False, 0.0, 0.0, 0.0, window)
    tail = y[-window:]
    x = np.arange(window, dtype=np.float64)
    dx = x - x.mean()
    sxx = float(dx @ dx)
    slope = float(dx @ (tail - tail.mean())) / sxx
    span = window - 1
    late = slope * span
    residuals = tail - tail.mean() - slope * dx
    dof = window - 2
    noise = span * math.sqrt(float(residuals @ residuals) / dof / sxx) if dof > 0 else 0.0
    progress = abs(float(tail.mean()) - float(y[0]))
    # a hair of slack so that an exactly flat run (late 0 from rounding, e.g. -1e-16 or
    # +1e-16) is judged flat whatever the float summation order
    slack = 1e-12 * max(1.0, float(np.abs(tail).max()))
    converged = window >= MIN_WINDOW and late <= max(TOLERANCE * progress, Z * noise) + slack
    return Convergence(bool(converged), late + 0.0, progress, noise, window)
