"""Text from outside (a scanned code, a file name) made safe for a terminal: control
characters (ESC, CSI, BEL, C1, bidi overrides …) are shown as escapes, never sent raw."""

from __future__ import annotations

import unicodedata


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
