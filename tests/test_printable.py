"""Text read from files is printed with control characters escaped and its length bounded."""

from __future__ import annotations

import pytest

from evomesa.errors import printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text", "plain text"),
        ("clear\x1b[2Jscreen", "clear\\x1b[2Jscreen"),
        ("title\x1b]0;pwned\x07", "title\\x1b]0;pwned\\x07"),
        ("two\nlines\r", "two\\nlines\\r"),
        ("del\x7f", "del\\x7f"),
        ("csi\x9b", "csi\\x9b"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("ünïcode ok", "ünïcode ok"),
    ],
)
def test_control_characters_are_escaped(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_nothing_a_terminal_acts_on_survives() -> None:
    text = printable("".join(chr(c) for c in range(0x250)))
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)


def test_long_text_is_cut() -> None:
    out = printable("x" * 10_000, limit=50)
    assert len(out) <= 53 and out.endswith("...")


def test_non_strings_and_huge_ints() -> None:
    assert printable(3.5) == "3.5"
    assert "too long" in printable(10**5000)
