"""The home screen and identification: the ID card, the e-ID code, the receipt QR (a status
query), and the face check (人证比对)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kiosk.privacy import mask_id_number
from kiosk.qr_payload import PayloadKind, classify
from kiosk.session import effects as fx
from kiosk.session.effects import ResultKind
from kiosk.session.events import (
    Action,
    CardFailed,
    CardRead,
    Event,
    NetworkResult,
    QrScanned,
    Tap,
)
from kiosk.session.gating import (
    APPLY,
    QUERY,
)
from kiosk.session.identity import CARD_RETRY_CODES
from kiosk.session.model import Citizen
from kiosk.session.states import State

if TYPE_CHECKING:
    from kiosk.session.machine import SessionMachine


def on_attract(m: SessionMachine, e: Event) -> list[fx.Effect]:
    services = m.services()
    if isinstance(e, Tap):
        if m.farewell_pending:
            m.close_farewell()  # the first touch clears the thank-you, nothing more
            return []
        if e.action is Action.TOGGLE_ELDERLY:
            m.elderly = not m.elderly
        elif e.action is Action.SET_LANGUAGE and e.value in ("zh_CN", "en"):
            m.language = str(e.value)
        elif e.action is Action.START_APPLY and not services[APPLY]:
            return m.go(State.IDENTIFY)
        elif e.action is Action.START_QUERY and not services[QUERY]:
            return m.go(State.STATUS_QUERY)
        elif e.action is Action.STAFF_ENTRY:
            m.desk.wipe()
            return m.go(State.LOGIN, fx.StopReading())
    elif isinstance(e, QrScanned):
        payload = classify(e.text)
        if payload.kind is PayloadKind.RECEIPT and not services[QUERY]:
            m.state = State.STATUS_RESULT
            return [fx.StopReading(),
                    fx.QueryStatus(ref=payload.ref, password=payload.password),
                    m.audit("citizen.status_queried", by="receipt_qr")]
        return [fx.WatchQr()]  # not ours (an appointment code…): keep listening
    return []


def on_identify(m: SessionMachine, e: Event) -> list[fx.Effect]:
    if isinstance(e, CardRead):
        agent = m.data.agent
        if agent and e.citizen.cert_no == agent["certNo"]:
            m.data.message = "applicant_is_agent"  # 代办: the applicant's own card
            return [fx.ReadCard()]
        m.data.citizen = e.citizen
        return m.forward(m.staff.identified())
    if isinstance(e, CardFailed):
        m.data.message = e.code
        return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
    if isinstance(e, QrScanned):
        return identify_qr(m, e.text)
    if isinstance(e, NetworkResult) and e.op is ResultKind.EID:
        return eid_result(m, e)
    if isinstance(e, Tap):
        if e.action is Action.BACK:
            return m.back()
        if e.action is Action.RETRY:
            m.data.message = ""
            return [fx.ReadCard()]
        if e.action is Action.MANUAL_ENTRY and m.desk.role == "staff":
            m.data.manual = {"certType": "RESIDENT_ID_CARD"}
            return m.go(State.MANUAL_ID, fx.StopReading())
    return []


def identify_qr(m: SessionMachine, text: str) -> list[fx.Effect]:
    """A code on the identify screen: an e-ID code goes to the platform; anything else
    is named plainly and the card reading goes on (the scan ended this round)."""
    d = m.data
    if d.eid_checking:
        return []
    payload = classify(text)
    if payload.kind is PayloadKind.EID and not d.agent:
        d.eid_checking, d.message = True, "eid_checking"
        return [fx.StopReading(), fx.VerifyEid(payload.text)]
    d.message = {PayloadKind.RECEIPT: "qr_is_receipt",
                 PayloadKind.APPOINTMENT: "qr_is_appointment"}.get(payload.kind,
                                                                   "qr_not_identity")
    return [fx.ReadCard()]


def eid_result(m: SessionMachine, e: NetworkResult) -> list[fx.Effect]:
    d = m.data
    d.eid_checking = False
    if e.ok and isinstance(e.value, Citizen):
        d.citizen = e.value
        return m.forward(m.staff.identified())
    d.message = e.error if e.error in ("eid_expired", "eid_invalid") else "eid_unavailable"
    return [fx.ReadCard(), m.audit("citizen.eid_refused", reason=d.message)]


def start_face(m: SessionMachine) -> list[fx.Effect]:
    d = m.data
    if d.face_status == "to_staff" or d.citizen is None:
        return []
    d.face_status, d.face_reason = "running", ""
    return [fx.VerifyFace(d.citizen.cert_type, d.citizen.cert_no)]


def on_face_check(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d = m.data
    if isinstance(e, NetworkResult) and e.op is ResultKind.FACE and d.face_status == "running":
        return face_result(m, e)
    if not isinstance(e, Tap):
        return []
    if e.action is Action.RETRY and d.face_status in ("failed", "unavailable"):
        return start_face(m)
    if e.action is Action.SKIP and m.face_level() == "optional" \
            and d.face_status != "to_staff":
        d.face_skipped = True
        return m.forward()
    if e.action is Action.BACK:
        d.face_status = "" if d.face_status != "to_staff" else d.face_status
        return m.back()
    return []


def face_result(m: SessionMachine, e: NetworkResult) -> list[fx.Effect]:
    d = m.data
    assert d.citizen is not None
    decision = getattr(e.value, "decision", "") if e.ok else ""
    if decision == "MATCH":
        d.citizen = replace(d.citizen, method="IDCARD_FACE")
        d.face_status = "matched"
        return m.forward(m.audit("citizen.face_verified",
                                       certNo=mask_id_number(d.citizen.cert_no),
                                       attempt=d.face_attempts + 1))
    if not e.ok:  # no camera picture, or the platform did not answer: not the citizen's fault
        d.face_reason = e.error or "face_unavailable"
        # Without a face camera a required check cannot happen here: staff take over.
        no_camera = d.face_reason == "camera_unavailable" and m.face_level() == "required"
        d.face_status = "to_staff" if no_camera else "unavailable"
        return [fx.Speak("face_to_staff")] if no_camera else []
    d.face_attempts += 1
    d.face_reason = decision or "NO_MATCH"
    final = d.face_attempts >= m.face_attempts or decision == "NO_REFERENCE"
    d.face_status = "to_staff" if final else "failed"
    audit = m.audit("citizen.face_failed", decision=d.face_reason,
                       attempt=d.face_attempts, final=final)
    return [audit, fx.Speak("face_to_staff" if final else "face_retry")]
