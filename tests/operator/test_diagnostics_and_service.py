"""The diagnostic bundle of a running kiosk, the kiosk taken out of service, and what a day
of staff mode leaves in the kiosk's files: no clear citizen name, ID or phone number."""

from __future__ import annotations

import json
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path

from kiosk.app_services import AppServices
from kiosk.audit import audit_path
from tests.operator.conftest import (
    CITIZEN,
    files_under,
    leaks,
    receipt_dict,
    settings_for,
    staff_agent,
    submit,
)
from tests.waiting import wait_until


def bundle(path: str) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {Path(m.name).name: tar.extractfile(m).read()  # type: ignore[union-attr]
                for m in tar.getmembers() if m.isfile()}


def test_diagnostics_of_the_running_kiosk_hold_every_part(kiosk: AppServices) -> None:
    log = kiosk.settings.kiosk.log_dir / "kiosk.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as f:  # a line that slipped through unmasked
        f.write(f"card {CITIZEN.cert_no} phone {CITIZEN.phone}\n")
    r = kiosk.operator.export_diagnostics("technician")
    assert r.ok and r.value is not None
    assert stat.S_IMODE(Path(r.value).stat().st_mode) == 0o600
    parts = bundle(r.value)
    assert {"doctor.json", "queue-status.json", "audit-verify.json", "config.json",
            "versions.json", "kiosk.log", "service-state.json"} <= set(parts)
    doctor = json.loads(parts["doctor.json"])
    assert doctor["source"] == "running kiosk"
    assert {d["name"]: d["availability"] for d in doctor["devices"]} == {
        "id_reader": "READY", "document_camera": "READY", "receipt_printer": "READY", "code_scanner": "READY",
        "document_printer": "READY"}
    assert doctor["services"] and "serial_ports" in doctor
    assert json.loads(parts["audit-verify.json"])["ok"] is True
    assert json.loads(parts["config.json"])["roles"]["staff_pin_hash"] == "(demo PIN)"
    assert not leaks(parts["kiosk.log"]) and b"3301**********" in parts["kiosk.log"]
    audit = audit_path(kiosk.settings.kiosk.data_dir).read_text(encoding="utf-8")
    last = json.loads(audit.splitlines()[-1])
    assert last["event"] == "tech.diagnostics_exported"
    assert last["details"] == {"file": Path(r.value).name}


def test_out_of_service_survives_a_restart_and_is_audited_once(
        start_kiosk: Callable[..., AppServices]) -> None:
    kiosk = start_kiosk()
    assert kiosk.operator.out_of_service() is False
    assert kiosk.operator.set_out_of_service(True, "technician").ok
    assert kiosk.operator.set_out_of_service(True, "technician").ok  # already out: nothing new
    kiosk.close()
    again = start_kiosk()
    assert again.operator.out_of_service() is True
    assert again.operator.set_out_of_service(False, "technician").ok
    assert again.operator.out_of_service() is False
    lines = audit_path(again.settings.kiosk.data_dir).read_text(encoding="utf-8").splitlines()
    events = [json.loads(line)["event"] for line in lines]
    assert events == ["tech.out_of_service", "tech.in_service"]
    state = again.settings.kiosk.data_dir / "state" / "service.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600


def test_a_damaged_service_state_file_leaves_the_kiosk_in_service(
        start_kiosk: Callable[..., AppServices], tmp_path: Path) -> None:
    state = tmp_path / "state" / "service.json"
    state.parent.mkdir(parents=True)
    state.write_text("{not json", encoding="utf-8")
    assert start_kiosk().operator.out_of_service() is False


def test_staff_mode_leaves_no_clear_citizen_data_in_audit_receipts_or_bundle(
        kiosk: AppServices) -> None:
    assert kiosk.operator.login("staff", "246810").ok
    kiosk.operator.audit("staff.acting_for_citizen", "staff", {"applicant": "赵*"})
    outcome = submit(kiosk)
    receipt = receipt_dict(outcome, agent=staff_agent())
    assert kiosk.print_receipt(receipt).ok and kiosk.operator.record_receipt(receipt).ok
    assert kiosk.operator.reprint(outcome.client_application_id, "staff").ok
    assert kiosk.operator.recent_receipts().ok and kiosk.operator.queue_entries().ok
    sim = kiosk.device("id_reader").simulator
    sim.present(next(c for c in sim.cards if c.id_number == CITIZEN.cert_no))
    assert kiosk.operator.device_test("id_reader", "technician").ok
    sim.lift()
    exported = kiosk.operator.export_diagnostics("technician")
    assert exported.ok and exported.value is not None

    data_dir = kiosk.settings.kiosk.data_dir
    audit = audit_path(data_dir).read_bytes()
    assert not leaks(audit), leaks(audit)
    for f in files_under(data_dir / "receipts"):
        assert not leaks(f.read_bytes()), f
    for name, part in bundle(exported.value).items():
        assert not leaks(part), (name, leaks(part))
    for f in files_under(data_dir / "state"):
        assert not leaks(f.read_bytes()), f


def test_running_kiosk_anchors_its_audit_head_with_the_heartbeat(
        start_kiosk: Callable[..., AppServices], tmp_path: Path) -> None:
    """#14 item 11: the heartbeat of a running kiosk carries the verified audit head; the
    platform (the embedded sandbox, over loopback) keeps it."""
    from kiosk.audit import read_head
    from kiosk.audit_anchor import platform_anchor

    services = start_kiosk(settings_for(tmp_path, api={"heartbeat_s": 0.2}))
    services.operator.audit_log.record("tech.device_test", actor="technician", device="printer")
    head = read_head(audit_path(tmp_path))
    assert head is not None and head.seq >= 1
    wait_until(lambda: (a := platform_anchor(services.parts.client, services.settings.kiosk.device_id))
               is not None and a.seq >= head.seq, "the audit head anchored on the platform")


def test_an_audit_record_is_anchored_within_seconds_not_a_heartbeat_period(
        start_kiosk: Callable[..., AppServices], tmp_path: Path) -> None:
    """With an hour between heartbeats, a lockout's record still leaves the box at once."""
    from kiosk.audit import read_head
    from kiosk.audit_anchor import platform_anchor

    services = start_kiosk(settings_for(tmp_path, api={"heartbeat_s": 3600}))
    for _ in range(5):
        services.operator.login("staff", "999999")   # four wrong PINs and the lockout
    head = read_head(audit_path(tmp_path))
    assert head is not None and head.seq >= 5
    wait_until(lambda: (a := platform_anchor(services.parts.client, services.settings.kiosk.device_id))
               is not None and a.seq >= head.seq, "the lockout anchored", timeout_s=15)
