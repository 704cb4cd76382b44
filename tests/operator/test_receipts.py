"""Receipts kept for a staff reprint (补打): masked, encrypted, bounded, brought up to date
with the offline queue, printed as 副本 — and the optional 代办人 line."""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from devices.printer.render import render
from kiosk.app_services import AppServices
from kiosk.audit import audit_path
from kiosk.privacy import mask_id_number, mask_name
from kiosk.receipts import intake_receipt, samples
from kiosk.receipts.store import ReceiptStore
from kiosk.session.model import SubmitOutcome
from tests.operator.conftest import (
    AGENT_NAME,
    CITIZEN,
    files_under,
    leaks,
    printed,
    receipt_dict,
    staff_agent,
    submit,
)
from tests.waiting import wait_until


def test_receipt_store_holds_no_clear_name_or_id_number(kiosk: AppServices) -> None:
    outcome = submit(kiosk)
    assert kiosk.operator.record_receipt(receipt_dict(outcome, agent=staff_agent())).ok
    store_dir = kiosk.settings.kiosk.data_dir / "receipts"
    files = files_under(store_dir)
    assert files and all(not leaks(p.read_bytes()) for p in files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o700
    # What is sealed inside is the masked receipt too, not only ciphertext of the clear one.
    kept = kiosk.operator.receipts.get(outcome.client_application_id)
    assert kept is not None
    assert kept.data.applicant_name == mask_name(CITIZEN.name)
    assert kept.data.applicant_id_number == mask_id_number(CITIZEN.cert_no)
    assert kept.data.agent_name == mask_name(AGENT_NAME)
    assert not leaks(json.dumps(kept.data.to_dict(), ensure_ascii=False).encode())
    entry = kiosk.operator.recent_receipts().unwrap()[0]
    assert (entry.reference, entry.applicant, entry.delivered) == (
        outcome.client_application_id, mask_name(CITIZEN.name), True)


def test_reprint_after_offline_delivery_says_received(kiosk: AppServices) -> None:
    kiosk.parts.sandbox.faults.set(error_rate=1.0, retry_after_s=1)  # the platform is down
    outcome = submit(kiosk)
    assert not outcome.delivered
    assert kiosk.print_receipt(receipt_dict(outcome)).ok
    assert kiosk.operator.record_receipt(receipt_dict(outcome)).ok
    assert "收件待上传" in printed(kiosk)[-1]
    assert kiosk.operator.recent_receipts().unwrap()[0].delivered is False

    kiosk.parts.sandbox.faults.set(error_rate=0.0)  # back: the background worker delivers it
    assert kiosk.operator.queue_sync("staff").ok
    wait_until(lambda: kiosk.parts.outbox.get(outcome.client_application_id).state.value
               == "delivered", "the queued application delivered", timeout_s=30)
    platform_id = kiosk.parts.outbox.get(outcome.client_application_id).platform_id
    assert platform_id

    assert kiosk.operator.reprint(outcome.client_application_id, "staff").ok
    copy = printed(kiosk)[-1]
    assert "收件回执（副本）" in copy and "补打时间" in copy and "—— 副本 ——" in copy
    assert "已收件" in copy and "收件待上传" not in copy
    assert platform_id in copy
    entry = kiosk.operator.recent_receipts().unwrap()[0]
    assert entry.delivered and entry.case_ref == platform_id
    audit = audit_path(kiosk.settings.kiosk.data_dir).read_text(encoding="utf-8")
    last = json.loads(audit.splitlines()[-1])
    assert last["event"] == "receipt.reprinted" and last["actor"] == "staff"
    assert last["details"]["ok"] is True and last["details"]["delivered"] is True


def test_reprint_matches_the_original_apart_from_the_copy_marks(kiosk: AppServices) -> None:
    outcome = submit(kiosk)
    receipt = receipt_dict(outcome, agent=staff_agent())
    assert kiosk.print_receipt(receipt).ok
    assert kiosk.operator.record_receipt(receipt).ok
    assert kiosk.operator.reprint(outcome.client_application_id, "staff").ok
    original, copy = printed(kiosk)[-2:]
    assert ["代办人", mask_name(AGENT_NAME) + "（帮办代办人员）"] in [
        line.split() for line in original.splitlines()]
    marks = ("收件回执", "补打时间", "收件时间", "副本")

    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if not any(m in line for m in marks)]

    assert strip(original) == strip(copy)
    assert not leaks(copy.encode()) and not leaks(original.encode())


def test_reprint_to_a_printer_the_technician_took_out_of_service_is_refused(
        kiosk: AppServices) -> None:
    outcome = submit(kiosk)
    receipt = receipt_dict(outcome)
    assert kiosk.operator.record_receipt(receipt).ok
    engine = kiosk.device("receipt_printer").engine  # type: ignore[union-attr]
    jobs = len(engine.jobs)
    assert kiosk.operator.set_device_offline("receipt_printer", True, "technician").ok
    r = kiosk.operator.reprint(outcome.client_application_id, "staff")
    assert r.fault is not None and r.fault.code == "print_failed"
    assert len(engine.jobs) == jobs  # nothing went to the printer out of service


