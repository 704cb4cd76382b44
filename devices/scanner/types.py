"""Values of the QR/barcode scanner class."""

from __future__ import annotations

from dataclasses import dataclass, field

# Completion codes
TIMEOUT = "TIMEOUT"
CANCELLED = "CANCELLED"
DISCONNECTED = "DISCONNECTED"
NOT_OPEN = "NOT_OPEN"
TOO_LONG = "TOO_LONG"  # no terminator within max_length bytes: wrong terminator setting?
PERMISSION = "PERMISSION"
NO_DEVICE = "NO_DEVICE"


@dataclass(frozen=True)
class ScannedCode:
    """One code delivered by a scanner. ``raw`` is exactly what the device sent (without the
    terminator); ``text`` is it decoded (UTF-8, else GB18030). ``source`` names the device."""

    text: str
    format: str  # "QRCode", "EAN13", … or "unknown" (serial/keyboard scanners do not say)
    raw: bytes = field(repr=False)
    source: str = ""

    def __repr__(self) -> str:  # codes can be receipt passwords: keep them out of logs
        return f"ScannedCode({self.format}, {len(self.raw)} bytes, source={self.source!r})"


@dataclass(frozen=True)
class DecodedCode:
    """A code found in an image: text, format and the four corners (x, y) in pixels,
    clockwise from top-left as the decoder reports them."""

    text: str = field(repr=False)  # may be a receipt query password: not in reprs/logs
    format: str = ""
    corners: tuple[tuple[int, int], ...] = ()
    raw: bytes = field(default=b"", repr=False)

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "format": self.format,
                "corners": [list(p) for p in self.corners]}
