"""What the machine asks the application layer to do. The outcome comes back as an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from kiosk.a4_documents import A4Copy
from kiosk.session.model import Citizen
from kiosk.session.results import DeskOp, ResultKind

__all__ = ["DeskOp", "ResultKind"]  # DeskOp is imported from here too


@dataclass(frozen=True)
class ReadCard:
    """Wait for an ID card (and a QR on the scanner) until cancelled."""


@dataclass(frozen=True)
class StopReading:
    pass


@dataclass(frozen=True)
class WatchQr:
    """On the home screen: listen for a receipt QR on the scanner (status query)."""


@dataclass(frozen=True)
class VerifyFace:
    """Run one face-check attempt on the face camera (preview, liveness challenge, the
    matcher's comparison); the outcome comes back as ``NetworkResult(ResultKind.FACE)``."""

    result: ClassVar[ResultKind] = ResultKind.FACE  # its outcome comes back as this

    cert_type: str
    cert_no: str

    def __repr__(self) -> str:
        return "VerifyFace(<hidden>)"


@dataclass(frozen=True)
class StopFace:
    """Cancel a running face check (the citizen left the step); its images are dropped."""


@dataclass(frozen=True)
class VerifyEid:
    """Ask the platform whose e-ID code this is: ``NetworkResult(ResultKind.EID)`` with a
    Citizen."""

    result: ClassVar[ResultKind] = ResultKind.EID  # its outcome comes back as this

    code: str

    def __repr__(self) -> str:
        return "VerifyEid(<hidden>)"


@dataclass(frozen=True)
class FetchPrefill:
    result: ClassVar[ResultKind] = ResultKind.PREFILL  # its outcome comes back as this

    impl_code: str
    citizen: Citizen
    consent_id: str


@dataclass(frozen=True)
class StartPreview:
    material_code: str


@dataclass(frozen=True)
class StopPreview:
    pass


@dataclass(frozen=True)
class CapturePage:
    material_code: str


@dataclass(frozen=True)
class PromiseDoc:
    """告知承诺: one material replaced by the applicant's signed 承诺书 (made into a PDF on the
    worker: kiosk.promise)."""

    material_code: str
    material_name: str
    text: str
    strokes: tuple[tuple[tuple[float, float], ...], ...]

    def __repr__(self) -> str:
        return f"PromiseDoc({self.material_code}, <signature>)"


@dataclass(frozen=True)
class Submit:
    result: ClassVar[ResultKind] = ResultKind.SUBMIT  # its outcome comes back as this

    application: dict[str, Any]  # the contract's application object, minus client id/time
    files: dict[str, list[bytes]]  # materialCode → page JPEGs (one PDF per material is built)
    promises: tuple[PromiseDoc, ...] = ()

    def __repr__(self) -> str:  # citizen and agent data stay out of tracebacks and logs
        return f"Submit({self.application.get('implCode')}, {len(self.files)} materials)"


@dataclass(frozen=True)
class PrintReceipt:
    result: ClassVar[ResultKind] = ResultKind.PRINT  # its outcome comes back as this

    receipt: dict[str, Any]

    def __repr__(self) -> str:
        return "PrintReceipt(<hidden>)"


@dataclass(frozen=True)
class PrintA4:
    """打印A4文书: the citizen's copy as one PDF job on the document printer
    (its outcome: the printed job)."""

    result: ClassVar[ResultKind] = ResultKind.PRINT_A4

    copy: A4Copy

    def __repr__(self) -> str:
        return "PrintA4(<hidden>)"


@dataclass(frozen=True)
class PrintSupplementReceipt:
    """补正回执 on the receipt printer."""

    result: ClassVar[ResultKind] = ResultKind.PRINT_SUPPLEMENT

    receipt: dict[str, Any]

    def __repr__(self) -> str:
        return "PrintSupplementReceipt(<hidden>)"


@dataclass(frozen=True)
class SendRating:
    evaluation: dict[str, Any]


@dataclass(frozen=True)
class QueryStatus:
    result: ClassVar[ResultKind] = ResultKind.STATUS  # its outcome comes back as this

    citizen: Citizen | None = None
    ref: str = ""
    password: str = ""

    def __repr__(self) -> str:  # the query password opens the case
        return "QueryStatus(<hidden>)"


@dataclass(frozen=True)
class SubmitSupplement:
    """补齐补正: the asked-for materials to an application, through the offline queue
    (NetworkResult "supplement" with a SubmitOutcome)."""

    result: ClassVar[ResultKind] = ResultKind.SUPPLEMENT  # its outcome comes back as this

    application_id: str
    files: dict[str, list[bytes]]  # materialCode → page JPEGs

    def __repr__(self) -> str:
        return f"SubmitSupplement({len(self.files)} materials)"


@dataclass(frozen=True)
class CallHelp:
    """呼叫帮办: the kiosk asks the platform for staff (NetworkResult "help"); the step only."""

    result: ClassVar[ResultKind] = ResultKind.HELP  # its outcome comes back as this

    step: str


@dataclass(frozen=True)
class HelpHandled:
    """Staff logged in at the kiosk: the open help request is handled."""

    request_id: str


@dataclass(frozen=True)
class CreatePayment:
    """统一公共支付: a payment order for the matter's fee (NetworkResult "payment_created")."""

    result: ClassVar[ResultKind] = ResultKind.PAYMENT_CREATED  # its outcome comes back as this

    impl_code: str
    amount_fen: int


@dataclass(frozen=True)
class PollPayment:
    """Ask the order's state on a worker, waiting up to ``wait_s`` for it to change
    (NetworkResult "payment_status")."""

    result: ClassVar[ResultKind] = ResultKind.PAYMENT_STATUS  # its outcome comes back as this

    payment_id: str
    wait_s: float = 3.0


@dataclass(frozen=True)
class CancelPayment:
    """Cancel an unpaid order (the citizen went back, paid at the window, or left)."""

    payment_id: str


@dataclass(frozen=True)
class Speak:
    key: str  # a prompt key; the UI turns it into words in the current language


@dataclass(frozen=True)
class SessionEnded:
    reason: str  # "finished" | "idle" | "declined" …


@dataclass(frozen=True)
class Audit:
    """Append to the audit log (DESIGN §7): every access to citizen data and every staff or
    technician action. ``details`` are masked already."""

    event: str  # an id declared in kiosk.audit_events
    actor: str  # citizen | staff | technician | kiosk; a person: "staff:<staff number>"
    details: dict[str, Any]


@dataclass(frozen=True)
class Desk:
    op: DeskOp
    args: tuple[Any, ...] = ()

    @property
    def result(self) -> DeskOp:
        """Its outcome comes back as ``NetworkResult(op=self.op)``."""
        return self.op

    def __repr__(self) -> str:  # the login's PIN and a receipt's data stay out of logs
        return f"Desk({self.op.value})"


Effect = (ReadCard | StopReading | WatchQr | VerifyFace | StopFace | VerifyEid | FetchPrefill
          | StartPreview | StopPreview | CapturePage | Submit | PrintReceipt | SendRating
          | QueryStatus | Speak | SessionEnded | Audit | Desk | CreatePayment | PollPayment
          | CancelPayment | SubmitSupplement | CallHelp | HelpHandled | PrintA4
          | PrintSupplementReceipt)

Asks = (VerifyFace | VerifyEid | FetchPrefill | Submit | PrintReceipt | QueryStatus
        | SubmitSupplement | CallHelp | CreatePayment | PollPayment | Desk | PrintA4
        | PrintSupplementReceipt)
"""The effects whose outcome comes back as a ``NetworkResult``: each names its kind
(``result``), so whoever runs it reports the outcome under that kind and no other."""
