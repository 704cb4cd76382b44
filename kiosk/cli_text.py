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


_CONTROL_RE: re.Pattern[str] | None = None


def _control_re() -> re.Pattern[str]:
    """Every control, format or line/paragraph separator character of the BMP and beyond
    that Python knows, except newline and tab."""
    global _CONTROL_RE
    if _CONTROL_RE is None:
        import sys

        bad = [chr(c) for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp") and chr(c) not in "\n\t"]
        _CONTROL_RE = re.compile("[" + "".join(re.escape(c) for c in bad) + "]")
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
    sys.stdout, sys.stderr = EscapingWriter(out), EscapingWriter(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            sys.stdout, sys.stderr = out, err
