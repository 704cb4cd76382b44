"""The frame every screen shares: title, content, one message line, navigation."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.session import Action, SessionMachine, State, Tap
from ui.controller import Controller
from ui.texts import message, state_title

# One-time costs that must not delay the first paint run this long after it (touch
# scrolling here, the QStyle enums in ui.main): nobody touches the screen within 0.25 s.
AFTER_PAINT_MS = 250


_LAZY: set[str] = set()


def lazy_screen(module: str, name: str) -> Callable[..., Screen]:
    """A constructor of ``ui.screens.<module>.<name>`` that imports the module at the first
    call (screens other than the attract screen are not needed for the first paint);
    ``import_lazy_screens()`` imports them all once the window has painted."""
    _LAZY.add(f"ui.screens.{module}")

    def make(*args: Any, **kwargs: Any) -> Screen:
        cls = getattr(importlib.import_module(f"ui.screens.{module}"), name)
        screen: Screen = cls(*args, **kwargs)
        return screen

    make.__name__ = make.__qualname__ = name
    return make


def import_lazy_screens() -> None:
    for module in sorted(_LAZY):
        importlib.import_module(module)


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        w = item.widget()
        if w is not None:
            w.hide()
            w.setParent(None)
            w.deleteLater()
            shiboken6.delete(item)  # takeAt hands the item to us; PySide6 never frees it
        elif item.spacerItem() is not None:
            shiboken6.delete(item)
        else:
            inner = item.layout()
            if inner is not None:
                clear_layout(inner)


def repolish(w: QWidget) -> None:
    """Apply the style sheet again after a property or object name the sheet selects on
    changed (Qt does not notice by itself); only on a change, it re-styles the widget."""
    w.style().unpolish(w)
    w.style().polish(w)


def label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    lbl = QLabel(text)
    lbl.setWordWrap(wrap)
    lbl.setTextFormat(Qt.TextFormat.PlainText)  # citizen data is never interpreted as HTML
    if name:
        lbl.setObjectName(name)
    return lbl


def action_name(action: Action, value: Any = None) -> str:
    return f"action:{action.value}" + (f":{value}" if value is not None and
                                        isinstance(value, str) else "")


class Screen(QWidget):
    """``render(m)`` rebuilds the content for the machine's current data. ``wipe()`` drops
    every widget that showed citizen data."""

    nav_back = True
    nav_next = False
    next_action = Action.NEXT  # the screen's one primary action, always in view

    def __init__(self, ctl: Controller) -> None:
        super().__init__()
        self.ctl = ctl
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 16, 32, 16)
        outer.setSpacing(12)
        self.title = label("", "title")
        outer.addWidget(self.title)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Touch: drag the content itself, no tiny scrollbar to aim at. Shortly after the screen
        # is built, not in its constructor: the process's first grab costs ~30 ms (PySide6
        # builds the Python enums of ~95 types), which delayed the first paint of the kiosk.
        QTimer.singleShot(AFTER_PAINT_MS, self, self._grab_touch_scrolling)
        outer.addWidget(self.scroller, 1)
        self.body = QWidget()
        self.content = QVBoxLayout(self.body)
        self.content.setSpacing(12)
        self.scroller.setWidget(self.body)
        self.message = label("", "error")
        outer.addWidget(self.message)
        self.nav = QHBoxLayout()
        outer.addLayout(self.nav)
        self._nav_key: tuple[object, ...] | None = None
        self._render_key: object = None

    def _grab_touch_scrolling(self) -> None:
        QScroller.grabGesture(self.scroller.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)

    def button(self, text: str, action: Action, value: Any = None, primary: bool = False,
               enabled: bool = True) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(action_name(action, value))
        b.setProperty("primary", primary)
        b.setEnabled(enabled)
        b.clicked.connect(lambda: self.ctl.send(Tap(action, value)))
        return b

    def show_state(self, m: SessionMachine) -> None:

        self.title.setText(state_title(m.state.value))
        self.message.setText(message(m.data.message))
        nav_key = (m.state, m.language, m.elderly, self.next_enabled(m), m.desk.role)
        if nav_key != self._nav_key:  # unchanged while the citizen types: keep the buttons
            self._nav_key = nav_key
            self._build_nav(m)
        self.fill(m)

    def _build_nav(self, m: SessionMachine) -> None:
        from ui.i18n import tr

        clear_layout(self.nav)
        if self.nav_back:
            self.nav.addWidget(self.button(tr("上一步"), Action.BACK))
        self.nav.addStretch(1)
        if m.state is not State.SUBMITTING:  # nothing interrupts a submission
            if m.desk.role:
                self.nav.addWidget(self.button(tr("退出登录"), Action.LOGOUT))
            if m.state.holds_citizen_data:
                self.nav.addWidget(self.button(tr("结束办理"), Action.FINISH))
        if self.nav_next:
            self.nav.addWidget(self.button(self.next_label(), self.next_action, primary=True,
                                           enabled=self.next_enabled(m)))

    def next_label(self) -> str:
        from ui.i18n import tr

        return tr("下一步")

    def next_enabled(self, m: SessionMachine) -> bool:
        return True

    def render_key(self, m: SessionMachine) -> object:
        """What the content shows; while it is unchanged the content is not rebuilt (a list
        refreshed in the background must not swap a button away under a finger).
        None: rebuild every time."""
        return None

    def fill(self, m: SessionMachine) -> None:
        """Rebuild the content area (default: from scratch)."""
        key = self.render_key(m)
        if key is not None and key == self._render_key:
            return
        self._render_key = key
        clear_layout(self.content)
        self.build(m)
        self.content.addStretch(1)

    def build(self, m: SessionMachine) -> None:
        raise NotImplementedError

    def wipe(self) -> None:
        clear_layout(self.content)
        self.message.clear()
        self._nav_key = None
        self._render_key = None


def grid(widgets: list[QWidget], columns: int) -> QWidget:
    holder = QWidget()
    g = QGridLayout(holder)
    g.setSpacing(12)
    for i, w in enumerate(widgets):
        g.addWidget(w, i // columns, i % columns)
    return holder


def panel(*widgets: QWidget) -> QFrame:
    frame = QFrame()
    frame.setObjectName("panel")
    lay = QVBoxLayout(frame)
    for w in widgets:
        lay.addWidget(w)
    return frame
