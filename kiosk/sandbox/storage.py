"""SQLite storage of the sandbox: applications, idempotency records, uploads, files, ….

One connection per thread (the server is threaded), WAL, and ``BEGIN IMMEDIATE`` around the
read-then-write of an idempotency key so two requests with one key cannot both start.
File bytes live beside the database: ``<db>.files/blobs/<sha256>`` and
``<db>.files/uploads/<uploadId>`` (partial tus uploads).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency(
    access_key TEXT NOT NULL, idem_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    state TEXT NOT NULL, status INTEGER, headers TEXT, body BLOB, created_at REAL NOT NULL,
    PRIMARY KEY(access_key, idem_key));
CREATE TABLE IF NOT EXISTS uploads(
    upload_id TEXT PRIMARY KEY, access_key TEXT NOT NULL, length INTEGER NOT NULL,
    "offset" INTEGER NOT NULL DEFAULT 0, metadata TEXT NOT NULL, created_at REAL NOT NULL,
    expires_at REAL NOT NULL, file_id TEXT);
CREATE TABLE IF NOT EXISTS files(
    file_id TEXT PRIMARY KEY, access_key TEXT NOT NULL, sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL, media_type TEXT, filename TEXT, material_code TEXT,
    client_application_id TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS applications(
    application_id TEXT PRIMARY KEY, client_application_id TEXT NOT NULL UNIQUE,
    access_key TEXT NOT NULL, proj_id TEXT NOT NULL UNIQUE, query_password TEXT NOT NULL UNIQUE,
    impl_code TEXT NOT NULL, applicant_cert_no TEXT NOT NULL, payload TEXT NOT NULL,
    received_at REAL NOT NULL, promised_finish_at TEXT, track TEXT NOT NULL,
    status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS status_history(
    application_id TEXT NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL, at REAL NOT NULL,
    dept TEXT, note TEXT, PRIMARY KEY(application_id, seq));
CREATE TABLE IF NOT EXISTS sub_cases(
    application_id TEXT NOT NULL, seq INTEGER NOT NULL, impl_code TEXT NOT NULL,
    name TEXT NOT NULL, dept_name TEXT NOT NULL, status TEXT NOT NULL,
    created_at REAL NOT NULL, PRIMARY KEY(application_id, seq));
CREATE TABLE IF NOT EXISTS payments(
    payment_id TEXT PRIMARY KEY, access_key TEXT NOT NULL, client_application_id TEXT NOT NULL,
    impl_code TEXT NOT NULL, amount_fen INTEGER NOT NULL, status TEXT NOT NULL,
    created_at REAL NOT NULL, expires_at REAL NOT NULL, paid_at REAL);
CREATE TABLE IF NOT EXISTS supplement_requests(
    application_id TEXT PRIMARY KEY, reason TEXT NOT NULL, materials TEXT NOT NULL,
    requested_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS help_requests(
    request_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, access_key TEXT NOT NULL,
    ticket_no TEXT NOT NULL, step TEXT NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL,
    handled_at REAL);
CREATE TABLE IF NOT EXISTS supplements(
    supplement_id TEXT PRIMARY KEY, application_id TEXT NOT NULL, payload TEXT NOT NULL,
    received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS evaluations(
    evaluation_id TEXT PRIMARY KEY, application_id TEXT NOT NULL, round INTEGER NOT NULL,
    payload TEXT NOT NULL, received_at REAL NOT NULL, UNIQUE(application_id, round));
CREATE TABLE IF NOT EXISTS citizen_sessions(
    token TEXT PRIMARY KEY, access_key TEXT NOT NULL, cert_type TEXT NOT NULL,
    cert_no TEXT NOT NULL, name TEXT, scopes TEXT NOT NULL, consent_id TEXT NOT NULL,
    method TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats(
    device_id TEXT PRIMARY KEY, access_key TEXT NOT NULL, payload TEXT NOT NULL,
    received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS audit_heads(
    device_id TEXT PRIMARY KEY, access_key TEXT NOT NULL, seq INTEGER NOT NULL,
    hash TEXT NOT NULL, received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS data_accesses(
    access_id TEXT PRIMARY KEY, application_id TEXT NOT NULL, at REAL NOT NULL,
    operation TEXT NOT NULL, staff_no TEXT NOT NULL, device_id TEXT NOT NULL,
    hall TEXT NOT NULL, received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS device_commands(
    command_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, type TEXT NOT NULL,
    created_at REAL NOT NULL, delivered_at REAL);
CREATE TABLE IF NOT EXISTS device_command_results(
    command_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, type TEXT NOT NULL,
    result TEXT NOT NULL, detail TEXT NOT NULL, finished_at TEXT NOT NULL,
    received_at REAL NOT NULL);
"""


