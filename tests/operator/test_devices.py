"""Device reports and test actions of the technician screen on the running kiosk's devices
(simulators over pty/TCP), and taking a device out of service."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from kiosk.app_services import AppServices
from kiosk.audit import audit_path
from kiosk.privacy import mask_id_number
from kiosk.qr_payload import receipt_url
from tests.operator.conftest import printed
from tests.waiting import wait_until


def audits(kiosk: AppServices, event: str) -> list[dict[str, object]]:
    lines = audit_path(kiosk.settings.kiosk.data_dir).read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["event"] == event]


def test_device_reports_list_every_configured_device(kiosk: AppServices) -> None:
    reports = {r.name: r for r in kiosk.operator.device_reports().unwrap()}
    assert set(reports) == {"id_reader", "document_camera", "receipt_printer", "code_scanner",
                            "document_printer"}
    printer = reports["receipt_printer"]
    assert (printer.device_class, printer.role, printer.driver, printer.availability) == (
        "printer", "receipt_printer", "simulated", "READY")
    assert printer.model == "KIOSK-SIM80" and printer.media is not None
    assert printer.media.get("paper") == "ok" and not printer.offline


def test_printer_test_prints_the_technician_test_page(kiosk: AppServices) -> None:
    r = kiosk.operator.device_test("receipt_printer", "technician")
    assert r.value is not None and r.value.code == "TEST_PAGE_PRINTED"
    assert int(r.value.fact("bytes")) > 100
    page = printed(kiosk)[-1]
    assert "打印机测试页" in page and "KIOSK-SIM80" in page
    assert audits(kiosk, "tech.device_test")[-1]["details"] == {
        "device": "receipt_printer", "class": "printer", "ok": True, "code": ""}


def test_a4_printer_test_prints_the_a4_test_page(kiosk: AppServices) -> None:
    r = kiosk.operator.device_test("document_printer", "technician")
    assert r.value is not None and r.value.code == "TEST_PAGE_PRINTED"
    sink = kiosk.device("document_printer")
    assert sink is not None and sink.jobs[-1].pages == 1  # type: ignore[attr-defined]


def test_printer_test_without_paper_reports_the_fault(kiosk: AppServices) -> None:
    kiosk.device("receipt_printer").engine.state.paper = "out"
    r = kiosk.operator.device_test("receipt_printer", "technician")
    assert r.fault is not None and r.fault.code == "PAPER_OUT"
    assert audits(kiosk, "tech.device_test")[-1]["details"]["ok"] is False


def test_idcard_test_reads_a_card_and_shows_only_the_masked_number(
        kiosk: AppServices) -> None:
    sim = kiosk.device("id_reader").simulator
    card = sim.cards[0]
    sim.present(card)
    r = kiosk.operator.device_test("id_reader", "technician")
    sim.lift()
    assert r.ok, r.fault
    assert r.value is not None and r.value.code == "CARD_READ"
    assert r.value.fact("id") == mask_id_number(card.id_number)
    assert card.id_number not in str(r.value)


def test_idcard_test_without_a_card_reports_the_timeout(kiosk: AppServices) -> None:
    kiosk.operator.test_timeout_s = 0.3
    r = kiosk.operator.device_test("id_reader", "technician")
    assert r.fault is not None and r.fault.code == "TIMEOUT"


def test_camera_test_reports_the_frame_size_and_the_page(kiosk: AppServices) -> None:
    r = kiosk.operator.device_test("document_camera", "technician")
    assert r.ok, r.fault
    assert r.value is not None and r.value.code == "FRAME"
    w, h = r.value.fact("size").split("x")
    assert int(w) > 0 and int(h) > 0
    from devices.camera.quality import MESSAGES

    page = r.value.fact("page")  # "found", or why not in the camera's own terms
    assert page == "found" or page in MESSAGES or page == "no_page", page


def test_scanner_test_reports_length_and_kind_not_the_content(kiosk: AppServices) -> None:
    url = receipt_url("01900000-0000-7000-8000-00000000abcd", "PW1234")
    sim = kiosk.device("code_scanner").simulator
    threading.Timer(0.3, sim.scan, [url]).start()
    r = kiosk.operator.device_test("code_scanner", "technician")
    assert r.ok, r.fault
    assert r.value is not None and r.value.code == "CODE_READ"
    assert dict(r.value.facts) == {"characters": str(len(url)), "format": "unknown",
                                   "kind": "receipt"}
    assert "PW1234" not in str(r.value)


def test_scanner_test_without_a_code_reports_the_timeout(kiosk: AppServices) -> None:
    kiosk.operator.test_timeout_s = 0.3
    r = kiosk.operator.device_test("code_scanner", "technician")
    assert r.fault is not None and r.fault.code == "TIMEOUT"


def test_unknown_device_is_a_result_not_an_exception(kiosk: AppServices) -> None:
    r = kiosk.operator.device_test("fax", "technician")
    assert r.fault is not None and r.fault.code == "unknown_device"
    assert kiosk.operator.set_device_offline("fax", True, "technician").fault.code == "unknown_device"  # type: ignore[union-attr]


def test_device_taken_offline_stays_offline_across_restart(
        start_kiosk: Callable[..., AppServices]) -> None:
    kiosk = start_kiosk()
    assert kiosk.operator.set_device_offline("receipt_printer", True, "technician").ok
    report = {r.name: r for r in kiosk.operator.device_reports().unwrap()}["receipt_printer"]
    assert report.offline and report.availability == "OFFLINE"
    assert kiosk.device_problems()["receipt_printer"] == "OFFLINE"  # services needing it are greyed
    assert audits(kiosk, "tech.config_changed")[-1]["details"] == {"device": "receipt_printer",
                                                                   "offline": True}
    kiosk.close()

    again = start_kiosk()
    report = {r.name: r for r in again.operator.device_reports().unwrap()}["receipt_printer"]
    assert report.offline and report.availability == "OFFLINE"
    assert again.operator.set_device_offline("receipt_printer", False, "technician").ok
    wait_until(lambda: again.parts.manager.status("receipt_printer").availability.value == "READY",
               "the printer back in service")
    assert not {r.name: r for r in again.operator.device_reports().unwrap()}["receipt_printer"].offline
    assert "receipt_printer" not in again.device_problems()


def test_reader_taken_out_of_service_reads_no_card_for_anybody(kiosk: AppServices) -> None:
    from devices.base import Cancel

    kiosk.device("id_reader").simulator.present()
    assert kiosk.operator.set_device_offline("id_reader", True, "technician").ok
    r = kiosk.read_card(Cancel(), 1.0)
    assert not r.ok and r.fault is not None and r.fault.code == "DISCONNECTED"
    assert kiosk.device("id_reader") is None
