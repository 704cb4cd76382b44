"""统一公共支付 at the sandbox: fee payment orders that the citizen pays on the phone.

An order is PENDING until it is paid, expires or is cancelled. The sandbox's "citizen" pays
by itself ``payment_paid_after_s`` seconds after the order was created (demo mode; None:
never, only ``/__admin/payments/{id}`` settles it); an unpaid order expires after
``payment_ttl_s``. The kiosk polls ``GET /payments/{id}``; the application carries the
``paymentId`` of a PAID order, checked at submission (amount and matter).
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from flask import Blueprint, Response, g

from kiosk.sandbox.bodies import invalid, json_body
from kiosk.sandbox.context import sandbox
from kiosk.sandbox.idempotency import idempotent
from kiosk.sandbox.problems import Problem, json_response, rfc3339

bp = Blueprint("payments", __name__)

PAY_BASE = "https://pay.sandbox.invalid/uap/pay/"
STATUSES = ("PENDING", "PAID", "EXPIRED", "CANCELLED")


def matter_fee_fen(matter: dict[str, Any]) -> int:
    charge = matter.get("charge") or {}
    if not charge.get("payAtKiosk"):
        return 0
    return sum(int(i["amountFen"]) for i in charge.get("items") or ())


def settle(db: sqlite3.Connection, row: sqlite3.Row, now: float) -> sqlite3.Row:
    """The order as of ``now``: paid by the simulated citizen, or expired."""
    if row["status"] != "PENDING":
        return row
    st = sandbox()
    after = st.payment_paid_after_s
    status, paid_at = "", None
    if after is not None and now - row["created_at"] >= after \
            and row["created_at"] + after <= row["expires_at"]:
        status, paid_at = "PAID", row["created_at"] + after
    elif now >= row["expires_at"]:
        status = "EXPIRED"
    if not status:
        return row
    db.execute("UPDATE payments SET status = ?, paid_at = ? WHERE payment_id = ? AND "
               "status = 'PENDING'", (status, paid_at, row["payment_id"]))
    fresh: sqlite3.Row = db.execute("SELECT * FROM payments WHERE payment_id = ?",
                                    (row["payment_id"],)).fetchone()
    return fresh


def order_view(row: sqlite3.Row) -> dict[str, Any]:
    return {"paymentId": row["payment_id"], "status": row["status"],
            "amountFen": row["amount_fen"], "payUrl": PAY_BASE + row["payment_id"],
            "expiresAt": rfc3339(row["expires_at"]),
            "paidAt": rfc3339(row["paid_at"]) if row["paid_at"] is not None else None}


def _mine(payment_id: str) -> sqlite3.Row:
    row = sandbox().storage.one("SELECT * FROM payments WHERE payment_id = ?", payment_id)
    if row is None or row["access_key"] != g.access_key:
        raise Problem(404, "PAYMENT_NOT_FOUND", "no such payment order", retryable=False)
    return row


def current(payment_id: str) -> sqlite3.Row:
    """The order (settled as of now), for this kiosk's access key only."""
    st = sandbox()
    _mine(payment_id)
    with st.storage.tx() as db:
        row = db.execute("SELECT * FROM payments WHERE payment_id = ?", (payment_id,)).fetchone()
        return settle(db, row, st.now())


@bp.post("/payments")
@idempotent()
def create_payment() -> Response:
    st = sandbox()
    data = json_body("PaymentRequest")
    matter = st.catalog.get(data["implCode"])
    if matter is None:
        raise invalid("/implCode", "MATTER_NOT_FOUND", "no matter has this implCode",
                      problem_code="MATTER_NOT_FOUND", title="no such matter")
    fee = matter_fee_fen(matter)
    if fee <= 0:
        raise invalid("/implCode", "NOT_CHARGEABLE", "this matter takes no fee at the kiosk")
    if data["amountFen"] != fee:
        raise invalid("/amountFen", "AMOUNT_MISMATCH", f"the matter's fee is {fee} fen")
    now = st.now()
    pid = "pay_" + secrets.token_hex(8)
    with st.storage.tx() as db:
        db.execute("INSERT INTO payments(payment_id, access_key, client_application_id, "
                   "impl_code, amount_fen, status, created_at, expires_at) "
                   "VALUES (?,?,?,?,?,?,?,?)",
                   (pid, g.access_key, data["clientApplicationId"], data["implCode"], fee,
                    "PENDING", now, now + st.payment_ttl_s))
        row = db.execute("SELECT * FROM payments WHERE payment_id = ?", (pid,)).fetchone()
    return json_response(order_view(row), 201)


@bp.get("/payments/<payment_id>")
def get_payment(payment_id: str) -> Response:
    return json_response(order_view(current(payment_id)))


@bp.post("/payments/<payment_id>/cancel")
def cancel_payment(payment_id: str) -> Response:
    st = sandbox()
    current(payment_id)
    with st.storage.tx() as db:
        db.execute("UPDATE payments SET status = 'CANCELLED' WHERE payment_id = ? AND "
                   "status = 'PENDING'", (payment_id,))
        row = db.execute("SELECT * FROM payments WHERE payment_id = ?", (payment_id,)).fetchone()
    return json_response(order_view(row))


def check_paid(matter: dict[str, Any], data: dict[str, Any]) -> None:
    """At submission: a ``paymentId`` names a PAID order of this kiosk for this matter; a
    matter paid at the kiosk that the window cannot collect later needs one."""
    fee = matter_fee_fen(matter)
    pid = data.get("paymentId")
    if not pid:
        if fee and not (matter.get("charge") or {}).get("payLater"):
            raise invalid("/paymentId", "PAYMENT_REQUIRED",
                          "this matter's fee is paid before the application is received")
        return
    row = sandbox().storage.one("SELECT * FROM payments WHERE payment_id = ?", pid)
    if row is None or row["access_key"] != g.access_key:
        raise invalid("/paymentId", "PAYMENT_NOT_FOUND", "no payment order has this id")
    row = current(pid)
    if row["status"] != "PAID":
        raise invalid("/paymentId", "PAYMENT_NOT_PAID", f"the order is {row['status']}")
    if row["impl_code"] != matter["implCode"] or row["amount_fen"] != fee:
        raise invalid("/paymentId", "PAYMENT_MISMATCH", "the order is for another fee")


def admin_settle(payment_id: str, status: str) -> dict[str, Any]:
    """``/__admin/payments/{id}``: the citizen paid (PAID), let it lapse (EXPIRED) or
    cancelled on the phone (CANCELLED)."""
    st = sandbox()
    if status not in STATUSES[1:]:
        raise Problem(422, "VALIDATION_FAILED", "unknown status",
                      "status must be PAID, EXPIRED or CANCELLED", retryable=False)
    with st.storage.tx() as db:
        row = db.execute("SELECT * FROM payments WHERE payment_id = ?", (payment_id,)).fetchone()
        if row is None:
            raise Problem(404, "PAYMENT_NOT_FOUND", "no such payment order", retryable=False)
        if row["status"] == "PENDING":
            db.execute("UPDATE payments SET status = ?, paid_at = ? WHERE payment_id = ?",
                       (status, st.now() if status == "PAID" else None, payment_id))
        row = db.execute("SELECT * FROM payments WHERE payment_id = ?", (payment_id,)).fetchone()
    return order_view(row)
