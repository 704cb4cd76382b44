"""The frame every screen shares (title, content, one message line, navigation), rendered
through ``ui.view``: a screen says *what* it shows for the machine's state as a tree of
nodes; the widgets are created once per visit and updated in place.

A screen implements ``body(m)`` (the content nodes) and may set ``nav_back``/``nav_next``,
``next_action``, ``next_label``, ``next_enabled``. Taps on buttons whose action is an
``Action`` go to the session machine; other actions are the screen's own (``local``), for
view-only choices such as a category filter.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QScrollArea, QScroller, QVBoxLayout, QWidget

from kiosk.session import Action, SessionMachine, State, Tap
from ui.controller import Controller
from ui.texts import message, message_style, state_title
from ui.view import (
    Box,
    Button,
    Container,
    Host,
    Label,
    Node,
    Row,
    Scroll,
    Stretch,
    clear,
    sync_children,
)

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


class Screen(QWidget):
    """One screen per state. ``show_state(m)`` renders; ``wipe()`` drops every widget that
    showed citizen data (the next visit builds them again)."""

    nav_back = True
    nav_next = False
    next_action = Action.NEXT  # the screen's one primary action, always in view
    scrolls = True  # the content scrolls (by dragging it) when it does not fit
    # What it shows depends on its size (tiles per page, thumbnails per row): a resize while
    # it is on screen renders it again.
    fits_to_size = False

    def __init__(self, ctl: Controller) -> None:
        super().__init__()
        self.ctl = ctl
        self.host = Host(self._tap)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 8, 32, 16)
        self.root = Container(Node("box", "root"))
        outer.addWidget(self.root)
        self._tree: Node | None = None
        self._grabbed: QWidget | None = None
        self.typing = False  # the on-screen keyboard is open under this screen
        self.state: State | None = None  # the state it shows (set by the window)

    # -- what a screen shows --

    def body(self, m: SessionMachine) -> list[Node]:
        raise NotImplementedError

    def next_label(self) -> str:
        from ui.i18n import tr

        return tr("下一步")

    def next_enabled(self, m: SessionMachine) -> bool:
        return True

    def title(self, m: SessionMachine) -> str:
        return state_title(m.state.value)

    def header_buttons(self, m: SessionMachine) -> list[Node]:
        """Top right, away from every primary action (bottom right) and the keyboard."""
        from ui.i18n import tr

        out: list[Node] = []
        if m.state is State.SUBMITTING:  # nothing interrupts a submission
            return out
        if m.help_offered():  # 呼叫帮办: the number stays up until staff arrive
            if m.help is not None:
                out.append(Button(tr("已呼叫 {n}").format(n=m.help.get("ticketNo", "")),
                                  Action.CALL_HELP, role="quiet", enabled=False,
                                  name="action:call_help"))
            else:
                out.append(Button(tr("呼叫未成功，重试") if m.help_error
                                  else tr("呼叫帮办"), Action.CALL_HELP, role="quiet",
                                  enabled=not m.help_calling))
        if m.desk.role:
            out.append(Button(tr("退出登录"), Action.LOGOUT, role="quiet"))
        if m.state.holds_citizen_data:
            out.append(Button(tr("结束办理"), Action.FINISH, role="quiet"))
        return out

    def nav_buttons(self, m: SessionMachine) -> list[Node]:
        from ui.i18n import tr

        out: list[Node] = []
        if self.nav_back:
            out.append(Button(tr("上一步"), Action.BACK))
        out.append(Stretch("nav-gap"))
        if self.nav_next:
            out.append(Button(self.next_label(), self.next_action, primary=True,
                              enabled=self.next_enabled(m)))
        return out

    def tree(self, m: SessionMachine) -> Node:
        body = self.body(m)
        main = (Scroll(*body, Stretch("end"), key="scroll") if self.scrolls
                else Box(*body, key="main", stretch=1))
        children = [Row(Label(self.title(m), "title", key="title", stretch=1),
                        *self.header_buttons(m), key="header"), main]
        text = message(m.data.message) if m.data.message else ""
        if text:
            children.append(Label(text, message_style(m.data.message), key="message"))
        if not self.typing:  # the keyboard has 确定/收起; 下一步 comes back when it closes
            children.append(Row(*self.nav_buttons(m), key="nav"))
        return Node("box", "root", children=tuple(children))

    # -- rendering --

    def show_state(self, m: SessionMachine) -> None:
        tree = self.tree(m)
        if tree == self._tree:
            return  # nothing visible changed: no widget is touched
        self._tree = tree
        sync_children(self.root, tree.children, self.host)
        self._touch_scrolling()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        m = self.ctl.machine
        if self.fits_to_size and self._tree is not None and m.state is self.state:
            self.show_state(m)

    def _touch_scrolling(self) -> None:
        area = self.root.slots.get(("scroll", "scroll"))
        if not isinstance(area, QScrollArea) or area is self._grabbed:
            return
        self._grabbed = area
        # Drag the content itself, no tiny scrollbar to aim at. Shortly after the screen is
        # built: the process's first grab costs ~30 ms (PySide6 builds the enums of ~95
        # types), which would delay the first paint of the kiosk.
        viewport = area.viewport()
        QTimer.singleShot(AFTER_PAINT_MS, viewport, lambda: QScroller.grabGesture(
            viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture))

    def _tap(self, action: object, value: object) -> None:
        if isinstance(action, Action):
            self.ctl.send(Tap(action, value))
        else:
            self.local(str(action), value)
            self.show_state(self.ctl.machine)

    def local(self, action: str, value: object) -> None:
        """A tap that changes only this screen's own view (a filter, a page of a list)."""

    def wipe(self) -> None:
        clear(self.root)
        self._tree = None
        self._grabbed = None
