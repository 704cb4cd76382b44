"""The materials screen as pages pile up: twenty pages of one material fit on screen at the
common kiosk sizes, the twenty-first is refused with a message, and a page can be deleted
and taken again. Real window, real camera simulator (see conftest)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.session import State
from ui.inspect import widget_texts
from ui.journey import Driver
from ui.selftest import demo_card_for


def _outside(window: QWidget, size: tuple[int, int]) -> list[str]:
    """Visible buttons and labels that reach beyond the screen (cut off for a person). The
    window must also have kept the size it was given: content too wide for it widens it
    (offscreen) or is squeezed into one character per line (on a real screen)."""
    rect = QRect(0, 0, *size)
    if (window.width(), window.height()) != size:
        return [f"window grew to {window.width()}x{window.height()}"]
    out = []
    for w in window.findChildren(QWidget):
        if not isinstance(w, QAbstractButton | QLabel) or not w.isVisible():
            continue
        top_left = w.mapTo(window, w.rect().topLeft())
        bottom_right = w.mapTo(window, w.rect().bottomRight())
        if not (rect.contains(top_left) and rect.contains(bottom_right)):
            out.append(f"{w.objectName() or type(w).__name__} {w.geometry()}")
    return out


def test_twenty_pages_fit_the_twenty_first_is_refused_and_a_page_can_be_replaced(
        stack: Driver) -> None:
    d = stack
    sim = demo_card_for(d.kiosk.services)
    m = d.kiosk.machine
    matter = m.catalog.search("gjj")[0]
    d.start_apply()
    sim.present()
    d.choose("gjj", matter.code)
    d.fill_form()
    assert d.state is State.MATERIALS
    code = m.data.material_code
    limit = m.page_limit()
    while len(m.data.pages.get(code) or []) < limit:
        before = len(m.data.pages.get(code) or [])
        d.tap("action:capture")
        d.wait_for("a page", lambda b=before: len(m.data.pages.get(code) or []) > b)
    assert len(m.data.pages[code]) == limit
    assert not d.find("action:capture").isEnabled()  # 立即拍照 is off with a reason
    assert any("已拍满" in t for t in widget_texts(d.window))
    d.pump(1500)  # the simulator lays pages down: auto-capture must not add one
    assert len(m.data.pages[code]) == limit
    for size in ((1280, 800), (1920, 1080), (1280, 720)):
        d.window.resize(*size)
        d.pump(100)
        assert _outside(d.window, size) == [], size
    d.window.resize(1280, 800)
    d.tap("action:pages_next")  # the next few pages: 删除 under each
    shown = [i for i in range(limit) if d._visible(f"action:delete_page:{code}:{i}")]
    assert shown and shown[0] > 0
    gone = m.data.pages[code][shown[0]]
    d.tap(f"action:delete_page:{code}:{shown[0]}")
    d.wait_for("page deleted", lambda: len(m.data.pages[code]) == limit - 1)
    assert gone not in m.data.pages[code] and len(gone.jpeg) == 0  # zeroed and dropped
    d.tap("action:capture")
    d.wait_for("page taken again", lambda: len(m.data.pages[code]) == limit)
