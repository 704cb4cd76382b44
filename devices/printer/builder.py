"""Compose ESC/POS bytes for a receipt: Chinese text in two-byte mode, raster lines for
characters outside the printer font, ``GS !`` sizes, label/value columns, native QR with a
raster fallback, an optional CODE128, cut.

Standard commands (``GS !`` through ``set``, native ``qr``, ``image``, ``barcode``, ``cut``)
come from python-escpos on a ``Dummy`` printer; Chinese bytes we encode ourselves and send
with ``_raw`` (python-escpos 3.1 has no GB18030 code page and its Chinese shortcut neither
sends ``FS &`` nor handles full-width punctuation: research/env-probe.md §7).
"""

from __future__ import annotations

import contextlib
import copy
import io
from collections.abc import Callable
from typing import Any, Literal, TypedDict

import segno
from escpos.printer import Dummy
from PIL import Image

from devices.printer import cjk
from devices.printer.types import CELL_H, CELL_W, CUT_MODES, LINE_H, PaperWidth

Align = Literal["left", "center", "right"]

ESC_INIT = b"\x1b@"
FS_KANJI_ON = b"\x1c&"
FS_KANJI_OFF = b"\x1c."
_ALIGN = {"left": b"\x1ba\x00", "center": b"\x1ba\x01", "right": b"\x1ba\x02"}
QR_EC = {"L": 0, "M": 1, "Q": 2, "H": 3}


class Layout(TypedDict):
    """How a printer wants its jobs composed (``ReceiptPrinter.layout``)."""

    paper: PaperWidth
    charset: str
    native_qr: bool
    cut: str


def _quiet(func: Callable[..., object], *args: Any, **kwargs: Any) -> object:
    """python-escpos prints progress notes ("Using hardware barcode renderer") to stdout;
    keep them out of CLI output."""
    with contextlib.redirect_stdout(io.StringIO()):
        return func(*args, **kwargs)


