"""The durable outbox: SQLite (WAL, synchronous=FULL) plus encrypted blob files.

Order of a durable enqueue: seal body and files in memory → check limits → write every
file, fsync it, rename it into place, fsync the directory → one transaction inserts the
item and its file rows. Only after that commit may a receipt say the application is stored.
A crash before the commit leaves at most unreferenced ``files/`` entries, swept later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_queue.crypto import Sealer, SealError, body_context, file_context, load_or_create_key
from offline_queue.fsutil import TMP_SUFFIX, fsync_dir, remove_files, write_blobs_durably
from offline_queue.model import (
    LIVE_STATES,
    Enqueued,
    EnqueueResult,
    ItemState,
    NewFile,
    OutboxItem,
    QueueStatus,
    Refusal,
    StoredFile,
)

log = logging.getLogger("offline_queue.store")

SCHEMA_VERSION = 1
MAX_ID_LEN = 64
ORPHAN_GRACE_S = 3600.0
NEARLY_FULL_BYTES = 1024**2  # below this, a failed open or write is put down to the full disk  # another process may be between its file writes and its commit
_KEYCHECK = b"offline_queue key check v1"


class OutboxError(Exception):
    """The outbox cannot be opened (bad key, unusable storage); ``str()`` is for people."""


def file_ref(item_id: str, seq: int) -> str:
    """The token a caller puts in the body where file ``seq``'s platform id belongs."""
    return f"outbox-file:{item_id}:{seq}"


def fill_file_refs(body: bytes, refs: dict[str, str]) -> bytes:
    """Replaces each ``"ref"`` JSON string token by the JSON string of its platform id."""
    for ref, file_id in refs.items():
        body = body.replace(json.dumps(ref).encode(), json.dumps(file_id, ensure_ascii=False).encode())
    return body


