"""打印A4文书: the citizen's A4 copy of a confirmed application (the form, the 承诺书 where one
was signed, the 受理通知) on the ``document_printer``, when they ask on the receipt screen.

Called first by the receipt step (``steps.finish.on_receipt``; kiosk.session.dispatch routes
the job's outcome, ``ResultKind.PRINT_A4``, to that state): the tap ``Action.PRINT_A4`` and
the outcome. The copy is
offered only where the kiosk has a document printer (kiosk.availability.optional_offered);
while it cannot print (paper out, jam) the button is greyed with the reason, and nothing
else changes: the receipt stays on the receipt printer and 办理业务 is never greyed for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from kiosk.availability import optional_offered
from kiosk.catalog import Material, Matter
from kiosk.device_roles import DOCUMENT_PRINTER
from kiosk.session import effects as fx
from kiosk.session.events import Action, Event, NetworkResult, Tap
from kiosk.session.model import DeskData, SessionData
from kiosk.session.results import ResultKind
from kiosk.session.states import State


class MachineView(Protocol):
    """What these hooks use of kiosk.session.machine.SessionMachine (no import: no cycle)."""

    data: SessionData
    desk: DeskData
    device_problems: dict[str, str]
    clock: Callable[[], float]
    last_activity: float
    warning_left: int | None

    @property
    def state(self) -> State: ...

    @property
    def matter(self) -> Matter | None: ...

    def promised_materials(self) -> list[Material]: ...

    def audit(self, event: str, **details: Any) -> fx.Audit: ...

    def _asked_name(self, code: str) -> str: ...


def a4_offer(m: MachineView) -> tuple[bool, str]:
    """(shown, problem): the A4 button is shown on the receipt screen when the kiosk has a
    document printer; ``problem`` (a fault code) greys it."""
    if m.state is not State.RECEIPT or m.data.outcome is None:
        return False, ""
    return optional_offered(DOCUMENT_PRINTER, m.device_problems)


def a4_copy(m: MachineView) -> fx.PrintA4:
    """The effect that prints the copy: what the receipt states, the application as
    submitted (for the 承诺书's digest), the form answers with their titles, the promises."""
    from kiosk.a4_documents import A4Copy, form_answers
    from kiosk.channels import CHANNEL_SELF_SERVICE, CHANNEL_STAFF
    from kiosk.session import bundle
    from kiosk.session.application import build_application, receipt_content

    d, matter = m.data, m.matter
    assert matter is not None and d.outcome is not None
    channel = CHANNEL_STAFF if m.desk.role == "staff" else CHANNEL_SELF_SERVICE
    application = build_application(matter, d, channel)
    promised = m.promised_materials()
    promises = tuple(fx.PromiseDoc(x.code, x.name, x.promise_text, tuple(d.signature))
                     for x in promised)
    return fx.PrintA4(A4Copy(
        receipt=receipt_content(matter, d), application=application,
        form=form_answers(bundle.form_schema(matter, d.form), application.get("form") or {}),
        department=matter.department, promises=promises))


def handle_a4(m: MachineView, event: Event) -> list[fx.Effect] | None:
    """The A4 copy's taps and outcome; None for every other event (the machine goes on)."""
    d = m.data
    if isinstance(event, NetworkResult) and event.op is ResultKind.PRINT_A4:
        d.a4_printing = False
        d.a4_printed = event.ok
        d.a4_error = "" if event.ok else (event.error or "print_failed")
        if not event.ok or d.outcome is None:
            return []
        return [m.audit("document.printed", reference=d.outcome.client_application_id,
                        pages=getattr(event.value, "pages", 0))]
    if not (isinstance(event, Tap) and event.action is Action.PRINT_A4):
        return None
    m.last_activity = m.clock()
    m.warning_left = None
    shown, problem = a4_offer(m)
    if not shown or d.a4_printing:
        return []
    if problem:
        d.a4_error = f"{DOCUMENT_PRINTER}:{problem}"
        return []
    d.a4_printing, d.a4_printed, d.a4_error = True, False, ""
    return [a4_copy(m)]
