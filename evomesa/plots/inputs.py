"""Checks of what is given to a plotting function: arrays, mappings of series, labels.

Each raises :class:`~evomesa.errors.ConfigError` naming the argument, what it must be and
what was given, before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from evomesa.errors import ConfigError


def shape_of(value: Any) -> str:
    """Short description of a given value for error messages (shape, not a full repr)."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"an array of shape {tuple(shape)}"
    try:
        return f"an array of shape {np.shape(value)}"
    except (TypeError, ValueError):
        return repr(value)


def finite_array(name: str, value: Any, ndim: int, what: str) -> np.ndarray:
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
        raise ConfigError(f"{name} must be {what} of finite numbers; got {shape_of(a)}")
    if not np.isfinite(a).all():
        raise ConfigError(
            f"{name} must be {what} of finite numbers; got {int((~np.isfinite(a)).sum())} "
            "non-finite entries"
        )
    return a


def non_empty_mapping(name: str, value: Any) -> None:
    """Raise ConfigError unless ``value`` is a non-empty mapping with string keys."""
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(f"{name} must be a non-empty mapping of label -> values; got {value!r}")
    bad_keys = [k for k in value if not isinstance(k, str)]
    if bad_keys:
        raise ConfigError(f"{name} keys must be strings (series labels); got {bad_keys!r}")


def check_text(name: str, value: Any) -> str:
    """Raise ConfigError unless ``value`` is a string."""
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a string; got {value!r}")
    return value
