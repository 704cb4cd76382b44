"""Qt Virtual Keyboard (with Pinyin) for Chinese text entry on the touchscreen.

Must run before the QApplication exists. In a Widgets application the keyboard panel is its
own top-level window that appears on a real screen (xcb/eglfs), not offscreen (env-probe §3);
the matter search additionally has an on-screen letter pad that always works."""

from __future__ import annotations

import os
from pathlib import Path

from ui.offscreen import is_offscreen


def plugin_present() -> bool:
    import PySide6

    base = Path(PySide6.__file__).resolve().parent / "Qt"
    return ((base / "plugins" / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so").exists()
            and any((base / "lib").glob("libQt6VirtualKeyboard.so*")))


def setup_virtual_keyboard(language: str) -> bool:
    """Select the virtual keyboard input method unless the environment chose one."""
    if is_offscreen() or not plugin_present():
        return False
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    if language == "zh_CN" and not os.environ.get("LC_ALL"):
        # The keyboard starts in Qt's system locale (LC_ALL, then LANG): Simplified Chinese,
        # i.e. the Pinyin input method. The kiosk formats no numbers or dates through it.
        os.environ["LC_ALL"] = "zh_CN.UTF-8"
    return os.environ["QT_IM_MODULE"] == "qtvirtualkeyboard"


def show_panel_on_focus(app: object) -> None:
    """Open the keyboard as soon as a text field gets the focus: Qt's default only opens it
    on a second tap into an already focused field (RSIP_OnMouseClickAndAlreadyFocused)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QLineEdit

    def changed(_old: object, new: object) -> None:
        if isinstance(new, QLineEdit) and not new.isReadOnly():
            QGuiApplication.inputMethod().show()
        elif new is None or not isinstance(new, QLineEdit):
            QGuiApplication.inputMethod().hide()

    if isinstance(app, QApplication):
        app.focusChanged.connect(changed)
