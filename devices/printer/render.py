"""ESC/POS bytes → PNG (and a text dump) for review and tests.

Covers what our receipts send and what common encoders send: text with ``ESC !``/``GS !``
sizes, bold, underline, alignment, Font A/B, two-byte Chinese after ``FS &`` (GB18030 bytes,
drawn with the CJK font), single-byte code pages, HT, ``ESC d``/``ESC J`` feeds, line spacing,
raster images (``GS v 0``, ``GS ( L``/``GS 8 L`` graphics, ``ESC *`` bit images), QR
(``GS ( k``: the stored payload is re-encoded with segno at the requested module size and
error correction), CODE128 (``GS k``), and cuts (a dashed line). Everything else is skipped
by length (see ``stream``) and listed in ``warnings``.

It is our own renderer: no Python ESC/POS renderer on 3.11 handles Chinese
(research/env-probe.md §11).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import segno
from PIL import Image, ImageDraw

from devices.printer import cjk
from devices.printer.stream import Token, next_token

FONT_A = (12, 24)
FONT_B = (9, 17)
DEFAULT_SPACING = 30
_CODEPAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252",
              17: "cp866", 18: "cp852", 19: "cp858"}


@dataclass
class Rendering:
    image: Image.Image
    lines: list[str] = field(default_factory=list)  # text dump, one entry per printed line
    qr_payloads: list[bytes] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    cuts: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@functools.lru_cache(maxsize=4096)
def _glyph(ch: str, cell_w: int, cell_h: int, sw: int, sh: int, bold: bool,
           underline: int) -> Image.Image:
    img = Image.new("L", (cell_w, cell_h), 255)
    if ch.strip():
        img = cjk.draw_glyph(ch, cell_w, cell_h, bold)
    if underline:
        ImageDraw.Draw(img).rectangle((0, cell_h - underline, cell_w - 1, cell_h - 1), fill=0)
    if (sw, sh) != (1, 1):
        img = img.resize((cell_w * sw, cell_h * sh), Image.Resampling.NEAREST)
    return img


class _Renderer:
    def __init__(self, dots: int) -> None:
        self.dots = dots
        self.out = Rendering(Image.new("L", (dots, 1), 255))
        self.rows: list[Image.Image] = []  # printed strips, top to bottom
        self.reset()
        self.qr_module = 3
        self.qr_ec = "l"
        self.qr_data = b""
        self.bc = {"h": 162, "w": 3, "hri": 0}
        self.graphics: Image.Image | None = None

    def reset(self) -> None:
        self.align = 0
        self.bold = False
        self.underline = 0
        self.font_b = False
        self.sw = self.sh = 1
        self.kanji = False
        self.codepage = "cp437"
        self.spacing = DEFAULT_SPACING
        self.items: list[tuple[Image.Image, str]] = []
        self.x = 0

    # -- line buffer -----------------------------------------------------------------------
    def _cell(self, wide: bool) -> tuple[int, int]:
        w, h = FONT_B if self.font_b and not wide else FONT_A
        return (2 * FONT_A[0] if wide else w), h

    def put_char(self, ch: str, wide: bool) -> None:
        cw, chh = self._cell(wide)
        glyph = _glyph(ch, cw, chh, self.sw, self.sh, self.bold, self.underline)
        if self.x + glyph.width > self.dots and self.items:
            self.flush(self.spacing)  # the printer wraps at the right edge
        self.items.append((glyph, ch))
        self.x += glyph.width

    def put_image(self, img: Image.Image, text: str, own_line: bool) -> None:
        if own_line:
            if self.items:
                self.flush(self.spacing)
            self.items.append((img, text))
            self.flush(0)
        else:
            self.items.append((img, text))
            self.x += img.width

    def flush(self, advance: int) -> None:
        """Print the line buffer (aligned), then advance ``advance`` dots at least."""
        if not self.items:
            self.rows.append(Image.new("L", (self.dots, max(advance, 0)), 255))
            self.out.lines.append("")
            return
        height = max(img.height for img, _ in self.items)
        width = sum(img.width for img, _ in self.items)
        strip = Image.new("L", (self.dots, max(height, advance)), 255)
        x = {0: 0, 1: (self.dots - width) // 2, 2: self.dots - width}.get(self.align, 0)
        x = max(0, x)
        for img, _ in self.items:
            strip.paste(img, (x, height - img.height))  # bottom-aligned, like a baseline
            x += img.width
        self.rows.append(strip)
        self.out.lines.append("".join(t for _, t in self.items).rstrip())
        self.items, self.x = [], 0

    # -- commands --------------------------------------------------------------------------
    def text(self, raw: bytes) -> None:
        i = 0
        while i < len(raw):
            b = raw[i]
            if b < 0x80 or not self.kanji:
                ch = chr(b) if b < 0x80 else bytes([b]).decode(self.codepage, "replace")
                self.put_char(ch, False)
                i += 1
                continue
            # GB18030: two bytes, or four when the second is a digit 0x30..0x39.
            size = 4 if i + 1 < len(raw) and 0x30 <= raw[i + 1] <= 0x39 else 2
            chunk = raw[i:i + size]
            ch = chunk.decode("gb18030", "replace")
            self.put_char(ch[:1] or "?", True)
            i += size

    def ctl(self, b: int) -> None:
        if b == 0x0A:
            self.flush(self.spacing)
        elif b == 0x09:
            step = 8 * self._cell(False)[0] * self.sw
            nxt = (self.x // step + 1) * step
            if nxt < self.dots:
                self.put_image(Image.new("L", (nxt - self.x, 1), 255), " ", False)
        elif b == 0x0C:
            self.flush(self.spacing)

    def command(self, t: Token) -> None:
        k, a = t.kind, t.args
        if k == "ESC @":
            self.reset()
        elif k == "ESC !":
            n = a[0]
            self.font_b = bool(n & 1)
            self.bold = bool(n & 8)
            self.sh = 2 if n & 16 else 1
            self.sw = 2 if n & 32 else 1
            self.underline = 1 if n & 128 else 0
        elif k == "GS !":
            self.sw, self.sh = (a[0] >> 4) + 1, (a[0] & 15) + 1
        elif k in ("ESC E", "ESC G"):
            self.bold = bool(a[0] & 1)
        elif k == "ESC -":
            self.underline = a[0] & 3 if a[0] < 48 else a[0] - 48
        elif k == "ESC M":
            self.font_b = a[0] in (1, 49)
        elif k == "ESC a":
            self.align = a[0] - 48 if a[0] >= 48 else a[0]
        elif k == "ESC d":
            for _ in range(max(a[0], 0)):
                self.flush(self.spacing)
        elif k == "ESC J":
            self.flush(a[0])
        elif k == "ESC 2":
            self.spacing = DEFAULT_SPACING
        elif k == "ESC 3":
            self.spacing = a[0]
        elif k == "ESC t":
            self.codepage = _CODEPAGES.get(a[0], "cp437")
        elif k == "FS &":
            self.kanji = True
        elif k == "FS .":
            self.kanji = False
        elif k == "GS v0":
            self.raster(t)
        elif k == "ESC *":
            self.column_image(t)
        elif k in ("GS (L", "GS 8L"):
            self.graphics_cmd(t.data)
        elif k == "GS (k":
            self.code2d(t.data)
        elif k == "GS h":
            self.bc["h"] = a[0]
        elif k == "GS w":
            self.bc["w"] = a[0]
        elif k == "GS H":
            self.bc["hri"] = a[0] - 48 if a[0] >= 48 else a[0]
        elif k == "GS k":
            self.barcode(t)
        elif k in ("GS V", "ESC i", "ESC m"):
            if k == "GS V" and a[0] in (65, 66, 97, 98) and len(a) > 1:
                self.flush(a[1])
            self.cut()
        elif k in ("DLE EOT", "DLE ENQ", "DLE DC4", "ESC p", "GS I", "GS r", "GS a",
                   "ESC =", "ESC t", "FS !", "FS -", "FS S", "FS W", "FS C", "ESC  ", "GS L",
                   "GS W", "GS f", "GS B", "ESC R", "ESC {", "ESC V", "ESC c", "ESC D",
                   "GS b", "ESC U", "ESC %", "GS P", "ESC $", "ESC \\"):
            pass  # real-time/status or layout commands with no effect on our strip
        else:
            self.out.warnings.append(f"skipped {k} ({len(t.raw)} bytes)")

    # -- images and codes ------------------------------------------------------------------
    @staticmethod
    def _bits(data: bytes, width_bytes: int, height: int, width: int) -> Image.Image:
        img = Image.frombytes("1", (width_bytes * 8, height), bytes(~b & 0xFF for b in data))
        return img.crop((0, 0, width, height)).convert("L")

    def raster(self, t: Token) -> None:
        m, xl, xh, yl, yh = t.args[1], t.args[2], t.args[3], t.args[4], t.args[5]
        wb, h = xl + 256 * xh, yl + 256 * yh
        if wb == 0 or h == 0:
            return
        img = self._bits(t.data, wb, h, wb * 8)
        m = m - 48 if m >= 48 else m
        if m in (1, 3):
            img = img.resize((img.width * 2, img.height), Image.Resampling.NEAREST)
        if m in (2, 3):
            img = img.resize((img.width, img.height * 2), Image.Resampling.NEAREST)
        self.put_image(img, f"[image {img.width}x{img.height}]", True)

    def column_image(self, t: Token) -> None:
        m, nl, nh = t.args
        cols = nl + 256 * nh
        if cols == 0:
            return
        bands = 1 if m in (0, 1) else 3
        img = Image.new("L", (cols, 8 * bands), 255)
        px = img.load()
        for x in range(cols):
            for band in range(bands):
                byte = t.data[x * bands + band]
                for bit in range(8):
                    if byte >> (7 - bit) & 1:
                        px[x, band * 8 + bit] = 0  # type: ignore[index]
        if m in (0, 32):  # single density: each column twice as wide
            img = img.resize((cols * 2, img.height), Image.Resampling.NEAREST)
        if bands == 1:
            img = img.resize((img.width, img.height * 3), Image.Resampling.NEAREST)
        self.put_image(img, "", False)

    def graphics_cmd(self, data: bytes) -> None:
        if len(data) < 2:
            return
        fn = data[1]
        if fn in (0x70, 0x71) and len(data) >= 10:  # store raster graphics in the buffer
            bx, by = max(data[3], 1), max(data[4], 1)
            w, h = data[6] + 256 * data[7], data[8] + 256 * data[9]
            wb = (w + 7) // 8
            if w == 0 or h == 0 or len(data) < 10 + wb * h:
                self.out.warnings.append("graphics data shorter than its header says")
                return
            img = self._bits(data[10:10 + wb * h], wb, h, w)
            if (bx, by) != (1, 1):
                img = img.resize((w * bx, h * by), Image.Resampling.NEAREST)
            self.graphics = img
        elif fn in (0x32, 0x02) and self.graphics is not None:  # print the buffered graphics
            self.put_image(self.graphics, f"[image {self.graphics.width}x"
                           f"{self.graphics.height}]", True)
            self.graphics = None

    def code2d(self, data: bytes) -> None:
        if len(data) < 2:
            return
        cn, fn = data[0], data[1]
        if cn != 0x31:  # PDF417 and others: not drawn
            if fn == 0x51:
                self.out.warnings.append("2D code other than QR not drawn")
            return
        if fn == 0x43:
            self.qr_module = max(1, min(16, data[2]))
        elif fn == 0x45:
            self.qr_ec = {48: "l", 49: "m", 50: "q", 51: "h"}.get(data[2], "l")
        elif fn == 0x50:
            self.qr_data = data[3:]
        elif fn == 0x51 and self.qr_data:
            module = self.qr_module
            try:
                code = segno.make_qr(self.qr_data, error=self.qr_ec, mode="byte",
                                     boost_error=False)
            except segno.DataOverflowError:
                self.out.warnings.append(f"QR data too long ({len(self.qr_data)} bytes)")
                return
            side = int(code.symbol_size(scale=module, border=0)[0])
            img = Image.new("L", (side, side), 255)
            px = img.load()
            for y, row in enumerate(code.matrix_iter(scale=module, border=0)):
                for x, dark in enumerate(row):
                    if dark:
                        px[x, y] = 0  # type: ignore[index]
            self.out.qr_payloads.append(self.qr_data)
            label = self.qr_data.decode("utf-8", "replace")
            self.put_image(img, f"[qr {label}]", True)

    def barcode(self, t: Token) -> None:
        m = t.args[0]
        text = t.data.decode("latin-1")
        bars = ""
        if m in (73,):
            body = text[2:] if text[:2] in ("{A", "{B", "{C") else text
            text = body
            try:
                from barcode.codex import Code128  # python-barcode (python-escpos dependency)

                bars = Code128(body).build()[0]
            except Exception as exc:  # its own validation: show a box instead
                self.out.warnings.append(f"barcode not drawn: {exc}")
        else:
            self.out.warnings.append(f"barcode type {m} drawn as a box")
        w, h = max(self.bc["w"], 1), max(self.bc["h"], 1)
        width = len(bars) * w if bars else min(self.dots, 11 * w * (len(text) + 3))
        img = Image.new("L", (max(width, 1), h), 255)
        draw = ImageDraw.Draw(img)
        if bars:
            for i, bit in enumerate(bars):
                if bit == "1":
                    draw.rectangle((i * w, 0, i * w + w - 1, h - 1), fill=0)
        else:
            draw.rectangle((0, 0, width - 1, h - 1), outline=0)
        self.out.barcodes.append(text)
        self.put_image(img, f"[barcode {text}]", True)
        if self.bc["hri"] in (2, 3):
            for ch in text:
                self.put_char(ch, False)
            self.flush(self.spacing)

    def cut(self) -> None:
        if self.items:
            self.flush(self.spacing)
        strip = Image.new("L", (self.dots, 12), 255)
        draw = ImageDraw.Draw(strip)
        for x in range(0, self.dots, 12):
            draw.line((x, 6, x + 6, 6), fill=0)
        self.rows.append(strip)
        self.out.lines.append("[cut]")
        self.out.cuts += 1

    def finish(self) -> Rendering:
        if self.items:
            self.flush(self.spacing)
        margin = 16
        height = sum(r.height for r in self.rows) + 2 * margin
        page = Image.new("L", (self.dots + 2 * margin, max(height, 2 * margin)), 255)
        y = margin
        for r in self.rows:
            page.paste(r, (margin, y))
            y += r.height
        self.out.image = page
        return self.out


def render(data: bytes, dots: int = 576) -> Rendering:
    """Render a whole ESC/POS stream as it would print on paper ``dots`` wide."""
    r = _Renderer(dots)
    pos = 0
    while True:
        got = next_token(data, pos)
        if got is None:
            if pos < len(data):
                r.out.warnings.append(f"{len(data) - pos} trailing bytes of an incomplete "
                                      "command ignored")
            break
        tok, pos = got
        if tok.kind == "text":
            r.text(tok.raw)
        elif tok.kind == "ctl":
            r.ctl(tok.raw[0])
        else:
            r.command(tok)
    return r.finish()
