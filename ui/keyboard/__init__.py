"""The on-screen keyboard: a widget inside the kiosk window (docs/keyboard.md).

Stable API (the screens call it; keep it):

``KeyboardDock(window, layout, *, language=lambda: "zh_CN", sizes=lambda: (56, 20))``
    Docks one ``KeyboardPanel`` at the end of ``layout`` (the window's outer QVBoxLayout)
    and opens it for whichever editable text field of ``window`` gets the focus, closing it
    when the focus goes to anything else; scrolls the field into view above it.
    ``language()`` ('zh_CN' or 'en') and ``sizes()`` — ``(key_px, font_px)``, optionally
    ``+ (min_key_px, elderly)`` — are read at each opening. ``dock.panel`` is the panel,
    ``dock.open_for(field)`` opens it explicitly, ``dock.wipe()`` forgets everything (call at
    session end).

``KeyboardPanel(parent)``
    ``attach_to(field, layout=None)``: type into ``field`` (QLineEdit, QTextEdit,
    QPlainTextEdit) and show; ``layout`` is 'pinyin', 'english', 'digits' or 'id', or None to
    take it from the field: its ``inputKind`` dynamic property (``digits number phone pin`` →
    digits, ``id idcard`` → id, ``english latin`` → english, ``pinyin chinese``; ``none``: the
    dock opens no keyboard for it), else its Qt input-method hints, else the panel's
    language. ``detach()``, ``close_panel()``, ``wipe()``; ``set_language(lang)``;
    ``set_sizes(key_px, font_px, min_key_px=None, *, max_height=0, elderly=False)``;
    signals ``shown``/``hidden``; ``keyboard_height()``, ``key_height()``, ``layout_name``,
    ``target``; ``press(key)`` does what a tap on that key does.

``layout_for(kind, language, hints=None)``, ``wants_keyboard(widget)``,
``scroll_into_view(field)``, ``no_system_input_method()`` (before the QApplication exists).

Pinyin candidates come from a table shipped in this package (``ui.keyboard.pinyin``,
``data/README.md`` for its source and licence). Nothing typed is logged or kept after
``wipe()``.
"""

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
