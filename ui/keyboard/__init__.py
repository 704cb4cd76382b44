"""The on-screen keyboard: a widget docked inside the kiosk window (``KeyboardPanel``), the
hook that opens it for the focused text field (``KeyboardDock``), Pinyin candidates from a
table shipped in this package (``ui.keyboard.pinyin``). See docs/kiosk-ui.md, "On-screen
keyboard", for why it replaced Qt Virtual Keyboard."""

from __future__ import annotations

import os

from ui.keyboard.dock import KeyboardDock, scroll_into_view, wants_keyboard
from ui.keyboard.layouts import layout_for
from ui.keyboard.panel import KeyboardPanel

__all__ = ["KeyboardDock", "KeyboardPanel", "layout_for", "no_system_input_method",
           "scroll_into_view", "wants_keyboard"]


def no_system_input_method() -> None:
    """Before the QApplication exists: no Qt Virtual Keyboard window on top of ours (an old
    unit file or environment may still select it; under cage it only prints a warning)."""
    if os.environ.get("QT_IM_MODULE") == "qtvirtualkeyboard":
        del os.environ["QT_IM_MODULE"]
    if os.environ.get("QT_IM_MODULES", "").startswith("qtvirtualkeyboard"):
        del os.environ["QT_IM_MODULES"]
