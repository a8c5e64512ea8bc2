"""Training regimes: one regime, or a mixture drawn episode by episode.

``EvolutionConfig(regime="ancestral")`` trains in one regime; ``regime={"ancestral": 0.97,
"modern": 0.03}`` trains in a mixture: every generation, each episode column (the episode seed
every individual shares under common random numbers) is played in a regime drawn with these
probabilities from the run's own seeded stream, so selection still compares genomes on the
same episodes. On the command line a mixture reads ``ancestral=0.97,modern=0.03``.
"""

from __future__ import annotations

import numpy as np

from evomesa.errors import ConfigError, bad, check_float, check_mapping, shown

#: how far the weights of a mixture may sum from 1 (they are probabilities, given in decimals)
SUM_TOLERANCE = 1e-9


class Mixture(dict):
    """A checked mixture of regimes: a read-only, hashable dict of name -> probability (so a
    frozen config holding one stays frozen)."""

    def _read_only(self, *args, **kwargs):
        raise TypeError("a regime mixture is read-only: build a new EvolutionConfig")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))

    def __reduce__(self):
        return (Mixture, (dict(self),))


RegimeSpec = str | dict[str, float]


def check_regime_spec(regime, name: str = "regime") -> RegimeSpec | None:
    """``regime`` checked for type and weights (names are checked against a world later).

    Returns None, the name, or a new read-only :class:`Mixture` of the weights, in the given
    order.
    """
    if regime is None:
        return None
    if isinstance(regime, str):
        return str.__str__(regime)  # a plain str: a subclass may compare or hash oddly
    allowed = "a regime name or a non-empty mapping of regime names to probabilities"
    given = check_mapping(name, regime, allowed, keys="regime names")
    if not given:
        raise bad(name, allowed, regime)
    weights = {
        key: check_float(f"{name}[{shown(key)}]", value, 0.0, 1.0, "a probability in [0, 1]")
        for key, value in given.items()
    }
    total = sum(weights.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ConfigError(
            f"{name} probabilities must sum to 1; got {total!r} for {shown(weights)}"
        )
    return Mixture(weights)


def is_mixture(regime: RegimeSpec | None) -> bool:
    return isinstance(regime, dict)


def main_regime(regime: RegimeSpec) -> str:
    """The regime a run mostly trained in: the name, or a mixture's most probable regime
    (the first of equals). Drift is measured from it."""
    if isinstance(regime, str):
        return regime
    return max(regime, key=lambda name: regime[name])


def regime_label(regime: RegimeSpec | None) -> str:
    """``"ancestral"``, or ``"ancestral=0.97,modern=0.03"`` for a mixture."""
    if regime is None or isinstance(regime, str):
        return str(regime)
    return ",".join(f"{name}={weight:g}" for name, weight in regime.items())


def parse_regime_spec(text: str, name: str = "--train") -> RegimeSpec:
    """``"modern"`` -> ``"modern"``; ``"ancestral=0.97,modern=0.03"`` -> a checked mixture."""
    if "=" not in text:
        return text.strip()
    weights: dict[str, float] = {}
    for part in text.split(","):
        key, sep, raw = part.partition("=")
        try:
            if not sep or key.strip() in weights:  # a repeated regime is a typo, not a sum
                raise ValueError
            weights[key.strip()] = float(raw)
        except ValueError:
            raise ConfigError(
                f"{name} must be a regime or regime=probability,... (e.g. "
                f"ancestral=0.97,modern=0.03); got {text!r}"
            ) from None
    return check_regime_spec(weights, name)


def draw_columns(mixture: dict[str, float], episodes: int, rng: np.random.Generator) -> list:
    """One regime per episode column, drawn independently with the mixture's probabilities."""
    names = list(mixture)
    p = np.array([mixture[n] for n in names])
    picks = rng.choice(len(names), size=episodes, p=p / p.sum())
    return [names[k] for k in picks]
