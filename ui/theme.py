"""Sizes, colours and the font, computed from the physical screen (touch targets ≥ 15 mm)
and the elderly mode (关怀版: larger type, higher contrast)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase

CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC",
                "WenQuanYi Zen Hei", "Droid Sans Fallback")
MIN_TARGET_MM = 15.0


def ui_font_family() -> str:
    """The installed CJK family, set explicitly: Qt's fallback face depends on what is
    installed (env-probe §4)."""
    families = set(QFontDatabase.families())
    for name in CJK_FAMILIES:
        if name in families:
            return name
    return QFont().defaultFamily()


@dataclass(frozen=True)
class Theme:
    screen_px: int  # width of the window in pixels
    screen_mm: float  # physical width of the panel
    elderly: bool = False
    family: str = ""

    @property
    def px_per_mm(self) -> float:
        return self.screen_px / self.screen_mm

    @property
    def target(self) -> int:
        """Smallest height/width of anything touchable, in pixels."""
        return round(self.min_target * (1.3 if self.elderly else 1.0))

    @property
    def min_target(self) -> int:
        """The touch-target floor (≥ 15 mm, ≥ 56 px) in either mode: 大字版 asks more where
        there is room (the on-screen keyboard's keys shrink to it on a short window)."""
        return max(math.ceil(MIN_TARGET_MM * self.px_per_mm), 56)

    @property
    def font_px(self) -> int:
        return round(max(20, self.screen_px / 56) * (1.4 if self.elderly else 1.0))

    @property
    def title_px(self) -> int:
        return round(self.font_px * 1.6)

    @property
    def colors(self) -> dict[str, str]:
        if self.elderly:  # high contrast (every text >= 7:1, on bg and on panel): black on white,
            # strong blue, no greys for text
            return {"bg": "#ffffff", "fg": "#000000", "primary": "#0033a0", "on_primary": "#ffffff",
                    "muted": "#222222", "panel": "#fff6cc", "border": "#000000",
                    "error": "#a00000", "ok": "#005a00", "disabled": "#9a9a9a"}
        return {"bg": "#f4f7fb", "fg": "#1b2430", "primary": "#1565c0", "on_primary": "#ffffff",
                "muted": "#5b6b7e", "panel": "#ffffff", "border": "#c9d4e2",
                "error": "#c62828", "ok": "#2e7d32", "disabled": "#b7c0cc"}

    def stylesheet(self) -> str:
        c, t, f = self.colors, self.target, self.font_px
        border = 3 if self.elderly else 1
        return f"""
        QWidget {{ background: {c['bg']}; color: {c['fg']}; font-family: "{self.family}";
                   font-size: {f}px; }}
        QLabel, QWidget#stretch {{ background: transparent; }}
        QLabel#title {{ font-size: {self.title_px}px; font-weight: bold; }}
        QLabel#hint {{ color: {c['muted']}; }}
        QLabel#error {{ color: {c['error']}; font-weight: bold; }}
        QLabel#ok {{ color: {c['ok']}; font-weight: bold; }}
        QLabel#source {{ color: {c['ok']}; font-size: {round(f * 0.8)}px; }}
        QFrame#panel, QLabel#panel {{ background: {c['panel']}; border: {border}px solid {c['border']};
                        border-radius: 10px; padding: 12px; }}
        QFrame#panel QFrame {{ background: transparent; border: none; }}
        QFrame#panel QFrame#panel {{ background: {c['panel']};
                                   border: {border}px solid {c['border']}; }}
        QPushButton {{ min-height: {t}px; min-width: {t}px; padding: 6px 18px;
                       qproperty-iconSize: {round(f * 1.3)}px {round(f * 1.3)}px;
                       background: {c['panel']}; border: {max(2, border)}px solid {c['primary']};
                       border-radius: 10px; color: {c['primary']}; font-weight: bold; }}
        QPushButton[primary="true"] {{ background: {c['primary']}; color: {c['on_primary']}; }}
        QPushButton:checked {{ background: {c['primary']}; color: {c['on_primary']}; }}
        QPushButton:disabled {{ border-color: {c['disabled']}; color: {c['disabled']};
                                background: {c['bg']}; }}
        QPushButton[tile="true"] {{ min-height: {round(t * 1.6)}px; text-align: left;
                                    padding: 10px 16px; }}
        QLineEdit, QComboBox, QDateEdit {{ min-height: {t}px; padding: 4px 10px;
                    border: {max(2, border)}px solid {c['border']}; border-radius: 8px;
                    background: #ffffff; color: #000000; }}
        QLineEdit:focus, QComboBox:focus, QDateEdit:focus {{ border-color: {c['primary']};
                    background: #fffbe6; }}
        QLineEdit[invalid="true"] {{ border-color: {c['error']}; }}
        QScrollBar:vertical {{ width: 12px; background: transparent; }}
        QScrollBar::handle:vertical {{ min-height: {t}px; background: {c['border']};
                                       border-radius: 6px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
        QProgressBar {{ min-height: {t // 2}px; border: 1px solid {c['border']}; border-radius: 6px;
                        text-align: center; }}
        QProgressBar::chunk {{ background: {c['primary']}; }}
        """
