"""The composition root: settings → (embedded sandbox in demo mode) → API client → offline
queue + submission → device manager, behind the ``KioskServices`` interface the UI and
``kiosk selftest`` use, and the staff/technician ``OperatorServices`` (forwarded to
``kiosk.operator_services.OperatorDesk``). No Qt here; every method may block and is called
off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from devices.base import Cancel
from devices.status import Availability, DeviceStatus, Result
from kiosk.catalog import Catalog
from kiosk.config import Settings
from kiosk.operator_services import OperatorDesk
from kiosk.services import DeviceReport, PreviewFrame, QueueEntry, ReceiptEntry
from kiosk.session.gating import REQUIRED
from kiosk.session.model import Citizen, Page, SubmitOutcome

log = logging.getLogger("kiosk.app_services")

# After an audit record the next heartbeat (which anchors the log's head on the platform)
# goes within this many seconds; records that come together share one early heartbeat.
ANCHOR_DELAY_S = 2.0


CERT_TYPES = {"resident": "RESIDENT_ID_CARD", "hk_mo_tw_permit": "HK_MACAO_TW_RESIDENCE_PERMIT",
              "foreign_permanent_2017": "FOREIGN_PERMANENT_RESIDENCE_ID",
              "foreign_permanent_2023": "FOREIGN_PERMANENT_RESIDENCE_ID"}
SCOPES = ["PERSON_BASIC", "LICENCES", "HOUSEHOLD"]


def citizen_from_card(card: Any) -> Citizen:
    """devices.idcard.IdCard → the session's Citizen (photo bytes are not kept)."""
    kind = getattr(card.card_type, "value", str(card.card_type))
    return Citizen(name=card.name or card.english_name, cert_no=card.id_number,
                   cert_type=CERT_TYPES.get(kind, "RESIDENT_ID_CARD"), card_type=kind,
                   gender_code=card.gender_code, birth_date=card.birth_date,
                   address=card.address, valid_until=card.valid_until)


def pages_to_pdf(pages: Sequence[bytes]) -> bytes:
    """One PDF per material, the JPEG pages embedded without re-encoding."""
    import img2pdf

    return bytes(img2pdf.convert([bytes(p) for p in pages]))


