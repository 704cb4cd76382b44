"""The citizen session state machine (DESIGN §3). No Qt, no I/O: ``handle(event)`` changes the
state and returns the effects the application layer must run; their outcomes come back as
events. Idle time is measured from the last touch with the clock given at construction and
checked on every ``Tick``."""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.catalog import Catalog, Matter
from kiosk.channels import CHANNEL_SELF_SERVICE, CHANNEL_STAFF
from kiosk.device_roles import DOCUMENT_CAMERA, RECEIPT_PRINTER
from kiosk.privacy import mask_id_number
from kiosk.qr_payload import PayloadKind, classify
from kiosk.session import effects as fx
from kiosk.session.application import (
    build_application,
    form_phone,
    missing_materials,
    receipt_content,
)
from kiosk.session.desk import HOME, DeskStates
from kiosk.session.effects import DeskOp
from kiosk.session.events import (
    Action,
    CaptureDone,
    CardFailed,
    CardRead,
    DeviceChanged,
    Event,
    NetworkResult,
    QrScanned,
    Tap,
    Tick,
)
from kiosk.session.forms import PHONE_RE, field_specs, validate
from kiosk.session.gating import APPLY, QUERY, REQUIRED, service_problems
from kiosk.session.identity import CARD_RETRY_CODES
from kiosk.session.model import DeskData, PrefillValue, SessionData, SubmitOutcome
from kiosk.session.states import KioskMode, State

DELIVERY_MODES = ("WINDOW_PICKUP", "EXPRESS", "ELECTRONIC")
BAD_RATINGS = ("DISSATISFIED", "VERY_DISSATISFIED")
RATINGS = ("VERY_SATISFIED", "SATISFIED", "BASICALLY_SATISFIED") + BAD_RATINGS
OUT_OF_SERVICE = "kiosk:OUT_OF_SERVICE"  # a technician took the kiosk out of service


@dataclass(frozen=True)
class Timeouts:
    idle_s: float = 90.0
    warning_s: float = 20.0
    elderly_factor: float = 2.0
    operator_s: float = 180.0  # staff/technician screens: then logged out (and warned first)
    login_s: float = 45.0  # the PIN pad: back to the home screen, typed digits forgotten

    def idle(self, elderly: bool) -> float:
        return self.idle_s * (self.elderly_factor if elderly else 1.0)

    def warning(self, elderly: bool) -> float:
        return self.warning_s * (self.elderly_factor if elderly else 1.0)


