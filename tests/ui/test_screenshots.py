"""Every screen in Chinese, English and the elderly mode, saved as test artefacts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from ui.journey import Driver
from ui.screenshots import SCREENS, STAFF_SCREENS, VARIANTS, capture


def _not_blank(path: Path) -> bool:
    img = QImage(str(path))
    colours = {img.pixel(x, y) for x in range(0, img.width(), 37) for y in range(0, img.height(), 23)}
    return img.width() >= 800 and len(colours) > 3


def test_every_screen_in_every_variant_is_captured(stack: Driver, artefacts: Path) -> None:
    out = artefacts / "screenshots"
    for variant in VARIANTS:
        saved = capture(stack, out, variant)
        names = {p.stem.split("-", 1)[1] for p in saved}
        expected = set(SCREENS) - {"submitting"} | (set(STAFF_SCREENS) if variant != "elderly"
                                                     else set())
        if stack.kiosk.machine.face_policy == "off":  # this kiosk has no face camera
            expected.discard("face_check")
        assert names >= expected, sorted(expected - names)
        assert all(_not_blank(p) for p in saved)
    en_attract = QImage(str(out / "en-attract.png"))
    zh_attract = QImage(str(out / "zh-attract.png"))
    assert en_attract != zh_attract  # the language switch changed what is drawn