class ReceiptBuilder:
    """Accumulates the bytes of one job. Every line goes through ``line()`` so the column
    arithmetic (CJK = 2 columns) and the raster fallback apply everywhere."""

    def __init__(self, paper: PaperWidth = PaperWidth.MM80, charset: str = "gb2312",
                 native_qr: bool = True, raster_impl: str = "bitImageRaster",
                 cut: str = "full") -> None:
        if charset not in cjk.CHARSETS:
            raise ValueError(f"charset must be one of {cjk.CHARSETS}, got {charset!r}")
        if cut not in CUT_MODES:
            raise ValueError(f"cut must be one of {CUT_MODES}, got {cut!r}")
        self.cut_mode = cut
        self.paper = paper
        self.charset = charset
        self.native_qr = native_qr
        self.raster_impl = raster_impl
        self._p = Dummy()
        # A private copy of the profile that knows the paper width (image() checks it).
        self._p.profile.profile_data = copy.deepcopy(self._p.profile.profile_data)
        self._p.profile.profile_data["media"]["width"]["pixels"] = paper.dots
        self._scale = 1
        self._align: Align = "left"
        # Characters no installed font can draw (they print as boxes): a count only, since
        # they are usually in a citizen's name.
        self.missing_glyphs = 0
        self._p._raw(ESC_INIT + FS_KANJI_ON)

    # -- state -----------------------------------------------------------------------------
    @property
    def columns(self) -> int:
        return self.paper.columns // self._scale

    def align(self, align: Align) -> ReceiptBuilder:
        if align != self._align:
            self._p._raw(_ALIGN[align])
            self._align = align
        return self

    def bold(self, on: bool = True) -> ReceiptBuilder:
        self._p.set(bold=on)
        return self

    def size(self, scale: int) -> ReceiptBuilder:
        """``GS !``: 1 = normal, 2 = double width and height (scales Chinese too, unlike
        ``ESC !``)."""
        if scale not in (1, 2, 3):
            raise ValueError("scale must be 1, 2 or 3")
        if scale != self._scale:
            self._p.set(custom_size=True, width=scale, height=scale)
            self._scale = scale
        return self

    # -- text ------------------------------------------------------------------------------
    def line(self, text: str = "", align: Align | None = None) -> ReceiptBuilder:
        """One printed line (clipped to the width; use ``para`` to wrap)."""
        text = cjk.clip(text.replace("\t", " "), self.columns)
        if cjk.needs_raster(text, self.charset):
            self._raster_line(text, align or self._align)
            return self
        if align is not None:
            self.align(align)
        self._p._raw(cjk.encode(text) + b"\n")
        return self

    def para(self, text: str, align: Align | None = None, indent: int = 0) -> ReceiptBuilder:
        """Wrapped text; continuation lines are indented by ``indent`` columns."""
        first = True
        for part in cjk.wrap(text, self.columns - (0 if indent == 0 else indent)):
            self.line(part if first else " " * indent + part, align)
            first = False
        return self

    def kv(self, label: str, value: str, label_cols: int | None = None) -> ReceiptBuilder:
        """``label  value`` with the values of consecutive rows starting in the same column;
        a long value wraps under itself. ``label_cols`` defaults to 10 (five CJK)."""
        lc = label_cols if label_cols is not None else 10
        lc = min(lc, self.columns // 2)
        label = cjk.clip(label, lc)
        if label and cjk.text_width(label) >= lc:
            lc = cjk.text_width(label) + 1  # never run label and value together
        pad = " " * (lc - cjk.text_width(label))
        width = self.columns - lc
        parts = cjk.wrap(value, width) or [""]
        self.line(label + pad + parts[0], "left")
        for part in parts[1:]:
            self.line(" " * lc + part, "left")
        return self

    def columns2(self, left: str, right: str) -> ReceiptBuilder:
        """``left ........ right`` on one line, right flush (wraps ``left`` if needed)."""
        rw = cjk.text_width(right)
        room = self.columns - rw - 1
        parts = cjk.wrap(left, max(room, 1)) or [""]
        for part in parts[:-1]:
            self.line(part, "left")
        last = parts[-1]
        gap = self.columns - cjk.text_width(last) - rw
        self.line(last + " " * max(gap, 1) + right, "left")
        return self

    def rule(self, char: str = "-") -> ReceiptBuilder:
        w = cjk.char_width(char)
        return self.line(char * (self.columns // w), "left")

    def feed(self, lines: int = 1) -> ReceiptBuilder:
        self._p._raw(b"\n" * lines)
        return self

    def _raster_line(self, text: str, align: Align) -> None:
        """A line with characters outside the font: draw it with the CJK font on the same
        grid and send it as a ``GS v 0`` raster (full width, so ``ESC a`` has no effect)."""
        self.missing_glyphs += sum(1 for c in text if not cjk.printable_natively(c, self.charset)
                                   and not cjk.has_glyph(c))
        img = cjk.render_line(text, self.paper.dots, self._scale, align, CELL_W, CELL_H)
        canvas = Image.new("1", (self.paper.dots, LINE_H * self._scale), 1)
        canvas.paste(img, (0, 0))
        self.image(canvas)

    # -- graphics --------------------------------------------------------------------------
    def image(self, img: Image.Image) -> ReceiptBuilder:
        _quiet(self._p.image, img, impl=self.raster_impl)
        return self

    def qr(self, payload: str, ec: str = "M", module: int | None = None) -> ReceiptBuilder:
        """Centered QR. Native ``GS ( k`` (model 2, UTF-8 data) or, for printers without it,
        a raster drawn by segno in byte mode (segno's auto mode may pick Kanji for Chinese:
        env-probe §12)."""
        if ec not in QR_EC:
            raise ValueError("QR error correction must be L, M, Q or H")
        module = module or self.paper.qr_module
        self.align("center")
        if self.native_qr:
            self._p.qr(payload, ec=QR_EC[ec], size=module, native=True)
            self._p._raw(b"\n")
        else:
            code = segno.make_qr(payload.encode("utf-8"), error=ec.lower(), mode="byte")
            side = int(code.symbol_size(scale=module, border=4)[0])
            img = Image.new("1", (self.paper.dots, side), 1)
            px = img.load()
            x0 = (self.paper.dots - side) // 2
            for y, row in enumerate(code.matrix_iter(scale=module, border=4)):
                for x, dark in enumerate(row):
                    if dark:
                        px[x0 + x, y] = 0  # type: ignore[index]
            self.image(img)
        self.align("left")
        return self

    def barcode(self, data: str) -> bool:
        """CODE128 (code set B) centered; False (nothing printed) when it would not fit at
        2-dot modules or holds characters CODE128-B lacks."""
        if not data or not all(0x20 <= ord(c) < 0x7F for c in data):
            return False
        modules = 11 * (len(data) + 3) + 2
        if modules * 2 > self.paper.dots:
            return False
        _quiet(self._p.barcode, "{B" + data, "CODE128", height=60, width=2, pos="BELOW",
               function_type="B")
        self._p._raw(_ALIGN["left"])
        self._align = "left"
        return True

    def cut(self) -> ReceiptBuilder:
        """Feed the last line past the cutter (``ESC d 6``) and cut (``GS V 0``/``GS V 1``)."""
        self.size(1).align("left")
        self._p.cut(mode="PART" if self.cut_mode == "partial" else "FULL")
        return self

    def raw(self, data: bytes) -> ReceiptBuilder:
        self._p._raw(data)
        return self

    def bytes(self) -> bytes:
        return bytes(self._p.output)
