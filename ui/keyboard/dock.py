"""The hook that docks a ``KeyboardPanel`` at the bottom of a window: it opens for the text
field that gets the focus (layout from the field's ``inputKind`` property, else the UI
language), closes when the focus goes to anything else, and scrolls the field into view
above itself (the layout above shrinks by the keyboard's height)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QTextEdit,
    QWidget,
)

from ui.keyboard.layouts import layout_for
from ui.keyboard.panel import MAX_SHARE, KeyboardPanel
from ui.keyboard.pinyin import preload

VISIBLE_MARGIN = 16  # px kept between the field and the keyboard


def wants_keyboard(w: QWidget | None) -> bool:
    """An editable text field (a field can opt out with ``inputKind`` = 'none')."""
    if w is None or w.property("inputKind") == "none":
        return False
    if isinstance(w, QLineEdit):
        return not w.isReadOnly()
    if isinstance(w, QTextEdit | QPlainTextEdit):
        return not w.isReadOnly()
    return False


def scroll_into_view(field: QWidget, margin: int = VISIBLE_MARGIN) -> None:
    """Every scroll area around ``field`` scrolls so the whole field (not only its text
    cursor, which is what ``QScrollArea.ensureWidgetVisible`` keeps in view for a line edit)
    is inside its viewport, ``margin`` pixels clear of the edges where there is room."""
    parent = field.parentWidget()
    while parent is not None:
        body = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and body is not None:
            if body.isAncestorOf(field):
                r = QRect(field.mapTo(body, QPoint(0, 0)), field.size())
                room = parent.viewport().height()
                ymargin = max(0, min(r.height() // 2 + margin, room // 2))
                parent.ensureVisible(r.center().x(), r.center().y(), 0, ymargin)
        parent = parent.parentWidget()


def _settle_minimums(w: QWidget, depth: int = 3) -> None:
    """Invalidate and activate the layouts of ``w`` and, ``depth`` levels down, of its shown
    children (of a stacked widget: only the current page, which alone sets its minimum)."""
    if depth > 0:
        if isinstance(w, QStackedWidget):
            kids = [w.currentWidget()]
        else:
            kids = [c for c in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                    if not c.isHidden()]
        for child in kids:
            if child is not None:
                _settle_minimums(child, depth - 1)
    lay = w.layout()
    if lay is not None:
        lay.invalidate()
        lay.activate()
    w.updateGeometry()


Sizes = tuple[int, int] | tuple[int, int, int] | tuple[int, int, int, bool]


class KeyboardDock(QObject):
    """Owns the panel of one window. ``language()`` and ``sizes()`` are read each time the
    keyboard opens (the UI language and 大字版 can change between sessions). ``sizes()``
    gives ``(key_px, font_px)``, optionally followed by ``min_key_px`` (the touch-target
    floor the keys may shrink to so the keyboard takes at most half the window) and
    ``elderly`` (the high-contrast colours of 大字版)."""

    def __init__(self, window: QWidget, layout: QBoxLayout, *,
                 language: Callable[[], str] = lambda: "zh_CN",
                 sizes: Callable[[], Sizes] = lambda: (56, 20)) -> None:
        super().__init__(window)
        self.window = window
        self.layout = layout
        self.language = language
        self.sizes = sizes
        self.panel = KeyboardPanel(window)
        layout.addWidget(self.panel)
        self.panel.shown.connect(self._reveal)
        self.panel.field_tapped.connect(self.refit)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # A declared slot: Qt drops the connection when the dock is destroyed (a plain method
    # left PySide6 looking for "KeyboardDock::" at interpreter exit)
    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self.window) or not shiboken6.isValid(self.panel):
            return
        if new is None or self.panel.isAncestorOf(new):
            return  # focus left the application (a dialog, the compositor) or is a key
        if not self.window.isAncestorOf(new):
            return
        if wants_keyboard(new):
            self.open_for(new)
        elif self.panel.isVisible() or self.panel.target is not None:
            self.panel.detach()

    def open_for(self, field: QWidget) -> None:
        """Open the keyboard for ``field`` and scroll it into view above the keyboard."""
        self._apply_look()
        layout = layout_for(field.property("inputKind"), self.language(),
                            field.inputMethodHints())
        if layout == "pinyin":
            preload()  # on a worker thread while the citizen reaches for the first key
        was_visible = self.panel.isVisible()
        self.panel.attach_to(field, layout)  # another layout: other rows of keys
        if was_visible:
            self._apply_look()  # the new layout's keys fitted to the room
            self._reveal()

    def refit(self) -> None:
        """The room above changed (the screen hid its navigation row for the keyboard): size
        the keys again and keep the field in view."""
        if self.panel.isVisible():
            self._apply_look()
            self._reveal()

    def _apply_look(self) -> None:
        """Language and sizes as the window has them now (大字版 may have changed while the
        keyboard stayed open: a tap on the field applies it)."""
        self.panel.set_language(self.language())
        key_px, font_px, *rest = self.sizes()
        floor = int(rest[0]) if rest else None
        elderly = bool(rest[1]) if len(rest) > 1 else False
        self.panel.set_sizes(key_px, font_px, floor, elderly=elderly,
                             max_height=self._room())

    def settle(self) -> None:
        """Recompute, now, the minimum heights of what shares the window with the keyboard.
        Qt does it at the next event-loop turn; a keyboard shown or resized before then is
        laid out against the old ones, and Qt grows the window past the screen's edge (under
        cage the bottom keys were cut off)."""
        for i in range(self.layout.count()):
            item = self.layout.itemAt(i)
            w = item.widget() if item is not None else None
            if w is not None and w is not self.panel and not w.isHidden():
                _settle_minimums(w)
        self.layout.invalidate()
        self.layout.activate()

    def _room(self) -> int:
        """Height the keyboard may take: half the window, and no more than what the rest of
        the layout (the screen above, at its minimum height) leaves."""
        self.settle()
        host = self.layout.parentWidget() or self.window
        lay = self.layout
        others = 0
        for i in range(lay.count()):
            item = lay.itemAt(i)
            if item is None or item.widget() is self.panel:
                continue
            w = item.widget()
            if w is not None and w.isHidden():
                continue
            others += item.minimumSize().height() + max(0, lay.spacing())
        m = lay.contentsMargins()
        # A few pixels kept back: the panel's own frame and rounding of the rows.
        left = host.height() - others - m.top() - m.bottom() - 16
        return max(1, min(int(host.height() * MAX_SHARE), left))

    def _reveal(self) -> None:
        field = self.panel.target
        if field is None or not shiboken6.isValid(field):
            return
        # Lay the window out now (the panel took its room), then scroll: synchronously, so
        # the field is in view before the next paint. Nested layouts wait for their own
        # queued layout requests, so activate each one from the window down to the field.
        self.layout.activate()
        chain: list[QWidget] = []
        w: QWidget | None = field
        while w is not None and w is not self.window:
            chain.append(w)
            w = w.parentWidget()
        for w in reversed(chain):
            lay = w.layout()
            if lay is not None:
                lay.activate()
        scroll_into_view(field)

    def wipe(self) -> None:
        self.panel.wipe()
