"""The offline queue as staff see it: entries without citizen data, retry and void of a
refused application, a sync on request — each action audited."""

from __future__ import annotations

import json

from kiosk.app_services import AppServices
from kiosk.audit import audit_path
from tests.operator.conftest import leaks, submit
from tests.queue.sandbox_apps import MATERIAL, applicant, form, jpeg
from tests.waiting import wait_until

UNKNOWN_MATTER = "330106SBX9999"  # the platform refuses it for good: a dead letter


def refused(kiosk: AppServices) -> str:
    app = {"implCode": UNKNOWN_MATTER, "applicant": applicant(), "form": form(),
           "materials": [{"materialCode": MATERIAL, "submission": "ELECTRONIC_FILE"}]}
    outcome = kiosk.submit(app, {MATERIAL: [jpeg(3)]}).unwrap()
    assert kiosk.parts.outbox.get(outcome.client_application_id).state.value == "dead"
    return str(outcome.client_application_id)


def last_audit(kiosk: AppServices) -> dict[str, object]:
    lines = audit_path(kiosk.settings.kiosk.data_dir).read_text(encoding="utf-8").splitlines()
    return dict(json.loads(lines[-1]))


def test_queue_entries_show_the_matter_and_no_citizen_data(kiosk: AppServices) -> None:
    delivered = submit(kiosk)
    dead = refused(kiosk)
    entries = kiosk.operator.queue_entries().unwrap()
    by_id = {e.item_id: e for e in entries}
    assert entries[0].item_id == dead  # newest first
    ok = by_id[delivered.client_application_id]
    assert (ok.state, ok.impl_code, ok.platform_id) == ("delivered", "330106SBX0005",
                                                        delivered.application_id)
    bad = by_id[dead]
    assert bad.state == "dead" and bad.impl_code == UNKNOWN_MATTER and bad.last_error
    assert bad.attempts >= 1 and bad.age_s >= 0
    assert not leaks(repr(entries).encode())


def test_retry_of_a_refused_application_requeues_it_and_is_audited(kiosk: AppServices) -> None:
    dead = refused(kiosk)
    assert kiosk.operator.queue_retry(dead, "staff").ok
    audit = last_audit(kiosk)
    assert audit["event"] == "application.retried" and audit["actor"] == "staff"
    assert audit["details"] == {"item": dead, "from": "dead"}
    # The worker was woken and sent it at once; the platform still refuses the matter.
    wait_until(lambda: kiosk.parts.outbox.get(dead).state.value == "dead"
               and kiosk.parts.outbox.get(dead).attempts >= 2, "the retried item sent again")


def test_void_of_a_refused_application_is_audited_and_cannot_be_retried(
        kiosk: AppServices) -> None:
    dead = refused(kiosk)
    assert kiosk.operator.queue_void(dead, "staff").ok
    assert last_audit(kiosk)["event"] == "application.voided"
    assert [e.state for e in kiosk.operator.queue_entries().unwrap() if e.item_id == dead] == ["void"]
    again = kiosk.operator.queue_retry(dead, "staff")
    assert again.fault is not None and again.fault.code == "not_allowed"
    assert "void" in again.fault.message


def test_retry_or_void_of_an_unknown_item_says_so(kiosk: AppServices) -> None:
    for r in (kiosk.operator.queue_retry("no-such-item", "staff"),
              kiosk.operator.queue_void("no-such-item", "staff")):
        assert r.fault is not None and r.fault.code == "unknown_item"


def test_sync_on_request_delivers_what_waited_for_the_network(kiosk: AppServices) -> None:
    kiosk.parts.sandbox.faults.set(error_rate=1.0, retry_after_s=600)  # long back-off
    waiting = submit(kiosk)
    assert not waiting.delivered
    kiosk.parts.sandbox.faults.set(error_rate=0.0)
    assert kiosk.operator.queue_sync("staff").ok  # wakes the worker: no waiting out the 600 s
    wait_until(lambda: kiosk.parts.outbox.get(waiting.client_application_id).state.value
               == "delivered", "delivered after the sync request", timeout_s=30)
