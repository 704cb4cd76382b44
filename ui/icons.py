"""Icons for the main actions: Tabler outline SVGs shipped in ``ui/assets/icons/`` (MIT, see
the README there), drawn in the button's own text colour. A missing icon is no icon."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QIcon, QImage, QPixmap

ICON_DIR = Path(__file__).parent / "assets" / "icons"
RENDER_PX = 96  # drawn once this large; Qt scales it down to the button's icon size

_colors = {"normal": "#1565c0", "on_primary": "#ffffff", "disabled": "#b7c0cc"}


def set_colors(normal: str, on_primary: str, disabled: str) -> bool:
    """The theme's button colours (they change with 大字版); True if they changed."""
    global _colors
    wanted = {"normal": normal, "on_primary": on_primary, "disabled": disabled}
    if wanted == _colors:
        return False
    _colors = wanted
    icon.cache_clear()
    return True


def _pixmap(name: str, color: str) -> QPixmap:
    svg = (ICON_DIR / f"{name}.svg").read_bytes().replace(b"currentColor", color.encode())
    svg = svg.replace(b'width="24"', f'width="{RENDER_PX}"'.encode(), 1)
    svg = svg.replace(b'height="24"', f'height="{RENDER_PX}"'.encode(), 1)
    return QPixmap.fromImage(QImage.fromData(QByteArray(svg)))


@cache
def icon(name: str, on_primary: bool = False) -> QIcon:
    """``on_primary``: the button is filled (primary): the icon is drawn in its light text
    colour. A checkable button shows the light icon while checked."""
    if not name or not (ICON_DIR / f"{name}.svg").is_file():
        return QIcon()
    out = QIcon()
    base = _colors["on_primary"] if on_primary else _colors["normal"]
    out.addPixmap(_pixmap(name, base), QIcon.Mode.Normal, QIcon.State.Off)
    out.addPixmap(_pixmap(name, _colors["on_primary"]), QIcon.Mode.Normal, QIcon.State.On)
    out.addPixmap(_pixmap(name, _colors["disabled"]), QIcon.Mode.Disabled, QIcon.State.Off)
    return out
