"""Printer types: paper geometry and the decoded real-time status (``DLE EOT``).

Geometry (research/devices.md §2.1): 203 dpi heads; 80 mm paper prints 72 mm = 576 dots =
48 half-width (Font A 12×24) or 24 CJK characters per line; 58 mm paper prints 384 dots =
32 / 16.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class PaperWidth(IntEnum):
    MM58 = 58
    MM80 = 80

    @property
    def columns(self) -> int:
        """Half-width (ASCII) columns of Font A; a CJK character takes two."""
        return 32 if self is PaperWidth.MM58 else 48

    @property
    def dots(self) -> int:
        return 384 if self is PaperWidth.MM58 else 576

    @property
    def qr_module(self) -> int:
        """Native QR module size in dots: the receipt URL (version 5 at EC M, 37 modules) is
        then about 28 mm wide on 80 mm paper and 23 mm on 58 mm, big enough for phone cameras
        and our own scanner, small enough to leave margins."""
        return 5 if self is PaperWidth.MM58 else 6

    @staticmethod
    def parse(value: object) -> PaperWidth:
        if isinstance(value, bool) or value not in (58, 80, "58", "80"):
            raise ValueError(f"paper width must be 58 or 80 (mm), got {value!r}")
        return PaperWidth(int(value))


CELL_W = 12  # Font A half-width cell, dots
CELL_H = 24
LINE_H = 30  # ESC/POS default line spacing (1/6 inch at 180 dpi units ≈ 30 dots at 203 dpi)
CUT_MODES = ("full", "partial")


@dataclass(frozen=True)
class PrinterFlags:
    """What the four ``DLE EOT`` replies said. ``None`` means that query got no valid reply.

    Bits (Epson ESC/POS; Citizen; research/devices.md §2.3): n=1 bit3 offline, bit5 waiting
    for online recovery, bit6 feed button; n=2 bit2 cover open, bit3 feeding by button,
    bit5 stopped by paper end, bit6 error; n=3 bit2 black-mark/presenter error, bit3
    auto-cutter error, bit5 unrecoverable, bit6 auto-recoverable; n=4 bits2+3 paper near
    end, bits5+6 paper end.
    """

    # n = 1
    drawer_high: bool | None = None
    offline: bool | None = None
    waiting_recovery: bool | None = None
    feed_button: bool | None = None
    # n = 2
    cover_open: bool | None = None
    feeding_by_button: bool | None = None
    stopped_paper_end: bool | None = None
    error: bool | None = None
    # n = 3
    mark_error: bool | None = None
    cutter_error: bool | None = None
    unrecoverable: bool | None = None
    auto_recoverable: bool | None = None
    # n = 4
    paper_near_end: bool | None = None
    paper_end: bool | None = None

    @property
    def answered(self) -> bool:
        """At least the basic query (n=1) got a valid reply."""
        return self.offline is not None

    @property
    def paper(self) -> str:
        """"out" | "low" | "ok" | "unknown" (media value for DeviceStatus)."""
        if self.paper_end or self.stopped_paper_end:
            return "out"
        if self.paper_near_end:
            return "low"
        if self.paper_end is False or self.stopped_paper_end is False:
            return "ok"
        return "unknown"

    @property
    def cover(self) -> str:
        if self.cover_open is None:
            return "unknown"
        return "open" if self.cover_open else "closed"

    @property
    def can_print(self) -> bool | None:
        """False when a known condition stops printing, True when everything answered and
        nothing stops it, None when we cannot tell ("status unknown" ≠ "cannot print")."""
        blocking = (self.offline, self.cover_open, self.paper_end, self.stopped_paper_end,
                    self.cutter_error, self.unrecoverable, self.auto_recoverable,
                    self.mark_error, self.error)
        if any(b is True for b in blocking):
            return False
        if self.offline is None:
            return None
        return True
