"""Drives the real window through a citizen journey by touching its buttons, the way a person
would: used by ``kiosk selftest`` and by the UI tests. Every step waits for the state machine
to reach the expected state and records how long it took."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QScrollArea, QWidget

from kiosk.session import State
from kiosk.session.forms import field_specs
from ui.main import Kiosk


class JourneyError(Exception):
    """A step did not reach its expected state; ``str()`` says which and what was seen."""


class StallMeter(QObject):
    """A 10 ms timer on the GUI thread: the longest gap between its ticks beyond the interval
    is the longest time the GUI thread was blocked."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.interval = interval_ms
        self.max_stall_ms = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        gap = self._clock.nsecsElapsed() / 1e6
        self._clock.restart()
        self.max_stall_ms = max(self.max_stall_ms, gap - self.interval)


@dataclass
class Step:
    name: str
    ms: float
    ok: bool
    detail: str = ""
    stall_ms: float = 0.0  # longest GUI-thread stall during this step


@dataclass
class Driver:
    kiosk: Kiosk
    timeout_s: float = 20.0
    steps: list[Step] = field(default_factory=list)
    meter: StallMeter | None = None
    # A finger rests this long between press and release (0: QTest's instant click). While
    # it rests the event loop runs: device events and network results arrive meanwhile.
    hold_ms: int = 0
    taps: int = 0  # taps made; every one must reach its button (else JourneyError)
    last_click_ms: float = 0.0  # the last tap: press → updated screen (benchmarks)

    @property
    def window(self) -> QWidget:
        return self.kiosk.window

    @property
    def state(self) -> State:
        return self.kiosk.machine.state

    def pump(self, ms: int = 10) -> None:
        # An event loop, not QTest.qWait: PySide6's qWait keeps the GIL for the whole wait,
        # which starved the camera worker (one preview frame per ~5 s while a test waited);
        # QEventLoop.exec releases it, as the running kiosk's app.exec does.
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(self, what: str, cond: Callable[[], bool], timeout_s: float | None = None) -> None:
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while not cond():
            if time.monotonic() > deadline:
                raise JourneyError(f"{what}: not reached in time (state {self.state.value}, "
                                   f"message {self.kiosk.machine.data.message!r})")
            self.pump(20)

    def wait_state(self, state: State, timeout_s: float | None = None) -> None:
        self.wait_for(f"state {state.value}", lambda: self.state is state, timeout_s)

    def find(self, name: str, timeout_s: float = 2.0) -> QPushButton:
        """The visible button called ``name`` now. Looked up afresh on every call: a handle
        kept across an event-loop turn is exactly how a test would hide a lost tap."""
        deadline = time.monotonic() + timeout_s
        while True:
            process_events()
            b = self._visible(name)
            if b is not None:
                return b
            if time.monotonic() > deadline:
                raise JourneyError(f"no visible button {name!r} on {self.state.value}")
            self.pump(20)

    def _visible(self, name: str) -> QPushButton | None:
        window = self.kiosk.window
        screen = window.stack.currentWidget()
        for root in (screen or window, window):
            for b in root.findChildren(QPushButton, name):
                if b.isVisible():  # a button just added to a layout is shown by a queued event
                    return b
        return None

    def tap(self, name: str) -> None:
        """Touch the button as a person would: scrolled into view, after the screen has
        settled (a person does not tap within the double-tap time of a screen change)."""
        self.wait_for("the screen to settle", self.kiosk.machine.settled)
        if name != "action:dismiss" and self.kiosk.machine.farewell() and \
                self._visible(name) is None:
            self.tap("action:dismiss")  # the next person touches the thank-you away first
        panel = self.kiosk.window.keyboard.panel
        if not name.startswith("key:") and panel.isVisible() and self._visible(name) is None:
            self.hide_keyboard()  # 下一步 and the like come back when the keyboard closes
        deadline = time.monotonic() + 2.0
        window = self.kiosk.window
        # Content just built gets its size (and the scroll area its range) from queued layout
        # events, so look again until the button's centre is on the window: a click off the
        # window reaches nothing.
        while True:
            b = self.find(name)
            if not b.isEnabled():
                raise JourneyError(f"button {name!r} is disabled on {self.state.value}")
            area = _scroll_area_of(b)
            if area is not None:
                area.ensureWidgetVisible(b)
            self.pump()
            b = self.find(name)
            if window.rect().contains(b.mapTo(window, b.rect().center())):
                break
            if time.monotonic() > deadline:
                raise JourneyError(f"button {name!r} cannot be scrolled into view on "
                                   f"{self.state.value}")
        reached: list[bool] = []
        b.clicked.connect(lambda *_: reached.append(True))
        if self.hold_ms:
            # Pressed and released on the window at one spot, as a finger: if the button
            # under it were replaced meanwhile, the release would reach nothing.
            spot = b.mapTo(window, b.rect().center())
            QTest.mousePress(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             spot)
            self.pump(self.hold_ms)
            QTest.mouseRelease(window.windowHandle(), Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier, spot)
        else:
            started = time.perf_counter()
            QTest.mouseClick(b, Qt.MouseButton.LeftButton)  # no event-loop turn since lookup
            process_events()
            # press to updated screen: the handler and the render, all on this thread
            self.last_click_ms = (time.perf_counter() - started) * 1000
        self.pump()
        self.taps += 1
        if not reached:
            raise JourneyError(f"tap on {name!r} lost on {self.state.value}")

    def hide_keyboard(self) -> None:
        """Tap the keyboard's 收起 key, as a person does to see the whole screen again."""
        panel = self.kiosk.window.keyboard.panel
        keys = [b for b in panel.findChildren(QPushButton, "key:hide") if b.isVisible()]
        if keys:
            QTest.mouseClick(keys[0], Qt.MouseButton.LeftButton)
        else:
            panel.press("hide")
        self.wait_for("keyboard closed", lambda: not panel.isVisible())

    def search(self, query: str) -> None:
        """搜索, then the letters on the pad (tiles come first on the matter screen)."""
        if self._visible("key:A") is None:
            self.tap("action:search_open")
        for ch in query:
            self.tap(f"key:{ch.upper()}")

    def type_into(self, name: str, text: str) -> None:
        screen = self.kiosk.window.stack.currentWidget() or self.kiosk.window
        edit = screen.findChild(QLineEdit, name)
        if edit is None:
            raise JourneyError(f"no field {name!r} on {self.state.value}")
        edit.setFocus()
        edit.selectAll()
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
        if text.isascii():
            QTest.keyClicks(edit, text)
        else:  # Chinese arrives the way the Pinyin keyboard sends it: an input-method commit
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(edit, event)
        self.pump()

    def step(self, name: str, action: Callable[[], None]) -> None:
        started = time.perf_counter()
        before = 0.0
        if self.meter is not None:
            before, self.meter.max_stall_ms = self.meter.max_stall_ms, 0.0
        try:
            action()
        except JourneyError as exc:
            self.steps.append(Step(name, (time.perf_counter() - started) * 1000, False, str(exc),
                                   self._stall(before)))
            raise
        self.steps.append(Step(name, (time.perf_counter() - started) * 1000, True,
                               stall_ms=self._stall(before)))

    def _stall(self, before: float) -> float:
        if self.meter is None:
            return 0.0
        mine = self.meter.max_stall_ms
        self.meter.max_stall_ms = max(before, mine)
        return mine

    # -- the pieces of a journey --

    def start_apply(self) -> None:
        self.wait_for("apply service available",
                      lambda: not self.kiosk.machine.services()["apply"]
                      and len(self.kiosk.machine.catalog) > 0)
        self.tap("action:start_apply")
        self.wait_state(State.IDENTIFY)

    def choose(self, query: str, impl_code: str) -> None:
        self.wait_state(State.CHOOSE_MATTER)
        self.search(query)
        self.tap(f"action:select_matter:{impl_code}")
        self.wait_state(State.GUIDE)
        self.tap("action:next")
        self.wait_for("past the guide", lambda: self.state in (State.CONSENT, State.FACE_CHECK))
        if self.state is State.FACE_CHECK:
            self.face_check()
        self.wait_state(State.CONSENT)
        self.tap("action:agree")
        self.wait_state(State.FORM)
        self.wait_for("prefill", lambda: not self.kiosk.machine.data.prefill_loading)

    def face_check(self) -> None:
        """Stand in front of the face camera until the check passed (the face camera's
        simulator plays the card owner, who blinks and turns the head as asked)."""
        self.wait_state(State.FACE_CHECK)
        self.wait_for("face verified", lambda: self.state is not State.FACE_CHECK
                      or self.kiosk.machine.data.face_status in ("failed", "to_staff"))
        if self.state is State.FACE_CHECK:
            raise JourneyError("face check failed: " + self.kiosk.machine.data.face_reason)

    def fill_form(self, values: dict[str, Any] | None = None) -> None:
        m = self.kiosk.machine
        matter = m.matter
        assert matter is not None
        examples = (matter.form_schema.get("examples") or [{}])[0]
        wanted = {**examples, **(values or {})}
        # Checklists first: 一件事's chosen sub-matters decide which other fields are asked.
        specs = sorted(field_specs(matter.form_schema), key=lambda s: s.widget != "checklist")
        for spec in specs:
            if spec.widget != "checklist" and \
                    spec.key not in (m.form_schema().get("properties") or {}):
                continue  # a field of a sub-matter not chosen: not on the screen
            pre = m.data.prefill.get(spec.key)
            if pre is not None and not pre.editable:
                continue
            if m.data.form.get(spec.key) not in (None, "") and spec.key not in (values or {}):
                continue
            value = wanted.get(spec.key)
            if value is None:
                continue
            if spec.widget == "choice":
                self.tap(f"choice:{spec.key}:{value}")
            elif spec.widget == "checklist":
                for item in value:
                    self.tap(f"check:{spec.key}:{item}")
            else:
                self.type_into(f"field:{spec.key}", str(value))
        self.tap("action:next")
        self.wait_for("form accepted", lambda: self.state is not State.FORM)

    def capture_materials(self, optional: bool = True) -> None:
        m = self.kiosk.machine
        if self.state is not State.MATERIALS:
            return
        matter = m.matter
        assert matter is not None
        for mat in (s.material for s in m.materials()):
            if mat.code not in m.materials_to_capture() or not (mat.required or optional) \
                    or mat.code in m.data.promised:  # 告知承诺: signed for, not photographed
                continue
            self.tap(f"action:select_material:{mat.code}")
            before = len(m.data.pages.get(mat.code) or [])
            self.tap("action:capture")
            code = mat.code

            def captured(c: str = code, b: int = before) -> bool:
                return len(m.data.pages.get(c) or []) > b

            self.wait_for(f"page of {code}", captured)
        self.tap("action:next")
        self.wait_for("materials done", lambda: self.state in (State.DELIVERY, State.PROMISE))

    def deliver(self, mode: str | None = None) -> None:
        m = self.kiosk.machine
        matter = m.matter
        assert matter is not None
        self.tap(f"action:set_delivery:{mode or matter.delivery_modes[0]}")
        self.tap("action:next")
        self.wait_state(State.REVIEW)

    def confirm(self) -> None:
        self.tap("action:confirm")
        self.wait_state(State.RECEIPT, timeout_s=60)

    def sign(self, points: int = 24) -> None:
        """Signs on the signature pad with one finger: a zigzag across it, as press, moves
        and release (the mouse events a touchscreen's first finger gives Qt)."""
        from PySide6.QtCore import QEvent, QPointF
        from PySide6.QtGui import QMouseEvent

        screen = self.kiosk.window.stack.currentWidget() or self.kiosk.window
        pad = screen.findChild(QWidget, "signature-pad")
        if pad is None or not pad.isVisible():
            raise JourneyError(f"no signature pad on {self.state.value}")
        w, h = pad.width(), pad.height()
        path = [QPointF(w * (0.1 + 0.8 * i / (points - 1)), h * (0.3 if i % 2 else 0.7))
                for i in range(points)]
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        mods = Qt.KeyboardModifier.NoModifier

        def send(kind: QEvent.Type, at: QPointF, button: Qt.MouseButton,
                 buttons: Qt.MouseButton) -> None:
            QApplication.sendEvent(pad, QMouseEvent(kind, at, pad.mapToGlobal(at), button,
                                                    buttons, mods))

        send(QEvent.Type.MouseButtonPress, path[0], left, left)
        for at in path[1:]:
            send(QEvent.Type.MouseMove, at, none, left)
        send(QEvent.Type.MouseButtonRelease, path[-1], left, none)
        process_events()

    def take_receipt(self) -> None:
        m = self.kiosk.machine
        self.wait_for("receipt printed", lambda: not m.data.printing)
        if not m.data.printed:
            raise JourneyError("receipt not printed: " + m.data.print_error)
        # The receipt stays up long enough to take it before 去评价 may be tapped.
        self.wait_for("receipt taken", m.receipt_ready)
        self.wait_for("去评价 enabled", lambda: self.find("action:next").isEnabled())

    def login(self, role: str = "staff", pin: str | None = None) -> None:
        """The 工作人员 button, the role, the PIN on the digit pad (demo PINs by default)."""
        from kiosk.operator_services import DEMO_PINS
        from kiosk.roles import Role

        self.tap("action:staff_entry")
        self.wait_state(State.LOGIN)
        self.tap(f"action:choose_role:{role}")
        for digit in pin if pin is not None else DEMO_PINS[Role(role)]:
            self.tap(f"action:pin_digit:{digit}")
        self.tap("action:confirm")
        if pin is None:
            self.wait_state(State.TECH_MENU if role == "technician" else State.STAFF_MENU)

    def login_person(self, staff_no: str, pin: str, role: str = "staff", *,
                     succeeds: bool = True) -> None:
        """The 工作人员 button, the role, the staff number and the personal PIN on the pad."""
        self.tap("action:staff_entry")
        self.wait_state(State.LOGIN)
        self.tap(f"action:choose_role:{role}")
        self.tap("action:login_field:staff_no")
        for _ in range(len(self.kiosk.machine.desk.staff_input)):
            self.tap("action:pin_delete")  # the last person's number may still be there
        for digit in staff_no:
            self.tap(f"action:pin_digit:{digit}")
        self.tap("action:login_field:pin")
        for digit in pin:
            self.tap(f"action:pin_digit:{digit}")
        self.tap("action:confirm")
        if succeeds:
            self.wait_state(State.TECH_MENU if role == "technician" else State.STAFF_MENU)

    def login_qr(self, role: str = "staff") -> str:
        """The 工作人员 button, the role, 扫码登录: waits for the QR code on screen and
        returns the challenge id (the test confirms it as the work app would)."""
        self.tap("action:staff_entry")
        self.wait_state(State.LOGIN)
        self.tap(f"action:choose_role:{role}")
        self.tap("action:qr_login")
        desk = self.kiosk.machine.desk
        self.wait_for("the login QR code", lambda: desk.qr is not None)
        assert desk.qr is not None
        return desk.qr["challengeId"]

    def rate(self, level: str = "VERY_SATISFIED", ends_on: State = State.ATTRACT) -> None:
        """``ends_on``: the home screen, or the PIN pad after a staff-assisted session."""
        self.tap("action:next")
        self.wait_state(State.RATING)
        self.tap(f"action:rate:{level}")
        self.tap("action:confirm")
        self.wait_state(ends_on)


def _scroll_area_of(w: QWidget) -> QScrollArea | None:
    parent = w.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def process_events() -> None:
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
