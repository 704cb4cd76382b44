"""数据使用记录: the kiosk tells the platform when a logged-in staff member used an
application's data, so the citizen can see it in the status query (the platform keeps the
authoritative list, ``ApplicationStatus.dataAccesses``).

Which audit events are such uses is declared here (``OPERATIONS``). ``OperatorDesk.audit``
notes each one made by a person (a staff number); the note waits in
``data_dir/state/data-access-reports.jsonl`` (0600: application ids, staff numbers and
operations, no citizen data) until a contact with the platform sends it
(``POST /applications/{id}/data-accesses``, an Idempotency-Key per report so a resend is
harmless). An application not on the platform yet (offline) keeps its reports until it is,
for at most ``KEEP_S``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.api.uuid7 import uuid7

if TYPE_CHECKING:
    from kiosk.api.client import ApiClient

log = logging.getLogger("kiosk.data_access")

KEEP_S = 30 * 86400.0
# audit event → (the contract's DataAccessOperation, the detail naming the application(s))
OPERATIONS: Mapping[str, tuple[str, str]] = {
    "application.confirmed": ("ASSISTED_FILED", "reference"),  # AGENT_FILED with an agent
    "receipt.reprinted": ("RECEIPT_REPRINTED", "reference"),
    "application.retried": ("QUEUE_RETRIED", "item"),
    "citizen.status_viewed": ("STATUS_QUERIED", "applications"),
}


def reports_path(data_dir: Path) -> Path:
    return data_dir / "state" / "data-access-reports.jsonl"


class AccessReports:
    def __init__(self, path: Path, device_id: str, hall: str) -> None:
        self.path = path
        self.device_id = device_id
        self.hall = hall
        self._lock = threading.Lock()

    def note(self, event: str, staff_no: str, details: Mapping[str, Any]) -> int:
        """Keeps the reports an audit event by a person makes (how many: 0 when none)."""
        if not staff_no or event not in OPERATIONS:
            return 0
        operation, key = OPERATIONS[event]
        if event == "application.confirmed" and details.get("agentKind"):
            operation = "AGENT_FILED"
        value = details.get(key)
        apps = [str(a) for a in value] if isinstance(value, list) else [str(value or "")]
        at = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
        lines = [{"key": uuid7(), "application": app, "noted": time.time(),
                  "report": {"at": at, "operation": operation, "staffNo": staff_no,
                             "deviceId": self.device_id, "hall": self.hall}}
                 for app in apps if app]
        if lines:
            with self._lock:
                self._append(lines)
        return len(lines)

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return self._read()

    def _read(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            with contextlib.suppress(ValueError):
                rec = json.loads(line)
                if isinstance(rec, dict) and isinstance(rec.get("report"), dict):
                    out.append(rec)
        return out

    def _open_dir(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.path.parent, 0o700)

    def _append(self, lines: list[dict[str, Any]]) -> None:
        self._open_dir()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, "".join(json.dumps(x, ensure_ascii=False) + "\n"
                                 for x in lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _rewrite(self, lines: list[dict[str, Any]]) -> None:
        self._open_dir()
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, "".join(json.dumps(x, ensure_ascii=False) + "\n"
                                 for x in lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)

    def flush(self, client: ApiClient) -> int:
        """Sends what waits; returns how many the platform took. Stops at the first sign
        the platform cannot be reached (the rest waits for the next contact)."""
        from kiosk.api import errors

        with self._lock:
            waiting = self._read()
            if not waiting:
                return 0
            keep: list[dict[str, Any]] = []
            sent = 0
            now = time.time()
            for i, rec in enumerate(waiting):
                try:
                    client.report_data_access(rec["application"], rec["report"], rec["key"])
                    sent += 1
                except errors.ApiError as err:
                    if err.status == 404 and now - float(rec.get("noted", now)) < KEEP_S:
                        keep.append(rec)  # not on the platform yet (still in the queue)
                    elif err.retryable or err.status == 0 or err.status >= 500:
                        keep.extend(waiting[i:])
                        break
                    else:
                        log.warning("data access report refused for good: %s", err.code)
            self._rewrite(keep)
            return sent