class SessionMachine(DeskStates):
    def __init__(self, catalog: Catalog, timeouts: Timeouts | None = None, *,
                 language: str = "zh_CN", elderly_default: bool = False,
                 face_check: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.catalog = catalog
        self.timeouts = timeouts or Timeouts()
        self.default_language = language
        self.default_elderly = elderly_default
        self.face_check = face_check
        self.clock = clock
        self.state = State.ATTRACT
        self.data = SessionData()
        self.desk = DeskData()  # the logged-in staff member's or technician's screens
        self.language = language
        self.elderly = elderly_default
        self.device_problems: dict[str, str] = {}
        self.maintenance = False
        self.warning_left: int | None = None  # seconds shown in the idle warning
        self.last_activity = clock()
        self.ended_reason = ""

    # -- what the UI reads --

    @property
    def matter(self) -> Matter | None:
        return self.catalog.get(self.data.matter_code) if self.data.matter_code else None

    def services(self) -> dict[str, str]:
        """service → reason it is unavailable ("" = available)."""
        if self.maintenance:
            return {service: OUT_OF_SERVICE for service in REQUIRED}
        return service_problems(self.device_problems)

    @property
    def mode(self) -> KioskMode:
        if self.maintenance:
            return KioskMode.MAINTENANCE
        if self.state is not State.ATTRACT:
            return KioskMode.IN_SESSION
        if all(self.services().values()):
            return KioskMode.OUT_OF_SERVICE
        return KioskMode.IN_SERVICE

    def materials_to_capture(self) -> list[str]:
        m = self.matter
        if m is None:
            return []
        return [x.code for x in m.materials if x.code not in self.data.exempted]

    # -- events --

    def handle(self, event: Event) -> list[fx.Effect]:
        if isinstance(event, Tick):
            return self._tick(event.now)
        if isinstance(event, Tap):
            self.last_activity = self.clock()
            self.warning_left = None
            # Nothing interrupts a submission: its outcome must reach the receipt and audit.
            leaving = self.state is not State.SUBMITTING
            if event.action is Action.FINISH and self.state.holds_citizen_data and leaving:
                return self._end("finished")
            if event.action is Action.LOGOUT and leaving and (
                    self.desk.role or self.state is State.LOGIN):
                return self._end("logout" if self.desk.role else "cancelled")
            if event.action is Action.STILL_HERE:
                return []
        if isinstance(event, DeviceChanged):
            return self._devices(event)
        if isinstance(event, NetworkResult):
            if event.op == "out_of_service":  # read once at start (it survives restarts)
                self.maintenance = bool(event.value)
                return []
            if event.op in fx.DESK_OPS:
                self._desk_result(event)
        handler = getattr(self, "_on_" + self.state.value)
        result: list[fx.Effect] = handler(event)
        return result

    def _tick(self, now: float) -> list[fx.Effect]:
        if not self.state.idle_timed:
            self.warning_left = None
            return []
        idle = now - self.last_activity
        operator = self.state.operator_screen
        limit = self.timeouts.operator_s if operator else self.timeouts.idle(self.elderly)
        if self.state is State.LOGIN:  # a half-typed PIN must not wait for the next person
            limit = min(limit, self.timeouts.login_s)
        if idle >= limit:
            return self._end("idle")
        if idle >= limit - self.timeouts.warning(self.elderly and not operator):
            first = self.warning_left is None
            self.warning_left = max(1, math.ceil(limit - idle))
            return [fx.Speak("idle_warning")] if first and not operator else []
        self.warning_left = None
        return self.desk_tick(now)

    def _devices(self, event: DeviceChanged) -> list[fx.Effect]:
        self.device_problems = {k: v for k, v in event.problems.items() if v}
        return []

    def _go(self, state: State, *effects: fx.Effect) -> list[fx.Effect]:
        self.state = state
        self.data.message = ""
        return [*effects, fx.Speak(state.value)]

    def _end(self, reason: str) -> list[fx.Effect]:
        """The session is over: every piece of citizen data is dropped. After a session a
        staff member started, the kiosk asks for the PIN again (a citizen may be alone at
        it now); idle or logout ends the login for good. Only backing out of the agent
        screen before anybody was recorded returns straight to the staff menu."""
        effects: list[fx.Effect] = []
        if self.state.holds_citizen_data:
            effects.append(self.audit("citizen.session_wiped", reason=reason))
        role = self.desk.role
        to_menu = bool(role) and reason == "cancelled" and self.state is State.AGENT \
            and self.data.agent is None
        self.data.wipe()
        if to_menu:
            home = HOME[role]
            self.desk.busy = self.desk.notice = ""  # results of this session are dropped
        else:
            if role:
                effects.append(self.audit("role.logout", reason=reason))
            self.desk.wipe()
            home = State.ATTRACT
            if role and reason not in ("idle", "logout"):
                self.desk.login_role, home = role, State.LOGIN
        self.state = home
        if home is State.ATTRACT:  # staff keep the language they chose
            self.language = self.default_language
        self.elderly = self.default_elderly
        self.warning_left = None
        self.ended_reason = reason
        self.last_activity = self.clock()
        effects += [fx.StopReading(), fx.StopPreview(), fx.SessionEnded(reason)]
        if home is State.ATTRACT:
            effects.append(fx.WatchQr())
        return effects

    def initial_effects(self) -> list[fx.Effect]:
        """What to start when the kiosk comes up on the home screen."""
        return [fx.WatchQr()]

    # -- one handler per state --

    def _on_attract(self, e: Event) -> list[fx.Effect]:
        services = self.services()
        if isinstance(e, Tap):
            if e.action is Action.TOGGLE_ELDERLY:
                self.elderly = not self.elderly
            elif e.action is Action.SET_LANGUAGE and e.value in ("zh_CN", "en"):
                self.language = str(e.value)
            elif e.action is Action.START_APPLY and not services[APPLY]:
                return self._go(State.IDENTIFY, fx.ReadCard())
            elif e.action is Action.START_QUERY and not services[QUERY]:
                return self._go(State.STATUS_QUERY, fx.ReadCard())
            elif e.action is Action.STAFF_ENTRY:
                self.desk.wipe()
                return self._go(State.LOGIN, fx.StopReading())
        elif isinstance(e, QrScanned):
            payload = classify(e.text)
            if payload.kind is PayloadKind.RECEIPT and not services[QUERY]:
                self.state = State.STATUS_RESULT
                return [fx.StopReading(),
                        fx.QueryStatus(ref=payload.ref, password=payload.password),
                        self.audit("citizen.status_queried", by="receipt_qr")]
            return [fx.WatchQr()]  # not ours (an appointment code…): keep listening
        return []

    def _on_identify(self, e: Event) -> list[fx.Effect]:
        if isinstance(e, CardRead):
            agent = self.data.agent
            if agent and e.citizen.cert_no == agent["certNo"]:
                self.data.message = "applicant_is_agent"  # 代办: the applicant's own card
                return [fx.ReadCard()]
            self.data.citizen = e.citizen
            nxt = State.FACE_CHECK if self.face_check else State.CHOOSE_MATTER
            return self._go(nxt, fx.StopReading(), self._identified())
        if isinstance(e, CardFailed):
            self.data.message = e.code
            return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
        if isinstance(e, Tap):
            if e.action is Action.BACK:
                return self._end("cancelled")
            if e.action is Action.RETRY:
                self.data.message = ""
                return [fx.ReadCard()]
            if e.action is Action.MANUAL_ENTRY and self.desk.role == "staff":
                self.data.manual = {"certType": "RESIDENT_ID_CARD"}
                return self._go(State.MANUAL_ID, fx.StopReading())
        return []

    def _on_face_check(self, e: Event) -> list[fx.Effect]:
        if isinstance(e, Tap) and e.action in (Action.NEXT, Action.SKIP):
            return self._go(State.CHOOSE_MATTER)
        if isinstance(e, Tap) and e.action is Action.BACK:
            return self._end("cancelled")
        return []

    def _on_choose_matter(self, e: Event) -> list[fx.Effect]:
        if isinstance(e, Tap):
            if e.action is Action.SEARCH:
                self.data.search = str(e.value or "")
            elif e.action is Action.SELECT_MATTER and self.catalog.get(str(e.value)):
                self.data.matter_code = str(e.value)
                return self._go(State.GUIDE)
            elif e.action is Action.BACK:
                return self._end("cancelled")
        return []

    def _on_guide(self, e: Event) -> list[fx.Effect]:
        if isinstance(e, Tap):
            if e.action is Action.NEXT:
                return self._go(State.CONSENT)
            if e.action is Action.BACK:
                self.data.matter_code = ""
                return self._go(State.CHOOSE_MATTER)
        return []

    def _on_consent(self, e: Event) -> list[fx.Effect]:
        if not isinstance(e, Tap):
            return []
        d = self.data
        if e.action is Action.AGREE and d.citizen is not None:
            d.consented, d.consent_id = True, secrets.token_hex(16)  # replaced by the platform's
            d.prefill_loading = True
            return self._go(State.FORM, fx.FetchPrefill(d.matter_code, d.citizen, d.consent_id),
                            self.audit("citizen.prefill_consented", implCode=d.matter_code))
        if e.action is Action.DECLINE:
            # Data sharing refused: the citizen fills everything and hands in every material.
            d.consented, d.consent_id, d.prefill, d.exempted = False, "", {}, set()
            return self._go(State.FORM,
                            self.audit("citizen.prefill_declined", implCode=d.matter_code))
        if e.action is Action.BACK:
            return self._go(State.GUIDE)
        return []

    def _on_form(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if isinstance(e, NetworkResult) and e.op == "prefill":
            d.prefill_loading = False
            if not e.ok or not isinstance(e.value, dict):
                d.message = "prefill_failed"
                return []
            known = {s.key for s in field_specs(matter.form_schema)}
            for key, item in (e.value.get("fields") or {}).items():
                if key not in known or not isinstance(item, dict):
                    continue
                d.prefill[key] = PrefillValue(item.get("value"), str(item.get("source", "")),
                                              bool(item.get("editable", True)))
                if key not in d.form and item.get("value") is not None:
                    d.form[key] = item["value"]
            if e.value.get("consentId"):
                d.consent_id = str(e.value["consentId"])  # the platform's consent record
            material_codes = {m.code for m in matter.materials}
            d.exempted = {c for c in e.value.get("exemptedMaterialCodes") or ()
                          if c in material_codes}
            return [self.audit("citizen.prefill_fetched", implCode=matter.code,
                               fields=len(d.prefill), exempted=len(d.exempted))]
        if not isinstance(e, Tap):
            return []
        if e.action is Action.SET_FIELD:
            key, text = e.value
            pre = d.prefill.get(key)
            if pre is not None and not pre.editable:
                return []  # data from the registry: not changeable at the kiosk
            d.form[key] = text
            d.form_errors.pop(key, None)
        elif e.action is Action.NEXT:
            d.form_errors = validate(matter.form_schema, d.form)
            if d.form_errors:
                d.message = "form_errors"
                return []
            return self._enter_materials()
        elif e.action is Action.BACK:
            return self._go(State.CONSENT)
        return []

    def _enter_materials(self) -> list[fx.Effect]:
        todo = self.materials_to_capture()
        if not todo:
            return self._go(State.DELIVERY)
        missing = [c for c in todo if not self.data.pages.get(c)]
        self.data.material_code = (missing or todo)[0]
        return self._go(State.MATERIALS, fx.StartPreview(self.data.material_code))

    def _on_materials(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if isinstance(e, CaptureDone):
            if e.page is not None and e.material_code in self.materials_to_capture():
                d.pages.setdefault(e.material_code, []).append(e.page)
                d.capture_problem = ""
            else:
                d.capture_problem = e.problem or "capture_failed"
            return []
        if not isinstance(e, Tap):
            return []
        if e.action is Action.SELECT_MATERIAL and e.value in self.materials_to_capture():
            d.material_code, d.capture_problem = str(e.value), ""
            return [fx.StartPreview(d.material_code)]
        if e.action is Action.CAPTURE and d.material_code:
            if self.device_problems.get(DOCUMENT_CAMERA):
                d.capture_problem = "camera_unavailable"
                return []
            return [fx.CapturePage(d.material_code)]
        if e.action is Action.DELETE_PAGE:
            code, index = e.value
            pages = d.pages.get(code) or []
            if 0 <= index < len(pages):
                pages.pop(index).wipe()
            return []
        if e.action is Action.NEXT:
            missing = missing_materials(matter, d)
            if missing and self.device_problems.get(DOCUMENT_CAMERA):
                # No dead end: the camera is out, so the originals are shown at the window
                # when the result is collected (PAPER_AT_WINDOW), and the citizen goes on.
                d.paper.update(missing)
                missing = []
            if missing:
                d.message = "materials_missing"
                return []
            return self._go(State.DELIVERY, fx.StopPreview())
        if e.action is Action.BACK:
            return self._go(State.FORM, fx.StopPreview())
        return []

    def _on_delivery(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None and d.citizen is not None
        if not isinstance(e, Tap):
            return []
        if e.action is Action.SET_DELIVERY and e.value in matter.delivery_modes:
            d.delivery_mode = str(e.value)
            if d.delivery_mode == "EXPRESS":
                d.address.setdefault("name", d.citizen.name)
                phone = form_phone(d.form)
                if phone:
                    d.address.setdefault("phone", phone)
        elif e.action is Action.SET_ADDRESS:
            key, text = e.value
            d.address[key] = text
            d.address_errors.pop(key, None)
        elif e.action is Action.NEXT:
            if not d.delivery_mode:
                d.message = "choose_delivery"
                return []
            if d.delivery_mode == "EXPRESS":
                d.address_errors = _address_errors(d.address)
                if d.address_errors:
                    d.message = "form_errors"
                    return []
            return self._go(State.REVIEW)
        elif e.action is Action.BACK:
            return self._enter_materials() if self.materials_to_capture() \
                else self._go(State.FORM)
        return []

    def _on_review(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if not isinstance(e, Tap):
            return []
        if e.action in (Action.CONFIRM, Action.RETRY):
            d.submit_error = ""
            files = {code: [bytes(p.jpeg) for p in pages] for code, pages in d.pages.items()
                     if pages}
            self.state = State.SUBMITTING
            channel = CHANNEL_STAFF if self.desk.role == "staff" else CHANNEL_SELF_SERVICE
            return [fx.Submit(build_application(matter, d, channel), files),
                    fx.Speak("submitting")]
        if e.action is Action.BACK:
            return self._go(State.DELIVERY)
        return []

    def _on_submitting(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if isinstance(e, NetworkResult) and e.op == "submit":
            if not e.ok or not isinstance(e.value, SubmitOutcome):
                # Nothing was stored (e.g. the queue refused: disk full): say so, allow retry.
                d.submit_error = e.error or "submit_failed"
                self.state = State.REVIEW
                return []
            d.outcome = e.value
            self.last_activity = self.clock()
            receipt = receipt_content(matter, d)
            confirmed = self.audit(
                "application.confirmed", reference=d.outcome.client_application_id,
                implCode=matter.code, delivered=d.outcome.delivered,
                agentKind=d.agent["kind"] if d.agent else None)
            # Kept (masked, encrypted) first, so staff can reprint it if the printer fails.
            return [confirmed, fx.Desk(DeskOp.RECORD_RECEIPT, (receipt,)),
                    *self._go(State.RECEIPT), *self._print(receipt)]
        return []

    def _print(self, receipt: dict[str, object]) -> list[fx.Effect]:
        d = self.data
        if self.device_problems.get(RECEIPT_PRINTER):
            d.printing, d.print_error = False, f"{RECEIPT_PRINTER}:" + self.device_problems[
                RECEIPT_PRINTER]
            return []
        d.printing, d.print_error = True, ""
        return [fx.PrintReceipt(receipt)]

    def _on_receipt(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if isinstance(e, NetworkResult) and e.op == "print":
            d.printing = False
            d.printed = e.ok
            d.print_error = "" if e.ok else (e.error or "print_failed")
            if not e.ok:
                return []
            assert d.outcome is not None
            return [fx.Speak("take_receipt"),
                    self.audit("receipt.printed", reference=d.outcome.client_application_id)]
        if isinstance(e, Tap):
            if e.action is Action.RETRY and not d.printing:
                return self._print(receipt_content(matter, d))
            if e.action is Action.NEXT and not d.printing:
                return self._go(State.RATING)
        return []

    def _on_rating(self, e: Event) -> list[fx.Effect]:
        d = self.data
        if not isinstance(e, Tap):
            return []
        if e.action is Action.RATE and e.value in RATINGS:
            d.rating, d.rating_error = str(e.value), ""
            if d.rating not in BAD_RATINGS:
                d.reasons.clear()
        elif e.action is Action.TOGGLE_REASON and e.value:
            d.reasons.symmetric_difference_update({str(e.value)})
            d.rating_error = ""
        elif e.action is Action.CONFIRM:
            if not d.rating:
                d.rating_error = "choose_rating"
                return []
            if d.rating in BAD_RATINGS and not d.reasons:
                d.rating_error = "reasons_required"
                return []
            evaluation = self._evaluation()
            return [fx.SendRating(evaluation), *self._end("rated")]
        elif e.action is Action.SKIP:
            return self._end("finished")
        return []

    def _evaluation(self) -> dict[str, object]:
        d = self.data
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

    def _on_status_query(self, e: Event) -> list[fx.Effect]:
        d = self.data
        if isinstance(e, CardRead):
            d.citizen = e.citizen
            self.state = State.STATUS_RESULT
            return [fx.StopReading(), fx.QueryStatus(citizen=e.citizen),
                    self.audit("citizen.status_queried", by="idcard",
                               certNo=mask_id_number(e.citizen.cert_no))]
        if isinstance(e, QrScanned):
            payload = classify(e.text)
            if payload.kind is PayloadKind.RECEIPT:
                self.state = State.STATUS_RESULT
                return [fx.StopReading(), fx.QueryStatus(ref=payload.ref,
                                                         password=payload.password),
                        self.audit("citizen.status_queried", by="receipt_qr")]
            d.message = "qr_unknown"
            return []
        if isinstance(e, CardFailed):
            d.message = e.code
            return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
        if isinstance(e, Tap) and e.action is Action.BACK:
            return self._end("cancelled")
        return []

    def _on_status_result(self, e: Event) -> list[fx.Effect]:
        d = self.data
        if isinstance(e, NetworkResult) and e.op == "status":
            if e.ok:
                d.status_result = e.value if isinstance(e.value, dict) else {"items": e.value}
            else:
                d.status_error = e.error or "status_failed"
            return []
        if isinstance(e, Tap) and e.action is Action.BACK:
            return self._end("finished")
        return []


def _address_errors(address: dict[str, str]) -> dict[str, str]:
    errors = {}
    for key in ("name", "phone", "addressDetail"):
        if not str(address.get(key, "")).strip():
            errors[key] = "required"
    if "phone" not in errors and not PHONE_RE.match(address["phone"].strip()):
        errors["phone"] = "phone"
    return errors