@dataclass
class StartupReport:
    quarantined: list[Path] = field(default_factory=list)   # corrupt databases moved aside now
    orphans_kept: int = 0   # unreferenced blobs moved to the orphans directory now
    reclaimed: int = 0   # items a dead worker left in "sending"
    created_key: bool = False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Outbox:
    def __init__(self, db_path: Path, files_dir: Path, key_file: Path, *,
                 max_bytes: int, min_free_bytes: int, lease_s: float = 120.0,
                 clock: Callable[[], float] = time.time, read_only_fallback: bool = False) -> None:
        """``read_only_fallback``: when the database cannot be opened for writing (a full
        disk), open it read-only instead (``read_only`` is then True): status and lists
        work, every write refuses with DISK_FULL / STORAGE_ERROR."""
        self.db_path = Path(db_path)
        self.read_only = False
        self._ro_fallback = read_only_fallback
        self.files_dir = Path(files_dir)
        self.key_file = Path(key_file)
        self.max_bytes = max_bytes
        self.min_free_bytes = min_free_bytes
        self.lease_s = lease_s
        self.clock = clock
        self.owner = f"{os.getpid()}:{secrets.token_hex(4)}"
        self.report = StartupReport()
        self._lock = threading.RLock()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.files_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.files_dir, 0o700)
        self._quarantine_if_corrupt()
        try:
            self.db = self._connect()
            self._create_schema()
            self._sealer = self._load_key()
        except sqlite3.OperationalError as exc:
            if getattr(self, "db", None) is not None:
                self.db.conn.close()
            if not (self._ro_fallback and self.db_path.exists()):
                raise OutboxError(_open_failure(self.db_path, exc)) from None
            self._open_read_only(exc)
            return
        try:
            self.report.reclaimed = self.reclaim_stale()
            self.report.orphans_kept = self.sweep_orphans()
        except sqlite3.OperationalError as exc:
            # Housekeeping writes; on a full disk reading the queue must still work.
            log.warning("outbox: start-up housekeeping skipped: %s", exc)

    # ---------------------------------------------------------------- opening
    def _connect(self) -> sqlite_utils.Database:
        conn = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False,
                               timeout=30.0)
        try:
            # auto_vacuum must precede the first table; harmless on an existing database.
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA secure_delete=ON")  # purged pages are zeroed, not left as slack
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error:
            conn.close()  # an open connection's lock would block the read-only fallback
            raise
        try:
            os.chmod(self.db_path, 0o600)
        except OSError:
            pass
        return sqlite_utils.Database(conn)

    def _connect_read_only(self) -> sqlite3.Connection:
        """Reads a WAL database without writing a byte: exclusive locking keeps the WAL
        index in memory, so no ``-shm`` file has to be created or grown (``mode=ro`` would
        need one); ``query_only`` refuses any write on this connection."""
        conn = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False,
                               timeout=30.0)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA query_only=ON")
        return conn

    def _open_read_only(self, why: sqlite3.Error) -> None:
        try:
            self.db = sqlite_utils.Database(self._connect_read_only())
            self._sealer = self._load_key()
        except sqlite3.Error:
            raise OutboxError(_open_failure(self.db_path, why)) from None
        self.read_only = True
        log.warning("outbox opened read-only (%s): nothing can be stored until space is freed",
                    _open_failure(self.db_path, why))

    def _quarantine_if_corrupt(self) -> None:
        """A database proven damaged is moved aside (with its files) and reported, never
        emptied. Proof is SQLite's own verdict (corrupt, not a database) or a file that is
        empty or shorter than its header says; a write that failed (full disk, I/O error,
        busy lock) proves nothing, so it stops the open and nothing is moved."""
        if not self.db_path.exists():
            return
        problem = _file_damage(self.db_path)
        if problem is None:
            problem = self._sqlite_damage()
        if problem is None:
            return
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{secrets.token_hex(2)}"
        moved = self.db_path.with_name(f"{self.db_path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.db_path) + suffix)
            if src.exists():
                os.rename(src, Path(str(moved) + suffix))
        if self.files_dir.exists() and any(self.files_dir.iterdir()):
            os.rename(self.files_dir, self.files_dir.with_name(f"{self.files_dir.name}.corrupt-{stamp}"))
            self.files_dir.mkdir(mode=0o700)
        fsync_dir(self.db_path.parent)
        log.critical("OUTBOX DATABASE CORRUPT (%s): moved aside to %s with its files; "
                     "a new empty outbox was started. Nothing was deleted: recover the items "
                     "from the moved copy.", problem, moved)
        self.report.quarantined.append(moved)

    def _sqlite_damage(self) -> str | None:
        try:
            rows = _quick_check(sqlite3.connect(self.db_path, timeout=30.0))
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) in _DAMAGE_CODES:
                return str(exc)
            if not self._ro_fallback or "locked" in str(exc) or "busy" in str(exc):
                raise OutboxError(_open_failure(self.db_path, exc)) from None
            try:  # opening for writing failed (full disk?): check it without writing
                rows = _quick_check(self._connect_read_only())
            except sqlite3.DatabaseError as exc2:
                if getattr(exc2, "sqlite_errorcode", None) in _DAMAGE_CODES:
                    return str(exc2)
                raise OutboxError(_open_failure(self.db_path, exc)) from None
        if rows != [("ok",)]:
            return "; ".join(str(r[0]) for r in rows[:5])
        return None

    def _create_schema(self) -> None:
        db = self.db
        with self._lock:
            if "items" not in db.table_names():
                db.table("items").create({
                    "id": str, "kind": str, "state": str, "created_at": float,
                    "updated_at": float, "next_attempt_at": float, "attempts": int,
                    "needs_reconcile": int, "body_sha256": str, "body_bytes": int,
                    "stored_bytes": int, "meta": str, "body": bytes, "final_body": bytes,
                    "problem": bytes, "last_error": str, "lease_owner": str, "lease_until": float,
                    "platform_id": str, "platform_ref": str, "delivered_at": float,
                    "closed_at": float,
                }, pk="id", not_null={"kind", "state", "created_at", "updated_at",
                                      "next_attempt_at", "attempts", "needs_reconcile",
                                      "body_sha256", "body_bytes", "stored_bytes"})
                db.table("items").create_index(["state", "next_attempt_at"])
            if "files" not in db.table_names():
                db.table("files").create({
                    "item_id": str, "seq": int, "key": str, "ref": str, "media_type": str,
                    "sha256": str, "bytes": int, "stored_bytes": int, "path": str,
                    "purge_path": str, "upload_url": str, "file_id": str,
                }, pk=("item_id", "seq"), foreign_keys=[("item_id", "items", "id")])
            if "counters" not in db.table_names():
                db.table("counters").create({"name": str, "value": int}, pk="name")
                live = ",".join(f"'{st.value}'" for st in LIVE_STATES)
                contrib = "(CASE WHEN {r}.state IN (" + live + ") THEN {r}.stored_bytes ELSE 0 END)"
                new, old = contrib.format(r="NEW"), contrib.format(r="OLD")
                db.executescript(f"""
                    INSERT INTO counters(name, value) SELECT 'live_bytes', total({new.replace('NEW.', '')})
                        FROM items;
                    CREATE TRIGGER items_bytes_ins AFTER INSERT ON items BEGIN
                        UPDATE counters SET value = value + {new} WHERE name = 'live_bytes'; END;
                    CREATE TRIGGER items_bytes_upd AFTER UPDATE OF state, stored_bytes ON items BEGIN
                        UPDATE counters SET value = value - {old} + {new} WHERE name = 'live_bytes'; END;
                    CREATE TRIGGER items_bytes_del AFTER DELETE ON items BEGIN
                        UPDATE counters SET value = value - {old} WHERE name = 'live_bytes'; END;
                """)
            if "meta" not in db.table_names():
                db.table("meta").create({"key": str, "value": bytes}, pk="key")
                db.table("meta").insert({"key": "schema_version", "value": str(SCHEMA_VERSION).encode()})

    def _load_key(self) -> Sealer:
        row = self.db.execute("SELECT value FROM meta WHERE key='keycheck'").fetchone()
        created = not self.key_file.exists()
        # A database that already holds sealed data must never get a fresh key silently.
        key = load_or_create_key(self.key_file, create=row is None)
        sealer = Sealer(key)
        if row is None:
            with self._tx():
                self.db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('keycheck', ?)",
                                [sealer.seal(_KEYCHECK, b"outbox/keycheck")])
            row = self.db.execute("SELECT value FROM meta WHERE key='keycheck'").fetchone()
        try:
            sealer.open(row[0], b"outbox/keycheck")
        except SealError:
            raise OutboxError(f"queue key file {self.key_file} does not match the queue database "
                              f"{self.db_path}; restore the original key file") from None
        self.report.created_key = created
        return sealer

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()

    @contextmanager
    def _tx(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction. ``durable=False`` (WAL synchronous=NORMAL) is for sync
        bookkeeping only: a power cut may roll such a commit back, which merely repeats an
        idempotent step (a claim, an upload, a re-send). What is promised to a person —
        stored, delivered (before its files are deleted), staff actions — is always FULL."""
        with self._lock:
            conn = self.db.conn
            if not durable:
                conn.execute("PRAGMA synchronous=NORMAL")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                if not durable:
                    conn.execute("PRAGMA synchronous=FULL")

    # ---------------------------------------------------------------- limits
    def live_bytes(self) -> int:
        """Bytes held by live items, kept by triggers (O(1), consistent across processes)."""
        with self._lock:
            row = self.db.execute("SELECT value FROM counters WHERE name = 'live_bytes'").fetchone()
        return int(row[0])

    def free_disk_bytes(self) -> int:
        return shutil.disk_usage(self.files_dir).free

    def _read_only_refusal(self) -> Refusal:
        if _disk_nearly_full(self.db_path):
            return Refusal("DISK_FULL", "the disk is full; the queue is read-only until space "
                           "is freed")
        return Refusal("STORAGE_ERROR", "the queue database could not be opened for writing")

    def admission(self, incoming_bytes: int = 0) -> Refusal | None:
        """None when an item of this size may be stored now, else the refusal to show."""
        if self.read_only:
            return self._read_only_refusal()
        used = self.live_bytes()
        if used + incoming_bytes > self.max_bytes:
            return Refusal("QUEUE_FULL", f"the offline queue is full ({used} of {self.max_bytes} "
                           f"bytes used; this item needs {incoming_bytes})")
        free = self.free_disk_bytes()
        if free - incoming_bytes < self.min_free_bytes:
            return Refusal("DISK_FULL", f"the disk is nearly full ({free} bytes free, "
                           f"{self.min_free_bytes} must stay free)")
        return None

    # ---------------------------------------------------------------- enqueue
    def enqueue(self, item_id: str, kind: str, body: bytes, files: Sequence[NewFile] = (),
                meta: dict[str, Any] | None = None) -> EnqueueResult:
        """Stores the item durably, or refuses before anything is written."""
        bad = self._validate(item_id, kind, body, files)
        if bad:
            return Refusal("BAD_ITEM", bad)
        if self.read_only:
            return self._read_only_refusal()
        body_sha = hashlib.sha256(body).hexdigest()
        file_shas = [hashlib.sha256(f.data).hexdigest() for f in files]
        with self._lock:
            known = self.db.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone()
        existing = self.get(item_id) if known else None
        if existing is not None:
            same = (existing.body_sha256 == body_sha
                    and [f.sha256 for f in existing.files] == file_shas)
            if same:
                return Enqueued(item_id, existing.stored_bytes)
            return Refusal("DUPLICATE_ID", f"another item with id {item_id} is already stored")
        sealed_body = self._sealer.seal(body, body_context(item_id))
        blobs = [self._sealer.seal(f.data, file_context(item_id, seq, sha))
                 for seq, (f, sha) in enumerate(zip(files, file_shas, strict=True))]
        stored = len(sealed_body) + sum(len(b) for b in blobs)
        refusal = self.admission(stored)
        if refusal:
            return refusal
        try:
            names = write_blobs_durably(self.files_dir, blobs)
        except OSError as exc:
            return _storage_refusal(exc)
        now = self.clock()
        try:
            with self._tx() as conn:
                conn.execute(
                    "INSERT INTO items(id, kind, state, created_at, updated_at, next_attempt_at,"
                    " attempts, needs_reconcile, body_sha256, body_bytes, stored_bytes, meta, body)"
                    " VALUES (?,?,?,?,?,?,0,0,?,?,?,?,?)",
                    [item_id, kind, ItemState.PENDING.value, now, now, now, body_sha, len(body),
                     stored, json.dumps(meta or {}, ensure_ascii=False), sealed_body])
                if files:
                    conn.executemany(
                        "INSERT INTO files(item_id, seq, key, ref, media_type, sha256, bytes,"
                        " stored_bytes, path) VALUES (?,?,?,?,?,?,?,?,?)",
                        [(item_id, seq, f.key, file_ref(item_id, seq), f.media_type, sha,
                          len(f.data), len(blob), name)
                         for seq, (f, sha, blob, name)
                         in enumerate(zip(files, file_shas, blobs, names, strict=True))])
        except sqlite3.IntegrityError:
            remove_files(self.files_dir, names)
            return Refusal("DUPLICATE_ID", f"another item with id {item_id} is already stored")
        except sqlite3.OperationalError as exc:
            remove_files(self.files_dir, names)
            if "full" in str(exc):
                return Refusal("DISK_FULL", f"the disk is full ({exc})")
            return Refusal("STORAGE_ERROR", f"the queue database could not store the item ({exc})")
        return Enqueued(item_id, stored)

    @staticmethod
    def _validate(item_id: str, kind: str, body: bytes, files: Sequence[NewFile]) -> str | None:
        if not item_id or len(item_id) > MAX_ID_LEN or not item_id.isascii() or not item_id.isprintable():
            return f"item id must be 1–{MAX_ID_LEN} printable ASCII characters"
        if not kind:
            return "item kind is empty"
        for seq, f in enumerate(files):
            token = json.dumps(file_ref(item_id, seq)).encode()
            if body.count(token) != 1:
                return (f"file {seq} ({f.key}) must be referenced exactly once in the body "
                        f"as {token.decode()}")
        return None

    # ---------------------------------------------------------------- reading
    def get(self, item_id: str) -> OutboxItem | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM items WHERE id = ?", [item_id]).fetchone()
            if row is None:
                return None
            cols = [d[0] for d in self.db.conn.execute("SELECT * FROM items LIMIT 0").description]
            return self._item(dict(zip(cols, row, strict=True)))

    def items(self, states: Sequence[ItemState] | None = None, limit: int | None = None) -> list[OutboxItem]:
        sql = "SELECT * FROM items"
        params: list[Any] = []
        if states:
            sql += f" WHERE state IN ({','.join('?' * len(states))})"
            params += [s.value for s in states]
        sql += " ORDER BY created_at, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._lock:
            return [self._item(r) for r in self.db.query(sql, params)]

    def _item(self, r: dict[str, Any]) -> OutboxItem:
        files = tuple(
            StoredFile(item_id=f["item_id"], seq=f["seq"], key=f["key"], ref=f["ref"],
                       media_type=f["media_type"], sha256=f["sha256"], bytes=f["bytes"],
                       upload_url=f["upload_url"], file_id=f["file_id"])
            for f in self.db.query("SELECT * FROM files WHERE item_id = ? ORDER BY seq", [r["id"]]))
        return OutboxItem(
            id=r["id"], kind=r["kind"], state=ItemState(r["state"]), created_at=r["created_at"],
            updated_at=r["updated_at"], next_attempt_at=r["next_attempt_at"],
            attempts=r["attempts"], needs_reconcile=bool(r["needs_reconcile"]),
            body_sha256=r["body_sha256"], body_bytes=r["body_bytes"],
            stored_bytes=r["stored_bytes"], meta=json.loads(r["meta"] or "{}"),
            last_error=r["last_error"], platform_id=r["platform_id"],
            platform_ref=r["platform_ref"], delivered_at=r["delivered_at"], files=files)

    def problem(self, item_id: str) -> dict[str, Any] | None:
        """The platform's problem details of a dead item (decrypted; may hold personal data)."""
        with self._lock:
            row = self.db.execute("SELECT problem FROM items WHERE id = ?", [item_id]).fetchone()
        if not row or row[0] is None:
            return None
        return dict(json.loads(self._sealer.open(row[0], body_context(item_id, "problem"))))

    def status(self) -> QueueStatus:
        now = self.clock()
        with self._lock:
            counts = dict(self.db.execute("SELECT state, count(*) FROM items GROUP BY state").fetchall())
            oldest = self.db.execute(
                "SELECT min(created_at) FROM items WHERE state IN (?, ?)",
                [ItemState.PENDING.value, ItemState.SENDING.value]).fetchone()[0]
        refusal = self.admission(0)
        return QueueStatus(
            pending=counts.get("pending", 0), sending=counts.get("sending", 0),
            dead=counts.get("dead", 0), delivered=counts.get("delivered", 0),
            void=counts.get("void", 0),
            oldest_pending_age_s=max(0.0, now - oldest) if oldest is not None else 0.0,
            bytes=self.live_bytes(), max_bytes=self.max_bytes,
            free_disk_bytes=self.free_disk_bytes(), min_free_bytes=self.min_free_bytes,
            accepting=refusal is None, refusal=refusal.message if refusal else None,
            quarantined=tuple(str(p) for p in self.quarantined_databases()),
            orphaned_files=self.orphan_count())

    def quarantined_databases(self) -> list[Path]:
        return sorted(p for p in self.db_path.parent.glob(self.db_path.name + ".corrupt-*")
                      if not p.name.endswith(("-wal", "-shm")))

    def next_due_at(self) -> float | None:
        with self._lock:
            row = self.db.execute("SELECT min(next_attempt_at) FROM items WHERE state = ?",
                                  [ItemState.PENDING.value]).fetchone()
        return None if row[0] is None else float(row[0])

    # ---------------------------------------------------------------- sending
    def due_ids(self, limit: int = 1000) -> list[str]:
        with self._lock:
            return [r[0] for r in self.db.execute(
                "SELECT id FROM items WHERE state = ? AND next_attempt_at <= ?"
                " ORDER BY created_at, id LIMIT ?",
                [ItemState.PENDING.value, self.clock(), limit])]

    def claim_due(self, limit: int = 1, only: Sequence[str] | None = None) -> list[OutboxItem]:
        """Moves up to ``limit`` due pending items to sending under our lease, oldest first."""
        now = self.clock()
        sql = "SELECT id FROM items WHERE state = ? AND next_attempt_at <= ?"
        params: list[Any] = [ItemState.PENDING.value, now]
        if only is not None:
            sql += f" AND id IN ({','.join('?' * len(only))})"
            params += list(only)
        sql += " ORDER BY created_at, id LIMIT ?"
        params.append(limit)
        with self._tx(durable=False) as conn:
            ids = [r[0] for r in conn.execute(sql, params).fetchall()]
            for item_id in ids:
                conn.execute("UPDATE items SET state = ?, lease_owner = ?, lease_until = ?,"
                             " updated_at = ? WHERE id = ?",
                             [ItemState.SENDING.value, self.owner, now + self.lease_s, now, item_id])
        return [item for item_id in ids if (item := self.get(item_id)) is not None]

    def renew_lease(self, item_id: str) -> bool:
        now = self.clock()
        with self._tx(durable=False) as conn:
            cur = conn.execute("UPDATE items SET lease_until = ? WHERE id = ? AND state = ?"
                               " AND lease_owner = ?",
                               [now + self.lease_s, item_id, ItemState.SENDING.value, self.owner])
        return cur.rowcount == 1

    def reclaim_stale(self) -> int:
        """Items left in sending by a dead process or an expired lease go back to pending."""
        now = self.clock()
        with self._lock:
            rows = self.db.execute("SELECT id, lease_owner, lease_until FROM items WHERE state = ?",
                                   [ItemState.SENDING.value]).fetchall()
        stale = []
        for item_id, owner, until in rows:
            pid = int(str(owner or "0:").split(":")[0] or 0)
            if owner == self.owner:
                continue
            if (until or 0) < now or pid == 0 or (pid != os.getpid() and not _pid_alive(pid)):
                stale.append(item_id)
        if not stale:
            return 0
        with self._tx(durable=False) as conn:
            for item_id in stale:
                conn.execute("UPDATE items SET state = ?, lease_owner = NULL, lease_until = NULL,"
                             " next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = ?",
                             [ItemState.PENDING.value, now, now, item_id, ItemState.SENDING.value])
        log.warning("outbox: %d item(s) left in sending by a stopped worker are pending again",
                    len(stale))
        return len(stale)

    def read_file(self, f: StoredFile) -> bytes:
        """The decrypted file. AES-GCM authenticates it against a context that names its
        recorded sha256, so a changed, swapped or truncated blob cannot pass."""
        with self._lock:
            row = self.db.execute("SELECT path FROM files WHERE item_id = ? AND seq = ?",
                                  [f.item_id, f.seq]).fetchone()
        if not row or not row[0]:
            raise SealError(f"file {f.seq} of {f.item_id} has no stored content")
        blob = (self.files_dir / row[0]).read_bytes()
        data = self._sealer.open(blob, file_context(f.item_id, f.seq, f.sha256))
        if len(data) != f.bytes:
            raise SealError(f"file {f.seq} of {f.item_id} does not match its recorded size")
        return data

    def record_upload_started(self, item_id: str, seq: int, upload_url: str) -> None:
        with self._tx(durable=False) as conn:
            conn.execute("UPDATE files SET upload_url = ? WHERE item_id = ? AND seq = ?",
                         [upload_url, item_id, seq])

    def record_upload_lost(self, item_id: str, seq: int) -> None:
        """The platform forgot a started upload (expired): start it over next time."""
        with self._tx(durable=False) as conn:
            conn.execute("UPDATE files SET upload_url = NULL WHERE item_id = ? AND seq = ?",
                         [item_id, seq])

    def record_file_uploaded(self, item_id: str, seq: int, file_id: str) -> None:
        """Records a verified upload and renews the sender's lease in the same commit."""
        now = self.clock()
        with self._tx(durable=False) as conn:
            conn.execute("UPDATE files SET file_id = ? WHERE item_id = ? AND seq = ?",
                         [file_id, item_id, seq])
            conn.execute("UPDATE items SET lease_until = ? WHERE id = ? AND state = ?"
                         " AND lease_owner = ?",
                         [now + self.lease_s, item_id, ItemState.SENDING.value, self.owner])

    def send_body(self, item_id: str) -> bytes:
        """The exact bytes to send: fixed once, after every file has its platform id.

        The first call fills the file refs and stores the result; every later attempt (also
        after a restart) sends the stored bytes, so the platform's fingerprint always matches."""
        with self._lock:
            row = self.db.execute("SELECT body, final_body FROM items WHERE id = ?",
                                  [item_id]).fetchone()
            if row is None or row[0] is None:
                raise SealError(f"item {item_id} has no stored body")
            if row[1] is not None:
                return self._sealer.open(row[1], body_context(item_id, "final"))
            item = self.get(item_id)
            assert item is not None
            missing = [f.seq for f in item.files if not f.file_id]
            if missing:
                raise ValueError(f"files {missing} of {item_id} are not uploaded yet")
            body = fill_file_refs(self._sealer.open(row[0], body_context(item_id)),
                                  {f.ref: f.file_id for f in item.files if f.file_id})
            sealed = self._sealer.seal(body, body_context(item_id, "final"))
            with self._tx(durable=False) as conn:
                conn.execute("UPDATE items SET final_body = ?, stored_bytes = stored_bytes + ?"
                             " WHERE id = ? AND final_body IS NULL", [sealed, len(sealed), item_id])
            return body

    def mark_delivered(self, item_id: str, platform_id: str | None, platform_ref: str | None) -> None:
        """The platform has it: keep ids, hashes, sizes, times; purge payload and files.

        The payload columns are cleared in this commit; the blob files are deleted by
        ``compact`` (end of each sync pass) once a checkpoint has made this commit durable, so
        a power cut can never leave an undelivered item whose files are already gone."""
        now = self.clock()
        with self._tx(durable=False) as conn:
            conn.execute(
                "UPDATE items SET state = ?, platform_id = ?, platform_ref = ?, delivered_at = ?,"
                " closed_at = ?, updated_at = ?, body = NULL, final_body = NULL, problem = NULL,"
                " stored_bytes = 0, lease_owner = NULL, lease_until = NULL, needs_reconcile = 0,"
                " last_error = NULL WHERE id = ?",
                [ItemState.DELIVERED.value, platform_id, platform_ref, now, now, now, item_id])
            conn.execute("UPDATE files SET purge_path = path, path = NULL, upload_url = NULL,"
                         " stored_bytes = 0 WHERE item_id = ? AND path IS NOT NULL", [item_id])

    def _purge_files(self, item_id: str, names: list[str]) -> None:
        """Deletes purged blobs of a durable purge. Their names stay recorded
        (``purge_path``) until ``forget_purged`` runs, so a crash in between leaves nothing the
        next start does not find and delete."""
        remove_files(self.files_dir, names)

    def forget_purged(self) -> int:
        """Deletes any purged blob still on disk, then forgets the names (one commit).

        Only after a complete checkpoint: then every commit that purged them is on disk."""
        with self._lock:
            busy = self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy is None or busy[0]:
                return 0  # a reader holds the WAL; the next pass (or start) does it
            rows = [tuple(r) for r in self.db.execute(
                "SELECT item_id, purge_path FROM files WHERE purge_path IS NOT NULL")]
        if not rows:
            return 0
        remove_files(self.files_dir, [name for _, name in rows])
        with self._tx(durable=False) as conn:
            conn.executemany("UPDATE files SET purge_path = NULL WHERE item_id = ? AND purge_path = ?",
                             rows)
        return len(rows)

    def mark_retry(self, item_id: str, delay_s: float, error: str, reconcile: bool = False) -> None:
        now = self.clock()
        with self._tx(durable=False) as conn:
            conn.execute(
                "UPDATE items SET state = ?, next_attempt_at = ?, attempts = attempts + 1,"
                " last_error = ?, needs_reconcile = max(needs_reconcile, ?), lease_owner = NULL,"
                " lease_until = NULL, updated_at = ? WHERE id = ? AND state = ?",
                [ItemState.PENDING.value, now + max(0.0, delay_s), error[:500], int(reconcile),
                 now, item_id, ItemState.SENDING.value])

    def mark_reconciled_absent(self, item_id: str) -> None:
        """The platform says it does not have the item: sending it again is safe."""
        with self._tx(durable=False) as conn:
            conn.execute("UPDATE items SET needs_reconcile = 0 WHERE id = ?", [item_id])

    def mark_dead(self, item_id: str, error: str, problem: dict[str, Any] | None = None) -> None:
        now = self.clock()
        sealed = (self._sealer.seal(json.dumps(problem, ensure_ascii=False).encode(),
                                    body_context(item_id, "problem")) if problem else None)
        with self._tx() as conn:
            conn.execute(
                "UPDATE items SET state = ?, last_error = ?, problem = ?, attempts = attempts + 1,"
                " lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?",
                [ItemState.DEAD.value, error[:500], sealed, now, item_id])
        log.error("outbox: item %s moved to dead letter: %s", item_id, error[:200])

    def release(self, item_id: str) -> None:
        """Gives a claimed item back untouched (the worker is stopping)."""
        with self._tx(durable=False) as conn:
            conn.execute("UPDATE items SET state = ?, lease_owner = NULL, lease_until = NULL"
                         " WHERE id = ? AND state = ? AND lease_owner = ?",
                         [ItemState.PENDING.value, item_id, ItemState.SENDING.value, self.owner])

    # ---------------------------------------------------------------- staff actions
    def retry(self, item_id: str) -> str | None:
        try:
            return self._retry(item_id)
        except sqlite3.OperationalError as exc:
            return _write_failure(self.db_path, exc)

    def _retry(self, item_id: str) -> str | None:
        """Dead (or waiting) → due now. Returns None on success, else why not."""
        now = self.clock()
        with self._tx() as conn:
            row = conn.execute("SELECT state FROM items WHERE id = ?", [item_id]).fetchone()
            if row is None:
                return f"no queued item {item_id}"
            if row[0] not in (ItemState.DEAD.value, ItemState.PENDING.value):
                return f"item {item_id} is {row[0]}; only dead or pending items can be retried"
            conn.execute("UPDATE items SET state = ?, next_attempt_at = ?, updated_at = ?,"
                         " problem = NULL, needs_reconcile = 1 WHERE id = ?",
                         [ItemState.PENDING.value, now, now, item_id])
        return None

    def read_body(self, item_id: str) -> bytes | None:
        """The stored request body as enqueued (file refs, not platform ids); None once purged."""
        with self._lock:
            row = self.db.execute("SELECT body FROM items WHERE id = ?", [item_id]).fetchone()
        if row is None or row[0] is None:
            return None
        return self._sealer.open(row[0], body_context(item_id))

    def replace_body(self, item_id: str, body: bytes) -> str | None:
        try:
            return self._replace_body(item_id, body)
        except sqlite3.OperationalError as exc:
            return _write_failure(self.db_path, exc)

    def _replace_body(self, item_id: str, body: bytes) -> str | None:
        """Staff fixed a dead item: store the corrected body and make it due now.

        Only a dead item: the platform refused it and keeps no answer for a refusal, so the
        same id may carry the corrected bytes. Returns None on success, else why not."""
        item = self.get(item_id)
        if item is None:
            return f"no queued item {item_id}"
        if item.state != ItemState.DEAD:
            return f"item {item_id} is {item.state.value}; only a dead item can be corrected"
        bad = self._validate(item_id, item.kind, body, [NewFile(f.key, b"") for f in item.files])
        if bad:
            return bad
        sealed = self._sealer.seal(body, body_context(item_id))
        now = self.clock()
        with self._tx() as conn:
            old = conn.execute("SELECT length(body) + coalesce(length(final_body), 0) FROM items"
                               " WHERE id = ? AND state = ?", [item_id, ItemState.DEAD.value]).fetchone()
            if old is None:
                return f"item {item_id} changed meanwhile; try again"
            conn.execute(
                "UPDATE items SET body = ?, final_body = NULL, problem = NULL, state = ?,"
                " next_attempt_at = ?, updated_at = ?, needs_reconcile = 1, body_sha256 = ?,"
                " body_bytes = ?, stored_bytes = stored_bytes - ? + ? WHERE id = ?",
                [sealed, ItemState.PENDING.value, now, now, hashlib.sha256(body).hexdigest(),
                 len(body), old[0], len(sealed), item_id])
        log.warning("outbox: dead item %s corrected by staff and queued again", item_id)
        return None

    def void(self, item_id: str) -> str | None:
        try:
            return self._void(item_id)
        except sqlite3.OperationalError as exc:
            return _write_failure(self.db_path, exc)

    def _void(self, item_id: str) -> str | None:
        """Staff withdraw a dead or pending item: payload and files purged, the row kept."""
        now = self.clock()
        with self._tx() as conn:
            row = conn.execute("SELECT state FROM items WHERE id = ?", [item_id]).fetchone()
            if row is None:
                return f"no queued item {item_id}"
            if row[0] not in (ItemState.DEAD.value, ItemState.PENDING.value):
                return f"item {item_id} is {row[0]}; only dead or pending items can be voided"
            names = [r[0] for r in conn.execute(
                "SELECT path FROM files WHERE item_id = ? AND path IS NOT NULL", [item_id])]
            conn.execute("UPDATE items SET state = ?, closed_at = ?, updated_at = ?, body = NULL,"
                         " final_body = NULL, problem = NULL, stored_bytes = 0 WHERE id = ?",
                         [ItemState.VOID.value, now, now, item_id])
            conn.execute("UPDATE files SET purge_path = path, path = NULL, upload_url = NULL,"
                         " stored_bytes = 0 WHERE item_id = ?", [item_id])
        self._purge_files(item_id, names)
        log.warning("outbox: item %s voided by staff", item_id)
        return None

    def wake(self, spread_s: float = 0.0) -> int:
        """Connectivity is back: every waiting item becomes due now (spread by up to ``spread_s``)."""
        now = self.clock()
        with self._tx(durable=False) as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM items WHERE state = ? AND next_attempt_at > ?",
                [ItemState.PENDING.value, now])]
            for item_id in ids:
                due = now + (secrets.randbelow(1000) / 1000.0) * spread_s
                conn.execute("UPDATE items SET next_attempt_at = min(next_attempt_at, ?) WHERE id = ?",
                             [due, item_id])
        return len(ids)

    # ---------------------------------------------------------------- housekeeping
    @property
    def orphans_dir(self) -> Path:
        return self.files_dir.with_name(self.files_dir.name + ".orphans")

    def sweep_orphans(self, grace_s: float = ORPHAN_GRACE_S) -> int:
        """Deletes blobs of purged items and unfinished writes (``.part``: never committed,
        never promised to anyone). A complete blob no row references is never deleted: it
        may be the only copy of an application whose row was lost. Once older than
        ``grace_s`` (another process may be about to commit it) it is moved to
        ``orphans_dir`` and reported; returns how many were moved now."""
        self.forget_purged()
        with self._lock:
            referenced = {r[0] for r in self.db.execute("SELECT path FROM files WHERE path IS NOT NULL")}
        cutoff = time.time() - grace_s
        unfinished: list[str] = []
        orphans: list[str] = []
        for p in self.files_dir.iterdir():
            if p.name in referenced:
                continue
            try:
                if p.stat().st_mtime >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            (unfinished if p.name.endswith(TMP_SUFFIX) else orphans).append(p.name)
        remove_files(self.files_dir, unfinished)
        if orphans:
            self.orphans_dir.mkdir(mode=0o700, exist_ok=True)
            for name in orphans:
                os.rename(self.files_dir / name, self.orphans_dir / name)
            fsync_dir(self.orphans_dir)
            fsync_dir(self.files_dir)
            log.critical("outbox: %d encrypted file(s) no queue row refers to were moved to %s "
                         "and kept (nothing deleted): recover them with the queue key, or "
                         "delete them once the queue is known to be complete",
                         len(orphans), self.orphans_dir)
        return len(orphans)

    def orphan_count(self) -> int:
        """Blobs held in ``orphans_dir`` (kept for recovery, reported by ``status``)."""
        try:
            return sum(1 for _ in self.orphans_dir.iterdir())
        except FileNotFoundError:
            return 0

    def compact(self) -> None:
        """Deletes purged blobs (after a checkpoint), returns purged pages to the file system
        and trims the WAL."""
        self.forget_purged()
        with self._lock:
            # executescript steps the pragma to the end; execute() would free a single page
            self.db.conn.executescript("PRAGMA incremental_vacuum;")
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


