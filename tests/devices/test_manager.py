"""DeviceManager with real drivers: the simulated ID-card reader and scanner on ptys, plus
test drivers registered through the public registry for the failure paths."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from devices.base import DeviceOptionError, DriverSpec, register_driver
from devices.idcard.frame import Command
from devices.idcard.simulator import IdCardSimulator
from devices.manager import DeviceManager
from devices.status import Availability, DeviceStatus, RequiredAction, Result
from tests.waiting import wait_until


@dataclass(frozen=True)
class Cfg:
    name: str
    device_class: str
    driver: str
    options: Mapping[str, Any] = field(default_factory=dict)


FAST = {"auto_present_s": None, "auto_lift_s": None, "realistic": False}


class Events:
    def __init__(self) -> None:
        self.items: list[DeviceStatus] = []
        self.cond = threading.Condition()

    def __call__(self, status: DeviceStatus) -> None:
        with self.cond:
            self.items.append(status)
            self.cond.notify_all()

    def wait_for(self, pred: Callable[[DeviceStatus], bool], timeout: float = 10) -> DeviceStatus:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for s in self.items:
                    if pred(s):
                        return s
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no matching status; got {[str(s.availability) for s in self.items]}")
                self.cond.wait(left)

    def of(self, name: str) -> list[Availability]:
        return [s.availability for s in self.items if s.name == name]


def _wait_for_polls(sim: IdCardSimulator, count: int) -> None:
    """Until the manager has asked the simulated reader for its status ``count`` more times
    (a poll count, not a guessed duration, so a slow machine still sees every poll)."""
    asked = len(sim.requests)
    wait_until(lambda: sim.requests[asked:].count(Command.SAM_STATUS) >= count,
               f"{count} status polls")


@pytest.fixture
def manager() -> Iterator[Callable[..., DeviceManager]]:
    made: list[DeviceManager] = []

    def make(*configs: Cfg, **kw: Any) -> DeviceManager:
        kw.setdefault("poll_interval_s", 0.05)
        kw.setdefault("backoff_initial_s", 0.05)
        kw.setdefault("backoff_max_s", 0.2)
        m = DeviceManager(configs, **kw)
        made.append(m)
        return m

    yield make
    for m in made:
        m.stop()


def test_simulated_devices_become_ready_and_emit_only_changes(manager: Callable[..., DeviceManager]) -> None:
    m = manager(Cfg("idcard", "idcard", "simulated", FAST), Cfg("scanner", "scanner", "simulated"))
    events = Events()
    m.subscribe(events)
    assert m.statuses()["idcard"].availability is Availability.STARTING
    m.start()
    events.wait_for(lambda s: s.name == "idcard" and s.availability is Availability.READY)
    events.wait_for(lambda s: s.name == "scanner" and s.availability is Availability.READY)
    _wait_for_polls(m.device("idcard").simulator, 8)  # type: ignore[union-attr]
    assert events.of("idcard") == [Availability.READY]
    assert events.of("scanner") == [Availability.READY]


def test_unplug_is_debounced_then_replug_reconnects(manager: Callable[..., DeviceManager]) -> None:
    m = manager(Cfg("idcard", "idcard", "simulated", FAST))
    events = Events()
    m.subscribe(events)
    m.start()
    events.wait_for(lambda s: s.availability is Availability.READY)
    sim = m.device("idcard").simulator  # type: ignore[union-attr]
    sim.unplug()
    down = events.wait_for(lambda s: s.availability is Availability.DISCONNECTED)
    assert down.fault is not None and down.fault.action is RequiredAction.RESET
    time.sleep(0.6)  # several reconnect attempts while the cable is out
    assert m.statuses()["idcard"].availability is Availability.DISCONNECTED
    sim.replug()
    events.wait_for(lambda s: s.availability is Availability.READY and s is not events.items[0])
    assert events.of("idcard")[:2] == [Availability.READY, Availability.DISCONNECTED]
    assert events.of("idcard")[-1] is Availability.READY


def test_one_missed_status_answer_is_not_reported_as_disconnect(manager: Callable[..., DeviceManager]) -> None:
    m = manager(Cfg("idcard", "idcard", "simulated", FAST), disconnect_debounce=3)
    events = Events()
    m.subscribe(events)
    m.start()
    events.wait_for(lambda s: s.availability is Availability.READY)
    sim = m.device("idcard").simulator  # type: ignore[union-attr]
    sim.fail_next("silent")
    _wait_for_polls(sim, 1 + 3 + 2)  # the silent one, the debounce's worth and some more
    assert Availability.DISCONNECTED not in events.of("idcard")


def test_missing_driver_is_reported_not_raised(manager: Callable[..., DeviceManager]) -> None:
    m = manager(Cfg("printer", "printer", "no-such-driver"))
    status = m.check_once()["printer"]
    assert status.availability is Availability.NOT_CONFIGURED
    assert "driver not available" in status.fault.message
    assert status.fault.action is RequiredAction.CONFIGURATION
    assert m.device("printer") is None


def test_bad_option_names_the_key(manager: Callable[..., DeviceManager]) -> None:
    m = manager(Cfg("idcard", "idcard", "ga467-serial", {"port": "/dev/ttyUSB0", "baudrate": 1}))
    status = m.statuses()["idcard"]
    assert status.availability is Availability.NOT_CONFIGURED
    assert "baudrate" in status.fault.message and "[devices.idcard]" in status.fault.message


class _NeedsLib:
    device_class = "camera"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name


register_driver(DriverSpec("camera", "test-missing-library", _NeedsLib, "test",
                           lambda: "libfoo is not installed (apt install libfoo1)"))


class _Flaky:
    """A driver whose status call raises until ``healthy`` — a driver bug, contained."""

    device_class = "printer"
    healthy = False

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name

    def open(self) -> Result[None]:
        return Result.success(None)

    def close(self) -> None:
        pass

    def poll_status(self) -> DeviceStatus:
        if not _Flaky.healthy:
            raise RuntimeError("boom")
        return DeviceStatus(self.name, "printer", Availability.READY)


def _refuses(name: str, options: Mapping[str, Any]) -> Any:
    raise DeviceOptionError("paper_width_mm", 70, "80 | 58")


register_driver(DriverSpec("printer", "test-flaky", _Flaky))
register_driver(DriverSpec("printer", "test-refuses", _refuses))


def test_missing_library_is_not_configured_with_its_diagnostic(manager: Callable[..., DeviceManager]) -> None:
    status = manager(Cfg("camera", "camera", "test-missing-library")).check_once()["camera"]
    assert status.availability is Availability.NOT_CONFIGURED
    assert "libfoo" in status.fault.message


def test_driver_that_raises_is_contained_and_retried(manager: Callable[..., DeviceManager]) -> None:
    _Flaky.healthy = False
    m = manager(Cfg("printer", "printer", "test-flaky"))
    events = Events()
    m.subscribe(events)
    m.start()
    bad = events.wait_for(lambda s: s.availability is Availability.HARDWARE_ERROR)
    assert bad.fault.code == "DRIVER_ERROR"
    _Flaky.healthy = True
    events.wait_for(lambda s: s.availability is Availability.READY)


def test_factory_option_error_is_reported(manager: Callable[..., DeviceManager]) -> None:
    status = manager(Cfg("printer", "printer", "test-refuses")).statuses()["printer"]
    assert "paper_width_mm" in status.fault.message


def test_failing_subscriber_does_not_stop_the_others(manager: Callable[..., DeviceManager]) -> None:
    m = manager(Cfg("idcard", "idcard", "simulated", FAST))
    events = Events()

    def broken(status: DeviceStatus) -> None:
        raise ValueError("subscriber bug")

    m.subscribe(broken)
    m.subscribe(events)
    m.start()
    events.wait_for(lambda s: s.availability is Availability.READY)


def test_each_device_says_why_it_cannot_serve(manager: Callable[..., DeviceManager]) -> None:
    # Which services that greys is kiosk.availability's rule (by role); the manager says, per
    # device, what state it is in and why.
    m = manager(Cfg("idcard", "idcard", "simulated", FAST),
                Cfg("printer", "printer", "no-such-driver"),
                Cfg("camera", "camera", "none"))
    statuses = m.check_once()
    assert statuses["idcard"].availability.usable
    printer, camera = statuses["printer"], statuses["camera"]
    assert printer.availability is Availability.NOT_CONFIGURED and printer.fault is not None
    assert "driver not available" in printer.fault.message
    assert camera.availability is Availability.NOT_CONFIGURED and camera.fault is not None
    assert camera.fault.code == "NOT_INSTALLED"


def test_device_taken_offline_is_offline_until_put_back(manager: Callable[..., DeviceManager]) -> None:
    m = manager(Cfg("idcard", "idcard", "simulated", FAST))
    m.check_once()
    m.set_offline("idcard", True)
    status = m.statuses()["idcard"]
    assert status.availability is Availability.OFFLINE and not status.availability.usable
    m.set_offline("idcard", False)
    assert m.check_once()["idcard"].availability is Availability.READY


def test_kiosk_demo_config_builds_through_the_manager() -> None:
    from kiosk.config import load_settings

    m = DeviceManager(load_settings(None).devices.values())
    try:
        statuses = m.check_once()
        assert statuses["id_reader"].availability is Availability.READY
        assert statuses["code_scanner"].availability is Availability.READY
        for name in ("document_camera", "receipt_printer"):  # other helpers' drivers may not be merged yet
            assert statuses[name].availability in (Availability.READY, Availability.NOT_CONFIGURED)
    finally:
        m.stop()
