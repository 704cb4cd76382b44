"""The citizen session state machine (DESIGN §3). No Qt, no I/O: ``handle(event)`` changes the
state and returns the effects the application layer must run; their outcomes come back as
events. Idle time is measured from the last touch with the clock given at construction and
checked on every ``Tick``."""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from kiosk.catalog import Catalog, Material, Matter
from kiosk.channels import CHANNEL_SELF_SERVICE, CHANNEL_STAFF
from kiosk.device_roles import DOCUMENT_CAMERA, RECEIPT_PRINTER
from kiosk.privacy import mask_id_number
from kiosk.promise import signature_problem
from kiosk.qr_payload import PayloadKind, classify
from kiosk.ratings import BAD_RATINGS, BAD_REASONS, RATINGS
from kiosk.session import bundle
from kiosk.session import effects as fx
from kiosk.session.a4 import handle_a4
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
from kiosk.session.forms import PHONE_RE, field_specs, toggled, validate
from kiosk.session.gating import (
    APPLY,
    QUERY,
    REQUIRED,
    matter_needs,
    matter_problem,
    service_problems,
)
from kiosk.session.identity import CARD_RETRY_CODES
from kiosk.session.model import Citizen, DeskData, PrefillValue, SessionData, SubmitOutcome
from kiosk.session.navmap import STEPS, BackTo, back_state, next_state, progress
from kiosk.session.states import SETTLE_GUARDED, KioskMode, State
from kiosk.session.supplement_receipt import handle_supplement_print, supplement_submitted

OUT_OF_SERVICE = "kiosk:OUT_OF_SERVICE"
FACE_LEVELS = ("off", "optional", "required")
MAX_PAGES = 20  # pages of one material when the catalog names no limit  # a technician took the kiosk out of service


@dataclass(frozen=True)
class Timeouts:
    idle_s: float = 90.0
    warning_s: float = 20.0
    elderly_factor: float = 2.0
    operator_s: float = 180.0  # staff/technician screens: then logged out (and warned first)
    login_s: float = 45.0  # the PIN pad: back to the home screen, typed digits forgotten
    # A second tap of a double tap lands on the next screen at the same spot: navigation
    # taps this soon after a screen appeared are ignored (touch-ux: double-tap interval).
    settle_s: float = 0.4
    # The receipt stays until the citizen has had time to see the case number and password.
    receipt_dwell_s: float = 4.0
    # After rating (or 完成 without rating) the home screen says thank you this long.
    farewell_s: float = 6.0

    def idle(self, elderly: bool) -> float:
        return self.idle_s * (self.elderly_factor if elderly else 1.0)

    def warning(self, elderly: bool) -> float:
        return self.warning_s * (self.elderly_factor if elderly else 1.0)


