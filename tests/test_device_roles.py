"""Devices by role: kiosk.toml names each device after its job; old files (sections named after
the class) keep working; services ask for a role, so a second device of a class never takes
the first one's work; ``kiosk doctor`` says what the kiosk itself would use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_settings
from kiosk.device_roles import (
    DeviceRole,
    device_role,
    register_device_role,
    unregister_device_role,
)
from kiosk.service_state import ServiceState, service_state_path
from tests.conftest import ROOT

OLD_DEVICES = """
[devices.idcard]
driver = "simulated"

[devices.camera]
driver = "simulated"

[devices.printer]
driver = "simulated"

[devices.scanner]
driver = "simulated"
"""


def _config(tmp_path: Path, devices: str) -> Path:
    """The bundled kiosk.toml with its [devices.*] sections replaced by ``devices``."""
    base = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    head, _, rest = base.partition("# Devices by role")
    secret = ROOT / "packaging" / "demo" / "demo-api-secret"
    text = (head + devices + "\n" + rest[rest.index("[queue]"):])
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp_path / "var"}"').replace(
        'secret_file = "packaging/demo/demo-api-secret"', f'secret_file = "{secret}"')
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_old_file_with_sections_named_after_classes_fills_the_roles(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, OLD_DEVICES))
    printer = settings.device_for("receipt_printer")
    # The device keeps its name: a printer the technician took out of service stays out.
    assert printer is not None and (printer.name, printer.device_class) == ("printer", "printer")
    assert {d.role for d in settings.devices.values()} == {
        "id_reader", "document_camera", "receipt_printer", "code_scanner"}


def test_an_old_file_section_with_a_class_fills_that_class_role(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, '[devices.front]\nclass = "printer"\n'
                                               'driver = "simulated"\n'))
    front = settings.device_for("receipt_printer")
    assert front is not None and front.name == "front"


def test_an_old_file_with_two_printers_is_ambiguous_and_says_how_to_fix_it(
        tmp_path: Path) -> None:
    two = OLD_DEVICES + '\n[devices.printer2]\nclass = "printer"\ndriver = "simulated"\n'
    with pytest.raises(ConfigError) as err:
        load_settings(_config(tmp_path, two))
    msg = str(err.value)
    assert "[devices.printer]" in msg and "devices.printer2" in msg
    assert "receipt_printer" in msg and "name each section after its role" in msg


def test_a_role_section_and_an_old_section_for_the_same_role_are_ambiguous(
        tmp_path: Path) -> None:
    both = ('[devices.receipt_printer]\ndriver = "simulated"\n\n'
            '[devices.printer]\ndriver = "simulated"\n')
    with pytest.raises(ConfigError, match="receipt_printer"):
        load_settings(_config(tmp_path, both))


def test_a_role_refuses_a_class_that_cannot_fill_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="devices.receipt_printer.class"):
        load_settings(_config(tmp_path, '[devices.receipt_printer]\nclass = "camera"\n'
                                        'driver = "simulated"\n'))


def test_a_section_named_neither_after_a_role_nor_a_class_names_the_roles(
        tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="id_reader, document_camera"):
        load_settings(_config(tmp_path, '[devices.front_desk]\ndriver = "simulated"\n'))


def test_a_face_camera_is_a_second_camera_beside_the_document_camera(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, (
        '[devices.document_camera]\ndriver = "simulated"\n\n'
        '[devices.face_camera]\nclass = "camera"\ndriver = "simulated"\n')))
    face, doc = settings.device_for("face_camera"), settings.device_for("document_camera")
    assert face is not None and doc is not None and face.device_class == doc.device_class


@pytest.fixture
def document_printer_role() -> Iterator[None]:
    """The A4 printer role, here also fillable by a (simulated) ESC/POS printer for the test;
    the real role comes back afterwards."""
    real = device_role("document_printer")
    register_device_role(DeviceRole("document_printer", "文书打印机",
                                    ("printer", "document_printer")))
    yield
    unregister_device_role("document_printer")
    if real is not None:
        register_device_role(real)


def test_a_second_printer_in_another_role_never_gets_the_receipt(
        tmp_path: Path, document_printer_role: None) -> None:
    from kiosk.app_services import AppServices
    from tests.operator.conftest import receipt_dict, submit
    from tests.waiting import wait_until
    from ui.selftest import selftest_settings

    # The document printer comes first in the file: "the first printer" would be it.
    base = load_settings(_config(tmp_path, (
        '[devices.document_printer]\nclass = "printer"\ndriver = "simulated"\n\n'
        + OLD_DEVICES.replace("[devices.printer]", "[devices.receipt_printer]"))))
    settings = selftest_settings(base, tmp_path / "data")
    assert next(iter(settings.devices)) == "document_printer"
    kiosk = AppServices(settings)
    try:
        manager = kiosk.parts.manager
        assert manager is not None
        wait_until(lambda: all(s.availability.value != "STARTING"
                               for s in manager.statuses().values()), "devices up")
        document_printer = manager.device("document_printer")
        # An A4 printer out of paper does not grey 办理业务: no service needs its role.
        document_printer.engine.state.paper = "out"  # type: ignore[union-attr]
        wait_until(lambda: manager.status("document_printer").media.get("paper") == "out",
                   "document printer out of paper")
        assert "receipt_printer" not in kiosk.device_problems()
        assert kiosk.print_receipt(receipt_dict(submit(kiosk))).ok
        assert len(kiosk.device("receipt_printer").engine.jobs) == 1  # type: ignore[union-attr]
        assert document_printer.engine.jobs == []  # type: ignore[union-attr]
    finally:
        kiosk.close()


def test_doctor_shows_what_the_technician_took_out_of_service(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue #17 item 9: doctor said READY for a printer the kiosk had disabled."""
    from kiosk.cli import main

    config = _config(tmp_path, OLD_DEVICES.replace('driver = "simulated"', 'driver = "none"')
                     .replace('[devices.printer]\ndriver = "none"',
                              '[devices.printer]\ndriver = "simulated"'))
    state = ServiceState(service_state_path(tmp_path / "var"))
    state.set_device_offline("printer", True)
    state.set_out_of_service(True, "technician")

    assert main(["--config", str(config), "doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    printer = {d["name"]: d for d in report["devices"]}["printer"]
    assert printer["availability"] == "OFFLINE" and printer["role"] == "receipt_printer"
    assert report["kiosk"]["outOfService"] is True
    assert report["services"]["apply"]["available"] is False
    assert "out of service" in report["services"]["apply"]["reason"]

    assert main(["--config", str(config), "doctor"]) == 1
    text = capsys.readouterr().out
    assert "kiosk: OUT OF SERVICE" in text
    assert "printer (printer, role receipt_printer, driver simulated): OFFLINE" in text


@pytest.mark.parametrize("policy", ["off", "optional", "required"])
def test_the_face_camera_is_reported_only_where_the_kiosk_does_face_checks(
        tmp_path: Path, policy: str) -> None:
    from kiosk.availability import RoleDevices

    settings = load_settings(_config(tmp_path, (
        '[devices.document_camera]\ndriver = "simulated"\n\n'
        f'[identity]\nface_check = "{policy}"\n')))
    assert settings.identity.face_check == policy
    problems = RoleDevices(settings, None).problems()  # no device manager: nothing usable
    assert problems.get("face_camera") == (None if policy == "off" else "NOT_CONFIGURED")
