"""Append-only, hash-chained audit log (DESIGN §7), anchored off the box.

One JSON object per line; each carries the SHA-256 of the previous line, so an edited,
removed or reordered line breaks the chain that ``verify_chain`` checks. Citizen identifiers
are stored masked only. Each append is fsynced: the audit trail must survive a power cut.
Several processes may append (the running kiosk, ``kiosk diag export``): each append holds
an exclusive ``flock`` and picks up the chain's tail again when another process wrote.

An unkeyed chain alone cannot stop someone with the disk from rewriting it, so:

- **the head** (sequence number and hash of the last record) is written to ``audit.head``
  beside the log after every append. A record edited, removed or appended at the end by hand
  no longer matches it;
- **records are appended only onto a verified head**: before chaining on, the writer checks
  that the file's last record is the head it (or the other writer) left. A tampered log is
  never blessed by a later append: it is moved aside (kept, never deleted) and a new chain
  starts with an ``audit.tampering_found`` record naming it;
- **the head goes off the box** with every heartbeat (``auditHead``); the platform keeps the
  highest one it saw (``GET /devices/{id}/audit-head``), and ``kiosk audit verify`` checks
  the local chain against it: a log rewritten and re-chained before that point, emptied or
  deleted, no longer contains the anchored record.

What it cannot see: records changed after the last anchor by someone who also rewrites the
head file (the running kiosk anchors within ``ANCHOR_DELAY_S`` of each record, else every
``[api] heartbeat_s``; longer while offline), and anything with ``--offline``. docs/security.md says why journald's Forward Secure Sealing was not added.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.audit_events import AUDIT_EVENTS
from kiosk.privacy import mask_text

log = logging.getLogger("kiosk.audit")

GENESIS = "0" * 64
TAMPERED_EVENT = "audit.tampering_found"
HEAD_REBUILT_EVENT = "audit.head_rebuilt"
_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_TAIL_BYTES = 256 * 1024  # one record is far below this


def _digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


@dataclass(frozen=True)
class Head:
    """Where a chain ends: the number of records and the digest of the last one."""

    seq: int
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash}

    @classmethod
    def from_json(cls, value: Any) -> Head | None:
        if (isinstance(value, dict) and isinstance(value.get("seq"), int)
                and not isinstance(value.get("seq"), bool) and value["seq"] >= 0
                and isinstance(value.get("hash"), str) and _HASH_RE.match(value["hash"])):
            return cls(value["seq"], value["hash"])
        return None


EMPTY = Head(0, GENESIS)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    broken_at: int | None = None  # 1-based line number of the first bad record
    reason: str = ""
    head: Head = EMPTY            # the chain as found (records and last digest)
    restarted: str | None = None  # the chain restarted after tampering; the old log's name
    anchored: Head | None = None  # the platform's anchor it was checked against

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "brokenAt": self.broken_at,
                "reason": self.reason, "head": self.head.to_json(),
                "restartedFrom": self.restarted,
                "anchor": self.anchored.to_json() if self.anchored else None}


def audit_path(data_dir: Path) -> Path:
    """Where the kiosk keeps its audit log (under ``[kiosk] data_dir``)."""
    return data_dir / "audit" / "audit.jsonl"


def head_path(path: Path) -> Path:
    return path.with_name(path.name + ".head")


def read_head(path: Path) -> Head | None:
    """The head file of the log at ``path``; None when there is none or it is unreadable."""
    try:
        return Head.from_json(json.loads(head_path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _write_head(path: Path, head: Head) -> None:
    target = head_path(path)
    tmp = target.with_name(target.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(head.to_json()).encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    dfd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _scan(path: Path, want: int | None = None) -> tuple[ChainReport, str | None]:
    """The chain's integrity from the first line, and the digest of record ``want``."""
    prev, n, at = GENESIS, 0, None
    restarted = None
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return ChainReport(True, 0), None
    with f:
        for lineno, raw in enumerate(f, start=1):
            line = raw.rstrip(b"\n")
            if not line:
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                return ChainReport(False, n, lineno, "not JSON", Head(n, prev)), at
            if not isinstance(rec, dict) or rec.get("prev") != prev:
                return ChainReport(False, n, lineno,
                                   "chain broken (edited, removed or reordered)", Head(n, prev)), at
            if rec.get("seq") != n + 1:
                return ChainReport(False, n, lineno, "sequence gap", Head(n, prev)), at
            if n == 0 and rec.get("event") == TAMPERED_EVENT:
                details = rec.get("details") or {}
                restarted = str(details.get("keptAt", "")) if isinstance(details, dict) else ""
            prev, n = _digest(line), n + 1
            if want == n:
                at = prev
    return ChainReport(True, n, head=Head(n, prev), restarted=restarted), at


