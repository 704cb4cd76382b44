"""办件查询 and 补齐补正: the status of earlier cases, and materials sent to a case asked to
supplement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.privacy import mask_id_number
from kiosk.qr_payload import PayloadKind, classify
from kiosk.session import effects as fx
from kiosk.session.effects import ResultKind
from kiosk.session.events import (
    Action,
    CaptureDone,
    CardFailed,
    CardRead,
    Event,
    NetworkResult,
    QrScanned,
    Tap,
)
from kiosk.session.identity import CARD_RETRY_CODES
from kiosk.session.model import SubmitOutcome
from kiosk.session.states import State
from kiosk.session.steps.materials import on_materials
from kiosk.session.supplement_receipt import handle_supplement_print, supplement_submitted

if TYPE_CHECKING:
    from kiosk.session.machine import SessionMachine


def on_status_query(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d = m.data
    if isinstance(e, CardRead):
        d.citizen = e.citizen
        m.state = State.STATUS_RESULT
        return [fx.StopReading(), fx.QueryStatus(citizen=e.citizen),
                m.audit("citizen.status_queried", by="idcard",
                           certNo=mask_id_number(e.citizen.cert_no))]
    if isinstance(e, QrScanned):
        payload = classify(e.text)
        if payload.kind is PayloadKind.RECEIPT:
            m.state = State.STATUS_RESULT
            return [fx.StopReading(), fx.QueryStatus(ref=payload.ref,
                                                     password=payload.password),
                    m.audit("citizen.status_queried", by="receipt_qr")]
        d.message = "qr_unknown"
        return [fx.ReadCard()]  # the scan ended this round: keep waiting for card or code
    if isinstance(e, CardFailed):
        d.message = e.code
        return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
    if isinstance(e, Tap) and e.action is Action.BACK:
        return m.back()
    return []


def on_status_result(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d = m.data
    if d.supplement_pending and isinstance(e, (CardRead, CardFailed, NetworkResult)):
        return identify_for_supplement(m, e)
    if isinstance(e, NetworkResult) and e.op is ResultKind.STATUS:
        if e.ok:
            d.status_result = e.value if isinstance(e.value, dict) else {"items": e.value}
            if m.desk.role:  # staff looked on the citizen's behalf: at which cases
                ids = [str(i.get("applicationId", "")) for i in
                       d.status_result.get("items") or () if isinstance(i, dict)]
                return [m.audit("citizen.status_viewed", applications=ids[:20])]
        else:
            d.status_error = e.error or "status_failed"
        return []
    if isinstance(e, Tap) and e.action is Action.START_SUPPLEMENT:
        case = next((c for c in m.supplementable() if c["applicationId"] == e.value),
                    None)
        if case is None:
            return []
        if d.citizen is None:  # found by the receipt QR: the applicant's card first
            if d.supplement_pending and not d.message:
                return []  # already waiting for the card
            d.supplement_pending, d.message = case["applicationId"], ""
            return [fx.ReadCard()]
        return start_supplement(m, case)
    if isinstance(e, Tap) and e.action is Action.BACK:
        return m.end("finished")
    return []


def start_supplement(m: SessionMachine, case: dict[str, Any]) -> list[fx.Effect]:
    d = m.data
    d.supplement = case
    d.matter_code = case["implCode"]
    d.pages, d.material_code, d.capture_problem = {}, "", ""
    return m.forward(m.audit("citizen.supplement_started", implCode=case["implCode"]))


def identify_for_supplement(m: SessionMachine, e: Event) -> list[fx.Effect]:
    """A case found by the receipt QR is supplemented by its applicant only: the card laid
    on the reader is looked up like a card query, and the case must be among that
    person's cases; anyone else is told so and the case stays as the QR showed it."""
    d = m.data
    if isinstance(e, CardRead):
        d.citizen, d.message = e.citizen, ""
        return [fx.StopReading(), fx.QueryStatus(citizen=e.citizen),
                m.audit("citizen.status_queried", by="idcard",
                        certNo=mask_id_number(e.citizen.cert_no))]
    if isinstance(e, CardFailed):
        d.message = e.code
        return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
    if not (isinstance(e, NetworkResult) and e.op is ResultKind.STATUS):
        return []
    wanted, shown = d.supplement_pending, d.status_result
    d.supplement_pending = ""
    if e.ok:
        d.status_result = e.value if isinstance(e.value, dict) else {"items": e.value}
        case = next((c for c in m.supplementable() if c["applicationId"] == wanted), None)
        if case is not None:
            return start_supplement(m, case)
    d.status_result, d.citizen = shown, None  # not the applicant: forget the card
    d.message = "not_the_applicant" if e.ok else (e.error or "status_failed")
    return []


def on_supplement(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d = m.data
    assert d.supplement is not None
    if isinstance(e, NetworkResult) and e.op is ResultKind.SUPPLEMENT:
        d.supplement_sending = False
        if not e.ok or not isinstance(e.value, SubmitOutcome):
            d.supplement_error = e.error or "submit_failed"  # nothing stored: try again
            return []
        d.supplement_outcome = e.value
        m.last_activity = m.clock()
        return m.forward(m.audit(
            "application.supplemented", implCode=d.supplement["implCode"],
            reference=e.value.client_application_id, delivered=e.value.delivered),
            *supplement_submitted(m))
    if d.supplement_sending:
        return []  # nothing interrupts the sending
    if isinstance(e, CaptureDone) or (isinstance(e, Tap) and e.action in (
            Action.SELECT_MATERIAL, Action.CAPTURE, Action.DELETE_PAGE)):
        return on_materials(m, e)
    if not isinstance(e, Tap):
        return []
    if e.action in (Action.NEXT, Action.CONFIRM, Action.RETRY):
        missing = [c for c in m.materials_to_capture() if not d.pages.get(c)]
        if missing:
            d.message = "materials_missing"
            return []
        files = {code: [bytes(p.jpeg) for p in pages] for code, pages in d.pages.items()
                 if pages and code in m.materials_to_capture()}
        d.supplement_sending, d.supplement_error = True, ""
        return [fx.StopPreview(),
                fx.SubmitSupplement(d.supplement["applicationId"], files),
                fx.Speak("submitting")]
    if e.action is Action.BACK:
        effects = m.back()  # to the status result (navigation map)
        for pages in d.pages.values():
            for page in pages:
                page.wipe()
        d.pages, d.supplement, d.matter_code = {}, None, ""
        return effects
    return []


def on_supplement_done(m: SessionMachine, e: Event) -> list[fx.Effect]:
    printing = handle_supplement_print(m, e)  # 补正回执: its outcome and 重新打印
    if printing is not None:
        return printing
    if isinstance(e, Tap) and e.action in (Action.NEXT, Action.FINISH):
        return m.end("finished")
    return []
