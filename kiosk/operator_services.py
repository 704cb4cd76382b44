"""The staff and technician mode behind ``kiosk.services.OperatorServices``: PIN login, the
audit log, receipts kept for reprints, the offline queue, device reports and tests, the
diagnostic bundle and the kiosk's out-of-service flag.

``AppServices`` builds one ``OperatorDesk`` from its parts and forwards to it. Every method
blocks and is called off the GUI thread; expected failures are ``Result`` values with a
code, exceptions are bugs. Every staff or technician action is audited here, with masked
details only (no citizen name, ID or phone number reaches the audit log).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from devices.base import Cancel
from devices.interfaces import ReceiptPrinter
from devices.status import RequiredAction, Result
from kiosk.audit import AuditLog, audit_path, verify_chain
from kiosk.availability import RoleDevices, apply_technician_state, service_report
from kiosk.config import Settings
from kiosk.device_classes import DeviceTestContext, DeviceTestReport, device_class
from kiosk.device_roles import RECEIPT_PRINTER
from kiosk.privacy import mask_platform_text
from kiosk.roles import LoginOutcome, PinGate, Role, hash_pin
from kiosk.service_state import ServiceState, service_state_path
from kiosk.services import DeviceReport, QueueEntry, ReceiptEntry

# kiosk.receipts is imported on first use: its templates import python-escpos (≈ 0.4 s),
# which the kiosk's start need not wait for.
if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from kiosk.receipts.data import ReceiptData
    from kiosk.receipts.store import ReceiptStore
    from offline_queue.store import Outbox
    from offline_queue.worker import SyncWorker

log = logging.getLogger("kiosk.operator")

# Demo mode only (``[kiosk] demo = true``) and only for a role whose hash in ``[roles]`` is
# empty: documented fixed PINs, so `make run` can show staff mode. A kiosk installed with
# demo = false and no hash keeps the role disabled; these PINs never open a real kiosk.
DEMO_PINS = {Role.STAFF: "246810", Role.TECHNICIAN: "135790"}
OPERATOR_ROLES = (Role.STAFF, Role.TECHNICIAN)
# A wrong PIN proves nothing about who typed it: anybody at the screen can.
UNKNOWN_ACTOR = "kiosk"

TEST_TIMEOUT_S = 5.0  # card read / code scan of a device test: a technician is waiting
RECENT_CLOSED_S = 86400.0  # delivered and voided queue items staff still see (one day)


class OperatorDesk:
    """``OperatorServices`` on the running kiosk's parts. ``outbox``/``worker``/``manager``
    may be None when that part is not available in this build or configuration."""

    def __init__(self, settings: Settings, *, outbox: Outbox | None = None,
                 worker: SyncWorker | None = None, manager: DeviceManager | None = None) -> None:
        self.settings = settings
        data_dir = settings.kiosk.data_dir
        self.audit_log = AuditLog(audit_path(data_dir))
        self._receipts: ReceiptStore | None = None
        self._receipts_lock = threading.Lock()
        self.state = ServiceState(service_state_path(data_dir))
        self.outbox = outbox
        self.worker = worker
        self.manager = manager
        self.devices = RoleDevices(settings, manager)
        self.test_timeout_s = TEST_TIMEOUT_S
        self._pin_file = data_dir / "state" / "pin-lockout.json"
        self._gate: PinGate | None = None
        self._login_lock = threading.Lock()
        self._apply_offline_devices()

    def _apply_offline_devices(self) -> None:
        """Devices a technician took out of service stay out after a restart."""
        if self.manager is not None:
            apply_technician_state(self.manager, self.state.snapshot)

    # -- roles --

    def _pin_gate(self) -> PinGate:
        """Built on the first login: the demo PINs cost one scrypt each to hash."""
        if self._gate is None:
            roles = self.settings.roles
            hashes = {Role.STAFF: roles.staff_pin_hash, Role.TECHNICIAN: roles.technician_pin_hash}
            # Demo mode on the embedded sandbox only: a demo config pointed at a real
            # platform gets no publicly known PINs.
            if self.settings.kiosk.demo and self.settings.api.embedded:
                for role, pin in DEMO_PINS.items():
                    if not hashes[role]:
                        hashes[role] = hash_pin(pin)
            self._gate = PinGate(hashes, roles.max_attempts, roles.lockout_s,
                                 state_file=self._pin_file, expect_state=self._logins_recorded())
            if self._gate.failed_closed:
                log.critical("PIN login locked for %d s: %s", roles.lockout_s,
                             self._gate.failed_closed)
                for role in OPERATOR_ROLES:
                    self.audit("role.locked", UNKNOWN_ACTOR, {
                        "role": role.value, "seconds": roles.lockout_s,
                        "reason": self._gate.failed_closed})
        return self._gate

    def _logins_recorded(self) -> bool:
        """Whether a login was ever tried here (the audit log says so): then the lockout
        state file must exist, and its absence is not a fresh start. An audit log that
        fails verification cannot say "never", so it counts as yes."""
        rep = verify_chain(self.audit_log.path)
        if not rep.ok or rep.restarted is not None:
            return True
        try:
            with self.audit_log.path.open("rb") as f:
                return any(b'"event": "role.' in line for line in f)
        except OSError:
            return False

    def login(self, role: str, pin: str) -> Result[str]:
        who = Role(role)
        if who not in OPERATOR_ROLES:
            raise ValueError(f"no PIN login for role {role!r}")  # a bug of the caller
        with self._login_lock:
            gate = self._pin_gate()
            was_locked = gate.locked_for(who)
            answer = gate.login(who, pin)
        if answer.outcome is LoginOutcome.OK:
            self.audit("role.login", who.value, {"role": who.value})
            return Result.success(who.value)
        if answer.outcome is LoginOutcome.ROLE_DISABLED:
            self.audit("role.login_failed", UNKNOWN_ACTOR, {"role": who.value,
                                                            "reason": "role_disabled"})
            return Result.failure("role_disabled", "no PIN is configured for this role",
                                  RequiredAction.CONFIGURATION)
        if answer.outcome is LoginOutcome.LOCKED:
            if was_locked:
                self.audit("role.login_failed", UNKNOWN_ACTOR, {
                    "role": who.value, "reason": "locked", "seconds": answer.locked_for_s})
            else:
                self.audit("role.locked", UNKNOWN_ACTOR, {"role": who.value,
                                                          "seconds": answer.locked_for_s})
            return Result.failure("locked", str(answer.locked_for_s))
        self.audit("role.login_failed", UNKNOWN_ACTOR, {
            "role": who.value, "reason": "wrong_pin", "attemptsLeft": answer.attempts_left})
        return Result.failure("wrong_pin", str(answer.attempts_left))

    # -- audit --

    def audit(self, event: str, actor: str, details: Mapping[str, Any]) -> None:
        self.audit_log.record(event, actor=actor, **dict(details))

    # -- receipts --

    @property
    def receipts(self) -> ReceiptStore:
        with self._receipts_lock:  # one store (and so one lock over its files) per kiosk
            if self._receipts is None:
                from kiosk.receipts.store import ReceiptStore

                self._receipts = ReceiptStore(self.settings.kiosk.data_dir / "receipts")
            return self._receipts

    def _receipt(self, receipt: Mapping[str, Any]) -> ReceiptData:
        from kiosk.receipts.intake import receipt_from_session

        k = self.settings.kiosk
        return receipt_from_session(receipt, hall_name=k.hall_name, device_id=k.device_id,
                                    time=datetime.now().astimezone())

    def record_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        from kiosk.receipts.store import ReceiptStoreError

        try:
            self.receipts.save(self._receipt(receipt))
        except ReceiptStoreError as exc:
            log.warning("receipt not kept for reprint: %s", exc)
            return Result.failure("receipt_not_kept", str(exc))
        return Result.success(None)

    def _delivery(self, data: ReceiptData) -> tuple[ReceiptData, str]:
        """The receipt brought up to date with the offline queue: a queued application the
        worker has since delivered now reads 已收件 with the platform's number. Second value:
        the queue item's state ("" when the queue does not know it)."""
        item = self.outbox.get(data.reference) if self.outbox is not None else None
        if item is None:
            return data, ""
        state = item.state.value
        if state == "delivered" and not data.delivered:
            data = replace(data, delivered=True,
                           application_id=item.platform_id or data.application_id)
        return data, state

    def recent_receipts(self) -> Result[list[ReceiptEntry]]:
        from kiosk.receipts.store import ReceiptStoreError

        try:
            kept = self.receipts.recent()
        except ReceiptStoreError as exc:
            return Result.failure("receipt_store_unavailable", str(exc))
        entries = []
        for k in kept:
            data, _ = self._delivery(k.data)
            entries.append(ReceiptEntry(reference=data.reference, case_ref=data.case_ref,
                                        matter_name=data.matter_name,
                                        applicant=data.applicant_name, printed_at=k.kept_at,
                                        delivered=data.delivered))
        return Result.success(entries)

    def reprint(self, reference: str, actor: str) -> Result[None]:
        from kiosk.receipts.intake import print_intake
        from kiosk.receipts.store import ReceiptStoreError

        try:
            kept = self.receipts.get(reference)
        except ReceiptStoreError as exc:
            return Result.failure("receipt_store_unavailable", str(exc))
        if kept is None:
            return Result.failure("unknown_receipt", "no kept receipt with this reference")
        data, state = self._delivery(kept.data)
        if state == "void":
            # Staff withdrew the application: a copy saying it was received would be false.
            return Result.failure("application_voided", "the application was voided")
        if state == "dead":  # refused for good by the platform: 收件待上传 would mislead
            return Result.failure("application_refused", "the platform refused the application")
        if data != kept.data:
            try:  # remember the delivery, so the list agrees even once the queue forgets
                self.receipts.save(data, kept.kept_at)
            except ReceiptStoreError as exc:
                log.warning("kept receipt not updated: %s", exc)
        # The receipt printer's role, and never one a technician took out of service.
        printer = self.devices.get(RECEIPT_PRINTER, ReceiptPrinter)
        if printer is None:
            return Result.failure("print_failed", "no printer")
        result = print_intake(printer, replace(data, copy=True,
                                               reprinted_at=datetime.now().astimezone()))
        self.audit("receipt.reprinted", actor, {
            "reference": reference, "delivered": data.delivered, "ok": result.ok,
            "code": result.fault.code if result.fault else ""})
        return result

    # -- offline queue --

    def queue_entries(self) -> Result[list[QueueEntry]]:
        """Waiting and refused items, and those delivered or voided in the last day; newest
        first. Only ids, states, codes and the matter code: no citizen data."""
        if self.outbox is None:
            return Result.failure("queue_unavailable", "the offline queue is not available")
        now = time.time()
        entries = []
        for item in self.outbox.items():
            closed = item.state.value in ("delivered", "void")
            if closed and now - item.updated_at > RECENT_CLOSED_S:
                continue
            entries.append(QueueEntry(
                item_id=item.id, state=item.state.value, attempts=item.attempts,
                age_s=max(0.0, now - item.created_at),
                impl_code=str(item.meta.get("implCode", "")),
                last_error=mask_platform_text(item.last_error or ""),
                platform_id=item.platform_id or ""))
        entries.sort(key=lambda e: e.age_s)
        return Result.success(entries)

    def _queue_action(self, item_id: str, actor: str, action: str, event: str) -> Result[None]:
        """``Outbox.retry`` / ``Outbox.void`` (they answer None or why not), audited."""
        if self.outbox is None:
            return Result.failure("queue_unavailable", "the offline queue is not available")
        before = self.outbox.get(item_id)
        if before is None:
            return Result.failure("unknown_item", "no queued item with this id")
        problem = getattr(self.outbox, action)(item_id)
        if problem is not None:
            return Result.failure("not_allowed", problem)
        self.audit(event, actor, {"item": item_id, "from": before.state.value})
        return Result.success(None)

    def queue_retry(self, item_id: str, actor: str) -> Result[None]:
        result = self._queue_action(item_id, actor, "retry", "application.retried")
        if result.ok and self.worker is not None:
            self.worker.wake()  # staff asked: now, not at the next back-off step
        return result

    def queue_void(self, item_id: str, actor: str) -> Result[None]:
        return self._queue_action(item_id, actor, "void", "application.voided")

    def queue_sync(self, actor: str) -> Result[None]:
        if self.worker is None:
            return Result.failure("offline", "no connection to the platform is configured")
        self.worker.wake()
        self.audit("staff.queue_sync", actor, {})
        return Result.success(None)

    # -- devices --

    def device_reports(self) -> Result[list[DeviceReport]]:
        if self.manager is None:
            return Result.failure("devices_unavailable", "the device manager is not running")
        offline = set(self.state.snapshot.offline_devices)
        reports = []
        for name, st in self.manager.statuses().items():
            fault = st.fault
            action = fault.action.value if fault and fault.action is not RequiredAction.NONE \
                else ""
            section = self.settings.device(name)
            reports.append(DeviceReport(
                name=name, device_class=st.device_class, role=section.role if section else "", driver=self.manager.driver_of(name),
                availability=st.availability.value, severity=st.severity.value,
                fault_code=fault.code if fault else "",
                fault_message=fault.message if fault else "", action=action,
                model=st.info.model, serial=st.info.serial, firmware=st.info.firmware,
                media=dict(st.media), offline=name in offline))
        return Result.success(reports)

    def device_test(self, name: str, actor: str) -> Result[DeviceTestReport]:
        if self.manager is None:
            return Result.failure("devices_unavailable", "the device manager is not running")
        status = self.manager.status(name)
        if status is None:
            return Result.failure("unknown_device", "no device with this name")
        device = self.manager.device(name)
        spec = device_class(status.device_class)
        if device is None or spec is None:  # not installed, or its driver could not be built
            fault = status.fault
            result: Result[DeviceTestReport] = Result.failure(
                fault.code if fault else "NOT_CONFIGURED",
                fault.message if fault else "the device is not available")
        else:
            from kiosk import __version__

            k = self.settings.kiosk
            result = spec.run_test(device, DeviceTestContext(Cancel(), self.test_timeout_s,
                                                       k.hall_name, k.device_id, __version__))
        self.audit("tech.device_test", actor, {
            "device": name, "class": status.device_class, "ok": result.ok,
            "code": result.fault.code if result.fault else ""})
        return result

    def set_device_offline(self, name: str, offline: bool, actor: str) -> Result[None]:
        if self.manager is None:
            return Result.failure("devices_unavailable", "the device manager is not running")
        if self.manager.status(name) is None:
            return Result.failure("unknown_device", "no device with this name")
        try:
            self.state.set_device_offline(name, offline)
        except OSError as exc:
            return Result.failure("not_saved", f"the setting could not be saved: {exc.strerror}")
        self.manager.set_offline(name, offline)
        self.audit("tech.config_changed", actor, {"device": name, "offline": offline})
        return Result.success(None)

    # -- diagnostics --

    def export_diagnostics(self, actor: str) -> Result[str]:
        """The bundle of ``kiosk diag export``, collected from this running kiosk."""
        from kiosk.diag_bundle import (
            common_parts,
            config_json,
            default_bundle_path,
            stamp_now,
            write_bundle,
        )

        stamp = stamp_now()
        parts = {"doctor.json": self._doctor_json(),
                 "queue-status.json": self._json(
                     self.outbox.status().to_json() if self.outbox is not None
                     else {"error": "the offline queue is not available"}),
                 "audit-verify.json": self._audit_verify_json(),
                 "config.json": config_json(self.settings),
                 "service-state.json": self._json(self.state.snapshot.to_json())}
        parts.update(common_parts(self.settings))
        try:
            out = write_bundle(default_bundle_path(self.settings, stamp), parts, stamp)
        except OSError as exc:
            return Result.failure("export_failed", f"the bundle could not be written: "
                                  f"{exc.strerror}")
        self.audit("tech.diagnostics_exported", actor, {"file": out.name})
        return Result.success(str(out))

    @staticmethod
    def _json(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")

    def _doctor_json(self) -> bytes:
        """What ``kiosk doctor --json`` reports, from the running device manager (a doctor
        child process would try to open the serial ports this kiosk holds)."""
        from devices.diagnostics import serial_ports

        reports = self.device_reports()
        if not reports.ok or self.manager is None:
            return self._json({"source": "running kiosk",
                               "error": "the device manager is not running"})
        snapshot = self.state.snapshot
        services = service_report(self.settings, self.manager.statuses(), snapshot)
        return self._json({
            "source": "running kiosk",
            "kiosk": {"outOfService": snapshot.out_of_service, "since": snapshot.since,
                      "by": snapshot.by},
            "devices": [asdict(r) for r in reports.value or []],
            "services": {k: {"available": ok, "reason": why} for k, (ok, why) in services.items()},
            "serial_ports": [p.to_json() for p in serial_ports()]})

    def _audit_verify_json(self) -> bytes:
        rep = verify_chain(self.audit_log.path)
        # local chain and head file only (the platform's anchor: 'kiosk audit verify')
        return self._json({"ok": rep.ok and rep.restarted is None, "records": rep.records,
                           "brokenAt": rep.broken_at, "reason": rep.reason,
                           "restartedFrom": rep.restarted, "offline": True})

    # -- out of service --

    def out_of_service(self) -> bool:
        return self.state.snapshot.out_of_service

    def clock_status(self) -> tuple[int | None, str]:
        """(the platform's last clockSkewSec or None, a warning for the technician screen or
        ""): from ±30 s on, before signed requests fail at ±90 s (kiosk.heartbeat)."""
        from kiosk.heartbeat import ClockWatch, clock_warning

        last = ClockWatch(self.settings.kiosk.data_dir / "state" / "clock.json").last()
        return (last["clockSkewSec"] if last else None), clock_warning(last)

    def set_out_of_service(self, out: bool, actor: str, reason: str = "") -> Result[None]:
        try:
            changed = self.state.set_out_of_service(out, actor, reason)
        except OSError as exc:
            return Result.failure("not_saved", f"the setting could not be saved: {exc.strerror}")
        if changed:
            self.audit("tech.out_of_service" if out else "tech.in_service", actor, {})
        return Result.success(None)
