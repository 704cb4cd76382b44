"""Text from outside (a scanned code, a file name) made safe for a terminal: control
characters (ESC, CSI, BEL, C1, bidi overrides …) are shown as escapes, never sent raw."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def printable(text: str) -> str:
    """``text`` with every control or format character except the space escaped
    (``ESC[2J`` → ``\\x1b[2J``, U+202E → ``\\u202e``); Chinese and other letters unchanged."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") and ch != " ":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


# Every character of Unicode categories Cc, Cf, Zl and Zp (Unicode 14) but newline and tab,
# as ranges: computing them from unicodedata at start costs 0.2 s a command.
# tests/test_terminal_escapes.py checks them against this Python's unicodedata.
CONTROL_RANGES = (
    (0x0000, 0x0008), (0x000B, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605),
    (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
_CONTROL_RE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in CONTROL_RANGES)
                         + "]")


def _control_re() -> re.Pattern[str]:
    return _CONTROL_RE


def escape_controls(text: str) -> str:
    """Control and format characters as ``\\uXXXX`` (valid inside a JSON string, so JSON
    output stays JSON and means the same); newline and tab kept."""
    return _control_re().sub(_json_escape, text)


def _json_escape(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON writes it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


class EscapingWriter(io.TextIOBase):
    """A text stream that passes everything through ``escape_controls``: whatever a command
    prints (a matter name or a problem message from a gateway, a file name) cannot drive
    the terminal. Binary writes (``.buffer``) and everything else go to the wrapped stream."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def write(self, s: str) -> int:
        self._inner.write(escape_controls(s))
        return len(s)

    def flush(self) -> None:
        self._inner.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return bool(self._inner.isatty())

    def fileno(self) -> int:
        return int(self._inner.fileno())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """stdout and stderr through ``EscapingWriter`` while a command runs."""
    import sys

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingWriter(out), EscapingWriter(err)
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            sys.stdout, sys.stderr = out, err
