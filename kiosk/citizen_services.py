"""The citizen's journey on the kiosk's parts: the ``KioskServices`` the touchscreen and
``kiosk selftest`` use (catalog, identity reads, prefill, camera, submission, receipt, rating,
status). Devices are asked for by role (kiosk.device_roles) through ``RoleDevices``, which
applies the out-of-service rule (kiosk.availability). No Qt here; every method may block and
is called off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from devices.base import Cancel
from devices.document_printer.types import PrintedJob
from devices.interfaces import (
    CardReader,
    CodeScanner,
    DocumentCamera,
    DocumentPrinter,
    ReceiptPrinter,
)
from devices.status import Result
from kiosk.availability import RoleDevices
from kiosk.catalog import Catalog
from kiosk.composition import KioskParts
from kiosk.config import Settings
from kiosk.device_roles import (
    CODE_SCANNER,
    DOCUMENT_CAMERA,
    DOCUMENT_PRINTER,
    FACE_CAMERA,
    ID_READER,
    RECEIPT_PRINTER,
)
from kiosk.services import PreviewFrame
from kiosk.session.effects import PromiseDoc
from kiosk.session.model import Citizen, Page, SubmitOutcome

if TYPE_CHECKING:
    from devices.camera.face_analysis import FaceAnalyser
    from devices.idcard.types import IdCard
    from kiosk.a4_documents import A4Copy
    from kiosk.face.matcher import FaceMatcher
    from kiosk.submission import Attachment

log = logging.getLogger("kiosk.citizen_services")

# The reader's card type (devices.idcard.CardType) → the contract's certificate type. Both
# foreign permanent residence cards are the same kind of document for the platform.
CARD_CERT_TYPES = {"resident": "RESIDENT_ID_CARD",
                   "hk_mo_tw_permit": "HK_MACAO_TW_RESIDENCE_PERMIT",
                   "foreign_permanent_2017": "FOREIGN_PERMANENT_RESIDENCE_ID",
                   "foreign_permanent_2023": "FOREIGN_PERMANENT_RESIDENCE_ID"}
SCOPES = ["PERSON_BASIC", "LICENCES", "HOUSEHOLD"]


def citizen_from_card(card: IdCard) -> Citizen:
    """devices.idcard.IdCard → the session's Citizen (photo bytes are not kept)."""
    kind = card.card_type.value
    return Citizen(name=card.name or card.english_name, cert_no=card.id_number,
                   cert_type=CARD_CERT_TYPES.get(kind, "RESIDENT_ID_CARD"), card_type=kind,
                   gender_code=card.gender_code, birth_date=card.birth_date,
                   address=card.address, valid_until=card.valid_until)


def pages_to_pdf(pages: Sequence[bytes]) -> bytes:
    """One PDF per material, the JPEG pages embedded without re-encoding."""
    import img2pdf

    return bytes(img2pdf.convert([bytes(p) for p in pages]))