def test_reprint_of_an_unknown_reference_says_so(kiosk: AppServices) -> None:
    r = kiosk.operator.reprint("01900000-0000-7000-8000-000000000000", "staff")
    assert r.fault is not None and r.fault.code == "unknown_receipt"


def test_reprint_of_a_voided_application_is_refused(kiosk: AppServices) -> None:
    kiosk.parts.sandbox.faults.set(error_rate=1.0, retry_after_s=30)
    outcome = submit(kiosk)
    assert kiosk.operator.record_receipt(receipt_dict(outcome)).ok
    assert kiosk.operator.queue_void(outcome.client_application_id, "staff").ok
    r = kiosk.operator.reprint(outcome.client_application_id, "staff")
    assert r.fault is not None and r.fault.code == "application_voided"


def test_reprint_of_an_application_the_platform_refused_is_refused(kiosk: AppServices) -> None:
    from tests.operator.test_queue import refused

    dead = refused(kiosk)
    assert kiosk.operator.record_receipt(receipt_dict(SubmitOutcome(dead, delivered=False))).ok
    jobs = len(kiosk.device("receipt_printer").engine.jobs)
    r = kiosk.operator.reprint(dead, "staff")
    assert r.fault is not None and r.fault.code == "application_refused"
    assert len(kiosk.device("receipt_printer").engine.jobs) == jobs  # no misleading 收件待上传 copy


def test_receipts_are_kept_30_days_and_at_most_500_newest_first(tmp_path: Path) -> None:
    store = ReceiptStore(tmp_path / "receipts", max_receipts=3)
    base = samples.sample_receipt()
    now = time.time()
    for i in range(5):
        store.save(replace(base, reference=f"ref-{i:04d}-x"), kept_at=now - 100 + i)
    store.save(replace(base, reference="ref-old-one"), kept_at=now - 31 * 86400)
    assert [k.data.reference for k in store.recent()] == ["ref-0004-x", "ref-0003-x",
                                                          "ref-0002-x"]
    assert len([p for p in files_under(tmp_path / "receipts") if p.suffix == ".rct"]) == 3
    defaults = ReceiptStore(tmp_path / "other")
    assert (defaults.max_age_s, defaults.max_receipts) == (30 * 86400, 500)


def test_recording_the_same_receipt_again_keeps_one_copy(tmp_path: Path) -> None:
    store = ReceiptStore(tmp_path / "receipts")
    data = samples.sample_receipt()
    store.save(data, kept_at=1000.0 + time.time())
    store.save(replace(data, delivered=True), kept_at=1001.0 + time.time())
    kept = store.recent()
    assert len(kept) == 1 and kept[0].data.delivered


def test_tampered_receipt_file_is_skipped_and_the_others_stay(tmp_path: Path) -> None:
    store = ReceiptStore(tmp_path / "receipts")
    base = samples.sample_receipt()
    now = time.time()
    store.save(replace(base, reference="ref-good-1"), kept_at=now)
    store.save(replace(base, reference="ref-bad-22"), kept_at=now + 1)
    newest = sorted(p for p in files_under(tmp_path / "receipts") if p.suffix == ".rct")[-1]
    blob = bytearray(newest.read_bytes())
    blob[-1] ^= 0x01
    newest.write_bytes(bytes(blob))
    assert [k.data.reference for k in ReceiptStore(tmp_path / "receipts").recent()] == \
        ["ref-good-1"]


def test_receipt_key_readable_by_others_is_refused_with_the_fix(
        start_kiosk: Callable[..., AppServices]) -> None:
    kiosk = start_kiosk()
    outcome = submit(kiosk)
    assert kiosk.operator.record_receipt(receipt_dict(outcome)).ok
    kiosk.close()
    key = kiosk.settings.kiosk.data_dir / "receipts" / "receipts.key"
    os.chmod(key, 0o644)
    again = start_kiosk()  # the kiosk still starts; only receipt keeping refuses
    r = again.operator.record_receipt(receipt_dict(outcome))
    assert r.fault is not None and r.fault.code == "receipt_not_kept"
    assert "receipt store key file" in r.fault.message and "chmod 600" in r.fault.message
    listed = again.operator.recent_receipts()
    assert listed.fault is not None and listed.fault.code == "receipt_store_unavailable"


def test_agent_line_is_printed_only_when_there_is_an_agent() -> None:
    base = samples.sample_receipt()
    without = "\n".join(render(intake_receipt(base)).lines)
    assert "代办人" not in without
    with_agent = replace(base, agent_name="李四代办", agent_kind="CITIZEN_AGENT")
    text = "\n".join(render(intake_receipt(with_agent)).lines)
    assert "李***（受委托人）" in text and "李四代办" not in text
    # masked() masks the agent too, and printing the masked copy gives the same bytes
    assert intake_receipt(with_agent.masked()) == intake_receipt(with_agent)
    assert with_agent.masked().to_dict()["agent_name"] == "李***"