class Storage:
    def __init__(self, db_path: str | Path, *, readonly: bool = False) -> None:
        """``readonly`` opens an existing database to read it (``dump``), creating nothing."""
        self.db_path = Path(db_path)
        self.readonly = readonly
        self.files_root = self.db_path.with_name(self.db_path.name + ".files")
        self.blobs = self.files_root / "blobs"
        self.partials = self.files_root / "uploads"
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if readonly:
            self.conn().execute("SELECT COUNT(*) FROM applications").fetchone()
            return
        # Received applications and material images are citizen data: owner-only, like the
        # platform would keep them (SQLite gives its WAL files the database file's mode).
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(self.db_path, os.O_CREAT | os.O_RDWR, 0o600))
        for folder in (self.files_root, self.blobs, self.partials):
            folder.mkdir(mode=0o700, exist_ok=True)
        self.conn().executescript(SCHEMA)  # executescript manages its own transaction
        columns = {r[1] for r in self.conn().execute("PRAGMA table_info(device_commands)")}
        if "args" not in columns:  # databases from before command arguments
            self.conn().execute("ALTER TABLE device_commands ADD COLUMN args TEXT")

    def conn(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            if self.readonly:
                db = sqlite3.connect(f"{self.db_path.resolve().as_uri()}?mode=ro", uri=True,
                                     timeout=30, isolation_level=None, check_same_thread=False)
            else:
                db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None,
                                     check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (no upgrade deadlocks between threads)."""
        db = self.conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn().execute(sql, args).fetchone()
        return row

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        return list(self.conn().execute(sql, args).fetchall())

    def release(self) -> None:
        """Closes this thread's connection (end of a request: werkzeug runs each request in a
        new thread, so keeping them would leak one open file per request)."""
        db = getattr(self._local, "db", None)
        if db is None:
            return
        self._local.db = None
        with self._lock:
            if db in self._all:
                self._all.remove(db)
        db.close()

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                try:
                    db.close()
                except sqlite3.ProgrammingError:
                    pass  # created in another thread that is gone; closing is best effort
            self._all.clear()

    def purge(self, now: float, idempotency_retention_s: float) -> tuple[int, int]:
        """Forgets idempotency records past retention and deletes expired partial uploads;
        returns (records, uploads) removed. Run at start so a long-lived sandbox stays small."""
        with self.tx() as db:
            records = db.execute("DELETE FROM idempotency WHERE created_at < ?",
                                 (now - idempotency_retention_s,)).rowcount
            expired = [r["upload_id"] for r in db.execute(
                "SELECT upload_id FROM uploads WHERE file_id IS NULL AND expires_at < ?", (now,))]
            db.executemany("DELETE FROM uploads WHERE upload_id = ?", [(u,) for u in expired])
        for upload_id in expired:
            (self.partials / upload_id).unlink(missing_ok=True)
        return records, len(expired)

    # -- dump -------------------------------------------------------------------------------

    def dump(self) -> list[dict[str, Any]]:
        """One object per received application (``kiosk sandbox dump``)."""
        out = []
        for app in self.all("SELECT * FROM applications ORDER BY received_at, application_id"):
            payload = json.loads(app["payload"])
            files = []
            for material in payload.get("materials") or []:
                for file_id in material.get("fileIds") or []:
                    row = self.one("SELECT sha256, bytes FROM files WHERE file_id = ?", file_id)
                    if row is not None:
                        files.append({"sha256": row["sha256"], "bytes": row["bytes"]})
            ev = self.one("SELECT evaluation_id, payload, received_at FROM evaluations "
                          "WHERE application_id = ? ORDER BY round LIMIT 1",
                          app["application_id"])
            evaluation = None
            if ev is not None:
                data = json.loads(ev["payload"])
                evaluation = {"evaluationId": ev["evaluation_id"],
                              "satisfaction": data.get("satisfaction"),
                              "channel": data.get("channel"),
                              "reasons": data.get("reasons") or [],
                              "round": data.get("round", 1)}
            entry: dict[str, Any] = {
                "clientApplicationId": app["client_application_id"],
                "applicationId": app["application_id"],
                "matter": app["impl_code"],
                "applicantCertNo": app["applicant_cert_no"],
                "files": files,
                "evaluation": evaluation,
            }
            if payload.get("identificationMethod"):  # how the applicant was identified
                entry["identificationMethod"] = payload["identificationMethod"]
            if payload.get("paymentId"):  # 统一公共支付: the paid order and its amount
                entry["payment"] = self._payment(str(payload["paymentId"]))
            subs = self._sub_cases(app["application_id"])
            if subs:  # 一件事: the chosen sub-matters and the sub-case of each department
                entry["subMatters"] = [s["implCode"] for s in subs]
                entry["subCases"] = subs
            out.append(entry)
        return out

    def _sub_cases(self, application_id: str) -> list[dict[str, Any]]:
        try:
            rows = self.all("SELECT * FROM sub_cases WHERE application_id = ? ORDER BY seq",
                            application_id)
        except sqlite3.OperationalError:  # a database from before bundles (read only)
            return []
        return [{"implCode": r["impl_code"], "name": r["name"], "deptName": r["dept_name"],
                 "status": r["status"]} for r in rows]

    def _payment(self, payment_id: str) -> dict[str, Any] | None:
        try:
            row = self.one("SELECT * FROM payments WHERE payment_id = ?", payment_id)
        except sqlite3.OperationalError:  # a database from before payments (read only)
            return None
        if row is None:
            return None
        return {"paymentId": payment_id, "status": row["status"], "amountFen": row["amount_fen"]}