class AppServices:
    """Real parts wired from the settings. ``missing`` names parts not available in this build
    (the UI then greys what depends on them; selftest reports them)."""

    def __init__(self, settings: Settings, *, start_devices: bool = True) -> None:
        self.settings = settings
        self.missing: list[str] = []
        self.sandbox: Any = None
        self.client: Any = None
        self.outbox: Any = None
        self.worker: Any = None
        self.queue: Any = None
        self._heartbeat_stop = threading.Event()
        self._heartbeat_wake = threading.Event()  # an audit record: anchor its head soon
        self._heartbeat_client: Any = None
        self.heartbeat: Any = None  # kiosk.heartbeat.Heartbeat, when there is an API client
        self.fleet: Any = None  # kiosk.fleet.FleetClient, when [fleet] broker is set
        self.submitter: Any = None
        self.manager: Any = None
        self.base_url = ""
        self._catalog: Catalog | None = None
        self._lock = threading.Lock()
        self._start_api()
        self._start_queue()
        if start_devices:
            self._start_devices()
        # Staff and technician mode: audit log, kept receipts, queue and device actions.
        self.operator = OperatorDesk(settings, outbox=self.outbox, worker=self.worker,
                                     manager=self.manager)
        # A new audit record shortens the wait for the next heartbeat (its head goes off
        # the box within ANCHOR_DELAY_S instead of up to heartbeat_s).
        self.operator.audit_log.on_record = lambda _head: self._heartbeat_wake.set()
        if self._heartbeat_client is not None:
            self.heartbeat = self._make_heartbeat()
            self._heartbeat = threading.Thread(target=self._heartbeat_loop, name="heartbeat",
                                               daemon=True)
            self._heartbeat.start()
            self._start_fleet()

    # -- construction --

    def _start_fleet(self) -> None:
        """The fleet channel beside the HTTP heartbeat (which stays as the fallback): the same
        payload as retained state, the same commands (kiosk.fleet)."""
        from kiosk.fleet import FleetClient, fleet_settings

        fleet = fleet_settings(self.settings)
        if fleet is None:
            return
        try:
            self.fleet = FleetClient(self.heartbeat, self.settings.kiosk.device_id, fleet).start()
        except (OSError, ValueError) as exc:  # bad certificate files, bad topic level
            log.warning("fleet channel not started: %s", exc)
            self.missing.append(f"fleet channel ({type(exc).__name__})")

    def _start_api(self) -> None:
        api = self.settings.api
        try:
            if api.embedded:
                from kiosk.sandbox.embedded import start_embedded

                self.sandbox = start_embedded(self.settings)
                self.base_url = self.sandbox.base_url
            else:
                self.base_url = api.base_url
        except ImportError as exc:
            self.missing.append(f"sandbox ({exc})")
            return
        try:
            from kiosk.api.client import ApiClient

            self.client = ApiClient.from_settings(self.settings, base_url=self.base_url)
        except ImportError as exc:
            self.missing.append(f"api client ({exc})")

    def _start_queue(self) -> None:
        try:
            from kiosk.queue_transport import QueueService, open_queue
            from kiosk.submission import Submitter
        except ImportError as exc:
            self.missing.append(f"offline queue ({exc})")
            return
        self.outbox = open_queue(None, self.settings)
        if self.client is None:
            # No connection could be set up: applications are still stored (收件待上传).
            self.submitter = Submitter.from_settings(self.settings, self.outbox, None)
            return
        # The background worker delivers what the immediate attempt could not, with back-off;
        # the heartbeat wakes it as soon as the platform answers again.
        self.queue = QueueService(self.settings, self.outbox, self.base_url)
        self.worker = self.queue.worker
        self.submitter = self.queue.submitter
        self.queue.start()
        # Its own client: a requests.Session is not shared with the UI's worker threads.
        from kiosk.api.client import ApiClient

        self._heartbeat_client = ApiClient.from_settings(self.settings, base_url=self.base_url)

    def _make_heartbeat(self) -> Any:
        """The heartbeat's parts from this kiosk (kiosk.heartbeat); the commands it carries act
        on the same state the technician screen changes."""
        from kiosk.audit_anchor import heartbeat_with_head
        from kiosk.heartbeat import (
            CommandLog,
            CommandRunner,
            Heartbeat,
            HeartbeatParts,
            standard_handlers,
        )
        from kiosk.updates import kiosk_ring, last_update, request_install

        k = self.settings.kiosk
        outbox = self.outbox
        parts = HeartbeatParts(
            data_dir=k.data_dir, hall_code=k.hall_code, area_code=k.area_code,
            service=self.operator.state,
            queue_status=(lambda: outbox.status()) if outbox is not None else None,
            device_statuses=(lambda: self.manager.statuses()) if self.manager else None,
            catalog_version=lambda: self._catalog.etag if self._catalog is not None else "",
            last_update=lambda: last_update(k.data_dir),
            # the audit log's head, verified against the platform's anchor (#14 item 11)
            send=lambda client, device, body: heartbeat_with_head(client, self.settings,
                                                                  body).answer)
        ring = kiosk_ring(self.settings)

        def install(cmd: Any) -> tuple[str, str]:
            return request_install(k.data_dir, ring, cmd.id, cmd.args)

        def rotate_key(cmd: Any) -> tuple[str, str]:
            from kiosk.credentials import rotate

            return rotate(self._heartbeat_client, k.device_id, k.data_dir, cmd.id)

        def set_out(out: bool, actor: str, reason: str) -> None:
            r = self.operator.set_out_of_service(out, actor, reason)
            if not r.ok:
                raise OSError(r.fault.message if r.fault else "not saved")

        def export() -> str:
            r = self.operator.export_diagnostics(actor="platform")
            if not r.ok or r.value is None:
                raise OSError(r.fault.message if r.fault else "not exported")
            return r.value

        handlers = standard_handlers(set_out_of_service=set_out,
                                     refresh_catalog=self.refresh_catalog, export_logs=export,
                                     request_install=install, rotate_key=rotate_key)
        runner = CommandRunner(CommandLog(k.data_dir / "state" / "commands.json"), handlers)
        return Heartbeat(parts, runner)

    def refresh_catalog(self) -> str:
        """REFRESH_CATALOG: fetch the catalog now and use it; its version, or "" if the
        platform could not be reached (the cached one stays)."""
        fetched = self._fetch_catalog(self._catalog)  # unchanged matters are not fetched again
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

    def _heartbeat_loop(self) -> None:
        """POST /devices/{id}/heartbeat at start and every ``[api] heartbeat_s`` (kiosk.heartbeat:
        state, devices, queue, command results, the verified audit head; commands executed).
        A new audit record brings the next beat forward (its head goes off the box within
        ANCHOR_DELAY_S). An answer after silence means the link is back, so the queue is woken
        at once instead of waiting out its back-off."""
        reachable = True
        period = self.settings.api.heartbeat_s
        while not self._heartbeat_stop.is_set():
            outcome = self.heartbeat.beat_once(self._heartbeat_client,
                                               self.settings.kiosk.device_id)
            if not outcome.sent:  # offline or refusing: the queue keeps its back-off
                if reachable:
                    log.warning("heartbeat failed: %s", outcome.error)
                reachable = False
            else:
                if not reachable and self.queue is not None:
                    log.info("platform reachable again: waking the offline queue")
                    self.queue.connectivity_restored()
                reachable = True
            if self._heartbeat_wake.wait(period) and not self._heartbeat_stop.is_set():
                # an audit record: anchor soon, but at most one early heartbeat a few seconds
                self._heartbeat_stop.wait(min(ANCHOR_DELAY_S, period))
            self._heartbeat_wake.clear()

    def _start_devices(self) -> None:
        try:
            from devices.manager import DeviceManager
        except ImportError as exc:
            self.missing.append(f"device manager ({exc})")
            return
        self.manager = DeviceManager(self.settings.devices.values())
        if self.settings.kiosk.demo:
            self._demo_cards()
        self.manager.start()

    def _demo_cards(self) -> None:
        """Demo mode: the simulated reader carries the sandbox's demo identities, so prefill
        and status queries find data for whoever lays a card down."""
        reader = self.device("idcard")
        sim = getattr(reader, "simulator", None)
        if sim is None:
            return
        try:
            from devices.idcard.types import CardType, IdCard
            from kiosk.sandbox.demo_identities import IDENTITIES
        except ImportError:
            return
        sim.cards = [IdCard(card_type=CardType.RESIDENT, name=p.name,
                            gender_code="1" if p.gender == "MALE" else "2", nation_code="01",
                            birth_date=p.birth_date, address=p.household_address,
                            id_number=p.cert_no, issuer=p.issuer, valid_from=p.valid_from,
                            valid_until="long-term" if p.valid_to == "长期" else p.valid_to)
                     for p in IDENTITIES.values()]

    def device(self, device_class: str) -> Any:
        """The first configured device of a class that a technician has not taken out of
        service, or None."""
        if self.manager is None:
            return None
        statuses = self.manager.statuses()
        for name in self.manager.devices_of(device_class):
            status = statuses.get(name)
            if status is not None and status.availability is Availability.OFFLINE:
                continue
            dev = self.manager.device(name)
            if dev is not None:
                return dev
        return None

    # -- KioskServices --

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

    def _fetch_catalog(self, cached: Catalog | None = None) -> Catalog | None:
        if self.client is None:
            return None
        from kiosk.catalog import fetch_catalog

        return fetch_catalog(self.client, cached)

    def device_problems(self) -> dict[str, str]:
        """device class → fault code, for each class where no device is usable."""
        problems: dict[str, str] = {}
        classes = {c for groups in REQUIRED.values() for g in groups for c in g}
        statuses: dict[str, DeviceStatus] = self.manager.statuses() if self.manager else {}
        for cls in classes:
            mine = [s for s in statuses.values() if s.device_class == cls]
            if any(s.availability.usable and s.availability is not Availability.STARTING
                   for s in mine):
                if cls == "printer" and any(s.media.get("paper") == "out" for s in mine):
                    problems[cls] = "PAPER_OUT"
                continue
            if not mine:
                problems[cls] = "NOT_CONFIGURED"
                continue
            s = mine[0]
            if cls == "printer" and s.media.get("paper") == "out":
                problems[cls] = "PAPER_OUT"
            elif cls == "printer" and s.media.get("cover") == "open":
                problems[cls] = "COVER_OPEN"
            else:
                problems[cls] = s.fault.code if s.fault else s.availability.value
        if self.client is None and "api" not in problems:
            pass  # without a client, applications still go to the queue (收件待上传)
        return problems

    def read_card(self, cancel: Cancel, timeout_s: float) -> Result[Citizen]:
        reader = self.device("idcard")
        if reader is None:
            cancel.wait(min(timeout_s, 1.0))
            return Result.failure("DISCONNECTED", "no ID-card reader")
        r = reader.read_card(cancel, timeout_s)
        if not r.ok:
            return Result(fault=r.fault)
        card = r.value
        try:
            return Result.success(citizen_from_card(card))
        finally:
            card.wipe()

    def read_qr(self, cancel: Cancel, timeout_s: float) -> Result[str]:
        scanner = self.device("scanner")
        if scanner is None:
            cancel.wait(timeout_s)
            return Result.failure("DISCONNECTED", "no scanner")
        r = scanner.read_code(cancel, timeout_s)
        if not r.ok:
            return Result(fault=r.fault)
        return Result.success(r.value.text)

    def _citizen_session(self, citizen: Citizen, scopes: list[str]) -> dict[str, Any]:
        from kiosk.api.uuid7 import uuid7

        answer = self.client.create_citizen_session(
            cert_type=citizen.cert_type, cert_no=citizen.cert_no, name=citizen.name,
            method=citizen.method, consent_scopes=scopes, device_id=self.settings.kiosk.device_id,
            idempotency_key=uuid7())
        return dict(answer.json)

    def prefill(self, impl_code: str, citizen: Citizen,
                consent_id: str) -> Result[dict[str, Any]]:
        """Citizen session (consent recorded by the platform), then 免填/免交 data."""
        if self.client is None:
            return Result.failure("offline", "no connection to the platform")
        try:
            session = self._citizen_session(citizen, SCOPES)
            answer = self.client.prefill(
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
        camera = self.device("camera")
        if camera is None:
            on_page(None, "camera_unavailable")
            cancel.wait(3600)
            return
        from kiosk.camera_session import run_camera_session

        section = self.settings.devices.get("camera")
        run_camera_session(camera, cancel, capture_now, on_frame, on_page,
                           section.options if section else None)

    def submit(self, application: Mapping[str, Any],
               files: Mapping[str, Sequence[bytes]]) -> Result[SubmitOutcome]:
        """The one submission path (kiosk.submission): stored durably, then sent at once."""
        if self.submitter is None:
            return Result.failure("submit_failed", "the offline queue is not available")
        from kiosk.channels import CHANNEL_SELF_SERVICE
        from kiosk.submission import Application, Attachment

        attachments = [Attachment(code, pages_to_pdf(pages), "application/pdf")
                       for code, pages in files.items() if pages]
        other = [m for m in application.get("materials", ())
                 if m.get("submission") != "ELECTRONIC_FILE"]
        app = Application(
            impl_code=application["implCode"], applicant=application["applicant"],
            form=application.get("form", {}), attachments=attachments,
            agent=application.get("agent"), delivery=application.get("delivery"),
            other_materials=other, matter_version=application.get("matterVersion"),
            consent_id=application.get("consentId"),
            channel=application.get("channel") or CHANNEL_SELF_SERVICE)
        result = self.submitter.submit(app)
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
        printer = self.device("printer")
        if printer is None:
            return Result.failure("print_failed", "no printer")
        # Here, not at the top: the receipt templates import python-escpos (≈ 0.4 s).
        from kiosk.receipts.intake import print_intake, receipt_from_session

        k = self.settings.kiosk
        data = receipt_from_session(receipt, hall_name=k.hall_name, device_id=k.device_id,
                                    time=datetime.now().astimezone())
        # The printer's own layout: paper width, charset, native or raster QR, cut.
        return print_intake(printer, data)

    def rate(self, evaluation: Mapping[str, Any]) -> Result[None]:
        if self.client is None:
            return Result.failure("offline", "no connection to the platform")
        from kiosk.api.uuid7 import uuid7

        body = {**evaluation,
                "evaluatedAt": datetime.now().astimezone().isoformat(timespec="seconds")}
        try:
            self.client.evaluate(body, idempotency_key=uuid7())
        except Exception as exc:
            log.warning("rating not sent: %s", type(exc).__name__)
            return Result.failure("rate_failed", "rating not sent")
        return Result.success(None)

    def query_status(self, citizen: Citizen | None, ref: str,
                     password: str) -> Result[dict[str, Any]]:
        if self.client is None:
            return Result.failure("status_failed", "no connection to the platform")
        try:
            if citizen is not None:
                session = self._citizen_session(citizen, ["PERSON_BASIC"])
                items = self.client.query_status(cert_no=citizen.cert_no,
                                                 citizen_token=session["sessionToken"])
            else:
                items = self.client.query_status(query_password=password)
                mine = [i for i in items if ref in (i.get("applicationId"), i.get("projId"),
                                                    i.get("clientApplicationId"))]
                items = mine or items
        except Exception as exc:
            log.warning("status query failed: %s", type(exc).__name__)
            return Result.failure("status_failed", "status not available")
        return Result.success({"items": [dict(i) for i in items]})

    # -- OperatorServices (kiosk.operator_services) --

    def login(self, role: str, pin: str) -> Result[str]:
        return self.operator.login(role, pin)

    def audit(self, event: str, actor: str, details: Mapping[str, Any]) -> None:
        self.operator.audit(event, actor, details)

    def record_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        return self.operator.record_receipt(receipt)

    def recent_receipts(self) -> Result[list[ReceiptEntry]]:
        return self.operator.recent_receipts()

    def reprint(self, reference: str, actor: str) -> Result[None]:
        return self.operator.reprint(reference, actor)

    def queue_entries(self) -> Result[list[QueueEntry]]:
        return self.operator.queue_entries()

    def queue_retry(self, item_id: str, actor: str) -> Result[None]:
        return self.operator.queue_retry(item_id, actor)

    def queue_void(self, item_id: str, actor: str) -> Result[None]:
        return self.operator.queue_void(item_id, actor)

    def queue_sync(self, actor: str) -> Result[None]:
        return self.operator.queue_sync(actor)

    def device_reports(self) -> Result[list[DeviceReport]]:
        return self.operator.device_reports()

    def device_test(self, name: str, actor: str) -> Result[str]:
        return self.operator.device_test(name, actor)

    def set_device_offline(self, name: str, offline: bool, actor: str) -> Result[None]:
        return self.operator.set_device_offline(name, offline, actor)

    def export_diagnostics(self, actor: str) -> Result[str]:
        return self.operator.export_diagnostics(actor)

    def out_of_service(self) -> bool:
        return self.operator.out_of_service()

    def set_out_of_service(self, out: bool, actor: str) -> Result[None]:
        return self.operator.set_out_of_service(out, actor)

    def close(self) -> None:
        self._heartbeat_stop.set()
        self._heartbeat_wake.set()
        if self.fleet is not None:
            self.fleet.stop()
        if self._heartbeat_client is not None:
            self._heartbeat_client.close()
        if self.manager is not None:
            self.manager.stop()
        if self.queue is not None:
            self.queue.stop()  # stops the worker, closes its clients and the outbox
        elif self.outbox is not None:
            self.outbox.close()
        if self.client is not None and hasattr(self.client, "close"):
            self.client.close()
        if self.sandbox is not None:
            self.sandbox.stop()


if TYPE_CHECKING:
    from kiosk.services import KioskServices, OperatorServices

    def _conforms(s: AppServices) -> tuple[KioskServices, OperatorServices]:
        return s, s  # mypy checks AppServices against both interfaces here
