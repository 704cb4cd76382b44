"""The kinds of outcome that come back to the session machine as ``NetworkResult``: one
closed enum for the citizen's effects (``ResultKind``) and one for the staff and technician
operations (``DeskOp``). A misspelt kind is a type error, and a string that names no kind
is refused when the event is made, never silently ignored by every state."""

from __future__ import annotations

from enum import StrEnum


class ResultKind(StrEnum):
    """The outcome of one citizen-side effect (the effect class names its kind:
    ``kiosk.session.effects``), or a fact read once at start."""

    EID = "eid"  # VerifyEid: the Citizen the platform says the e-ID code belongs to
    FACE = "face"  # VerifyFace: the matcher's FaceOutcome
    PREFILL = "prefill"  # FetchPrefill: {field: PrefillValue}
    SUBMIT = "submit"  # Submit: SubmitOutcome
    PRINT = "print"  # PrintReceipt: the printer's outcome
    PRINT_A4 = "print_a4"  # PrintA4: the document printer's job
    PRINT_SUPPLEMENT = "print_supplement"  # PrintSupplementReceipt: the printer's outcome
    STATUS = "status"  # QueryStatus: the platform's status answer
    SUPPLEMENT = "supplement"  # SubmitSupplement: SubmitOutcome
    HELP = "help"  # CallHelp: {requestId, ticketNo, status}
    PAYMENT_CREATED = "payment_created"  # CreatePayment: the payment order
    PAYMENT_STATUS = "payment_status"  # PollPayment: the order's state
    OUT_OF_SERVICE = "out_of_service"  # read once at start: did a technician take it out


class DeskOp(StrEnum):
    """Staff and technician operations; the value is the ``OperatorServices`` method the
    application layer calls with ``Desk.args``; its result comes back as
    ``NetworkResult(op=DeskOp)``."""

    LOGIN = "login"
    LOGIN_CHALLENGE = "login_challenge"
    LOGIN_POLL = "login_poll"
    RECORD_RECEIPT = "record_receipt"
    RECENT_RECEIPTS = "recent_receipts"
    REPRINT = "reprint"
    QUEUE_ENTRIES = "queue_entries"
    QUEUE_RETRY = "queue_retry"
    QUEUE_VOID = "queue_void"
    QUEUE_SYNC = "queue_sync"
    DEVICE_REPORTS = "device_reports"
    DEVICE_TEST = "device_test"
    SET_DEVICE_OFFLINE = "set_device_offline"
    EXPORT_DIAGNOSTICS = "export_diagnostics"
    SET_OUT_OF_SERVICE = "set_out_of_service"


ResultOp = ResultKind | DeskOp
"""What a ``NetworkResult`` is the outcome of."""


def result_op(name: str) -> ResultOp:
    """The kind a string names (tests and old callers write ``"prefill"``); ValueError when
    it names none: a typo fails where it is made."""
    if isinstance(name, (ResultKind, DeskOp)):
        return name
    try:
        return ResultKind(name)
    except ValueError:
        pass
    try:
        return DeskOp(name)
    except ValueError:
        raise ValueError(f"no result kind {name!r}") from None
