"""The one error type evomesa raises for bad user input."""

from __future__ import annotations

from typing import Any

import numpy as np


class ConfigError(ValueError, TypeError):
    """A parameter was given a value outside what it allows, or of a type it does not take.

    The message always names the parameter, what is allowed and what was given, e.g.
    ``gestation must be an integer in [1, 1000]; got 0``. It subclasses both ``ValueError``
    and ``TypeError`` (as scikit-learn's ``InvalidParameterError`` does), so a caller catching
    either for bad arguments catches it; evomesa raises it for wrong types too. Files that
    cannot be read as what they should be (a run folder, a saved result) raise it as well,
    naming the file and the field.
    """


def bad(name: str, allowed: str, given: Any) -> ConfigError:
    """Build a :class:`ConfigError` in the house format."""
    return ConfigError(f"{name} must be {allowed}; got {given!r}")


def check_int(name: str, value: Any, low: int, high: int | None = None) -> int:
    """Return ``value`` if it is an integer in ``[low, high]``; raise ConfigError otherwise.

    Booleans and floats are rejected rather than silently coerced.
    """
    allowed = f"an integer in [{low}, {high}]" if high is not None else f"an integer >= {low}"
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise bad(name, allowed, value)
    if value < low or (high is not None and value > high):
        raise bad(name, allowed, value)
    return int(value)


def check_float(name: str, value: Any, low: float, high: float | None = None) -> float:
    """Return ``value`` as float if it is a finite real number in ``[low, high]``."""
    allowed = f"a number in [{low}, {high}]" if high is not None else f"a number >= {low}"
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise bad(name, allowed, value)
    v = float(value)
    if not (v == v) or v in (float("inf"), float("-inf")):
        raise bad(name, allowed, value)
    if v < low or (high is not None and v > high):
        raise bad(name, allowed, value)
    return v


def check_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise bad(name, "one of " + ", ".join(repr(c) for c in choices), value)
    return value


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool (0/1 and strings are not silently accepted)."""
    if not isinstance(value, bool | np.bool_):
        raise bad(name, "True or False", value)
    return bool(value)
