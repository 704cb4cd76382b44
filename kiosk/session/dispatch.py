"""Which handler serves which state, and which results each state takes: the machine's
dispatch as data. Every ``State`` has exactly one entry (a test checks it, and that every
result kind is taken by some state or by the machine itself); a result arriving in a state
that does not take its kind is dropped before any handler sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.session import effects as fx
from kiosk.session.events import Event
from kiosk.session.results import DeskOp, ResultKind, ResultOp
from kiosk.session.states import State
from kiosk.session.steps import apply, finish, identify, materials, payment, query

if TYPE_CHECKING:
    from kiosk.session.machine import SessionMachine

Handler = Callable[["SessionMachine", Event], list[fx.Effect]]


@dataclass(frozen=True)
class On:
    """A state's handler and the result kinds it takes."""

    handler: Handler
    results: frozenset[ResultOp] = frozenset()


def _on(handler: Handler, *results: ResultOp) -> On:
    return On(handler, frozenset(results))


HANDLERS: dict[State, On] = {
    # home and identification (steps.identify)
    State.ATTRACT: _on(identify.on_attract),
    State.IDENTIFY: _on(identify.on_identify, ResultKind.EID),
    State.FACE_CHECK: _on(identify.on_face_check, ResultKind.FACE),
    # the application (steps.apply)
    State.CHOOSE_MATTER: _on(apply.on_choose_matter),
    State.GUIDE: _on(apply.on_guide),
    State.CONSENT: _on(apply.on_consent),
    State.FORM: _on(apply.on_form, ResultKind.PREFILL),
    State.DELIVERY: _on(apply.on_delivery),
    State.REVIEW: _on(apply.on_review),
    # materials (steps.materials)
    State.MATERIALS: _on(materials.on_materials),
    State.PROMISE: _on(materials.on_promise),
    # payment (steps.payment)
    State.PAYMENT: _on(payment.on_payment, ResultKind.PAYMENT_CREATED,
                       ResultKind.PAYMENT_STATUS),
    # submit, receipt, rating (steps.finish)
    State.SUBMITTING: _on(finish.on_submitting, ResultKind.SUBMIT),
    State.RECEIPT: _on(finish.on_receipt, ResultKind.PRINT, ResultKind.PRINT_A4),
    State.RATING: _on(finish.on_rating),
    # status query and supplements (steps.query)
    State.STATUS_QUERY: _on(query.on_status_query),
    State.STATUS_RESULT: _on(query.on_status_result, ResultKind.STATUS),
    State.SUPPLEMENT: _on(query.on_supplement, ResultKind.SUPPLEMENT),
    State.SUPPLEMENT_DONE: _on(query.on_supplement_done, ResultKind.PRINT_SUPPLEMENT),
    # staff and technician (the machine's StaffDesk)
    State.LOGIN: _on(lambda m, e: m.staff.on_login(e), DeskOp.LOGIN, DeskOp.LOGIN_CHALLENGE,
                     DeskOp.LOGIN_POLL),
    State.STAFF_MENU: _on(lambda m, e: m.staff.on_staff_menu(e)),
    State.AGENT: _on(lambda m, e: m.staff.on_agent(e)),
    State.MANUAL_ID: _on(lambda m, e: m.staff.on_manual_id(e)),
    State.STAFF_QUEUE: _on(lambda m, e: m.staff.on_staff_queue(e), DeskOp.QUEUE_ENTRIES,
                           DeskOp.QUEUE_RETRY, DeskOp.QUEUE_VOID, DeskOp.QUEUE_SYNC),
    State.STAFF_REPRINT: _on(lambda m, e: m.staff.on_staff_reprint(e), DeskOp.RECENT_RECEIPTS),
    State.TECH_MENU: _on(lambda m, e: m.staff.on_tech_menu(e), DeskOp.DEVICE_REPORTS,
                         DeskOp.SET_OUT_OF_SERVICE, DeskOp.SET_DEVICE_OFFLINE,
                         DeskOp.DEVICE_TEST),
}

IN_ANY_STATE: frozenset[ResultOp] = frozenset({ResultKind.HELP, ResultKind.OUT_OF_SERVICE,
                                              *DeskOp})
"""Results the machine takes whatever the state: the help request's number, the kiosk's
out-of-service flag read at start, and every desk operation's end (busy, the notice)."""
