"""The keyboard in the kiosk window as a citizen meets it: opening it never makes the window
taller than the screen (under cage the window is the screen: a taller one loses its bottom
rows of keys), in 大字版 too, on the shortest kiosk screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton

from ui.journey import Driver
from ui.selftest import demo_card_for


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "大字版"])
def test_opening_the_keyboard_keeps_the_window_on_a_1280x720_screen(
        stack: Driver, elderly: bool) -> None:
    d = stack
    w = d.kiosk.window
    w.resize(1280, 720)
    m = d.kiosk.machine
    d.wait_for("services", lambda: not m.services()["apply"] and len(m.catalog) > 0)
    if elderly:
        d.tap("action:toggle_elderly")
    sim = demo_card_for(d.kiosk.services)
    d.start_apply()
    sim.present()
    d.choose("jzz", m.catalog.search("jzz")[0].code)  # 居住证: text fields for pinyin
    screen = w.stack.currentWidget()
    phone = screen.findChild(QLineEdit, "field:phone")
    edit = screen.findChild(QLineEdit, "field:employer")
    assert phone is not None and edit is not None
    panel = w.keyboard.panel
    QTest.mouseClick(phone, Qt.MouseButton.LeftButton)  # the digit pad first
    d.wait_for("digit pad open", lambda: panel.isVisible() and panel.layout_name == "digits")
    d.pump(200)
    assert (w.width(), w.height()) == (1280, 720)
    # then the name field: the taller pinyin keyboard replaces the pad while open
    w.keyboard.open_for(edit)  # as the focus moving to the field does
    d.wait_for("pinyin open", lambda: panel.layout_name == "pinyin")
    d.pump(200)
    assert (w.width(), w.height()) == (1280, 720)
    keys = [b for b in panel.findChildren(QPushButton) if b.isVisible()]
    assert len(keys) > 30
    for b in keys:
        top = b.mapTo(w, QPoint(0, 0)).y()
        assert 0 <= top and top + b.height() <= w.height(), f"key {b.text()!r} off the window"
    field_bottom = edit.mapTo(w, QPoint(0, 0)).y() + edit.height()
    assert field_bottom < panel.mapTo(w, QPoint(0, 0)).y()  # the field above the keyboard
