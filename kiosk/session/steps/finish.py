"""Submitting, the receipt and the rating (好差评)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.channels import CHANNEL_SELF_SERVICE, CHANNEL_STAFF
from kiosk.device_roles import RECEIPT_PRINTER
from kiosk.ratings import BAD_RATINGS, BAD_REASONS, RATINGS
from kiosk.session import effects as fx
from kiosk.session.a4 import handle_a4
from kiosk.session.application import (
    build_application,
    receipt_content,
)
from kiosk.session.effects import DeskOp, ResultKind
from kiosk.session.events import (
    Action,
    Event,
    NetworkResult,
    Tap,
)
from kiosk.session.model import SubmitOutcome
from kiosk.session.states import State

if TYPE_CHECKING:
    from kiosk.session.machine import SessionMachine


def submit(m: SessionMachine) -> list[fx.Effect]:
    d, matter = m.data, m.matter
    assert matter is not None
    promised = m.promised_materials()
    # 一件事: of the chosen sub-matters; a promised material goes as its 承诺书 instead
    wanted = set(m.materials_to_capture()) - {x.code for x in promised}
    files = {code: [bytes(p.jpeg) for p in pages] for code, pages in d.pages.items()
             if pages and code in wanted}
    promises = tuple(fx.PromiseDoc(x.code, x.name, x.promise_text, tuple(d.signature))
                     for x in promised)
    m.state = State.SUBMITTING
    channel = CHANNEL_STAFF if m.desk.role == "staff" else CHANNEL_SELF_SERVICE
    return [fx.Submit(build_application(matter, d, channel), files, promises),
            fx.Speak("submitting")]


def on_submitting(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d, matter = m.data, m.matter
    assert matter is not None
    if isinstance(e, NetworkResult) and e.op is ResultKind.SUBMIT:
        if not e.ok or not isinstance(e.value, SubmitOutcome):
            # Nothing was stored (e.g. the queue refused: disk full): say so, allow retry.
            d.submit_error = e.error or "submit_failed"
            m.state = State.REVIEW
            return []
        d.outcome = e.value
        m.last_activity = m.clock()
        receipt = receipt_content(matter, d)
        confirmed = m.audit(
            "application.confirmed", reference=d.outcome.client_application_id,
            implCode=matter.code, delivered=d.outcome.delivered,
            agentKind=d.agent["kind"] if d.agent else None)
        # Kept (masked, encrypted) first, so staff can reprint it if the printer fails.
        return [confirmed, fx.Desk(DeskOp.RECORD_RECEIPT, (receipt,)),
                *m.go(State.RECEIPT), *print_receipt(m, receipt)]
    return []


def print_receipt(m: SessionMachine, receipt: dict[str, object]) -> list[fx.Effect]:
    d = m.data
    if m.device_problems.get(RECEIPT_PRINTER):
        d.printing, d.print_error = False, f"{RECEIPT_PRINTER}:" + m.device_problems[
            RECEIPT_PRINTER]
        return []
    d.printing, d.print_error = True, ""
    return [fx.PrintReceipt(receipt)]


def on_receipt(m: SessionMachine, e: Event) -> list[fx.Effect]:
    a4 = handle_a4(m, e)  # 打印A4文书: its tap and the job's outcome (kiosk.session.a4)
    if a4 is not None:
        return a4
    d, matter = m.data, m.matter
    assert matter is not None
    if isinstance(e, NetworkResult) and e.op is ResultKind.PRINT:
        d.printing = False
        d.printed = e.ok
        d.print_error = "" if e.ok else (e.error or "print_failed")
        if not e.ok:
            return []
        assert d.outcome is not None
        return [fx.Speak("take_receipt"),
                m.audit("receipt.printed", reference=d.outcome.client_application_id)]
    if isinstance(e, Tap):
        if e.action is Action.RETRY and not d.printing:
            return print_receipt(m, receipt_content(matter, d))
        if e.action is Action.NEXT and m.receipt_ready():
            return m.forward()
    return []


def on_rating(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d = m.data
    if not isinstance(e, Tap):
        return []
    if e.action is Action.RATE and e.value in RATINGS:
        d.rating, d.rating_error = str(e.value), ""
        if d.rating not in BAD_RATINGS:
            d.reasons.clear()
    elif e.action is Action.TOGGLE_REASON and e.value in BAD_REASONS:
        d.reasons.symmetric_difference_update({str(e.value)})
        d.rating_error = ""
    elif e.action is Action.CONFIRM:
        if not d.rating:
            d.rating_error = "choose_rating"
            return []
        if d.rating in BAD_RATINGS and not d.reasons:
            d.rating_error = "reasons_required"
            return []
        evaluation = evaluation_of(m)
        return [fx.SendRating(evaluation), *m.end("rated")]
    elif e.action is Action.SKIP:
        return m.end("finished")
    return []


def evaluation_of(m: SessionMachine) -> dict[str, object]:
    d = m.data
    assert d.outcome is not None and d.citizen is not None
    ev: dict[str, object] = {
        "clientApplicationId": d.outcome.client_application_id,
        "channel": "HALL_OTHER_TERMINAL",
        "satisfaction": d.rating,
        "anonymous": False,
        "round": 1,
        "visitsToSite": 1,  # 最多跑一次: this kiosk visit
    }
    if d.reasons:
        ev["reasons"] = sorted(d.reasons)
    if d.outcome.application_id:
        ev["applicationId"] = d.outcome.application_id
    return ev