class CitizenServices:
    """``KioskServices`` on the parts the composition root built."""

    def __init__(self, settings: Settings, parts: KioskParts) -> None:
        self.settings = settings
        self.parts = parts
        self.devices = RoleDevices(settings, parts.manager)
        self._catalog: Catalog | None = None
        self._lock = threading.Lock()
        self._matcher: FaceMatcher | None = None
        self._face_analyser: FaceAnalyser | None = None

    def catalog(self) -> Catalog:
        with self._lock:
            if self._catalog is not None:
                return self._catalog
            cache = self.settings.kiosk.data_dir / "cache" / "catalog.json"
            cached = Catalog.load(cache)  # unchanged matters are not fetched again
            fetched = self._fetch_catalog(cached)
            if fetched is not None:
                try:
                    fetched.save(cache)
                except OSError:
                    log.warning("the catalog cache could not be written")
                self._catalog = fetched
            else:
                self._catalog = cached or Catalog([])
            self._catalog.warm()
            from kiosk.session.forms import warm

            warm()
            return self._catalog

    def refresh_catalog(self) -> str:
        """REFRESH_CATALOG (a platform command): fetch the catalog now and use it; its version,
        or "" if the platform could not be reached (the one in use stays)."""
        with self._lock:
            current = self._catalog
        fetched = self._fetch_catalog(current)  # unchanged matters are not fetched again
        if fetched is None:
            return ""
        try:
            fetched.save(self.settings.kiosk.data_dir / "cache" / "catalog.json")
        except OSError:
            log.warning("the catalog cache could not be written")
        fetched.warm()
        with self._lock:
            self._catalog = fetched
        return fetched.etag or "unversioned"

    def catalog_version(self) -> str:
        """The version of the catalog in use ("" before it is loaded), for the heartbeat."""
        with self._lock:
            return self._catalog.etag if self._catalog is not None else ""

    def _fetch_catalog(self, cached: Catalog | None = None) -> Catalog | None:
        if self.parts.client is None:
            return None
        from kiosk.catalog import fetch_catalog

        return fetch_catalog(self.parts.client, cached)

    def device_problems(self) -> dict[str, str]:
        """role → fault code, for each role a service needs that has no usable device."""
        return self.devices.problems()

    def read_card(self, cancel: Cancel, timeout_s: float) -> Result[Citizen]:
        reader = self.devices.get(ID_READER, CardReader)
        if reader is None:
            cancel.wait(min(timeout_s, 1.0))
            return Result.failure("DISCONNECTED", "no ID-card reader")
        r = reader.read_card(cancel, timeout_s)
        if r.value is None:
            return Result(fault=r.fault)
        card = r.value
        try:
            return Result.success(citizen_from_card(card))
        finally:
            card.wipe()

    def read_qr(self, cancel: Cancel, timeout_s: float) -> Result[str]:
        scanner = self.devices.get(CODE_SCANNER, CodeScanner)
        if scanner is None:
            cancel.wait(timeout_s)
            return Result.failure("DISCONNECTED", "no scanner")
        r = scanner.read_code(cancel, timeout_s)
        if r.value is None:
            return Result(fault=r.fault)
        return Result.success(r.value.text)

    def _citizen_session(self, citizen: Citizen, scopes: list[str]) -> dict[str, Any]:
        from kiosk.api.uuid7 import uuid7

        assert self.parts.client is not None
        answer = self.parts.client.create_citizen_session(
            cert_type=citizen.cert_type, cert_no=citizen.cert_no, name=citizen.name,
            method=citizen.method, consent_scopes=scopes, device_id=self.settings.kiosk.device_id,
            idempotency_key=uuid7())
        return dict(answer.json)

    def prefill(self, impl_code: str, citizen: Citizen,
                consent_id: str) -> Result[dict[str, Any]]:
        """Citizen session (consent recorded by the platform), then 免填/免交 data."""
        if self.parts.client is None:
            return Result.failure("offline", "no connection to the platform")
        try:
            session = self._citizen_session(citizen, SCOPES)
            answer = self.parts.client.prefill(
                session["sessionToken"], impl_code, cert_type=citizen.cert_type,
                cert_no=citizen.cert_no, method=citizen.method, scopes=SCOPES,
                consent_id=session.get("consentId"))
        except Exception as exc:
            log.warning("prefill failed: %s", type(exc).__name__)
            return Result.failure("prefill_failed", "prefill not available")
        return Result.success({**answer.json, "consentId": session.get("consentId", "")})

    def camera_session(self, cancel: Cancel, capture_now: Callable[[], bool],
                       on_frame: Callable[[PreviewFrame], None],
                       on_page: Callable[[Page | None, str], None]) -> None:
        camera = self.devices.get(DOCUMENT_CAMERA, DocumentCamera)
        if camera is None:
            on_page(None, "camera_unavailable")
            cancel.wait(3600)
            return
        from kiosk.camera_session import run_camera_session

        section = self.settings.device_for(DOCUMENT_CAMERA)
        run_camera_session(camera, cancel, capture_now, on_frame, on_page,
                           section.options if section else None)

    def _promises(self, application: Mapping[str, Any],
                  promises: Sequence[PromiseDoc]) -> list[Attachment]:
        """告知承诺: each signed 承诺书 as a PDF made here in memory (the applicant in full,
        the time, this kiosk, the payload's SHA-256, the signature), attached with
        EXEMPT_PROMISE; it is sealed in the queue like the page images."""
        from kiosk.promise import payload_digest, promise_pdf
        from kiosk.submission import Attachment

        if not promises:
            return []
        applicant = application.get("applicant") or {}
        digest = payload_digest(application)
        matter = self.catalog().get(str(application.get("implCode", "")))
        signed_at = datetime.now().astimezone().isoformat(timespec="seconds")
        return [Attachment(p.material_code, promise_pdf(
            matter_name=matter.name if matter is not None else str(application.get("implCode")),
            material_name=p.material_name, text=p.text,
            applicant_name=str(applicant.get("name", "")),
            cert_no=str(applicant.get("certNo", "")), signed_at=signed_at,
            device_id=self.settings.kiosk.device_id, payload_sha256=digest,
            strokes=p.strokes), "application/pdf", submission="EXEMPT_PROMISE")
            for p in promises]

    def face_check(self, cancel: Cancel, cert_type: str, cert_no: str,
                   on_frame: Callable[[PreviewFrame], None]) -> Result[Any]:
        camera = self.devices.get(FACE_CAMERA, DocumentCamera)
        if camera is None:
            return Result.failure("camera_unavailable", "no face camera")
        from devices.camera.face_analysis import DetectorFaceAnalyser
        from kiosk.face.check import FaceCheckTimes, run_face_check
        from kiosk.face.matcher import load_matcher

        ident = self.settings.identity
        if self._matcher is None:
            self._matcher = load_matcher(ident.matcher, self.settings, self.parts.client,
                                         self.settings.kiosk.device_id)
        times = FaceCheckTimes(liveness_s=ident.liveness_timeout_s)
        if self._face_analyser is None:  # loads the detector's model once
            self._face_analyser = DetectorFaceAnalyser()
        r = run_face_check(camera, cancel, self._face_analyser, self._matcher, cert_type,
                           cert_no, on_frame, times)
        if r.value is not None:
            log.info("face check: %s", r.value.decision)  # the decision only: no identity
        return r

    def verify_eid(self, code: str) -> Result[Citizen]:
        if self.parts.client is None:
            return Result.failure("eid_unavailable", "no connection to the platform")
        try:
            answer = self.parts.client.verify_eid(code, self.settings.kiosk.device_id).json
        except Exception as exc:
            log.warning("e-ID verification failed: %s", type(exc).__name__)
            return Result.failure("eid_unavailable", "e-ID verification not available")
        decision, who = answer.get("decision"), answer.get("identity")
        if decision == "VALID" and isinstance(who, dict):
            cert_type = str(who.get("certType") or "RESIDENT_ID_CARD")
            kinds = {v: k for k, v in CARD_CERT_TYPES.items()}
            return Result.success(Citizen(name=str(who.get("name", "")),
                                          cert_no=str(who.get("certNo", "")),
                                          cert_type=cert_type,
                                          card_type=kinds.get(cert_type, "other"),
                                          method="EID_QR"))
        if decision == "EXPIRED":
            return Result.failure("eid_expired", "the e-ID code has expired")
        return Result.failure("eid_invalid", "not a valid e-ID code")

    def submit(self, application: Mapping[str, Any],
               files: Mapping[str, Sequence[bytes]],
               promises: Sequence[PromiseDoc] = ()) -> Result[SubmitOutcome]:
        """The one submission path (kiosk.submission): stored durably, then sent at once."""
        if self.parts.submitter is None:
            return Result.failure("submit_failed", "the offline queue is not available")
        from kiosk.channels import CHANNEL_SELF_SERVICE
        from kiosk.submission import Application, Attachment

        attachments = [Attachment(code, pages_to_pdf(pages), "application/pdf")
                       for code, pages in files.items() if pages]
        attachments += self._promises(application, promises)
        other = [m for m in application.get("materials", ())
                 if m.get("submission") != "ELECTRONIC_FILE"]
        app = Application(
            impl_code=application["implCode"], applicant=application["applicant"],
            form=application.get("form", {}), attachments=attachments,
            agent=application.get("agent"), delivery=application.get("delivery"),
            other_materials=other, matter_version=application.get("matterVersion"),
            consent_id=application.get("consentId"),
            channel=application.get("channel") or CHANNEL_SELF_SERVICE,
            # A paid fee names the application before it is stored (the payment order's).
            client_application_id=application.get("clientApplicationId"),
            payment_id=application.get("paymentId"),
            identification_method=application.get("identificationMethod"))
        result = self.parts.submitter.submit(app)
        if not result.stored:
            log.warning("application not stored: %s", result.code)
            code = "queue_full" if result.state == "refused" else "submit_failed"
            return Result.failure(code, result.message)
        return Result.success(SubmitOutcome(
            client_application_id=result.client_application_id or "",
            delivered=result.state == "delivered",
            application_id=result.application_id or "",
            query_password=result.query_password or "",
            status=result.platform_status or result.state))

    def print_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        printer = self.devices.get(RECEIPT_PRINTER, ReceiptPrinter)
        if printer is None:
            return Result.failure("print_failed", "no printer")
        # Here, not at the top: the receipt templates import python-escpos (≈ 0.4 s).
        from kiosk.receipts.intake import print_intake, receipt_from_session

        k = self.settings.kiosk
        data = receipt_from_session(receipt, hall_name=k.hall_name, device_id=k.device_id,
                                    time=datetime.now().astimezone())
        # The printer's own layout: paper width, charset, native or raster QR, cut.
        return print_intake(printer, data)

    def print_a4(self, copy: A4Copy) -> Result[PrintedJob]:
        """打印A4文书: form, 承诺书 and notice built here in memory, one job on the document
        printer; nothing is written to disk by the kiosk (``lp`` reads the job on stdin)."""
        printer = self.devices.get(DOCUMENT_PRINTER, DocumentPrinter)
        if printer is None:
            return Result.failure("print_failed", "no A4 printer")
        import uuid
        from dataclasses import replace

        from kiosk.a4_documents import a4_copy_pdf
        from kiosk.api.uuid7 import uuid7_time_ms

        k = self.settings.kiosk
        now = datetime.now().astimezone()
        try:  # the receipt number is the UUIDv7 minted when the application was stored
            if uuid.UUID(copy.reference).version == 7:
                at = datetime.fromtimestamp(uuid7_time_ms(copy.reference) / 1000, now.tzinfo)
                copy = replace(copy, submitted_at=at.isoformat(timespec="seconds"))
        except ValueError:
            pass
        pdf = a4_copy_pdf(copy, hall_name=k.hall_name, device_id=k.device_id,
                          printed_at=now.isoformat(timespec="seconds"))
        return printer.print_pdf(pdf, copy.reference)

    def print_supplement_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        printer = self.devices.get(RECEIPT_PRINTER, ReceiptPrinter)
        if printer is None:
            return Result.failure("print_failed", "no printer")
        from kiosk.receipts.supplement import print_supplement_receipt

        k = self.settings.kiosk
        return print_supplement_receipt(printer, receipt, hall_name=k.hall_name,
                                        device_id=k.device_id,
                                        time=datetime.now().astimezone())

    def rate(self, evaluation: Mapping[str, Any]) -> Result[None]:
        if self.parts.client is None:
            return Result.failure("offline", "no connection to the platform")
        from kiosk.api.uuid7 import uuid7

        body = {**evaluation,
                "evaluatedAt": datetime.now().astimezone().isoformat(timespec="seconds")}
        try:
            self.parts.client.evaluate(body, idempotency_key=uuid7())
        except Exception as exc:
            log.warning("rating not sent: %s", type(exc).__name__)
            return Result.failure("rate_failed", "rating not sent")
        return Result.success(None)

    def query_status(self, citizen: Citizen | None, ref: str,
                     password: str) -> Result[dict[str, Any]]:
        if self.parts.client is None:
            return Result.failure("status_failed", "no connection to the platform")
        try:
            if citizen is not None:
                session = self._citizen_session(citizen, ["PERSON_BASIC"])
                items = self.parts.client.query_status(cert_no=citizen.cert_no,
                                                 citizen_token=session["sessionToken"])
            else:
                items = self.parts.client.query_status(query_password=password)
                mine = [i for i in items if ref in (i.get("applicationId"), i.get("projId"),
                                                    i.get("clientApplicationId"))]
                items = mine or items
        except Exception as exc:
            log.warning("status query failed: %s", type(exc).__name__)
            return Result.failure("status_failed", "status not available")
        return Result.success({"items": [dict(i) for i in items]})

    # -- 统一公共支付: the fee, paid on the citizen's phone --

    def create_payment(self, impl_code: str, amount_fen: int) -> Result[dict[str, Any]]:
        """A payment order for this matter's fee; the answer carries the application's
        ``clientApplicationId`` minted for it (the application is sent under that id)."""
        if self.parts.client is None:
            return Result.failure("payment_unavailable", "no connection to the platform")
        from kiosk.api.uuid7 import uuid7

        client_id = uuid7()
        body = {"clientApplicationId": client_id, "implCode": impl_code,
                "amountFen": amount_fen, "deviceId": self.settings.kiosk.device_id}
        try:
            order = self.parts.client.create_payment(body, uuid7()).json
        except Exception as exc:
            log.warning("payment order not created: %s", type(exc).__name__)
            return Result.failure("payment_unavailable", "the payment platform did not answer")
        try:  # seconds left by our clock, for the countdown (the kiosk's clock may be off)
            left = (datetime.fromisoformat(str(order["expiresAt"])) - datetime.now().astimezone())
            expires_in = max(0.0, left.total_seconds())
        except (KeyError, ValueError):
            expires_in = 300.0
        return Result.success({**order, "clientApplicationId": client_id,
                               "expiresInS": expires_in})

    def payment_status(self, payment_id: str, wait_s: float) -> Result[dict[str, Any]]:
        """The order, polled about once a second until it is no longer PENDING or ``wait_s``
        passed (on a worker: the screen stays live)."""
        if self.parts.client is None:
            return Result.failure("payment_unavailable", "no connection to the platform")
        import time

        deadline = time.monotonic() + wait_s
        while True:
            try:
                order: dict[str, Any] | None = dict(self.parts.client.get_payment(payment_id).json)
            except Exception as exc:  # tried again until the deadline: the QR stays valid
                log.warning("payment status not read: %s", type(exc).__name__)
                order = None
            if order is not None and order.get("status") != "PENDING":
                return Result.success(order)
            if time.monotonic() >= deadline:
                return Result.success(order) if order is not None else Result.failure(
                    "payment_unavailable", "the payment platform did not answer")
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))

    def cancel_payment(self, payment_id: str) -> Result[dict[str, Any]]:
        if self.parts.client is None:
            return Result.failure("payment_unavailable", "no connection to the platform")
        try:
            return Result.success(dict(self.parts.client.cancel_payment(payment_id).json))
        except Exception as exc:
            log.warning("payment not cancelled: %s", type(exc).__name__)
            return Result.failure("payment_unavailable", "the payment platform did not answer")

    # -- 补齐补正 --

    def submit_supplement(self, application_id: str,
                          files: Mapping[str, Sequence[bytes]]) -> Result[SubmitOutcome]:
        """The materials a department asked for, one PDF per material, through the offline
        queue (stored durably, then sent at once; queued when the platform is away)."""
        if self.parts.submitter is None:
            return Result.failure("submit_failed", "the offline queue is not available")
        from kiosk.submission import Attachment

        attachments = [Attachment(code, pages_to_pdf(pages), "application/pdf")
                       for code, pages in files.items() if pages]
        result = self.parts.submitter.submit_supplement(application_id, attachments)
        if not result.stored:
            return Result.failure(result.code or "submit_failed", result.message)
        return Result.success(SubmitOutcome(
            client_application_id=result.client_application_id or "",
            delivered=result.state == "delivered", application_id=application_id,
            status=str(result.platform_status or "")))

    # -- 呼叫帮办: kiosk id and step only, never the citizen --

    def call_for_help(self, step: str) -> Result[dict[str, Any]]:
        if self.parts.client is None:
            return Result.failure("help_unavailable", "no connection to the platform")
        from kiosk.api.uuid7 import uuid7

        try:
            ticket = self.parts.client.create_help_request(self.settings.kiosk.device_id, step,
                                                           uuid7()).json
        except Exception as exc:
            log.warning("help request not raised: %s", type(exc).__name__)
            return Result.failure("help_unavailable", "the platform did not answer")
        return Result.success(dict(ticket))

    def help_handled(self, request_id: str) -> Result[None]:
        if self.parts.client is None:
            return Result.failure("help_unavailable", "no connection to the platform")
        try:
            self.parts.client.mark_help_handled(self.settings.kiosk.device_id, request_id)
        except Exception as exc:
            log.warning("help request not marked handled: %s", type(exc).__name__)
            return Result.failure("help_unavailable", "the platform did not answer")
        return Result.success(None)
