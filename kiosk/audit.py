"""Append-only, hash-chained audit log (DESIGN §7).

One JSON object per line; each carries the SHA-256 of the previous line, so an edited,
removed or reordered line breaks the chain that ``verify_chain`` checks. Citizen identifiers
are stored masked only. Each append is fsynced: the audit trail must survive a power cut.
Several processes may append (the running kiosk, ``kiosk diag export``): each append holds
an exclusive ``flock`` and picks up the chain's tail again when another process wrote.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.audit_events import AUDIT_EVENTS
from kiosk.privacy import mask_text

GENESIS = "0" * 64


def _digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    broken_at: int | None = None  # 1-based line number of the first bad record
    reason: str = ""


def audit_path(data_dir: Path) -> Path:
    """Where the kiosk keeps its audit log (under ``[kiosk] data_dir``)."""
    return data_dir / "audit" / "audit.jsonl"


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._prev, self._seq, self._size = self._tail()

    def _tail(self) -> tuple[str, int, int]:
        """(digest of the last record, records, bytes read)."""
        if not self.path.exists():
            return GENESIS, 0, 0
        prev, seq, size = GENESIS, 0, 0
        with self.path.open("rb") as f:
            for raw in f:
                size += len(raw)
                if raw.strip():
                    prev, seq = _digest(raw.rstrip(b"\n")), seq + 1
        return prev, seq, size

    def record(self, event: str, *, actor: str = "kiosk", **details: Any) -> dict[str, Any]:
        """Appends one event. ``details`` must already be masked; free text is masked again."""
        if event not in AUDIT_EVENTS:
            raise KeyError(f"undeclared audit event {event!r}")  # a bug: declare it first
        safe = {k: (mask_text(v) if isinstance(v, str) else v) for k, v in details.items()}
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # released by close()
                if os.fstat(fd).st_size != self._size:
                    # Another process appended since our last record: chain onto its tail.
                    self._prev, self._seq, self._size = self._tail()
                rec = {"seq": self._seq + 1,
                       "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                       "event": event, "actor": actor, "details": safe, "prev": self._prev}
                line = json.dumps(rec, ensure_ascii=False, sort_keys=True).encode("utf-8")
                os.write(fd, line + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
            self._prev, self._seq = _digest(line), self._seq + 1
            self._size += len(line) + 1
        return rec


def verify_chain(path: Path) -> ChainReport:
    prev, n = GENESIS, 0
    if not path.exists():
        return ChainReport(True, 0)
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            line = raw.rstrip(b"\n")
            if not line:
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                return ChainReport(False, n, lineno, "not JSON")
            if rec.get("prev") != prev:
                return ChainReport(False, n, lineno, "chain broken (edited, removed or reordered)")
            if rec.get("seq") != n + 1:
                return ChainReport(False, n, lineno, "sequence gap")
            prev, n = _digest(line), n + 1
    return ChainReport(True, n)
