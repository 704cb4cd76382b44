"""A device class is declared once (kiosk.device_classes): a throwaway class registered
through its descriptor alone — no other file edited — shows up in config validation,
``kiosk doctor``, the technician's device list and test button, its label, and selftest."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pytest

from devices.base import Cancel, Device, DriverSpec, register_driver, unregister_driver
from devices.status import Availability, DeviceInfo, DeviceStatus, Result, Severity
from kiosk.config import ConfigError, load_settings
from kiosk.device_classes import (
    DeviceClass,
    DeviceTestContext,
    DeviceTestReport,
    UdevHint,
    register_device_class,
    report,
    unregister_device_class,
)
from kiosk.device_roles import DeviceRole, register_device_role, unregister_device_role
from tests.conftest import ROOT


@runtime_checkable
class SignaturePad(Device, Protocol):
    def read_signature(self, cancel: Cancel, timeout_s: float) -> Result[bytes]: ...


class SimulatedPad:
    device_class = "signature_pad"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.strokes = int(options.get("strokes", 3))
        self.opened = threading.Event()

    def open(self) -> Result[None]:
        self.opened.set()
        return Result.success(None)

    def close(self) -> None:
        self.opened.clear()

    def poll_status(self) -> DeviceStatus:
        return DeviceStatus(self.name, self.device_class, Availability.READY, Severity.OK,
                            info=DeviceInfo(model="PAD-SIM"))

    def read_signature(self, cancel: Cancel, timeout_s: float) -> Result[bytes]:
        return Result.success(b"\x01" * self.strokes)


def _test_pad(pad: SignaturePad, ctx: DeviceTestContext) -> Result[DeviceTestReport]:
    r = pad.read_signature(ctx.cancel, ctx.timeout_s)
    return report("SIGNATURE_READ", strokes=len(r.unwrap()))


@pytest.fixture
def signature_pad() -> Iterator[DeviceClass]:
    """The whole declaration of a new class and its role, as docs/devices.md shows it."""
    spec = register_device_class(DeviceClass(
        "signature_pad", "签名板", SignaturePad, _test_pad, default_role="signature_pad",
        drivers_module=__name__, selftest_options={"strokes": 5},
        udev=(UdevHint("hidraw", "signature pad by VID:PID → /dev/kiosk-signature"),)))
    register_device_role(DeviceRole("signature_pad", "签名板", ("signature_pad",)))
    register_driver(DriverSpec("signature_pad", "simulated", SimulatedPad, "simulated pad"))
    yield spec
    unregister_driver("signature_pad", "simulated")
    unregister_device_role("signature_pad")
    unregister_device_class("signature_pad")


def _config(tmp_path: Path, devices: str) -> Path:
    base = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    head, _, rest = base.partition("[devices.id_reader]")
    tail = rest[rest.index("[queue]"):]
    path = tmp_path / "kiosk.toml"
    path.write_text(head.replace('data_dir = "var"', f'data_dir = "{tmp_path / "var"}"')
                    + devices + "\n" + tail, encoding="utf-8")
    secret = ROOT / "packaging" / "demo" / "demo-api-secret"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'secret_file = "packaging/demo/demo-api-secret"', f'secret_file = "{secret}"'),
        encoding="utf-8")
    return path


PAD = '[devices.signature_pad]\nclass = "signature_pad"\ndriver = "simulated"\n'


def test_an_unknown_class_is_refused_by_config_validation(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="signature_pad"):
        load_settings(_config(tmp_path, PAD))


def test_a_class_declared_once_is_valid_config(tmp_path: Path,
                                               signature_pad: DeviceClass) -> None:
    settings = load_settings(_config(tmp_path, PAD))
    section = settings.device_for("signature_pad")
    assert section is not None and section.device_class == "signature_pad"


def test_a_class_declared_once_is_in_kiosk_doctor(
        tmp_path: Path, signature_pad: DeviceClass, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["--config", str(_config(tmp_path, PAD)), "doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (pad,) = report["devices"]
    assert (pad["name"], pad["class"], pad["role"], pad["availability"]) == (
        "signature_pad", "signature_pad", "signature_pad", "READY")
    assert pad["info"]["model"] == "PAD-SIM"


def test_a_class_declared_once_has_a_technician_test_and_a_label(
        tmp_path: Path, signature_pad: DeviceClass) -> None:
    from devices.manager import DeviceManager
    from kiosk.operator_services import OperatorDesk
    from tests.waiting import wait_until
    from ui.texts import device_class

    settings = load_settings(_config(tmp_path, PAD))
    manager = DeviceManager(settings.devices.values(), poll_interval_s=0.05)
    manager.start()
    try:
        wait_until(lambda: manager.status("signature_pad").availability.value == "READY",
                   "pad ready")
        desk = OperatorDesk(settings, manager=manager)
        (report,) = desk.device_reports().unwrap()
        assert (report.name, report.device_class, report.model) == (
            "signature_pad", "signature_pad", "PAD-SIM")
        assert desk.device_test("signature_pad", "technician").unwrap() == \
            DeviceTestReport("SIGNATURE_READ", (("strokes", "3"),))
    finally:
        manager.stop()
    assert device_class("signature_pad") == "签名板"


def test_a_class_declared_once_runs_simulated_in_selftest(
        tmp_path: Path, signature_pad: DeviceClass) -> None:
    from ui.selftest import selftest_settings

    settings = selftest_settings(load_settings(_config(tmp_path, PAD)), tmp_path / "selftest")
    pad = settings.device_for("signature_pad")
    assert pad is not None and pad.driver == "simulated" and pad.options == {"strokes": 5}
    # and the roles the journey needs are there as simulators too
    assert {d.role for d in settings.devices.values()} >= {
        "id_reader", "document_camera", "receipt_printer", "code_scanner", "signature_pad"}


def test_a_driver_without_the_class_interface_fails_its_test_as_a_result(
        signature_pad: DeviceClass) -> None:
    class NotAPad:
        name, device_class = "pad", "signature_pad"

        def open(self) -> Result[None]:
            return Result.success(None)

        def close(self) -> None: ...

        def poll_status(self) -> DeviceStatus:
            return DeviceStatus(self.name, self.device_class, Availability.READY)

    ctx = DeviceTestContext(Cancel(), 1.0, "hall", "K-1", "0")
    r = signature_pad.run_test(NotAPad(), ctx)
    assert r.fault is not None and r.fault.code == "DRIVER_ERROR"


def test_the_udev_rules_cover_every_class_s_udev_hints() -> None:
    from kiosk.device_classes import device_classes

    rules = (ROOT / "packaging" / "udev" / "70-hall-kiosk.rules").read_text(encoding="utf-8")
    for spec in device_classes():
        assert spec.udev, spec.name
        for hint in spec.udev:
            assert f'SUBSYSTEM=="{hint.subsystem}"' in rules, (spec.name, hint)


def test_a_class_declared_once_is_on_the_technician_screen(
        tmp_path: Path, signature_pad: DeviceClass, qapp: Any) -> None:
    # The real window on real parts (tests/ui/conftest.py's stack) with the pad configured:
    # its panel carries its label, and its test button runs its test action.
    from kiosk.app_services import AppServices
    from ui.inspect import widget_texts
    from ui.journey import Driver
    from ui.main import build_kiosk
    from ui.selftest import selftest_settings
    from ui.texts import device_class

    settings = selftest_settings(load_settings(_config(tmp_path, PAD)), tmp_path / "selftest")
    services = AppServices(settings)
    kiosk = build_kiosk(settings, services, catalog=services.catalog(), voice=False)
    kiosk.window.show()
    d = Driver(kiosk)
    try:
        d.login("technician")
        d.wait_for("devices", lambda: any(
            r.name == "signature_pad" for r in kiosk.machine.desk.devices or ()))
        assert any(device_class("signature_pad") in t for t in widget_texts(d.window))
        d.tap("action:device_test:signature_pad")
        # a class the screen has no words for shows its code and facts
        d.wait_for("test ran", lambda: any("SIGNATURE_READ strokes=5" in t
                                           for t in widget_texts(d.window)))
    finally:
        kiosk.controller.shutdown()
        kiosk.window.close()
        services.close()
        kiosk.window.deleteLater()
        qapp.processEvents()
