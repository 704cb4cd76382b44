"""``kiosk run`` paints the home screen before its services exist (they start after the first
paint, as in ``ui.main.run``), then becomes ready without anybody touching it."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.operator_services import DEMO_PINS
from kiosk.roles import Role
from kiosk.session import Action, State, Tap


def test_home_screen_paints_before_the_services_start_and_then_comes_ready(
        qapp: Any, tmp_path: Path) -> None:
    from kiosk.config import load_settings
    from kiosk.lazy_services import LazyServices
    from ui.main import _start_services, build_kiosk
    from ui.selftest import selftest_settings

    settings = selftest_settings(load_settings(), tmp_path)
    services = LazyServices(lambda: _start_services(settings), start=False)
    # Only a hang-breaker: if building the window waited for the services, they start here
    # after a while and the assertion below says so instead of the test hanging.
    breaker = threading.Timer(10.0, services.start)
    breaker.start()
    try:
        kiosk = build_kiosk(settings, services, voice=False)
        kiosk.window.show()
        qapp.processEvents()
        kiosk.window.grab()
        painted_first = not services.ready
        assert kiosk.machine.state is State.ATTRACT and kiosk.window.isVisible()
        # A staff member quick enough to log in before the services are up: the PIN check
        # waits on a worker thread, not on the GUI thread.
        ctl = kiosk.controller
        # Taps sent at machine speed: no double-tap guard between them.
        kiosk.machine.timeouts = replace(kiosk.machine.timeouts, settle_s=0.0)
        ctl.send(Tap(Action.STAFF_ENTRY))
        for digit in DEMO_PINS[Role.STAFF]:
            ctl.send(Tap(Action.PIN_DIGIT, digit))
        ctl.send(Tap(Action.CONFIRM))
        qapp.processEvents()
        answered_first = not services.ready
    finally:
        breaker.cancel()
    assert painted_first, "the window waited for the services before its first paint"
    assert answered_first, "the PIN login blocked the GUI thread until the services were up"
    services.start()
    deadline = time.monotonic() + 60
    while kiosk.machine.state is not State.STAFF_MENU:
        assert time.monotonic() < deadline, "the login never came back"
        qapp.processEvents()
        time.sleep(0.02)
    ctl.send(Tap(Action.LOGOUT))
    deadline = time.monotonic() + 60
    while kiosk.machine.services()["apply"] or len(kiosk.machine.catalog) == 0:
        assert time.monotonic() < deadline, "the kiosk never became ready"
        qapp.processEvents()
        time.sleep(0.02)
    assert not kiosk.controller.errors
    kiosk.controller.shutdown()
    kiosk.window.close()
    services.close()
