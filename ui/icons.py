"""Icons for the main actions, shipped in ``ui/assets/icons/`` (SVG). A missing icon is no icon."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).parent / "assets" / "icons"


@cache
def icon(name: str) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    return QIcon(str(path)) if name and path.is_file() else QIcon()
