"""Every audit event the kiosk records, declared once with its meaning (vxsuite
``log_event_details`` pattern). Code refers to events by these ids only."""

from __future__ import annotations

from types import MappingProxyType

AUDIT_EVENTS = MappingProxyType({
    # citizen data access
    "citizen.identified": "a citizen was identified (ID card, e-ID QR or staff entry)",
    "citizen.face_verified": "the live face matched the identity the card gave (人证比对)",
    "citizen.face_failed": "a face comparison failed (decision and attempt number, no image)",
    "citizen.eid_refused": "a scanned e-ID code was refused (expired, invalid)",
    "citizen.prefill_consented": "the citizen agreed to fetch data from the platform",
    "citizen.prefill_declined": "the citizen declined data sharing",
    "citizen.prefill_fetched": "prefill data was fetched for the citizen",
    "citizen.status_queried": "the status of a citizen's case was looked up",
    "citizen.status_viewed": "staff saw the status of these applications (for the citizen)",
    "citizen.supplement_started": "a citizen began supplementing a case at the kiosk (补齐补正)",
    "citizen.promise_signed": "the citizen signed a 告知承诺书 on the screen for a material",
    "citizen.session_wiped": "the session ended and the citizen's data was wiped",
    # applications
    "application.confirmed": "an application was confirmed and stored durably",
    "application.delivered": "the platform acknowledged an application",
    "application.dead_lettered": "the platform refused an application for good",
    "application.supplemented": "the materials asked for a case were stored to be sent (补正)",
    "application.retried": "staff re-queued a refused application",
    "application.voided": "staff voided a queued or refused application",
    "payment.ordered": "a fee payment order was made for the citizen (统一公共支付)",
    "payment.paid": "the platform reported the fee paid",
    "receipt.printed": "a receipt was printed",
    "receipt.reprinted": "staff reprinted a receipt (marked as a copy)",
    "receipt.supplement_printed": "the 补正回执 of a supplement was printed",
    "document.printed": "the citizen's A4 copy (form, 承诺书, notice) was printed at their request",
    # 呼叫帮办 (kiosk and step only)
    "help.requested": "help was called at the kiosk (the step is recorded, nobody's data)",
    "help.handled": "staff logged in at the kiosk and took the help request",
    # staff and technicians
    "role.login": "staff or technician logged in (a person: the record's staff number)",
    "role.login_failed": "a log-in was refused (wrong PIN, locked, not permitted, QR denied)",
    "role.locked": "a role was locked after repeated wrong PINs",
    "role.logout": "staff or technician logged out",
    "staff.acting_for_citizen": "staff acts on a citizen's behalf (代办)",
    "staff.batch_import": "staff imported a batch of applications",
    "staff.queue_sync": "staff asked the offline queue to send now",
    "staff.queue_viewed": "staff opened the list of the kiosk's queued applications",
    "staff.receipts_viewed": "staff opened the list of kept receipts (masked names)",
    "tech.device_test": "a technician ran a device test action",
    "tech.card_read": "an ID card was read on the command line (kiosk idcard read)",
    "tech.diagnostics_exported": "a diagnostic bundle was exported",
    "tech.out_of_service": "the kiosk was taken out of service",
    "tech.in_service": "the kiosk was put back in service",
    "tech.config_changed": "device assignment or settings changed",
    # the audit log itself
    "audit.tampering_found": "the log failed verification; it was kept aside and a new chain "
                             "started (first record of the new chain)",
    "audit.head_rebuilt": "the head file was missing; rebuilt from the intact chain",
})
