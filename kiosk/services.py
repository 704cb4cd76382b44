"""What the touchscreen needs from the core and the devices, as one blocking interface.

The UI calls these off the GUI thread (ui/bridge.py). Expected failures come back as
``Result`` values with a code the screen can word; exceptions are bugs.
``kiosk/app_services.py`` builds the real implementation from the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from devices.base import Cancel
from devices.document_printer.types import PrintedJob
from devices.status import Result
from kiosk.a4_documents import A4Copy
from kiosk.catalog import Catalog
from kiosk.device_classes import DeviceTestReport
from kiosk.session.effects import PromiseDoc
from kiosk.session.model import Citizen, Page, SubmitOutcome


@dataclass(frozen=True)
class PreviewFrame:
    """One live camera frame for the screen: RGB888 bytes, the page outline if found, and
    the quality problem that holds auto-capture back ("" when the page is good)."""

    rgb: bytes
    width: int
    height: int
    corners: Sequence[tuple[float, float]] | None
    problem: str = ""


class KioskServices(Protocol):
    def catalog(self) -> Catalog: ...

    def device_problems(self) -> dict[str, str]:
        """role → fault code, for each role a service needs (kiosk.availability.REQUIRED)
        without a usable device."""
        ...

    def read_card(self, cancel: Cancel, timeout_s: float) -> Result[Citizen]: ...

    def read_qr(self, cancel: Cancel, timeout_s: float) -> Result[str]: ...

    def prefill(self, impl_code: str, citizen: Citizen, consent_id: str) -> Result[dict[str, Any]]:
        ...

    def camera_session(self, cancel: Cancel, capture_now: Callable[[], bool],
                       on_frame: Callable[[PreviewFrame], None],
                       on_page: Callable[[Page | None, str], None]) -> None:
        """Live preview until cancelled: frames go to ``on_frame``; a page (auto-captured when
        still and sharp, or at once when ``capture_now()`` is True) goes to ``on_page``."""
        ...

    def face_check(self, cancel: Cancel, cert_type: str, cert_no: str,
                   on_frame: Callable[[PreviewFrame], None]) -> Result[Any]:
        """One 人证比对 attempt on the face camera (kiosk.face.check): the value is a
        ``kiosk.face.matcher.FaceDecision``; faults ``camera_unavailable``,
        ``face_unavailable``, ``cancelled``. Live images never leave memory."""
        ...

    def verify_eid(self, code: str) -> Result[Citizen]:
        """A scanned e-ID code → the citizen (method EID_QR); faults ``eid_expired``,
        ``eid_invalid``, ``eid_unavailable``."""
        ...

    def submit(self, application: Mapping[str, Any],
               files: Mapping[str, Sequence[bytes]],
               promises: Sequence[PromiseDoc] = ()) -> Result[SubmitOutcome]: ...

    def print_receipt(self, receipt: Mapping[str, Any]) -> Result[None]: ...

    def print_a4(self, copy: A4Copy) -> Result[PrintedJob]:
        """打印A4文书: the copy as one PDF job on the document printer; faults PAPER_OUT,
        PAPER_JAM, QUEUE_STOPPED, print_failed …"""
        ...

    def print_supplement_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        """The 补正回执 of a submitted supplement on the receipt printer."""
        ...

    def rate(self, evaluation: Mapping[str, Any]) -> Result[None]: ...

    def create_payment(self, impl_code: str, amount_fen: int) -> Result[dict[str, Any]]:
        """统一公共支付: a PENDING order with ``payUrl`` and the ``clientApplicationId`` the
        application will carry."""
        ...

    def payment_status(self, payment_id: str, wait_s: float) -> Result[dict[str, Any]]:
        """The order once it is no longer PENDING, or after ``wait_s``."""
        ...

    def cancel_payment(self, payment_id: str) -> Result[dict[str, Any]]: ...

    def call_for_help(self, step: str) -> Result[dict[str, Any]]:
        """呼叫帮办: the kiosk and the step only; answers a ``HelpTicket``."""
        ...

    def help_handled(self, request_id: str) -> Result[None]: ...

    def submit_supplement(self, application_id: str,
                          files: Mapping[str, Sequence[bytes]]) -> Result[SubmitOutcome]:
        """补齐补正 through the offline queue (like ``submit``)."""
        ...

    def query_status(self, citizen: Citizen | None, ref: str,
                     password: str) -> Result[dict[str, Any]]: ...


# -- staff and technician mode (DESIGN §1: 帮办/代办 staff, 运维 technicians) --

@dataclass(frozen=True)
class QueueEntry:
    """One offline-queue item as staff see it: no citizen data, only labels and codes."""

    item_id: str  # the clientApplicationId
    state: str  # pending | sending | delivered | dead | void
    attempts: int
    age_s: float  # since the application was confirmed
    impl_code: str = ""  # the matter (a non-personal label kept in the item's meta)
    last_error: str = ""  # short machine code + text, no personal data
    platform_id: str = ""


@dataclass(frozen=True)
class ReceiptEntry:
    """A receipt kept (masked, encrypted at rest) for a staff reprint (补打, marked 副本)."""

    reference: str  # clientApplicationId
    case_ref: str  # the platform's number once known, else the reference
    matter_name: str
    applicant: str  # masked name, e.g. 张*
    printed_at: float  # epoch seconds
    delivered: bool


@dataclass(frozen=True)
class DeviceReport:
    """One configured device for the technician screen (kiosk doctor, on the running kiosk)."""

    name: str
    device_class: str
    driver: str
    availability: str  # devices.status.Availability value
    severity: str
    fault_code: str = ""
    fault_message: str = ""
    action: str = ""  # required action: reset | clear | maintenance | configuration | ""
    model: str = ""
    serial: str = ""
    firmware: str = ""
    media: Mapping[str, str] | None = None
    offline: bool = False  # taken out of service by a technician
    role: str = ""  # the role it fills (kiosk.device_roles)


class OperatorServices(Protocol):
    """What the staff and technician screens need; blocking, called off the GUI thread.
    Every operation that touches citizen data or changes the kiosk is audited here."""

    def login(self, role: str, pin: str, staff_no: str = "") -> Result[str]:
        """role "staff" | "technician"; with ``staff_no`` the person's own PIN (success
        value ``"role:staffNo"``, the actor to pass to the other calls), without it the
        role's shared PIN, in demo mode only (success value: the role). Failure codes:
        ``wrong_pin`` (message: attempts left), ``locked`` (message: seconds),
        ``role_disabled``, ``not_permitted``, ``directory_unavailable``, ``unknown_staff``.
        Audited: role.login / role.login_failed / role.locked."""
        ...

    def login_challenge(self, role: str) -> Result[dict[str, str]]:
        """A QR log-in from the platform: ``{challengeId, qrText, expiresAt, role}``."""
        ...

    def login_poll(self, challenge_id: str, role: str) -> Result[str]:
        """``"pending"``, or the actor once confirmed in the work app; failures
        ``qr_denied``, ``qr_expired``, ``not_permitted``, ``offline``."""
        ...

    def audit(self, event: str, actor: str, details: Mapping[str, Any]) -> None:
        """Append to the hash-chained audit log (details already masked); ``actor`` a role
        or a person ``"role:staffNo"`` (the record then carries the staff number)."""
        ...

    def record_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        """Keep the receipt of a confirmed application (masked, encrypted) for a reprint."""
        ...

    def recent_receipts(self) -> Result[list[ReceiptEntry]]: ...

    def reprint(self, reference: str, actor: str) -> Result[None]:
        """Print the kept receipt again, marked 副本 with the reprint time."""
        ...

    def queue_entries(self) -> Result[list[QueueEntry]]: ...

    def queue_retry(self, item_id: str, actor: str) -> Result[None]: ...

    def queue_void(self, item_id: str, actor: str) -> Result[None]: ...

    def queue_sync(self, actor: str) -> Result[None]:
        """Wake the background worker now (it sends with its own back-off)."""
        ...

    def device_reports(self) -> Result[list[DeviceReport]]: ...

    def device_test(self, name: str, actor: str) -> Result[DeviceTestReport]:
        """Run the device's test action (printer test page, card read, camera frame, scan);
        success value: what it found, as a code and facts without citizen data."""
        ...

    def set_device_offline(self, name: str, offline: bool, actor: str) -> Result[None]: ...

    def export_diagnostics(self, actor: str) -> Result[str]:
        """Write the masked diagnostic bundle; success value: its path."""
        ...

    def out_of_service(self) -> bool:
        """Whether a technician took the kiosk out of service (survives a restart)."""
        ...

    def set_out_of_service(self, out: bool, actor: str) -> Result[None]: ...


class KioskBackend(KioskServices, Protocol):
    """Everything the window needs: citizen journeys, and the staff/technician screens'
    operations as ``operator``."""

    @property
    def operator(self) -> OperatorServices: ...

    def close(self) -> None: ...
