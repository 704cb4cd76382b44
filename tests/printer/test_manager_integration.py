"""The printer under the device manager: paper running out makes the services that need a
receipt unavailable with a plain reason, and adding paper brings them back."""

from __future__ import annotations

import threading

from devices.manager import DeviceManager
from devices.printer.device import SimulatedReceiptPrinter
from devices.status import Availability, DeviceStatus
from kiosk.config import DeviceSection
from kiosk.device_classes import PRINTER


def _greys(status: DeviceStatus) -> str:
    """The code that greys the services needing a receipt (kiosk.availability's rule)."""
    return PRINTER.problem(status)


def test_paper_out_greys_out_the_receipt_services_until_staff_add_paper() -> None:
    mgr = DeviceManager([DeviceSection("printer", "printer", "simulated",
                                       {"paper_width_mm": 58})], poll_interval_s=0.1)
    seen: list[DeviceStatus] = []
    changed = threading.Condition()

    def on_status(status: DeviceStatus) -> None:
        with changed:
            seen.append(status)
            changed.notify_all()

    def wait_for(availability: Availability) -> DeviceStatus:
        with changed:
            assert changed.wait_for(lambda: seen and seen[-1].availability is availability,
                                    timeout=20), [s.availability for s in seen]
            return seen[-1]

    mgr.subscribe(on_status)
    mgr.start()
    try:
        ready = wait_for(Availability.READY)
        assert ready.info.model == "KIOSK-SIM58"
        assert _greys(ready) == ""
        printer = mgr.device("printer")
        assert isinstance(printer, SimulatedReceiptPrinter)

        printer.engine.state.paper = "out"
        out = wait_for(Availability.HARDWARE_ERROR)
        assert out.media["paper"] == "out" and out.fault is not None
        assert out.fault.code == "PAPER_OUT" and out.fault.action.value == "clear"
        assert _greys(out) == "PAPER_OUT" and "打印纸用完" in out.fault.message

        printer.engine.state.paper = "ok"
        assert _greys(wait_for(Availability.READY)) == ""
    finally:
        mgr.stop()