def verify_chain(path: Path, anchor: Head | None = None) -> ChainReport:
    """The chain, checked line by line, against its head file, and (``anchor``) against the
    head the platform last saw: every way the log can be cut, edited or rewritten before
    the anchor fails here with a reason."""
    rep, at = _scan(path, anchor.seq if anchor else None)
    if not rep.ok:
        return replace(rep, anchored=anchor)
    stored = read_head(path)
    has_file = head_path(path).exists()
    why = ""
    if stored is None and (rep.records or has_file):
        why = ("the head file is missing or unreadable" if rep.records else
               "the head file is unreadable")
    elif stored is not None and stored.seq > rep.records:
        why = (f"records removed: the head says {stored.seq} records, the log has {rep.records}"
               + (" (the log is empty or missing)" if rep.records == 0 else ""))
    elif stored is not None and stored.seq < rep.records:
        why = (f"records appended by hand: the head says {stored.seq} records, "
               f"the log has {rep.records}")
    elif stored is not None and stored.hash != rep.head.hash:
        why = f"record {rep.records} (the last) was edited"
    if not why and anchor is not None:
        if anchor.seq > rep.records:
            why = (f"the platform saw {anchor.seq} records; the log has {rep.records} "
                   "(removed, emptied or replaced)")
        elif anchor.seq > 0 and at != anchor.hash:
            why = (f"record {anchor.seq} is not the one the platform saw: the log was "
                   "rewritten up to there")
    if why:
        return replace(rep, ok=False, reason=why, anchored=anchor)
    return replace(rep, anchored=anchor)


def _last_line(fd: int, size: int) -> bytes:
    """The file's last non-empty line (read from the end)."""
    start = max(0, size - _TAIL_BYTES)
    data = os.pread(fd, size - start, start)
    lines = [x for x in data.split(b"\n") if x.strip()]
    return lines[-1] if lines else b""


class AuditLog:
    def __init__(self, path: Path, on_record: Callable[[Head], None] | None = None) -> None:
        self.path = path
        self.on_record = on_record  # e.g. the heartbeat: send the new head off the box soon
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(path.parent, 0o700)
        self._head: Head | None = None  # the head this process trusts (verified)
        self._size = -1

    def head(self) -> Head | None:
        """The verified head of the log (None before the first record was verified)."""
        return self._head

    def _trusted_tail(self, fd: int) -> Head:
        """The head to chain onto, verified: quickly (last line and head file as this
        process left them), else by reading the whole chain; a log that fails is moved aside
        and a new chain is started (``audit.tampering_found``)."""
        size = os.fstat(fd).st_size
        if self._head is not None and size == self._size:
            last = _last_line(fd, size)
            if (_digest(last) if last else GENESIS) == self._head.hash \
                    and read_head(self.path) == self._head:
                return self._head
        rep = verify_chain(self.path)
        if rep.ok:
            return rep.head
        if rep.reason.startswith("the head file is missing") and rep.head.seq > 0:
            # A log from before head files (or one whose head file was lost): the chain
            # itself is intact, so adopt its head, and say so in the chain.
            log.warning("audit head file missing; rebuilt from the intact chain (%d records)",
                        rep.records)
            self._raw_append(HEAD_REBUILT_EVENT, "kiosk", {"records": rep.records}, rep.head)
            assert self._head is not None
            return self._head
        return self._restart(rep)

    def _restart(self, rep: ChainReport) -> Head:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        kept = self.path.with_name(f"{self.path.name}.tampered-{stamp}")
        os.replace(self.path, kept)
        with contextlib.suppress(FileNotFoundError):
            os.replace(head_path(self.path), head_path(kept))
        log.critical("audit log failed verification (%s at line %s); kept as %s, new chain started",
                     rep.reason, rep.broken_at, kept.name)
        self._raw_append(TAMPERED_EVENT, "kiosk", {
            "reason": rep.reason, "brokenAt": rep.broken_at, "records": rep.records,
            "keptAt": kept.name}, EMPTY)
        assert self._head is not None
        return self._head

    def _raw_append(self, event: str, actor: str, safe: dict[str, Any], tail: Head,
                    staff: str = "") -> dict[str, Any]:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            rec = {"seq": tail.seq + 1,
                   "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                   "event": event, "actor": actor, "details": safe, "prev": tail.hash}
            if staff:  # the person (staff number): part of the hashed line like the rest
                rec["staff"] = staff
            line = json.dumps(rec, ensure_ascii=False, sort_keys=True).encode("utf-8")
            os.write(fd, line + b"\n")
            os.fsync(fd)
            self._size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        self._head = Head(tail.seq + 1, _digest(line))
        _write_head(self.path, self._head)
        return rec

    def record(self, event: str, *, actor: str = "kiosk", staff: str = "",
               **details: Any) -> dict[str, Any]:
        """Appends one event. ``actor`` is a role (citizen, staff, technician, kiosk, cli);
        ``staff`` the staff number of the person acting (empty: none known, e.g. a shared
        demo PIN). ``details`` must already be masked; free text is masked again."""
        if event not in AUDIT_EVENTS:
            raise KeyError(f"undeclared audit event {event!r}")  # a bug: declare it first
        safe = {k: (mask_text(v) if isinstance(v, str) else v) for k, v in details.items()}
        with self._lock:
            lock_fd = os.open(self.path.with_name(self.path.name + ".lock"),
                              os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX)  # released by close()
                fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o600)
                try:
                    tail = self._trusted_tail(fd)
                finally:
                    os.close(fd)
                rec = self._raw_append(event, actor, safe, tail, staff)
            finally:
                os.close(lock_fd)
            head = self._head
        if self.on_record is not None and head is not None:
            try:
                self.on_record(head)
            except Exception:  # noqa: BLE001 - a hook never costs the record
                log.exception("audit on_record hook failed")
        return rec