_SQLITE_HEADER = b"SQLite format 3\x00"
_DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_FULL_CODES = (sqlite3.SQLITE_FULL,)


def _file_damage(path: Path) -> str | None:
    """What SQLite itself would not call damage: it opens a 0-byte file as a new, empty
    database and reads a truncated one without complaint until it reaches a missing page."""
    size = path.stat().st_size
    if size == 0:
        return "the database file is empty (0 bytes)"
    with path.open("rb") as f:
        header = f.read(100)
    if not header.startswith(_SQLITE_HEADER):
        return "the file is not an SQLite database"
    if len(header) < 100:
        return f"the database file is truncated ({size} bytes, shorter than its header)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # the page count is valid only when "version-valid-for" equals the change counter
    if header[24:28] == header[92:96] and pages * page_size > size:
        return f"the database file is truncated ({size} of {pages * page_size} bytes)"
    return None


def _quick_check(conn: sqlite3.Connection) -> list[Any]:
    try:
        return conn.execute("PRAGMA quick_check").fetchall()
    finally:
        conn.close()


def _disk_nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _open_failure(path: Path, exc: sqlite3.Error) -> str:
    """One line for an open that failed without proving damage (nothing was moved)."""
    text = str(exc)
    if (getattr(exc, "sqlite_errorcode", None) in _FULL_CODES or "full" in text
            or _disk_nearly_full(path)):
        return (f"DISK_FULL: the disk holding {path} is full ({text}); nothing was moved or "
                "deleted; free space and try again")
    if "locked" in text or "busy" in text:
        return f"the queue database {path} is busy ({text}); try again"
    return f"the queue database {path} cannot be opened ({text}); nothing was moved or deleted"


def _write_failure(path: Path, exc: sqlite3.OperationalError) -> str:
    """Why a staff action could not be written (nothing changed)."""
    if "full" in str(exc) or _disk_nearly_full(path):
        return f"DISK_FULL: the disk is full; nothing was changed ({exc})"
    return f"the queue database could not be written; nothing was changed ({exc})"


def _storage_refusal(exc: OSError) -> Refusal:
    import errno
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return Refusal("DISK_FULL", f"the disk is full ({exc.strerror})")
    return Refusal("STORAGE_ERROR", f"the queue could not write its files ({exc.strerror})")
