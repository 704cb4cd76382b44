"""WLT photo decoding: a plug-in point for a vendor library, absent by default.

No open-source WLT decoder exists (research/devices.md §1.10); vendors ship ``libwlt2bmp.so``
/ ``WltRS.dll``, often licensed against the SAM id. A site that has one installs a small
adapter and names it in kiosk.toml (``photo_decoder = "package.module:factory"``); without it
the kiosk works with the card's text only and reports "photo decoder not installed".
"""

from __future__ import annotations

import importlib
from typing import Protocol, runtime_checkable

PHOTO_WIDTH, PHOTO_HEIGHT = 102, 126
BMP_SIZE = 38_862  # 54-byte header + 126 rows × 308 bytes


@runtime_checkable
class WltDecoder(Protocol):
    def decode(self, wlt: bytes, sam_id: str) -> bytes | None:
        """1024 WLT bytes → a 102×126 24-bit BMP (38,862 bytes), or None on failure."""
        ...


def load_decoder(spec: str) -> tuple[WltDecoder | None, str]:
    """``"module:factory"`` → (decoder, "") or (None, plain diagnostic). Empty spec → absent."""
    if not spec:
        return None, "photo decoder not installed (text only)"
    module_name, _, attr = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attr or "decoder")
        decoder = factory()
    except Exception as exc:  # a vendor library can fail in any way: report, don't crash
        return None, f"photo decoder {spec!r} could not be loaded: {exc.__class__.__name__}: {exc}"
    if not isinstance(decoder, WltDecoder):
        return None, f"photo decoder {spec!r} has no decode(wlt, sam_id) method"
    return decoder, ""
