"""呼叫帮办 at the sandbox: a kiosk raises a help request (kiosk and step only, no personal
data) and gets a short ticket number; staff logging in at that kiosk mark it handled."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response, g

from kiosk.sandbox.bodies import json_body
from kiosk.sandbox.context import sandbox
from kiosk.sandbox.idempotency import idempotent
from kiosk.sandbox.problems import Problem, json_response, rfc3339

bp = Blueprint("help", __name__)


def _view(row: Any) -> dict[str, Any]:
    return {"requestId": row["request_id"], "ticketNo": row["ticket_no"],
            "status": row["status"], "createdAt": rfc3339(row["created_at"])}


@bp.post("/devices/<device_id>/help-requests")
@idempotent()
def create_help_request(device_id: str) -> Response:
    st = sandbox()
    data = json_body("HelpRequest")
    now = st.now()
    rid = "help_" + secrets.token_hex(6)
    with st.storage.tx() as db:
        n = db.execute("SELECT COUNT(*) AS n FROM help_requests").fetchone()["n"]
        db.execute("INSERT INTO help_requests(request_id, device_id, access_key, ticket_no, step,"
                   " status, created_at) VALUES (?,?,?,?,?,?,?)",
                   (rid, device_id, g.access_key, f"H{n + 1:03d}", data["step"], "OPEN", now))
        row = db.execute("SELECT * FROM help_requests WHERE request_id = ?", (rid,)).fetchone()
    return json_response(_view(row), 201)


@bp.post("/devices/<device_id>/help-requests/<request_id>/handled")
def mark_handled(device_id: str, request_id: str) -> Response:
    st = sandbox()
    with st.storage.tx() as db:
        row = db.execute("SELECT * FROM help_requests WHERE request_id = ? AND device_id = ?",
                         (request_id, device_id)).fetchone()
        if row is None or row["access_key"] != g.access_key:
            raise Problem(404, "HELP_REQUEST_NOT_FOUND", "no such help request", retryable=False)
        db.execute("UPDATE help_requests SET status = 'HANDLED', handled_at = ? "
                   "WHERE request_id = ?", (st.now(), request_id))
        row = db.execute("SELECT * FROM help_requests WHERE request_id = ?",
                         (request_id,)).fetchone()
    return json_response(_view(row))
