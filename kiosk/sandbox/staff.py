"""The sandbox's staff operations: the staff directory, the QR log-in challenges the
government work app would confirm, and the loopback admin that plays the platform's side
(remove a person, confirm a challenge as if scanned)."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response, request

from kiosk.sandbox.bodies import json_body
from kiosk.sandbox.context import sandbox
from kiosk.sandbox.idempotency import idempotent
from kiosk.sandbox.problems import Problem, json_response, rfc3339
from kiosk.sandbox.staff_roster import CHALLENGE_TTL_S, Challenge

bp = Blueprint("staff", __name__)


def _view(c: Challenge, now: float) -> dict[str, Any]:
    if c.status == "PENDING" and now >= c.expires_at:
        c.status = "EXPIRED"
    out: dict[str, Any] = {"challengeId": c.challenge_id, "status": c.status,
                           "qrText": f"zwapp://staff-login?c={c.challenge_id}",
                           "expiresAt": rfc3339(c.expires_at)}
    if c.status == "CONFIRMED" and c.staff_no:
        out["staffNo"] = c.staff_no
    return out


@bp.get("/staff-directory")
def staff_directory() -> Response:
    st = sandbox()
    hall = request.args.get("hall", "")
    if not hall or len(hall) > 64:
        raise Problem(400, "INVALID_PARAMETER", "hall is not valid",
                      "hall must be the hall code, 1 to 64 characters", retryable=False)
    return json_response({"hall": hall, "issuedAt": rfc3339(st.now()),
                          "members": st.staff.members(hall)})


@bp.post("/staff-logins")
@idempotent()
def create_staff_login() -> Response:
    st = sandbox()
    data = json_body("StaffLoginRequest")
    c = Challenge("sl_" + secrets.token_hex(8), data["deviceId"], data["hall"], data["role"],
                  st.now() + CHALLENGE_TTL_S)
    with st.staff.lock:
        st.staff.challenges[c.challenge_id] = c
    return json_response(_view(c, st.now()), 201)


@bp.get("/staff-logins/<challenge_id>")
def get_staff_login(challenge_id: str) -> Response:
    st = sandbox()
    c = st.staff.challenges.get(challenge_id)
    if c is None:
        raise Problem(404, "STAFF_LOGIN_NOT_FOUND", "no such log-in challenge", retryable=False)
    return json_response(_view(c, st.now()))


def admin_routes(admin: Blueprint) -> None:
    """``/__admin/staff/<no>`` DELETE (the platform removes a person) and PUT (back);
    ``/__admin/staff-logins/<id>/confirm`` ``{"staffNo": …}`` (the work app's scan)."""

    @admin.delete("/staff/<staff_no>")
    def remove_staff(staff_no: str) -> Response:
        sandbox().staff.removed.add(staff_no)
        return json_response({"staffNo": staff_no, "removed": True})

    @admin.put("/staff/<staff_no>")
    def restore_staff(staff_no: str) -> Response:
        sandbox().staff.removed.discard(staff_no)
        return json_response({"staffNo": staff_no, "removed": False})

    @admin.post("/staff-logins/<challenge_id>/confirm")
    def confirm_staff_login(challenge_id: str) -> Response:
        st = sandbox()
        data = request.get_json(silent=True) or {}
        staff_no = str(data.get("staffNo", ""))
        c = st.staff.challenges.get(challenge_id)
        if c is None:
            raise Problem(404, "STAFF_LOGIN_NOT_FOUND", "no such log-in challenge",
                          retryable=False)
        view = _view(c, st.now())
        if view["status"] != "PENDING":
            raise Problem(409, "STAFF_LOGIN_CLOSED", "the challenge is no longer open",
                          view["status"], retryable=False)
        if st.staff.may_log_in(staff_no, c.hall, c.role):
            c.status, c.staff_no = "CONFIRMED", staff_no
        else:
            c.status = "DENIED"  # the work app refuses: not staff of this hall / role
        return json_response(_view(c, st.now()))
