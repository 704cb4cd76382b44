"""How sandbox cases move on their own, so status queries have something to show.

Every ``step_s`` seconds a case takes the next step of its track (computed lazily when it is
read, and stored): RECEIVED → ACCEPTED → IN_PROGRESS → FINISHED (→ DELIVERED by express).
One case in four (by its clientApplicationId) instead stops at SUPPLEMENT_REQUIRED until a
supplement arrives, then SUPPLEMENT_SUBMITTED → IN_PROGRESS → FINISHED.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

NORMAL = ("RECEIVED", "ACCEPTED", "IN_PROGRESS", "FINISHED")
SUPPLEMENT = ("RECEIVED", "ACCEPTED", "SUPPLEMENT_REQUIRED")
AFTER_SUPPLEMENT = ("SUPPLEMENT_SUBMITTED", "IN_PROGRESS", "FINISHED")
TERMINAL = ("FINISHED", "DELIVERED", "NOT_ACCEPTED", "VOIDED", "RETURNED")
ALL_STATUSES = ("RECEIVED", "ACCEPTED", "NOT_ACCEPTED", "SUPPLEMENT_REQUIRED",
                "SUPPLEMENT_SUBMITTED", "IN_PROGRESS", "SPECIAL_PROCEDURE", "FINISHED",
                "VOIDED", "RETURNED", "DELIVERED")


def track_for(client_application_id: str) -> str:
    h = int(hashlib.sha256(client_application_id.encode()).hexdigest()[:8], 16)
    return "SUPPLEMENT" if h % 4 == 0 else "NORMAL"


def next_status(track: str, current: str, express: bool) -> str | None:
    if current == "FINISHED":
        return "DELIVERED" if express else None
    if current in TERMINAL or current == "SUPPLEMENT_REQUIRED":
        return None
    seq: tuple[str, ...]
    if current in AFTER_SUPPLEMENT:
        seq = AFTER_SUPPLEMENT
    else:
        seq = SUPPLEMENT if track == "SUPPLEMENT" else NORMAL
    if current not in seq:
        return None
    i = seq.index(current)
    return seq[i + 1] if i + 1 < len(seq) else None


def advance(db: sqlite3.Connection, app: Any, now: float, step_s: float | None,
            lead_dept: str) -> None:
    """Appends the steps that are due (inside the caller's write transaction)."""
    if not step_s or step_s <= 0:
        return
    last = db.execute("SELECT * FROM status_history WHERE application_id = ? "
                      "ORDER BY seq DESC LIMIT 1", (app["application_id"],)).fetchone()
    if last is None:
        return
    express = json.loads(app["payload"]).get("delivery", {}).get("method") == "EXPRESS"
    status, at, seq = last["status"], last["at"], last["seq"]
    while True:
        nxt = next_status(app["track"], status, express)
        if nxt is None or at + step_s > now:
            break
        at += step_s
        seq += 1
        note = None
        if nxt == "SUPPLEMENT_REQUIRED":
            note = "材料需补正（演示）"
        db.execute("INSERT INTO status_history(application_id, seq, status, at, dept, note) "
                   "VALUES (?,?,?,?,?,?)", (app["application_id"], seq, nxt, at, lead_dept, note))
        status = nxt
    db.execute("UPDATE applications SET status = ? WHERE application_id = ?",
               (status, app["application_id"]))


def set_status(db: sqlite3.Connection, application_id: str, status: str, at: float,
               dept: str | None = None, note: str | None = None) -> None:
    row = db.execute("SELECT MAX(seq) AS s FROM status_history WHERE application_id = ?",
                     (application_id,)).fetchone()
    seq = (row["s"] if row and row["s"] is not None else -1) + 1
    db.execute("INSERT INTO status_history(application_id, seq, status, at, dept, note) "
               "VALUES (?,?,?,?,?,?)", (application_id, seq, status, at, dept, note))
    db.execute("UPDATE applications SET status = ? WHERE application_id = ?",
               (status, application_id))
