"""The staff (帮办/代办) and technician (运维) side of the session machine: PIN login, the staff
menu, 代办 agent details, staff-typed identities, the offline queue, receipt reprints and the
technician's device screen. A component ``SessionMachine`` owns and dispatches to, seeing
the machine only through ``DeskHost``; no Qt, no I/O — operations go out
as ``Desk`` effects and come back as ``NetworkResult(op=DeskOp value)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from kiosk.device_roles import RECEIPT_PRINTER
from kiosk.privacy import mask_id_number, mask_name
from kiosk.session import effects as fx
from kiosk.session.effects import DeskOp
from kiosk.session.events import Action, CardFailed, CardRead, Event, NetworkResult, Tap
from kiosk.session.identity import (
    CARD_RETRY_CODES,
    agent_errors,
    agent_record,
    manual_citizen,
    manual_errors,
)
from kiosk.session.model import DeskData, SessionData
from kiosk.session.states import State

ROLES = ("staff", "technician")
PIN_MIN, PIN_MAX = 6, 12  # kiosk.roles.hash_pin accepts 6 to 12 digits
STAFF_NO_MIN, STAFF_NO_MAX = 5, 12  # the contract's StaffNo
QR_POLL_S = 2.0  # how often a shown login QR asks the platform whether it was confirmed
REFRESH_S = 3.0  # the queue and device lists follow the background worker / device poll
HOME = {"staff": State.STAFF_MENU, "technician": State.TECH_MENU}


class DeskHost(Protocol):
    """What the staff desk may see and do of the machine that owns it: read the session,
    show a state, end the session, and switch the kiosk in or out of service."""

    @property
    def state(self) -> State: ...

    data: SessionData
    desk: DeskData
    device_problems: dict[str, str]
    maintenance: bool
    clock: Callable[[], float]

    def go(self, state: State, *effects: fx.Effect) -> list[fx.Effect]: ...

    def end(self, reason: str) -> list[fx.Effect]: ...


class StaffDesk:
    """The operator states' handlers; ``SessionMachine`` owns one and dispatches to it."""

    def __init__(self, host: DeskHost) -> None:
        self.host = host
        self._desk_refreshed = 0.0
        self._qr_polled = 0.0

    @property
    def state(self) -> State:
        return self.host.state

    @property
    def data(self) -> SessionData:
        return self.host.data

    @property
    def desk(self) -> DeskData:
        return self.host.desk

    def clock(self) -> float:
        return self.host.clock()

    @property
    def actor(self) -> str:
        """Who the audit log names: the logged-in person (``"staff:9900001"``), the role
        (a shared demo PIN), else the citizen at the kiosk."""
        k = self.desk
        if k.role and k.staff_no:
            return f"{k.role}:{k.staff_no}"
        return k.role or "citizen"

    def audit(self, event: str, **details: Any) -> fx.Audit:
        return fx.Audit(event, self.actor, details)

    def home(self) -> list[fx.Effect]:
        """The logged-in role's own menu."""
        state = HOME.get(self.desk.role, State.ATTRACT)
        if state is State.TECH_MENU:
            return self.host.go(state, *self._load(DeskOp.DEVICE_REPORTS))
        return self.host.go(state)

    def _load(self, op: DeskOp) -> list[fx.Effect]:
        self._desk_refreshed = self.clock()
        return [fx.Desk(op)]

    def _call(self, op: DeskOp, *args: Any) -> list[fx.Effect]:
        """One operation at a time: a second tap while one runs is ignored."""
        if self.desk.busy:
            return []
        self.desk.busy, self.desk.notice, self.desk.notice_detail = op.value, "", ""
        self.desk.test_report = None
        return [fx.Desk(op, args)]

    def desk_result(self, e: NetworkResult) -> None:
        """Every operation's outcome: busy ends; the notice says what happened."""
        k = self.desk
        if e.op == DeskOp.RECORD_RECEIPT:
            return  # kept for a reprint in the background: nothing to show
        if e.op in (DeskOp.LOGIN, DeskOp.LOGIN_CHALLENGE):
            k.busy = ""
            return  # the PIN pad has its own lines
        if e.op == DeskOp.LOGIN_POLL:
            return  # polled in the background: never busy
        if e.op == k.busy:
            k.busy = ""
        if e.op in (DeskOp.QUEUE_ENTRIES, DeskOp.RECENT_RECEIPTS, DeskOp.DEVICE_REPORTS):
            if not e.ok:
                k.notice, k.notice_ok, k.notice_detail = e.error or "failed", False, ""
            return
        k.notice, k.notice_ok = (e.op.value if e.ok else (e.error or "failed")), e.ok
        if e.op == DeskOp.DEVICE_TEST:  # a report the screen words (ui.texts)
            k.test_report, k.notice_detail = (e.value if e.ok else None), ""
            return
        k.notice_detail = str(e.value) if e.value not in (None, "") else ""

    def desk_tick(self, now: float) -> list[fx.Effect]:
        """Keeps the queue and device lists current while they are on screen, and asks
        whether a shown login QR was confirmed."""
        if self.state is State.LOGIN:
            qr = self.desk.qr
            if qr is None or now - self._qr_polled < QR_POLL_S:
                return []
            self._qr_polled = now
            return [fx.Desk(DeskOp.LOGIN_POLL, (qr["challengeId"], self.desk.login_role))]
        op = {State.STAFF_QUEUE: DeskOp.QUEUE_ENTRIES,
              State.TECH_MENU: DeskOp.DEVICE_REPORTS}.get(self.state)
        if op is None or self.desk.busy or now - self._desk_refreshed < REFRESH_S:
            return []
        return self._load(op)

    # -- login --

    def _logged_in(self, actor: str) -> list[fx.Effect]:
        k = self.desk
        role, _, staff_no = actor.partition(":")
        k.role, k.staff_no = role, staff_no
        k.login_error = k.login_detail = k.pin = ""
        k.qr = None
        return self.home()

    def on_login(self, e: Event) -> list[fx.Effect]:
        k = self.desk
        if isinstance(e, NetworkResult):
            return self._login_result(e)
        if not isinstance(e, Tap):
            return []
        if e.action is Action.CHOOSE_ROLE and e.value in ROLES:
            k.login_role, k.pin, k.login_error, k.qr = str(e.value), "", "", None
        elif e.action is Action.LOGIN_FIELD and e.value in ("staff_no", "pin"):
            k.login_field, k.qr = str(e.value), None  # typing instead: the QR is dropped
        elif e.action is Action.PIN_DIGIT and isinstance(e.value, str) and e.value.isdigit() \
                and len(e.value) == 1 and not k.busy:
            if k.login_field == "staff_no":
                if len(k.staff_input) < STAFF_NO_MAX:
                    k.staff_input += e.value
            elif len(k.pin) < PIN_MAX:
                k.pin += e.value
            k.login_error = ""
        elif e.action is Action.PIN_DELETE:
            if k.login_field == "staff_no":
                k.staff_input = k.staff_input[:-1]
            else:
                k.pin = k.pin[:-1]
        elif e.action is Action.QR_LOGIN and not k.busy:
            k.qr, k.login_error = None, ""
            return self._call(DeskOp.LOGIN_CHALLENGE, k.login_role)
        elif e.action is Action.CONFIRM and not k.busy:
            pin, k.pin = k.pin, ""  # never kept beyond this attempt
            staff_no = k.staff_input
            if staff_no and not STAFF_NO_MIN <= len(staff_no) <= STAFF_NO_MAX:
                k.login_error, k.login_field = "staff_no_short", "staff_no"
                return []
            if len(pin) < PIN_MIN:
                k.login_error, k.login_field = "pin_short", "pin"
                return []
            if staff_no:
                return self._call(DeskOp.LOGIN, k.login_role, pin, staff_no)
            return self._call(DeskOp.LOGIN, k.login_role, pin)
        elif e.action is Action.BACK:
            return self.host.end("cancelled")
        return []

    def _login_result(self, e: NetworkResult) -> list[fx.Effect]:
        k = self.desk
        if e.op == DeskOp.LOGIN:
            k.pin = ""
            if e.ok and str(e.value).partition(":")[0] in ROLES:
                return self._logged_in(str(e.value))
            k.login_error, k.login_detail = e.error or "login_failed", str(e.value or "")
        elif e.op == DeskOp.LOGIN_CHALLENGE:
            if e.ok and isinstance(e.value, dict) and e.value.get("role") == k.login_role:
                k.qr = {key: str(e.value[key]) for key in ("challengeId", "qrText",
                                                             "expiresAt")}
                self._qr_polled = self.clock()
            elif not e.ok:
                k.login_error, k.login_detail = e.error or "login_failed", ""
        elif e.op == DeskOp.LOGIN_POLL and k.qr is not None:
            if e.ok and str(e.value).partition(":")[0] in ROLES:
                return self._logged_in(str(e.value))
            if not e.ok and e.error != "offline":  # offline: keep asking
                k.qr = None
                k.login_error, k.login_detail = e.error or "login_failed", ""
        return []

    # -- staff --

    def on_staff_menu(self, e: Event) -> list[fx.Effect]:
        if not isinstance(e, Tap):
            return []
        citizen_work = (Action.ASSIST, Action.ACT_FOR, Action.START_QUERY)
        if e.action in citizen_work and self.host.maintenance:
            # A technician took the kiosk out of service: nobody applies here meanwhile.
            self.desk.notice, self.desk.notice_ok = "kiosk:OUT_OF_SERVICE", False
            return []
        if e.action is Action.ASSIST:
            return self.host.go(State.IDENTIFY, fx.ReadCard())
        if e.action is Action.ACT_FOR:
            self.data.agent_form = {"kind": "CITIZEN_AGENT", "certType": "RESIDENT_ID_CARD"}
            return self.host.go(State.AGENT)
        if e.action is Action.OPEN_QUEUE:  # the applications waiting here: who looked
            self.desk.queue = None
            return self.host.go(State.STAFF_QUEUE, *self._load(DeskOp.QUEUE_ENTRIES),
                            self.audit("staff.queue_viewed"))
        if e.action is Action.OPEN_REPRINT:  # kept receipts (masked names): who looked
            self.desk.receipts = None
            return self.host.go(State.STAFF_REPRINT, *self._load(DeskOp.RECENT_RECEIPTS),
                            self.audit("staff.receipts_viewed"))
        if e.action is Action.START_QUERY:
            return self.host.go(State.STATUS_QUERY, fx.ReadCard())
        return []

    def on_agent(self, e: Event) -> list[fx.Effect]:
        """代办: the agent's details, typed or read from the agent's own ID card."""
        d = self.data
        # The agent's card is read only when staff ask for it: a card left on the reader
        # (the applicant's, or the agent's again) must never overwrite what was typed.
        if isinstance(e, CardRead) and d.reading_agent_card:
            c = e.citizen
            d.reading_agent_card = False
            d.agent_form.update(name=c.name, certNo=c.cert_no, certType=c.cert_type)
            for key in ("name", "certNo", "certType"):
                d.agent_errors.pop(key, None)
            d.message = "agent_card_read"
            return [fx.StopReading()]
        if isinstance(e, CardFailed) and d.reading_agent_card:
            d.message = e.code
            if e.code in CARD_RETRY_CODES:
                return [fx.ReadCard()]
            d.reading_agent_card = False
            return []
        if not isinstance(e, Tap):
            return []
        if e.action is Action.READ_AGENT_CARD:
            d.reading_agent_card, d.message = True, ""
            return [fx.ReadCard()]
        if e.action is Action.SET_FIELD:
            _set_field(d.agent_form, d.agent_errors, e.pair)
        elif e.action is Action.NEXT:
            d.agent_errors = agent_errors(d.agent_form)
            if d.agent_errors:
                d.message = "form_errors"
                return []
            d.agent = agent_record(d.agent_form)
            d.agent_form, d.reading_agent_card = {}, False
            # The agent lifts their card; the reader reports the applicant's card next.
            return self.host.go(State.IDENTIFY, fx.StopReading(), fx.ReadCard(), self.audit(
                "staff.acting_for_citizen", agentKind=d.agent["kind"],
                agent=mask_name(d.agent["name"]), agentCertNo=mask_id_number(d.agent["certNo"])))
        elif e.action is Action.BACK:
            return self.host.end("cancelled")
        return []

    def on_manual_id(self, e: Event) -> list[fx.Effect]:
        """Staff type the applicant's identity after checking the document themselves."""
        d = self.data
        if not isinstance(e, Tap):
            return []
        if e.action is Action.SET_FIELD:
            _set_field(d.manual, d.manual_errors, e.pair)
        elif e.action is Action.NEXT:
            d.manual_errors = manual_errors(d.manual)
            if d.agent and not d.manual_errors and manual_citizen(d.manual).cert_no == \
                    d.agent["certNo"]:
                d.manual_errors = {"certNo": "same_as_agent"}
            if d.manual_errors:
                d.message = "form_errors"
                return []
            d.citizen = manual_citizen(d.manual)
            d.manual = {}
            return self.host.go(State.CHOOSE_MATTER, self.identified())
        elif e.action is Action.BACK:
            return self.host.go(State.IDENTIFY, fx.ReadCard())
        return []

    def identified(self) -> fx.Audit:
        c = self.data.citizen
        assert c is not None
        return self.audit("citizen.identified", method=c.method, certType=c.cert_type,
                          certNo=mask_id_number(c.cert_no))

    def on_staff_queue(self, e: Event) -> list[fx.Effect]:
        k = self.desk
        if isinstance(e, NetworkResult):
            if e.op == DeskOp.QUEUE_ENTRIES and e.ok:
                k.queue = list(e.value or ())
            elif e.op in (DeskOp.QUEUE_RETRY, DeskOp.QUEUE_VOID, DeskOp.QUEUE_SYNC):
                return self._load(DeskOp.QUEUE_ENTRIES)
            return []
        if not isinstance(e, Tap):
            return []
        if e.action is Action.REFRESH and not k.busy:
            return self._load(DeskOp.QUEUE_ENTRIES)
        if e.action is Action.QUEUE_RETRY and e.value:
            k.confirm = ""
            return self._call(DeskOp.QUEUE_RETRY, str(e.value), self.actor)
        if e.action is Action.QUEUE_VOID and e.value:
            if k.confirm != e.value:  # voiding deletes the application: a second tap confirms
                entry = next((q for q in k.queue or () if q.item_id == e.value), None)
                tried = entry.attempts if entry is not None else 0
                # After a send with no answer the platform may hold it already.
                k.confirm, k.notice_ok = str(e.value), True
                k.notice, k.notice_detail = ("confirm_void_attempted", str(tried)) if tried \
                    else ("confirm_void", "")
                return []
            k.confirm = ""
            return self._call(DeskOp.QUEUE_VOID, str(e.value), self.actor)
        if e.action is Action.QUEUE_SYNC:
            return self._call(DeskOp.QUEUE_SYNC, self.actor)
        if e.action is Action.BACK:
            k.queue, k.confirm, k.notice = None, "", ""
            return self.home()
        return []

    def on_staff_reprint(self, e: Event) -> list[fx.Effect]:
        k = self.desk
        if isinstance(e, NetworkResult):
            if e.op == DeskOp.RECENT_RECEIPTS and e.ok:
                k.receipts = list(e.value or ())
            return []
        if not isinstance(e, Tap):
            return []
        if e.action is Action.REPRINT and e.value:
            printer = self.host.device_problems.get(RECEIPT_PRINTER)
            if printer:
                k.notice, k.notice_ok, k.notice_detail = f"{RECEIPT_PRINTER}:{printer}", False, ""
                return []
            return self._call(DeskOp.REPRINT, str(e.value), self.actor)
        if e.action is Action.REFRESH and not k.busy:
            return self._load(DeskOp.RECENT_RECEIPTS)
        if e.action is Action.BACK:
            k.receipts, k.notice = None, ""
            return self.home()
        return []

    # -- technician --

    def on_tech_menu(self, e: Event) -> list[fx.Effect]:
        k = self.desk
        if isinstance(e, NetworkResult):
            if e.op == DeskOp.DEVICE_REPORTS and e.ok:
                k.devices = list(e.value or ())
            elif e.op == DeskOp.SET_OUT_OF_SERVICE and e.ok and k.service_target is not None:
                self.host.maintenance, k.service_target = k.service_target, None
                k.notice = "out_of_service" if self.host.maintenance else "in_service"
            elif e.op == DeskOp.SET_DEVICE_OFFLINE and e.ok and k.offline_target:
                # Shown at once (the next device report confirms it): 启用 must not keep
                # saying 已停用 for seconds.
                name, offline = k.offline_target
                k.offline_target = None
                k.devices = [replace(r, offline=offline) if r.name == name else r
                             for r in k.devices or ()]
                return self._load(DeskOp.DEVICE_REPORTS)
            elif e.op in (DeskOp.SET_DEVICE_OFFLINE, DeskOp.DEVICE_TEST):
                return self._load(DeskOp.DEVICE_REPORTS)
            return []
        if not isinstance(e, Tap):
            return []
        if e.action is Action.DEVICE_TEST and e.value:
            if k.busy:
                return []
            k.confirm, k.notice_device = "", str(e.value)
            return self._call(DeskOp.DEVICE_TEST, str(e.value), self.actor)
        if e.action is Action.DEVICE_OFFLINE and e.value:
            report = next((r for r in k.devices or () if r.name == e.value), None)
            if report is None or k.busy:
                return []
            if not report.offline and k.confirm != f"offline:{report.name}":
                k.confirm = f"offline:{report.name}"  # taking a device away: a second tap
                return []
            k.confirm, k.notice_device = "", report.name
            k.offline_target = (report.name, not report.offline)
            return self._call(DeskOp.SET_DEVICE_OFFLINE, report.name, not report.offline,
                              self.actor)
        if e.action is Action.TOGGLE_SERVICE and not k.busy:
            if not self.host.maintenance and k.confirm != "service":
                k.confirm = "service"  # citizens lose the kiosk: a second tap confirms
                return []
            k.confirm, k.notice_device = "", ""
            k.service_target = not self.host.maintenance
            return self._call(DeskOp.SET_OUT_OF_SERVICE, k.service_target, self.actor)
        if e.action is Action.EXPORT_DIAG:
            k.confirm, k.notice_device = "", ""
            return self._call(DeskOp.EXPORT_DIAGNOSTICS, self.actor)
        if e.action is Action.REFRESH and not k.busy:
            return self._load(DeskOp.DEVICE_REPORTS)
        return []


def _set_field(values: dict[str, str], errors: dict[str, str], change: tuple[str, str]) -> None:
    """A typed value replaces the old one and its error line goes until the next check."""
    key, text = change
    values[key] = text
    errors.pop(key, None)
