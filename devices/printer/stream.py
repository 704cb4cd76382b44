"""Split an ESC/POS byte stream into commands and text runs, knowing each command's length.

Shared by the renderer (bytes → image) and the simulator (which must see ``DLE EOT`` and
``GS I`` as commands, not as bytes inside raster or QR data). Incomplete input at the end
returns ``None`` so a stream can be fed in pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10


@dataclass(frozen=True)
class Token:
    """``kind`` is "text" (printable bytes), "ctl" (one control byte: LF, CR, HT…), or the
    command prefix as text, e.g. "ESC a", "GS v0", "GS (k", "DLE EOT"."""

    kind: str
    raw: bytes  # the whole token as it appeared
    args: bytes = b""  # fixed parameter bytes after the command letter(s)
    data: bytes = b""  # variable payload (raster, QR data, barcode data)


# Fixed parameter counts after "ESC x".
_ESC_FIXED = {
    b"@": 0, b"!": 1, b"E": 1, b"G": 1, b"-": 1, b"a": 1, b"d": 1, b"J": 1, b"t": 1,
    b"M": 1, b"R": 1, b"2": 0, b"3": 1, b" ": 1, b"{": 1, b"V": 1, b"r": 1, b"p": 3,
    b"$": 2, b"\\": 2, b"i": 0, b"m": 0, b"=": 1, b"U": 1, b"%": 1, b"L": 0, b"S": 0,
    b"T": 1, b"W": 8, b"e": 1, b"K": 1, b"?": 1, b"<": 0,
}
_GS_FIXED = {
    b"!": 1, b"h": 1, b"w": 1, b"H": 1, b"f": 1, b"B": 1, b"b": 1, b"a": 1, b"L": 2,
    b"W": 2, b"I": 1, b"r": 1, b"P": 2, b"T": 1, b"/": 1, b"^": 3, b"E": 1, b"\\": 2,
    b"$": 2, b":": 0, b"C": 2, b"g": 2, b"z": 1, b"j": 1,
}
_FS_FIXED = {b"&": 0, b".": 0, b"!": 1, b"-": 1, b"S": 2, b"W": 1, b"C": 1, b"p": 2,
             b"r": 1, b"y": 0}


def next_token(buf: bytes, pos: int) -> tuple[Token, int] | None:
    """The token starting at ``pos`` and the position after it; ``None`` if ``buf`` ends
    inside it. Unknown commands become a two-byte token (prefix + letter) so parsing goes
    on."""
    n = len(buf)
    if pos >= n:
        return None
    b = buf[pos]
    if b >= 0x20:
        end = pos
        while end < n and buf[end] >= 0x20:
            end += 1
        return Token("text", buf[pos:end]), end
    if b not in (ESC, GS, FS, DLE):
        return Token("ctl", buf[pos:pos + 1]), pos + 1
    if pos + 1 >= n:
        return None
    c = buf[pos + 1:pos + 2]
    start = pos + 2

    def fixed(count: int, kind: str) -> tuple[Token, int] | None:
        if start + count > n:
            return None
        return Token(kind, buf[pos:start + count], buf[start:start + count]), start + count

    if b == DLE:
        if c in (b"\x04", b"\x05"):  # DLE EOT n / DLE ENQ n
            return fixed(1, "DLE EOT" if c == b"\x04" else "DLE ENQ")
        if c == b"\x14":  # DLE DC4 fn m t
            return fixed(3, "DLE DC4")
        return Token("DLE ?", buf[pos:start]), start
    if b == ESC:
        if c == b"*":  # ESC * m nL nH d1..dk
            if start + 3 > n:
                return None
            m, nl, nh = buf[start], buf[start + 1], buf[start + 2]
            k = (nl + 256 * nh) * (1 if m in (0, 1) else 3)
            end = start + 3 + k
            if end > n:
                return None
            return Token("ESC *", buf[pos:end], buf[start:start + 3], buf[start + 3:end]), end
        if c == b"D":  # tab stops, NUL-terminated
            end = buf.find(b"\x00", start)
            if end < 0:
                return None
            return Token("ESC D", buf[pos:end + 1], buf[start:end]), end + 1
        if c == b"c":  # ESC c 3/4/5 n
            return fixed(2, "ESC c")
        count = _ESC_FIXED.get(c)
        if count is None:
            return Token("ESC ?", buf[pos:start]), start
        return fixed(count, "ESC " + c.decode("latin-1"))
    if b == FS:
        if c == b"(":  # FS ( x pL pH ...
            return _paren(buf, pos, "FS (")
        count = _FS_FIXED.get(c)
        if count is None:
            return Token("FS ?", buf[pos:start]), start
        return fixed(count, "FS " + c.decode("latin-1"))
    # GS
    if c == b"(":
        return _paren(buf, pos, "GS (")
    if c == b"v":  # GS v 0 m xL xH yL yH data
        if start + 6 > n:
            return None
        hdr = buf[start:start + 6]
        size = (hdr[2] + 256 * hdr[3]) * (hdr[4] + 256 * hdr[5])
        end = start + 6 + size
        if end > n:
            return None
        return Token("GS v0", buf[pos:end], hdr, buf[start + 6:end]), end
    if c == b"V":  # GS V m [n]
        if start >= n:
            return None
        m = buf[start]
        return fixed(2 if m in (65, 66, 97, 98) else 1, "GS V")
    if c == b"k":  # GS k m d1..dk NUL  |  GS k m n d1..dn
        if start >= n:
            return None
        m = buf[start]
        if m <= 6:
            end = buf.find(b"\x00", start + 1)
            if end < 0:
                return None
            return Token("GS k", buf[pos:end + 1], bytes([m]), buf[start + 1:end]), end + 1
        if start + 2 > n:
            return None
        k = buf[start + 1]
        end = start + 2 + k
        if end > n:
            return None
        return Token("GS k", buf[pos:end], bytes([m, k]), buf[start + 2:end]), end
    if c == b"8":  # GS 8 L p1 p2 p3 p4 m fn ...
        if start + 5 > n:
            return None
        size = int.from_bytes(buf[start + 1:start + 5], "little")
        end = start + 5 + size
        if end > n:
            return None
        return Token("GS 8" + chr(buf[start]), buf[pos:end], b"", buf[start + 5:end]), end
    if c == b"*":  # GS * x y d (x*y*8 bytes)
        if start + 2 > n:
            return None
        end = start + 2 + buf[start] * buf[start + 1] * 8
        if end > n:
            return None
        return Token("GS *", buf[pos:end], buf[start:start + 2], buf[start + 2:end]), end
    count = _GS_FIXED.get(c)
    if count is None:
        return Token("GS ?", buf[pos:start]), start
    return fixed(count, "GS " + c.decode("latin-1"))


def _paren(buf: bytes, pos: int, head: str) -> tuple[Token, int] | None:
    """``GS ( x pL pH <p bytes>`` — QR/PDF417 (``GS ( k``), graphics (``GS ( L``) …"""
    n = len(buf)
    if pos + 5 > n:
        return None
    letter = chr(buf[pos + 2])
    size = buf[pos + 3] + 256 * buf[pos + 4]
    end = pos + 5 + size
    if end > n:
        return None
    return Token(head + letter, buf[pos:end], b"", buf[pos + 5:end]), end


def tokenize(buf: bytes) -> tuple[list[Token], int]:
    """All complete tokens and how many bytes they used (the rest is an incomplete tail)."""
    out: list[Token] = []
    pos = 0
    while True:
        got = next_token(buf, pos)
        if got is None:
            return out, pos
        tok, pos = got
        out.append(tok)
