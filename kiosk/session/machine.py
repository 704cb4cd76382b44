"""The citizen session state machine (DESIGN §3). No Qt, no I/O: ``handle(event)`` changes the
state and returns the effects the application layer must run; their outcomes come back as
events. Idle time is measured from the last touch with the clock given at construction and
checked on every ``Tick``."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.catalog import Catalog, Material, Matter
from kiosk.device_roles import FACE_CAMERA
from kiosk.session import bundle
from kiosk.session import effects as fx
from kiosk.session.desk import HOME, StaffDesk
from kiosk.session.dispatch import HANDLERS
from kiosk.session.effects import DeskOp, ResultKind
from kiosk.session.events import (
    Action,
    DeviceChanged,
    Event,
    NetworkResult,
    Tap,
    Tick,
)
from kiosk.session.gating import (
    REQUIRED,
    matter_needs,
    matter_problem,
    service_problems,
)
from kiosk.session.model import DeskData, SessionData
from kiosk.session.navmap import STEPS, BackTo, back_state, next_state, progress
from kiosk.session.states import SETTLE_GUARDED, KioskMode, State
from kiosk.session.steps import apply, identify, materials, payment

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


class SessionMachine:
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
        self.staff: StaffDesk = StaffDesk(self)  # the staff and technician states
        # One handler per state, and the results each takes (kiosk.session.dispatch).
        self.handlers = HANDLERS

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

    @property
    def farewell_pending(self) -> bool:
        """The thank-you of the last session is still up (until a touch or its time)."""
        return bool(self._farewell)

    def close_farewell(self, keep_language: bool = False) -> None:
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
        needs = [matter_needs(devices) + (((FACE_CAMERA,),) if self._face_level(face) ==
                                          "required" else ())
                 for devices, face in self.catalog.device_sets]
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
        m = matter or self.matter
        return self._face_level(m.face_check if m is not None else "off")

    def _face_level(self, matter_level: str) -> str:
        if self.face_policy not in FACE_LEVELS[1:]:
            return "off"
        level = matter_level if matter_level in FACE_LEVELS else "off"
        return FACE_LEVELS[max(FACE_LEVELS.index(self.face_policy), FACE_LEVELS.index(level))]

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
        if isinstance(event, NetworkResult) and event.op is ResultKind.HELP:
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
            if event.op is ResultKind.OUT_OF_SERVICE:  # read once at start (it survives restarts)
                self.maintenance = bool(event.value)
                return []
            if isinstance(event.op, DeskOp):
                self.staff.desk_result(event)
        on = self.handlers[self.state]
        if isinstance(event, NetworkResult) and event.op not in on.results:
            return []  # not this state's result (a late answer of a step already left)
        return on.handler(self, event)

    def _tick(self, now: float) -> list[fx.Effect]:
        if self._farewell and not self.farewell():
            self.close_farewell()
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
        return self.staff.desk_tick(now)

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

    def go(self, state: State, *effects: fx.Effect) -> list[fx.Effect]:
        """Show ``state`` (the staff desk's way in: ``DeskHost``)."""
        return self._go(state, *effects)

    def end(self, reason: str) -> list[fx.Effect]:
        """End the session (the staff desk's way in: ``DeskHost``)."""
        return self._end(reason)

    @property
    def actor(self) -> str:
        """Who the audit log names (``StaffDesk.actor``)."""
        return self.staff.actor

    def audit(self, event: str, **details: Any) -> fx.Audit:
        return self.staff.audit(event, **details)

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
            "start_materials": lambda: materials.start_materials(self),
            "stop_preview": lambda: [fx.StopPreview()],
            "start_face": lambda: identify.start_face(self),
            "stop_face": lambda: [fx.StopFace()],
            "start_delivery": lambda: apply.start_delivery(self),
            "start_payment": lambda: payment.start_payment(self),
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
            self.close_farewell(keep_language=home is not State.ATTRACT)
        effects += [fx.StopReading(), fx.StopPreview(), fx.StopFace(), fx.SessionEnded(reason)]
        if home is State.ATTRACT:
            effects.append(fx.WatchQr())
        return effects

    def initial_effects(self) -> list[fx.Effect]:
        """What to start when the kiosk comes up on the home screen."""
        return [fx.WatchQr()]

    # -- one handler per state --































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




