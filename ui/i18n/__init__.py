"""Translations: Simplified Chinese is the source language; English comes from ``en.qm``
(Qt Linguist format, compiled from ``en.ts``; ``python -m ui.i18n.update`` refreshes both)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

HERE = Path(__file__).resolve().parent
_installed: QTranslator | None = None


def tr(text: str) -> str:
    """Translate a source string (Chinese). lupdate finds ``tr("…")`` calls in ui/."""
    return QCoreApplication.translate("", text)


def set_language(language: str) -> None:
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language == "en":
        translator = QTranslator(app)
        if translator.load(str(HERE / "en.qm")):
            app.installTranslator(translator)
            _installed = translator
