"""The one error type evomesa raises for bad user input."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
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
    """Build a :class:`ConfigError` in the house format (``given`` shown by :func:`shown`)."""
    return ConfigError(f"{name} must be {allowed}; got {shown(given)}")


#: the longest text of a given value an error message quotes
SHOWN_LIMIT = 200


def shown(value: Any, limit: int = SHOWN_LIMIT) -> str:
    """``repr(value)`` for an error message, cut to ``limit`` characters, and never failing.

    Building the message must not raise in place of the error it reports: an int of more than
    4300 digits has no repr in Python >= 3.11 (``ValueError``), and a user's object may have a
    ``__repr__`` that raises. Such values are described instead of quoted.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        plain = _plain_int(value)
        if abs(plain) > 10**30:
            digits = int(plain.bit_length() * 0.30103) + 1  # log10(2): one digit short at most
            return f"{'a negative' if plain < 0 else 'an'} integer of about {digits} digits"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any failure of a user's __repr__ is described instead
        return f"<{type(value).__name__} object>"
    if not isinstance(text, str):  # a __repr__ returning anything else fails in repr() too
        return f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_int(name: str, value: Any, low: int, high: int | None = None) -> int:
    """Return ``value`` if it is an integer in ``[low, high]``; raise ConfigError otherwise.

    Booleans and floats are rejected rather than silently coerced.
    """
    allowed = f"an integer in [{low}, {high}]" if high is not None else f"an integer >= {low}"
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise bad(name, allowed, value)
    v = _plain_int(value)
    if v < low or (high is not None and v > high):
        raise bad(name, allowed, value)
    return v


def _plain_int(value: int | np.integer) -> int:
    """A plain int of an int, numpy integer or int subclass (whose own comparison or
    conversion methods a user may have made raise)."""
    return int.__index__(value) if isinstance(value, int) else int(value)


def check_float(
    name: str, value: Any, low: float, high: float | None = None, allowed: str | None = None
) -> float:
    """Return ``value`` as float if it is a finite real number in ``[low, high]``.

    ``allowed`` words the range in the message instead (say, ``"a probability in [0, 1]"``).

    Python ints are compared with the bounds exactly before any conversion, so an integer
    beyond float range (``10**400``) is refused as out of range instead of overflowing.
    """
    if allowed is None:
        allowed = f"a number in [{low}, {high}]" if high is not None else f"a number >= {low}"
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise bad(name, allowed, value)
    if isinstance(value, int):
        exact = _plain_int(value)  # compared exactly: int-float comparisons never overflow
        if exact < low or (high is not None and exact > high):
            raise bad(name, allowed, value)
    try:
        v = float.__float__(value) if isinstance(value, float) else float(value)
    except OverflowError:  # an int beyond float range with no upper bound given
        raise bad(name, allowed, value) from None
    if not math.isfinite(v) or v < low or (high is not None and v > high):
        raise bad(name, allowed, value)
    return v


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """Return ``value`` (as a plain str) if it is one of ``choices``."""
    # str.__str__ gives a plain str of a str subclass, whose own __eq__ or __hash__ might
    # raise or lie while being compared with the choices
    if not isinstance(value, str) or str.__str__(value) not in choices:
        raise bad(name, "one of " + ", ".join(repr(c) for c in choices), value)
    return str.__str__(value)


def check_callable(name: str, value: Any, contract: str) -> Callable:
    """Return ``value`` if it is callable; ``contract`` says how it is called, e.g.
    ``"a callable(gen, record)"``."""
    if not callable(value):
        raise bad(name, contract, value)
    return value


def check_mapping(
    name: str, value: Any, allowed: str = "a mapping of names to values", keys: str = "names"
) -> dict:
    """``value`` as a new dict, if it is a mapping whose keys are all str (made plain str);
    ``keys`` says what the keys name, for the message."""
    if not isinstance(value, Mapping):
        raise bad(name, allowed, value)
    try:
        out = dict(value.items())
    except Exception as err:  # noqa: BLE001 - a user's mapping may fail in any way
        raise bad(name, allowed, value) from err
    for key in out:
        if not isinstance(key, str):
            raise ConfigError(f"{name} keys must be {keys} (str); got {shown(key)}")
    return {str.__str__(k): v for k, v in out.items()}


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool (0/1 and strings are not silently accepted)."""
    if not isinstance(value, bool | np.bool_):
        raise bad(name, "True or False", value)
    return bool(value)


# ---- text from files, made safe to print
#: characters a terminal acts on instead of showing: C0/C1 controls, DEL, and the
#: bidirectional and zero-width format characters that reorder or hide text
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(value: Any, limit: int = 200) -> str:
    """``str(value)`` with every control or format character escaped, cut to ``limit``.

    Parameters
    ----------
    value : object
        Anything; non-strings are converted with :func:`str` first.
    limit : int
        The most characters returned (longer text ends in ``...``).

    Returns
    -------
    str
        Text holding no character a terminal would act on: ``\\x1b`` becomes the four
        characters ``\\x1b``, a newline ``\\n``, a right-to-left override ``\\u202e``.

    Examples
    --------
    >>> printable("ok\\x1b[2Jgone")
    'ok\\\\x1b[2Jgone'
    """
    text = value if isinstance(value, str) else _str(value)
    out = []
    length = 0
    for ch in text:
        piece = ch if unicodedata.category(ch) not in _UNSAFE_CATEGORIES else _escape(ch)
        if length + len(piece) > limit:
            out.append("...")
            break
        out.append(piece)
        length += len(piece)
    return "".join(out)


def _str(value: Any) -> str:
    try:
        return str(value)
    except ValueError:  # an int with more digits than Python converts to text
        return f"<{type(value).__name__} too long to print>"


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
