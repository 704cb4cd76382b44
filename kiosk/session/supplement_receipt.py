"""补正回执: once a supplement (补齐补正) is stored, its receipt prints on the receipt printer,
masked like the 收件回执 (kiosk.receipts.templates.supplement_receipt).

Used by the query steps (``steps.query``): ``supplement_submitted`` adds the print effect
when the supplement is stored; ``handle_supplement_print`` takes the outcome
(``ResultKind.PRINT_SUPPLEMENT``) and the retry tap on the SUPPLEMENT_DONE screen. A receipt printer
that cannot print leaves the case number on the screen: the supplement is stored anyway.
"""

from __future__ import annotations

from typing import Any

from kiosk.device_roles import RECEIPT_PRINTER
from kiosk.session import effects as fx
from kiosk.session.a4 import MachineView
from kiosk.session.events import Action, Event, NetworkResult, Tap
from kiosk.session.results import ResultKind
from kiosk.session.states import State


def supplement_receipt_content(m: MachineView) -> dict[str, Any]:
    """What the 补正回执 states (the template masks the applicant)."""
    d = m.data
    assert d.supplement is not None and d.supplement_outcome is not None
    citizen = d.citizen
    return {
        "applicantName": citizen.name if citizen else "",
        "applicantCertNo": citizen.cert_no if citizen else "",
        "matterName": str(d.supplement.get("matterName") or d.supplement.get("implCode", "")),
        "applicationId": str(d.supplement.get("applicationId", "")),
        "reason": str(d.supplement.get("reason", "")),
        "materials": [(m._asked_name(code), len(pages)) for code, pages in d.pages.items()
                      if pages],
        "reference": d.supplement_outcome.client_application_id,
        "delivered": d.supplement_outcome.delivered,
    }


def supplement_submitted(m: MachineView) -> list[fx.Effect]:
    """The supplement is stored: print its receipt (unless the receipt printer is out)."""
    d = m.data
    problem = m.device_problems.get(RECEIPT_PRINTER)
    if problem:
        d.supplement_printing, d.supplement_print_error = False, f"{RECEIPT_PRINTER}:{problem}"
        return []
    d.supplement_printing, d.supplement_print_error = True, ""
    return [fx.PrintSupplementReceipt(supplement_receipt_content(m))]


def handle_supplement_print(m: MachineView, event: Event) -> list[fx.Effect] | None:
    """The 补正回执's outcome and its retry tap; None for every other event."""
    d = m.data
    if isinstance(event, NetworkResult) and event.op is ResultKind.PRINT_SUPPLEMENT:
        d.supplement_printing = False
        d.supplement_printed = event.ok
        d.supplement_print_error = "" if event.ok else (event.error or "print_failed")
        if not event.ok or d.supplement_outcome is None:
            return []
        return [fx.Speak("take_receipt"), m.audit(
            "receipt.supplement_printed",
            reference=d.supplement_outcome.client_application_id)]
    if (isinstance(event, Tap) and event.action is Action.RETRY
            and m.state is State.SUPPLEMENT_DONE and d.supplement_outcome is not None):
        m.last_activity = m.clock()
        if d.supplement_printing or d.supplement_printed:
            return []
        return supplement_submitted(m)
    return None
