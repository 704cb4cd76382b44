"""A person's tap is never lost: events that arrive while a finger rests on a button (device
changes, late network results, clock ticks) leave the button in place, and events that change
nothing visible touch no widget at all. Real window, real parts (see conftest)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from kiosk.session import State
from kiosk.session.events import DeviceChanged, Tick
from ui.journey import Driver
from ui.selftest import demo_card_for


def _ready(d: Driver) -> None:
    d.wait_for("services", lambda: not d.kiosk.machine.services()["apply"]
               and len(d.kiosk.machine.catalog) > 0)
    d.wait_for("the screen to settle", d.kiosk.machine.settled)


def _scanner_flapping(d: Driver, step: int) -> DeviceChanged:
    """A device this journey does not need comes and goes (the query still has the reader)."""
    problems = {k: v for k, v in d.kiosk.machine.device_problems.items() if k != "scanner"}
    if step % 2:
        problems["scanner"] = "DISCONNECTED"
    return DeviceChanged(problems)


def test_device_event_between_press_and_release_keeps_the_tap(stack: Driver) -> None:
    d = stack
    _ready(d)
    window = d.kiosk.window
    b = d.find("action:start_apply")
    spot = b.mapTo(window, b.rect().center())
    QTest.mousePress(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    d.pump(30)
    d.kiosk.controller.send(_scanner_flapping(d, 1))  # the scanner drops out mid-press
    d.pump(30)
    QTest.mouseRelease(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    d.wait_state(State.IDENTIFY, timeout_s=5)


def test_event_that_changes_the_screen_between_press_and_release_keeps_the_tap(
        stack: Driver) -> None:
    """The scanner's state shows on the home screen (查询 stays usable with the card reader),
    yet 办理业务 keeps its identity while it means the same thing."""
    d = stack
    _ready(d)
    window = d.kiosk.window
    b = d.find("action:start_apply")
    spot = b.mapTo(window, b.rect().center())
    created, _ = window.render_counts()
    QTest.mousePress(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    for step in range(1, 6):  # several events during one press
        d.kiosk.controller.send(_scanner_flapping(d, step))
        d.pump(15)
    assert d.find("action:start_apply") is b
    QTest.mouseRelease(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    d.wait_state(State.IDENTIFY, timeout_s=5)
    assert window.render_counts()[0] > created  # the identify screen was built, nothing else


def test_events_that_change_nothing_visible_touch_no_widget(stack: Driver) -> None:
    d = stack
    _ready(d)
    sim = demo_card_for(d.kiosk.services)
    d.start_apply()
    sim.present()
    d.choose("gjj", d.kiosk.machine.catalog.search("gjj")[0].code)
    d.pump(200)
    window, ctl, m = d.kiosk.window, d.kiosk.controller, d.kiosk.machine
    before = window.render_counts()
    ctl.send(DeviceChanged(dict(m.device_problems)))  # the same readiness again
    ctl.send(_scanner_flapping(d, 1))  # a device the form does not show
    ctl.send(_scanner_flapping(d, 2))
    ctl.send(Tick(m.clock()))  # a clock tick with no countdown on screen
    d.pump(50)
    assert window.render_counts() == before
    d.type_into("field:phone", "1390000")  # while a visible change updates only its widget
    created, updated = window.render_counts()
    assert created == before[0] and updated > before[1]


def test_fifty_journeys_in_an_event_storm_lose_no_tap(stack: Driver) -> None:
    """Device events at 20 per second while a finger rests 60 ms on each button."""
    d = stack
    _ready(d)
    m = d.kiosk.machine
    # The double-tap guard and the receipt's dwell are tested elsewhere; here they would only
    # make the run longer.
    m.timeouts = replace(m.timeouts, settle_s=0.05, receipt_dwell_s=0.0)
    d.hold_ms = 60
    step = 0

    def storm() -> None:
        nonlocal step
        step += 1
        d.kiosk.controller.send(_scanner_flapping(d, step))

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(storm)
    timer.start()
    sim = demo_card_for(d.kiosk.services)
    code = m.catalog.search("gjj")[0].code
    try:
        for _ in range(50):
            d.start_apply()
            sim.present()
            d.choose("gjj", code)
            d.fill_form()
            d.capture_materials(optional=False)
            d.deliver()
            d.confirm()
            d.take_receipt()
            d.rate()
            sim.lift()
    finally:
        timer.stop()
    assert step >= 20 * 50  # the storm ran through all of it
    assert d.taps >= 50 * 15  # every one of these reached its button (Driver.tap checks)


def test_a_choice_tapped_while_the_keyboard_is_open_keeps_the_list_still(
        stack: Driver) -> None:
    """The press used to take the focus from the field (to the scroll area): the keyboard
    closed under the finger, the form slid down, and the release missed the button."""
    d = stack
    _ready(d)
    m = d.kiosk.machine
    sim = demo_card_for(d.kiosk.services)
    d.start_apply()
    sim.present()
    d.choose("gjj", m.catalog.search("gjj")[0].code)
    d.type_into("field:amount", "5000")
    keyboard = d.kiosk.window.keyboard.panel
    d.wait_for("keyboard open", keyboard.isVisible)
    d.hold_ms = 60
    d.tap("choice:reason:RENT")  # Driver.tap fails if the tap is lost
    assert m.data.form.get("reason") == "RENT"
    assert keyboard.isVisible()  # still typing the amount