class SessionMachine(DeskStates):
    def __init__(self, catalog: Catalog, timeouts: Timeouts | None = None, *,
                 language: str = "zh_CN", elderly_default: bool = False,
                 face_policy: str = "off", face_attempts: int = 3,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.catalog = catalog
        self.timeouts = timeouts or Timeouts()
        self.default_language = language
        self.default_elderly = elderly_default
        # [identity] face_check: "off" | "optional" | "required" (docs/identity.md)
        self.face_policy = face_policy
        self.face_attempts = face_attempts
        self.clock = clock
        self.entered_at = clock()
        self._state = State.ATTRACT
        self.data = SessionData()
        self.desk = DeskData()  # the logged-in staff member's or technician's screens
        self.language = language
        self.elderly = elderly_default
        self.device_problems: dict[str, str] = {}
        self.maintenance = False
        self.warning_left: int | None = None  # seconds shown in the idle warning
        self.last_activity = clock()
        self.ended_reason = ""
        self.ignored_taps = 0  # taps dropped by the settle guard (tests and selftest read it)
        self._farewell, self._farewell_at = "", 0.0
        # 呼叫帮办: the open help request of this kiosk ({requestId, ticketNo, status}: no
        # personal data; it outlives the session until staff log in here), the call in flight.
        self.help: dict[str, str] | None = None
        self.help_calling = False
        self.help_error = ""
        # One handler per state; a test checks that none is missing.
        self.handlers: dict[State, Callable[[Event], list[fx.Effect]]] = {
            State.ATTRACT: self._on_attract, State.IDENTIFY: self._on_identify,
            State.FACE_CHECK: self._on_face_check, State.CHOOSE_MATTER: self._on_choose_matter,
            State.GUIDE: self._on_guide, State.CONSENT: self._on_consent,
            State.FORM: self._on_form, State.MATERIALS: self._on_materials,
            State.DELIVERY: self._on_delivery, State.REVIEW: self._on_review,
            State.PAYMENT: self._on_payment, State.SUPPLEMENT: self._on_supplement,
            State.PROMISE: self._on_promise,
            State.SUPPLEMENT_DONE: self._on_supplement_done,
            State.SUBMITTING: self._on_submitting, State.RECEIPT: self._on_receipt,
            State.RATING: self._on_rating, State.STATUS_QUERY: self._on_status_query,
            State.STATUS_RESULT: self._on_status_result, State.LOGIN: self._on_login,
            State.STAFF_MENU: self._on_staff_menu, State.AGENT: self._on_agent,
            State.MANUAL_ID: self._on_manual_id, State.STAFF_QUEUE: self._on_staff_queue,
            State.STAFF_REPRINT: self._on_staff_reprint, State.TECH_MENU: self._on_tech_menu,
        }

    @property
    def state(self) -> State:
        return self._state

    @state.setter
    def state(self, state: State) -> None:
        if state is not self._state:
            self.entered_at = self.clock()
        self._state = state

    def progress(self) -> tuple[int, int] | None:
        """(N, M) for "第 N 步，共 M 步" on the current screen, from the navigation map."""
        return progress(self.state, self)

    def settled(self) -> bool:
        """True once a navigation tap on this screen is taken as meant for it."""
        return self.clock() - self.entered_at >= self.timeouts.settle_s

    def receipt_ready(self) -> bool:
        """The citizen may leave the receipt: printing is over and it was on screen long
        enough to be read (a double tap on 确认提交 must not skip it)."""
        return (self.state is State.RECEIPT and not self.data.printing
                and self.clock() - self.entered_at >= self.timeouts.receipt_dwell_s)

    def farewell(self) -> str:
        """"rated" or "finished" while the home screen thanks the citizen who just left
        (their data is already wiped), else ""."""
        if self.state is not State.ATTRACT or not self._farewell:
            return ""
        if self.clock() - self._farewell_at >= self.timeouts.farewell_s:
            return ""
        return self._farewell

    def _close_farewell(self, keep_language: bool = False) -> None:
        """The next person starts in the kiosk's default language and look (staff who stay
        logged in keep theirs)."""
        self._farewell = ""
        if not keep_language:
            self.language = self.default_language
        self.elderly = self.default_elderly

    def has_work(self) -> bool:
        """Would ending now throw away something the citizen (or staff) typed, chose or
        photographed that is not stored yet?"""
        d = self.data
        if d.outcome is not None:  # stored and receipted: nothing is lost by leaving
            return False
        return bool(d.matter_code or d.form or any(d.pages.values()) or d.agent
                    or any(v for k, v in d.agent_form.items() if k not in ("kind", "certType"))
                    or any(v for k, v in d.manual.items() if k != "certType"))

    def view_clock(self) -> tuple[object, ...]:
        """What a clock tick can change on screen; the window redraws on a tick only when
        this changed."""
        return (self.state, self.warning_left, self.receipt_ready(), self.data.confirm_finish,
                self.farewell(), self.payment_left())

    # -- 统一公共支付 --

    def matter_chosen(self) -> bool:
        return self.matter is not None

    def pays_at_kiosk(self) -> bool:
        """This application's fee is paid at the kiosk (a payment step follows review)."""
        m = self.matter
        return m is not None and m.pays_at_kiosk

    def payment_pending(self) -> bool:
        p = self.data.payment
        return p is not None and p.get("status") == "PENDING"

    def payment_paid(self) -> bool:
        p = self.data.payment
        return p is not None and p.get("status") == "PAID"

    def payment_left(self) -> int | None:
        """Whole seconds until the order expires, while it waits on the payment screen."""
        if self.state is not State.PAYMENT or not self.payment_pending():
            return None
        return max(0, math.ceil(self.data.payment_deadline - self.clock()))

    # -- what the UI reads --

    @property
    def matter(self) -> Matter | None:
        return self.catalog.get(self.data.matter_code) if self.data.matter_code else None

    def services(self) -> dict[str, str]:
        """service → reason it is unavailable ("" = available). Applying stays available
        while any matter of the catalog can be done with the devices usable now."""
        if self.maintenance:
            return {service: OUT_OF_SERVICE for service in REQUIRED}
        needs = [matter_needs(s) for s in self.catalog.device_sets]
        return service_problems(self.device_problems, matters=needs or None)

    def matter_problem(self, matter: Matter) -> str:
        """Why this matter cannot be done now ("role:CODE"; "" = it can): a device its
        catalog entry needs (``kioskDevices``) has no usable device. Staff assisting a
        citizen are not held back by a device (they reprint receipts, take originals at the
        window), as with the services; only an out-of-service kiosk stops them."""
        if self.desk.role == "staff":
            return matter_problem(matter.kiosk_devices, {}, self.maintenance)
        return matter_problem(matter.kiosk_devices, self.device_problems, self.maintenance,
                              face_required=self.face_level(matter) == "required")

    @property
    def mode(self) -> KioskMode:
        if self.maintenance:
            return KioskMode.MAINTENANCE
        if self.state is not State.ATTRACT:
            return KioskMode.IN_SESSION
        if all(self.services().values()):
            return KioskMode.OUT_OF_SERVICE
        return KioskMode.IN_SERVICE

    def page_limit(self, material_code: str = "") -> int:
        """Most pages one material takes (the catalog's ``maxPages``, else 20)."""
        m, code = self.matter, material_code or self.data.material_code
        if m is not None:
            for mat in m.materials:
                if mat.code == code and mat.max_pages:
                    return mat.max_pages
        return MAX_PAGES

    def face_level(self, matter: Matter | None = None) -> str:
        """"off" | "optional" | "required" for this session: the stricter of the kiosk's
        policy and the chosen matter's (or ``matter``'s) level — none at all where the kiosk
        has no face check."""
        if self.face_policy not in FACE_LEVELS[1:]:
            return "off"
        m = matter or self.matter
        matter_level = m.face_check if m is not None else "off"
        return FACE_LEVELS[max(FACE_LEVELS.index(self.face_policy),
                               FACE_LEVELS.index(matter_level))]

    def face_check_needed(self) -> bool:
        """Is the face step part of this journey? Only a card read is compared (an e-ID login
        or an identity checked by staff is not); once matched, or skipped where optional,
        it is done."""
        c = self.data.citizen
        if c is None or c.method != "IDCARD":
            return False
        level = self.face_level()
        return level == "required" or (level == "optional" and not self.data.face_skipped)

    def materials(self) -> tuple[bundle.Scoped, ...]:
        """The materials of this application (一件事: those of the chosen sub-matters, each
        with the sub-matters it serves); in 补齐补正 those the department asked for."""
        m = self.matter
        if m is None:
            return ()
        if self.data.supplement is not None:
            asked = [str(x.get("materialCode")) for x in self.data.supplement["materials"]]
            known = {x.code: x for x in m.materials}
            return tuple(bundle.Scoped(known.get(c) or Material(c, self._asked_name(c), True,
                                                                None)) for c in asked)
        return bundle.materials(m, self.data.form)

    def _asked_name(self, code: str) -> str:
        sup = self.data.supplement or {}
        return next((str(x.get("name") or code) for x in sup.get("materials", ())
                     if x.get("materialCode") == code), code)

    def promising(self) -> bool:
        """Some material is to be replaced by the applicant's signed promise (告知承诺)."""
        return bool(self.promised_materials())

    def promised_materials(self) -> list[Material]:
        return [s.material for s in self.materials()
                if s.code in self.data.promised and s.material.promisable]

    def supplementing(self) -> bool:
        """A case asked for materials is being supplemented (补齐补正)."""
        return self.data.supplement is not None

    def material(self, code: str) -> Material | None:
        return next((s.material for s in self.materials() if s.code == code), None)

    def form_schema(self) -> Mapping[str, Any]:
        """The form as asked now (一件事: the fields of the chosen sub-matters)."""
        m = self.matter
        if m is None:
            return {"type": "object", "properties": {}}
        return bundle.form_schema(m, self.data.form)

    def materials_to_capture(self) -> list[str]:
        return [x.code for x in self.materials() if x.code not in self.data.exempted
                or self.data.supplement is not None]

    # -- events --

    def handle(self, event: Event) -> list[fx.Effect]:
        effects = self._handle(event)
        if self.help is not None and self.desk.role == "staff":
            # Staff logged in at this kiosk: they are here, the help request is handled.
            request, self.help = self.help, None
            effects = [*effects, fx.HelpHandled(request["requestId"]),
                       self.audit("help.handled", ticketNo=request["ticketNo"])]
        return effects

    def help_offered(self) -> bool:
        """The 呼叫帮办 button: on a citizen's screens (not while submitting, not on the
        rating, not when staff are already here)."""
        return (self.state.holds_citizen_data or self.state is State.ATTRACT) \
            and self.state not in (State.SUBMITTING, State.RATING) and not self.desk.role

    def _call_help(self) -> list[fx.Effect]:
        if self.help is not None or self.help_calling or not self.help_offered():
            return []  # one request at a time: its number stays on screen
        self.help_calling, self.help_error = True, ""
        return [fx.CallHelp(self.state.value), self.audit("help.requested",
                                                         step=self.state.value)]

    def _handle(self, event: Event) -> list[fx.Effect]:
        extra = handle_a4(self, event)  # 打印A4文书 (kiosk.session.a4)
        if extra is None:  # 补正回执 (kiosk.session.supplement_receipt)
            extra = handle_supplement_print(self, event)
        if extra is not None:
            return extra
        if isinstance(event, NetworkResult) and event.op == "help":
            self.help_calling = False
            if event.ok and isinstance(event.value, dict):
                self.help = {k: str(event.value.get(k, "")) for k in
                             ("requestId", "ticketNo", "status")}
            else:
                self.help_error = event.error or "help_unavailable"
            return []
        if isinstance(event, Tap) and event.action is Action.CALL_HELP:
            self.last_activity = self.clock()
            self.warning_left = None
            return self._call_help()
        if isinstance(event, Tick):
            return self._tick(event.now)
        if isinstance(event, Tap):
            self.last_activity = self.clock()
            self.warning_left = None
            if event.action in SETTLE_GUARDED and not self.settled():
                self.ignored_taps += 1
                return []  # the second tap of a double tap, landing on the new screen
            # Nothing interrupts a submission: its outcome must reach the receipt and audit.
            leaving = self.state is not State.SUBMITTING
            if event.action is Action.FINISH_CONFIRM and self.state.holds_citizen_data \
                    and leaving:
                return self._end("finished")  # the answer to "end and wipe?" or the idle warning
            if self.data.confirm_finish:
                self.data.confirm_finish = False  # any other answer keeps the work
                return []
            if event.action is Action.FINISH and self.state.holds_citizen_data and leaving:
                if self.has_work():
                    self.data.confirm_finish = True  # ask first: 继续办理 is the default
                    return []
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
        return self.handlers[self.state](event)

    def _tick(self, now: float) -> list[fx.Effect]:
        if self._farewell and not self.farewell():
            self._close_farewell()
        if not self.state.idle_timed:
            self.warning_left = None
            return []
        if self.state is State.PAYMENT and self.payment_pending() \
                and now < self.data.payment_deadline:
            # The citizen is paying on the phone, not touching the screen: not idle.
            self.last_activity = now
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
        """Show ``state``: the leave hook of the current step and the enter hook of the new
        one (navigation map) run around the given effects."""
        hooks: list[fx.Effect] = []
        old = STEPS.get(self.state)
        if old is not None and old.leave and state is not self.state:
            hooks += self._hook(old.leave)
        self.state = state
        self.data.message = ""
        new = STEPS.get(state)
        if new is not None and new.enter:
            hooks += self._hook(new.enter)
        return [*hooks, *effects, fx.Speak(state.value)]

    def forward(self, *effects: fx.Effect) -> list[fx.Effect]:
        """On to the next step of this journey (navigation map)."""
        nxt = next_state(self.state, self)
        if nxt is None:
            return self._end("finished")
        return self._go(nxt, *effects)

    def back(self, *effects: fx.Effect) -> list[fx.Effect]:
        """One step back (navigation map): the previous step, or the end of the session."""
        where = back_state(self.state, self)
        if where is BackTo.END:
            return [*effects, *self._end("cancelled")]
        if where is BackTo.NOWHERE:
            return list(effects)
        assert isinstance(where, State)
        return self._go(where, *effects)

    def _hook(self, name: str) -> list[fx.Effect]:
        hooks: dict[str, Callable[[], list[fx.Effect]]] = {
            "start_card_reading": lambda: [fx.ReadCard()],
            "stop_reading": lambda: [fx.StopReading()],
            "start_materials": self._start_materials,
            "stop_preview": lambda: [fx.StopPreview()],
            "start_face": self._start_face,
            "stop_face": lambda: [fx.StopFace()],
            "start_delivery": self._start_delivery,
            "start_payment": self._start_payment,
        }
        return hooks[name]()

    def _end(self, reason: str) -> list[fx.Effect]:
        """The session is over: every piece of citizen data is dropped. After a session a
        staff member started, the kiosk asks for the PIN again (a citizen may be alone at
        it now); idle or logout ends the login for good. Only backing out of the agent
        screen before anybody was recorded returns straight to the staff menu."""
        effects: list[fx.Effect] = []
        if self.state.holds_citizen_data:
            effects.append(self.audit("citizen.session_wiped", reason=reason))
        role, staff_no = self.desk.role, self.desk.staff_no
        to_menu = bool(role) and reason == "cancelled" and self.state is State.AGENT \
            and self.data.agent is None
        # Thanks (and "take your card and receipt") for whoever leaves with a receipt.
        thanks = reason in ("rated", "finished") and self.data.outcome is not None
        if self.payment_pending():  # nobody will pay it now: the order is cancelled
            assert self.data.payment is not None
            effects.append(fx.CancelPayment(str(self.data.payment["paymentId"])))
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
                # The same person logs in again with the PIN alone (or the QR).
                self.desk.staff_input = staff_no
        self.state = home
        self.warning_left = None
        self.ended_reason = reason
        self.last_activity = self.clock()
        self._farewell = reason if home is State.ATTRACT and thanks else ""
        self._farewell_at = self.last_activity
        if not self._farewell:  # else the thank-you is in the language of who just left
            self._close_farewell(keep_language=home is not State.ATTRACT)
        effects += [fx.StopReading(), fx.StopPreview(), fx.StopFace(), fx.SessionEnded(reason)]
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
            if self._farewell:
                self._close_farewell()  # the first touch clears the thank-you, nothing more
                return []
            if e.action is Action.TOGGLE_ELDERLY:
                self.elderly = not self.elderly
            elif e.action is Action.SET_LANGUAGE and e.value in ("zh_CN", "en"):
                self.language = str(e.value)
            elif e.action is Action.START_APPLY and not services[APPLY]:
                return self._go(State.IDENTIFY)
            elif e.action is Action.START_QUERY and not services[QUERY]:
                return self._go(State.STATUS_QUERY)
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
            return self.forward(self._identified())
        if isinstance(e, CardFailed):
            self.data.message = e.code
            return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
        if isinstance(e, QrScanned):
            return self._identify_qr(e.text)
        if isinstance(e, NetworkResult) and e.op == "eid":
            return self._eid_result(e)
        if isinstance(e, Tap):
            if e.action is Action.BACK:
                return self.back()
            if e.action is Action.RETRY:
                self.data.message = ""
                return [fx.ReadCard()]
            if e.action is Action.MANUAL_ENTRY and self.desk.role == "staff":
                self.data.manual = {"certType": "RESIDENT_ID_CARD"}
                return self._go(State.MANUAL_ID, fx.StopReading())
        return []

    def _identify_qr(self, text: str) -> list[fx.Effect]:
        """A code on the identify screen: an e-ID code goes to the platform; anything else
        is named plainly and the card reading goes on (the scan ended this round)."""
        d = self.data
        if d.eid_checking:
            return []
        payload = classify(text)
        if payload.kind is PayloadKind.EID and not d.agent:
            d.eid_checking, d.message = True, "eid_checking"
            return [fx.StopReading(), fx.VerifyEid(payload.text)]
        d.message = {PayloadKind.RECEIPT: "qr_is_receipt",
                     PayloadKind.APPOINTMENT: "qr_is_appointment"}.get(payload.kind,
                                                                       "qr_not_identity")
        return [fx.ReadCard()]

    def _eid_result(self, e: NetworkResult) -> list[fx.Effect]:
        d = self.data
        d.eid_checking = False
        if e.ok and isinstance(e.value, Citizen):
            d.citizen = e.value
            return self.forward(self._identified())
        d.message = e.error if e.error in ("eid_expired", "eid_invalid") else "eid_unavailable"
        return [fx.ReadCard(), self.audit("citizen.eid_refused", reason=d.message)]

    def _start_face(self) -> list[fx.Effect]:
        d = self.data
        if d.face_status == "to_staff" or d.citizen is None:
            return []
        d.face_status, d.face_reason = "running", ""
        return [fx.VerifyFace(d.citizen.cert_type, d.citizen.cert_no)]

    def _on_face_check(self, e: Event) -> list[fx.Effect]:
        d = self.data
        if isinstance(e, NetworkResult) and e.op == "face" and d.face_status == "running":
            return self._face_result(e)
        if not isinstance(e, Tap):
            return []
        if e.action is Action.RETRY and d.face_status in ("failed", "unavailable"):
            return self._start_face()
        if e.action is Action.SKIP and self.face_level() == "optional" \
                and d.face_status != "to_staff":
            d.face_skipped = True
            return self.forward()
        if e.action is Action.BACK:
            d.face_status = "" if d.face_status != "to_staff" else d.face_status
            return self.back()
        return []

    def _face_result(self, e: NetworkResult) -> list[fx.Effect]:
        d = self.data
        assert d.citizen is not None
        decision = getattr(e.value, "decision", "") if e.ok else ""
        if decision == "MATCH":
            d.citizen = replace(d.citizen, method="IDCARD_FACE")
            d.face_status = "matched"
            return self.forward(self.audit("citizen.face_verified",
                                           certNo=mask_id_number(d.citizen.cert_no),
                                           attempt=d.face_attempts + 1))
        if not e.ok:  # no camera picture, or the platform did not answer: not the citizen's fault
            d.face_reason = e.error or "face_unavailable"
            # Without a face camera a required check cannot happen here: staff take over.
            no_camera = d.face_reason == "camera_unavailable" and self.face_level() == "required"
            d.face_status = "to_staff" if no_camera else "unavailable"
            return [fx.Speak("face_to_staff")] if no_camera else []
        d.face_attempts += 1
        d.face_reason = decision or "NO_MATCH"
        final = d.face_attempts >= self.face_attempts or decision == "NO_REFERENCE"
        d.face_status = "to_staff" if final else "failed"
        audit = self.audit("citizen.face_failed", decision=d.face_reason,
                           attempt=d.face_attempts, final=final)
        return [audit, fx.Speak("face_to_staff" if final else "face_retry")]

    def _on_choose_matter(self, e: Event) -> list[fx.Effect]:
        if isinstance(e, Tap):
            if e.action is Action.SEARCH:
                self.data.search = str(e.value or "")
            elif e.action is Action.SELECT_MATTER and self.catalog.get(str(e.value)):
                chosen = self.catalog.get(str(e.value))
                assert chosen is not None
                if self.matter_problem(chosen):  # greyed: its device is out
                    return []
                self.data.matter_code = str(e.value)
                return self.forward()
            elif e.action is Action.BACK:
                return self.back()
        return []

    def _on_guide(self, e: Event) -> list[fx.Effect]:
        if isinstance(e, Tap):
            if e.action is Action.NEXT:
                return self.forward()
            if e.action is Action.BACK:
                self.data.matter_code = ""
                return self.back()
        return []

    def _on_consent(self, e: Event) -> list[fx.Effect]:
        if not isinstance(e, Tap):
            return []
        d = self.data
        if e.action in (Action.AGREE, Action.DECLINE):
            self._identity_defaults()
        if e.action is Action.AGREE and d.citizen is not None:
            d.consented, d.consent_id = True, secrets.token_hex(16)  # replaced by the platform's
            d.prefill_loading = True
            return self.forward(fx.FetchPrefill(d.matter_code, d.citizen, d.consent_id),
                                self.audit("citizen.prefill_consented", implCode=d.matter_code))
        if e.action is Action.DECLINE:
            # Data sharing refused: the citizen fills everything and hands in every material.
            d.consented, d.consent_id, d.prefill, d.exempted = False, "", {}, set()
            return self.forward(self.audit("citizen.prefill_declined", implCode=d.matter_code))
        if e.action is Action.BACK:
            return self.back()
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
        elif e.action is Action.TOGGLE_CHOICE:
            key, value = e.value
            spec = next((s for s in field_specs(matter.form_schema)
                         if s.key == key and s.widget == "checklist"), None)
            if spec is not None and value in dict(spec.choices):
                d.form[key] = toggled(spec, d.form.get(key), str(value))
                d.form_errors.pop(key, None)
        elif e.action is Action.NEXT:
            d.form_errors = validate(self.form_schema(), bundle.shown_form(matter, d.form))
            if d.form_errors:
                d.message = "form_errors"
                return []
            return self.forward()
        elif e.action is Action.BACK:
            return self.back()
        return []

    def _identity_defaults(self) -> None:
        """Fields that ask for the applicant's own identity (``x-prefill: person.name`` …)
        start with what the card (or the staff-typed entry) said: that is the citizen's own
        data, not shared data, so it is filled whether or not sharing was agreed."""
        d, matter = self.data, self.matter
        if matter is None or d.citizen is None:
            return
        known = {"person.name": d.citizen.name, "person.certNo": d.citizen.cert_no,
                 "person.householdAddress": d.citizen.address}
        props = matter.form_schema.get("properties") or {}
        for key, prop in props.items():
            source = prop.get("x-prefill") if isinstance(prop, dict) else None
            value = known.get(str(source)) if source else None
            if value and not d.form.get(key):
                d.form[key] = value

    def _residence_address(self) -> str:
        """The address the citizen's form already holds (prefilled by data sharing with
        consent, or typed): the express address starts from it."""
        matter = self.matter
        if matter is None or not self.data.consented:
            return ""
        props = matter.form_schema.get("properties") or {}
        for key, prop in props.items():
            source = str(prop.get("x-prefill", "")) if isinstance(prop, dict) else ""
            if source in ("person.residenceAddress", "person.householdAddress") and \
                    self.data.form.get(key):
                return str(self.data.form[key])
        return ""

    def _start_materials(self) -> list[fx.Effect]:
        """Entering the materials step: the first material still missing is current."""
        todo = self.materials_to_capture()
        missing = [c for c in todo if not self.data.pages.get(c)]
        self.data.material_code = (missing or todo)[0]
        return [fx.StartPreview(self.data.material_code)]

    def _on_materials(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if isinstance(e, CaptureDone):
            if e.page is not None and e.material_code in self.materials_to_capture():
                pages = d.pages.setdefault(e.material_code, [])
                if len(pages) >= self.page_limit(e.material_code):
                    e.page.wipe()  # not kept: the citizen must delete a page first
                    d.capture_problem = "page_limit"
                    return []
                pages.append(e.page)
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
            if len(d.pages.get(d.material_code) or []) >= self.page_limit():
                d.capture_problem = "page_limit"
                return []
            if self.device_problems.get(DOCUMENT_CAMERA):
                d.capture_problem = "camera_unavailable"
                return []
            return [fx.CapturePage(d.material_code)]
        if e.action is Action.PROMISE and self.data.supplement is None:
            mat = self.material(str(e.value))
            if mat is not None and mat.promisable:  # 承诺代替材料, or back to photographing
                d.promised.symmetric_difference_update({mat.code})
                d.signature, d.signature_problem = [], ""  # a new promise is signed anew
                d.message = ""
            return []
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
            return self.forward()
        if e.action is Action.BACK:
            return self.back()
        return []

    def _start_delivery(self) -> list[fx.Effect]:
        """One way to get the result: it is chosen already (the citizen only checks it)."""
        matter = self.matter
        if matter is not None and len(matter.delivery_modes) == 1 and \
                not self.data.delivery_mode:
            return self._on_delivery(Tap(Action.SET_DELIVERY, matter.delivery_modes[0]))
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
                home = self._residence_address()
                if home:
                    d.address.setdefault("addressDetail", home)
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
            return self.forward()
        elif e.action is Action.BACK:
            return self.back()
        return []

    def _on_review(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if not isinstance(e, Tap):
            return []
        if e.action in (Action.CONFIRM, Action.RETRY):
            d.submit_error = ""
            if self.pays_at_kiosk() and not (self.payment_paid() or d.pay_later):
                return self.forward()  # the fee first (统一公共支付), then the application
            return self._submit()
        if e.action is Action.BACK:
            return self.back()
        return []

    def _submit(self) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        promised = self.promised_materials()
        # 一件事: of the chosen sub-matters; a promised material goes as its 承诺书 instead
        wanted = set(self.materials_to_capture()) - {x.code for x in promised}
        files = {code: [bytes(p.jpeg) for p in pages] for code, pages in d.pages.items()
                 if pages and code in wanted}
        promises = tuple(fx.PromiseDoc(x.code, x.name, x.promise_text, tuple(d.signature))
                         for x in promised)
        self.state = State.SUBMITTING
        channel = CHANNEL_STAFF if self.desk.role == "staff" else CHANNEL_SELF_SERVICE
        return [fx.Submit(build_application(matter, d, channel), files, promises),
                fx.Speak("submitting")]

    def _on_promise(self, e: Event) -> list[fx.Effect]:
        """告知承诺: the 承诺书 is read and signed on the screen (strokes kept in memory)."""
        d = self.data
        if not isinstance(e, Tap):
            return []
        if e.action is Action.ADD_STROKE and isinstance(e.value, tuple | list):
            stroke = tuple((min(1.0, max(0.0, float(x))), min(1.0, max(0.0, float(y))))
                           for x, y in e.value)
            if stroke:
                d.signature.append(stroke)
                d.signature_problem = ""
        elif e.action is Action.CLEAR_SIGNATURE:
            d.signature, d.signature_problem = [], ""
        elif e.action in (Action.NEXT, Action.CONFIRM):
            d.signature_problem = signature_problem(d.signature)
            if d.signature_problem:
                return []
            return self.forward(self.audit("citizen.promise_signed",
                                           materials=sorted(d.promised)))
        elif e.action is Action.BACK:
            d.signature, d.signature_problem = [], ""
            return self.back()
        return []

    def _start_payment(self) -> list[fx.Effect]:
        """Entering the payment step: a new order, unless one is still waiting."""
        d, matter = self.data, self.matter
        assert matter is not None
        if self.payment_pending():
            assert d.payment is not None
            return [fx.PollPayment(str(d.payment["paymentId"]))]
        d.payment, d.payment_error = None, ""
        return [fx.CreatePayment(matter.code, matter.fee_fen)]

    def _on_payment(self, e: Event) -> list[fx.Effect]:
        d, matter = self.data, self.matter
        assert matter is not None
        if isinstance(e, NetworkResult) and e.op == "payment_created":
            if not e.ok or not isinstance(e.value, dict):
                d.payment_error = e.error or "payment_unavailable"
                return []
            d.payment = dict(e.value)
            d.payment_deadline = self.clock() + float(d.payment.get("expiresInS") or 300)
            return [fx.PollPayment(str(d.payment["paymentId"])),
                    self.audit("payment.ordered", implCode=matter.code,
                               amountFen=d.payment.get("amountFen"))]
        if isinstance(e, NetworkResult) and e.op == "payment_status":
            if d.payment is None or not self.payment_pending():
                return []  # an answer about an order already settled or dropped
            if not e.ok or not isinstance(e.value, dict):
                # The platform did not answer for a while (the worker kept trying): say so and
                # keep asking; the QR stays valid and the citizen may already have paid.
                d.payment_error = "payment_unreachable"
                return [fx.PollPayment(str(d.payment["paymentId"]))]
            if e.value.get("paymentId") != d.payment.get("paymentId"):
                return []
            d.payment_error = ""
            d.payment.update(status=e.value.get("status"), paidAt=e.value.get("paidAt"))
            if self.payment_paid():
                self.last_activity = self.clock()
                return [self.audit("payment.paid", implCode=matter.code,
                                   amountFen=d.payment.get("amountFen")),
                        fx.Speak("payment_paid"), *self._submit()]
            if self.payment_pending():
                if self.clock() >= d.payment_deadline:  # expired here: the platform says so
                    return [fx.PollPayment(str(d.payment["paymentId"]), wait_s=0.0)]
                return [fx.PollPayment(str(d.payment["paymentId"]))]
            d.payment_error = "payment_" + str(e.value.get("status", "")).lower()
            return []
        if not isinstance(e, Tap):
            return []
        if e.action is Action.RETRY and not self.payment_pending():
            return self._start_payment()  # a new order (the last expired or was cancelled)
        if e.action is Action.PAY_LATER and matter.pay_later_allowed:
            effects = self._cancel_payment()
            d.pay_later = True
            return [*effects, *self._submit()]
        if e.action is Action.BACK:
            effects = self._cancel_payment()
            d.payment, d.payment_error = None, ""
            return [*effects, *self.back()]
        return []

    def _cancel_payment(self) -> list[fx.Effect]:
        d = self.data
        if self.payment_pending():
            assert d.payment is not None
            pid = str(d.payment["paymentId"])
            d.payment["status"] = "CANCELLED"
            return [fx.CancelPayment(pid)]
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
            if e.action is Action.NEXT and self.receipt_ready():
                return self.forward()
        return []

    def _on_rating(self, e: Event) -> list[fx.Effect]:
        d = self.data
        if not isinstance(e, Tap):
            return []
        if e.action is Action.RATE and e.value in RATINGS:
            d.rating, d.rating_error = str(e.value), ""
            if d.rating not in BAD_RATINGS:
                d.reasons.clear()
        elif e.action is Action.TOGGLE_REASON and e.value in BAD_REASONS:
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
            return [fx.ReadCard()]  # the scan ended this round: keep waiting for card or code
        if isinstance(e, CardFailed):
            d.message = e.code
            return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
        if isinstance(e, Tap) and e.action is Action.BACK:
            return self.back()
        return []

    def _on_status_result(self, e: Event) -> list[fx.Effect]:
        d = self.data
        if d.supplement_pending and isinstance(e, (CardRead, CardFailed, NetworkResult)):
            return self._identify_for_supplement(e)
        if isinstance(e, NetworkResult) and e.op == "status":
            if e.ok:
                d.status_result = e.value if isinstance(e.value, dict) else {"items": e.value}
                if self.desk.role:  # staff looked on the citizen's behalf: at which cases
                    ids = [str(i.get("applicationId", "")) for i in
                           d.status_result.get("items") or () if isinstance(i, dict)]
                    return [self.audit("citizen.status_viewed", applications=ids[:20])]
            else:
                d.status_error = e.error or "status_failed"
            return []
        if isinstance(e, Tap) and e.action is Action.START_SUPPLEMENT:
            case = next((c for c in self.supplementable() if c["applicationId"] == e.value),
                        None)
            if case is None:
                return []
            if d.citizen is None:  # found by the receipt QR: the applicant's card first
                if d.supplement_pending and not d.message:
                    return []  # already waiting for the card
                d.supplement_pending, d.message = case["applicationId"], ""
                return [fx.ReadCard()]
            return self._start_supplement(case)
        if isinstance(e, Tap) and e.action is Action.BACK:
            return self._end("finished")
        return []

    def _start_supplement(self, case: dict[str, Any]) -> list[fx.Effect]:
        d = self.data
        d.supplement = case
        d.matter_code = case["implCode"]
        d.pages, d.material_code, d.capture_problem = {}, "", ""
        return self.forward(self.audit("citizen.supplement_started", implCode=case["implCode"]))

    def _identify_for_supplement(self, e: Event) -> list[fx.Effect]:
        """A case found by the receipt QR is supplemented by its applicant only: the card laid
        on the reader is looked up like a card query, and the case must be among that
        person's cases; anyone else is told so and the case stays as the QR showed it."""
        d = self.data
        if isinstance(e, CardRead):
            d.citizen, d.message = e.citizen, ""
            return [fx.StopReading(), fx.QueryStatus(citizen=e.citizen),
                    self.audit("citizen.status_queried", by="idcard",
                               certNo=mask_id_number(e.citizen.cert_no))]
        if isinstance(e, CardFailed):
            d.message = e.code
            return [fx.ReadCard()] if e.code in CARD_RETRY_CODES else []
        if not (isinstance(e, NetworkResult) and e.op == "status"):
            return []
        wanted, shown = d.supplement_pending, d.status_result
        d.supplement_pending = ""
        if e.ok:
            d.status_result = e.value if isinstance(e.value, dict) else {"items": e.value}
            case = next((c for c in self.supplementable() if c["applicationId"] == wanted),
                        None)
            if case is not None:
                return self._start_supplement(case)
        d.status_result, d.citizen = shown, None  # not the applicant: forget the card
        d.message = "not_the_applicant" if e.ok else (e.error or "status_failed")
        return []

    def supplementable(self) -> list[dict[str, Any]]:
        """Cases of the identified citizen that the platform asked to supplement with
        materials, and that this kiosk can take (a known matter): {applicationId, implCode,
        reason, materials}. Queried by ID card, the citizen is the applicant; found by the
        receipt QR, the applicant lays the card before the supplement starts."""
        d = self.data
        if d.status_result is None:
            return []
        items = d.status_result.get("items")
        out = []
        for item in items if isinstance(items, list) else [d.status_result]:
            sup = item.get("supplement") if isinstance(item, dict) else None
            if not isinstance(sup, dict) or item.get("status") != "SUPPLEMENT_REQUIRED":
                continue
            mats = [x for x in sup.get("materials") or () if isinstance(x, dict)
                    and x.get("materialCode")]
            if not mats or not item.get("applicationId") or \
                    self.catalog.get(str(item.get("implCode", ""))) is None:
                continue
            out.append({"applicationId": str(item["applicationId"]),
                        "implCode": str(item["implCode"]),
                        "matterName": str(item.get("matterName") or ""),
                        "reason": str(sup.get("reason") or ""), "materials": mats})
        return out

    def _on_supplement(self, e: Event) -> list[fx.Effect]:
        d = self.data
        assert d.supplement is not None
        if isinstance(e, NetworkResult) and e.op == "supplement":
            d.supplement_sending = False
            if not e.ok or not isinstance(e.value, SubmitOutcome):
                d.supplement_error = e.error or "submit_failed"  # nothing stored: try again
                return []
            d.supplement_outcome = e.value
            self.last_activity = self.clock()
            return self.forward(self.audit(
                "application.supplemented", implCode=d.supplement["implCode"],
                reference=e.value.client_application_id, delivered=e.value.delivered),
                *supplement_submitted(self))
        if d.supplement_sending:
            return []  # nothing interrupts the sending
        if isinstance(e, CaptureDone) or (isinstance(e, Tap) and e.action in (
                Action.SELECT_MATERIAL, Action.CAPTURE, Action.DELETE_PAGE)):
            return self._on_materials(e)
        if not isinstance(e, Tap):
            return []
        if e.action in (Action.NEXT, Action.CONFIRM, Action.RETRY):
            missing = [c for c in self.materials_to_capture() if not d.pages.get(c)]
            if missing:
                d.message = "materials_missing"
                return []
            files = {code: [bytes(p.jpeg) for p in pages] for code, pages in d.pages.items()
                     if pages and code in self.materials_to_capture()}
            d.supplement_sending, d.supplement_error = True, ""
            return [fx.StopPreview(),
                    fx.SubmitSupplement(d.supplement["applicationId"], files),
                    fx.Speak("submitting")]
        if e.action is Action.BACK:
            effects = self.back()  # to the status result (navigation map)
            for pages in d.pages.values():
                for page in pages:
                    page.wipe()
            d.pages, d.supplement, d.matter_code = {}, None, ""
            return effects
        return []

    def _on_supplement_done(self, e: Event) -> list[fx.Effect]:
        if isinstance(e, Tap) and e.action in (Action.NEXT, Action.FINISH):
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
