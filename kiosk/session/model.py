"""The data of one citizen session. Everything here is wiped when the session ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citizen:
    """Who the citizen is, from the ID card (or a staff-verified entry)."""

    name: str
    cert_no: str
    cert_type: str = "RESIDENT_ID_CARD"  # contract enum (GA/T 2000.156 "111")
    card_type: str = "resident"  # resident | hk_mo_tw_permit | foreign_permanent_2017 | …_2023
    gender_code: str = ""
    birth_date: str = ""
    address: str = ""
    valid_until: str = ""
    # how identified (contract enum): IDCARD | IDCARD_FACE | EID_QR | STAFF_VERIFIED
    method: str = "IDCARD"

    def __repr__(self) -> str:  # never print citizen data by accident (crash output, logs)
        return "Citizen(<hidden>)"


class Page:
    """One captured, corrected page (JPEG). The bytes are zeroed when the session is wiped."""

    def __init__(self, jpeg: bytes, width: int = 0, height: int = 0, thumb: bytes = b"") -> None:
        self.jpeg = bytearray(jpeg)
        self.width, self.height = width, height
        # A small JPEG for the screen, made off the GUI thread (decoding the page is slow).
        self.thumb = bytearray(thumb)

    def wipe(self) -> None:
        for buf in (self.jpeg, self.thumb):
            buf[:] = b"\0" * len(buf)
            buf.clear()

    def __repr__(self) -> str:
        return f"Page({self.width}x{self.height}, {len(self.jpeg)} bytes)"


@dataclass(frozen=True)
class PrefillValue:
    value: Any
    source: str = "PUBLIC_DATA"  # where data sharing got it: shown next to the field
    editable: bool = True


@dataclass
class SubmitOutcome:
    """What the submission path answered: durably stored, delivered or queued."""

    client_application_id: str
    delivered: bool  # True: the platform has it (收件); False: in the offline queue (收件待上传)
    application_id: str = ""
    query_password: str = ""
    status: str = ""


@dataclass(repr=False)  # never print a citizen's data by accident (crash output, logs)
class SessionData:
    citizen: Citizen | None = None
    search: str = ""
    matter_code: str = ""
    consent_id: str = ""
    consented: bool = False
    prefill_loading: bool = False
    prefill: dict[str, PrefillValue] = field(default_factory=dict)
    exempted: set[str] = field(default_factory=set)  # materialCodes satisfied by data sharing
    form: dict[str, Any] = field(default_factory=dict)
    form_errors: dict[str, str] = field(default_factory=dict)
    material_code: str = ""  # the material being photographed
    pages: dict[str, list[Page]] = field(default_factory=dict)
    paper: set[str] = field(default_factory=set)  # camera out: originals shown at the window
    capture_problem: str = ""
    # 告知承诺制: materials replaced by the signed promise, and the signature's strokes
    # (points 0..1 of the pad); in memory only, dropped with the session
    promised: set[str] = field(default_factory=set)
    signature: list[tuple[tuple[float, float], ...]] = field(default_factory=list)
    signature_problem: str = ""
    delivery_mode: str = ""
    address: dict[str, str] = field(default_factory=dict)
    address_errors: dict[str, str] = field(default_factory=dict)
    # 统一公共支付: the order being paid (the contract's PaymentOrder, plus the
    # clientApplicationId minted for it), why it failed, or the fee left for the window.
    payment: dict[str, Any] | None = None
    payment_error: str = ""
    payment_deadline: float = 0.0  # machine clock when the order expires
    pay_later: bool = False
    outcome: SubmitOutcome | None = None
    submit_error: str = ""
    printing: bool = False
    printed: bool = False
    print_error: str = ""
    # 打印A4文书: the A4 copy on the document printer (kiosk.session.a4)
    a4_printing: bool = False
    a4_printed: bool = False
    a4_error: str = ""
    rating: str = ""
    reasons: set[str] = field(default_factory=set)
    rating_error: str = ""
    rated: bool = False
    status_result: dict[str, Any] | None = None
    # 补齐补正: the case being supplemented ({applicationId, implCode, reason, materials}),
    # while it is being sent, and the outcome
    supplement: dict[str, Any] | None = None
    supplement_sending: bool = False
    supplement_outcome: SubmitOutcome | None = None
    supplement_error: str = ""
    # a case found by the receipt QR whose 补正 waits for the applicant's ID card
    supplement_pending: str = ""
    # 补正回执 on the receipt printer (kiosk.session.supplement_receipt)
    supplement_printing: bool = False
    supplement_printed: bool = False
    supplement_print_error: str = ""
    status_error: str = ""
    message: str = ""  # one plain message for the current screen (card lifted, …)
    confirm_finish: bool = False  # 结束办理 was tapped: the kiosk asks before wiping
    # 代办: the contract's Agent object once confirmed, and the values being typed for it
    agent: dict[str, Any] | None = None
    agent_form: dict[str, str] = field(default_factory=dict)
    agent_errors: dict[str, str] = field(default_factory=dict)
    reading_agent_card: bool = False  # staff asked to read the agent's card: one read
    manual: dict[str, str] = field(default_factory=dict)  # identity typed by staff
    manual_errors: dict[str, str] = field(default_factory=dict)
    # 人证比对: "" (not started) | running | failed (retry) | unavailable | to_staff
    face_status: str = ""
    face_reason: str = ""  # the last decision or fault: NO_MATCH, NOT_LIVE, NO_FACE …
    face_attempts: int = 0  # failed comparisons in this session
    face_skipped: bool = False  # optional check: the citizen chose to go on without it
    eid_checking: bool = False  # a scanned e-ID code is with the platform

    def wipe(self) -> None:
        """Drop every reference to citizen data; image bytes are zeroed first."""
        for pages in self.pages.values():
            for page in pages:
                page.wipe()
        fresh = SessionData()
        for name in vars(fresh):
            setattr(self, name, getattr(fresh, name))


@dataclass(repr=False)
class DeskData:
    """The logged-in staff member's or technician's screens. Wiped at logout; holds no
    citizen data (queue and receipt lists carry masked names and codes only)."""

    role: str = ""  # "" = nobody logged in; "staff" | "technician"
    staff_no: str = ""  # the person logged in (staff number); "" with a shared demo PIN
    login_role: str = "staff"  # the role being logged into
    staff_input: str = ""  # the staff number being typed (not a secret: shown)
    login_field: str = "pin"  # what the digit pad types: "staff_no" | "pin"
    pin: str = ""  # digits being typed: never shown, cleared as soon as they are sent
    qr: dict[str, str] | None = None  # the QR log-in shown: challengeId, qrText, expiresAt
    login_error: str = ""  # wrong_pin | locked | role_disabled | pin_short | …
    login_detail: str = ""  # attempts left / seconds locked
    busy: str = ""  # the DeskOp in flight, "" when idle
    queue: list[Any] | None = None  # kiosk.services.QueueEntry
    receipts: list[Any] | None = None  # kiosk.services.ReceiptEntry
    devices: list[Any] | None = None  # kiosk.services.DeviceReport
    confirm: str = ""  # the queue item whose void waits for a second tap
    notice: str = ""  # outcome of the last operation: a code
    notice_ok: bool = True
    notice_detail: str = ""  # e.g. the bundle's path, attempts so far
    test_report: Any = None  # kiosk.device_classes.DeviceTestReport of the last device test
    notice_device: str = ""  # the device the notice is about (shown in its own panel)
    offline_target: tuple[str, bool] | None = None  # device being taken out / back in
    service_target: bool | None = None  # out of service (True) or back, while being stored

    def wipe(self) -> None:
        fresh = DeskData()
        for name in vars(fresh):
            setattr(self, name, getattr(fresh, name))
