"""Text from files, made safe to print: control characters escaped, length bounded.

A saved run, checkpoint or sweep may have been edited by anyone. Whatever evomesa prints from
such a file (a world's name, a drive, a parameter value, a folder name) goes through
:func:`printable`, so that a crafted string cannot clear the screen, retitle the terminal or
hide text with escape sequences, and a megabyte-long name cannot flood the output.
"""

from __future__ import annotations

import unicodedata
from typing import Any

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
