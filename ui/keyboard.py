"""Qt Virtual Keyboard (with Pinyin) for Chinese text entry on the touchscreen.

Must run before the QApplication exists. In a Widgets application the keyboard panel is its
own top-level window that appears on a real screen (xcb/eglfs), not offscreen (env-probe §3);
the matter search additionally has an on-screen letter pad that always works."""

from __future__ import annotations

import os
from pathlib import Path


def plugin_present() -> bool:
    import PySide6

    base = Path(PySide6.__file__).resolve().parent / "Qt"
    return ((base / "plugins" / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so").exists()
            and any((base / "lib").glob("libQt6VirtualKeyboard.so*")))


def setup_virtual_keyboard(language: str) -> bool:
    """Select the virtual keyboard input method unless the environment chose one."""
    if os.environ.get("QT_QPA_PLATFORM", "") == "offscreen" or not plugin_present():
        return False
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    if language == "zh_CN":
        # The keyboard starts in the system locale: make it Simplified Chinese (Pinyin).
        os.environ.setdefault("LANG", "zh_CN.UTF-8")
    return os.environ["QT_IM_MODULE"] == "qtvirtualkeyboard"
