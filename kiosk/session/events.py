"""Everything that can happen to a session, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.session.model import Citizen, Page
from kiosk.session.results import ResultOp, result_op


class Action(StrEnum):
    """What the citizen touched."""

    START_APPLY = "start_apply"
    START_QUERY = "start_query"
    TOGGLE_ELDERLY = "toggle_elderly"
    SET_LANGUAGE = "set_language"  # value: "zh_CN" | "en"
    SELECT_MATTER = "select_matter"  # value: implCode
    SEARCH = "search"  # value: query text
    AGREE = "agree"
    DECLINE = "decline"
    SET_FIELD = "set_field"  # value: (key, text)
    TOGGLE_CHOICE = "toggle_choice"  # value: (key, choice): one item of a checklist on/off
    SELECT_MATERIAL = "select_material"  # value: materialCode
    CAPTURE = "capture"  # take the picture now (auto-capture does the same)
    DELETE_PAGE = "delete_page"  # value: (materialCode, index)
    SET_DELIVERY = "set_delivery"  # value: WINDOW_PICKUP | EXPRESS | ELECTRONIC
    SET_ADDRESS = "set_address"  # value: (key, text) in the express address
    NEXT = "next"
    BACK = "back"
    CONFIRM = "confirm"
    RATE = "rate"  # value: satisfaction enum name
    TOGGLE_REASON = "toggle_reason"  # value: reason code
    SKIP = "skip"
    FINISH = "finish"  # leave now: asks first when work would be lost, then wipes
    FINISH_CONFIRM = "finish_confirm"  # yes, end and wipe (the answer to FINISH's question)
    DISMISS = "dismiss"  # close the thank-you shown on the home screen after a session
    STILL_HERE = "still_here"  # answer to the idle warning
    RETRY = "retry"
    CALL_HELP = "call_help"  # 呼叫工作人员: raises a help request (kiosk and step only)
    PROMISE = "promise"  # value: materialCode; toggles 承诺代替材料 (告知承诺制)
    ADD_STROKE = "add_stroke"  # value: one signature stroke, ((x, y), …) in 0..1 of the pad
    CLEAR_SIGNATURE = "clear_signature"
    START_SUPPLEMENT = "start_supplement"  # value: applicationId of a case asked to supplement
    PAY_LATER = "pay_later"  # 统一公共支付: pay the fee at the window instead (where allowed)
    PRINT_A4 = "print_a4"  # 打印A4文书: the A4 copy on the document printer (kiosk.session.a4)
    # staff and technician mode
    STAFF_ENTRY = "staff_entry"  # the small 工作人员 button on the home screen
    CHOOSE_ROLE = "choose_role"  # value: "staff" | "technician"
    PIN_DIGIT = "pin_digit"  # value: "0".."9"
    PIN_DELETE = "pin_delete"
    LOGIN_FIELD = "login_field"  # value: "staff_no" | "pin": which one the digit pad types
    QR_LOGIN = "qr_login"  # show a QR code to scan with the work app (again: a new one)
    LOGOUT = "logout"
    ASSIST = "assist"  # 帮办: a citizen journey with staff beside (manual entry allowed)
    ACT_FOR = "act_for"  # 代办: record who acts on the applicant's behalf first
    READ_AGENT_CARD = "read_agent_card"  # 代办: read the agent's own card, once
    MANUAL_ENTRY = "manual_entry"  # type the applicant's identity instead of reading a card
    OPEN_QUEUE = "open_queue"
    OPEN_REPRINT = "open_reprint"
    REFRESH = "refresh"
    QUEUE_RETRY = "queue_retry"  # value: clientApplicationId
    QUEUE_VOID = "queue_void"  # value: clientApplicationId (a second tap confirms)
    QUEUE_SYNC = "queue_sync"
    REPRINT = "reprint"  # value: clientApplicationId
    DEVICE_TEST = "device_test"  # value: device name
    DEVICE_OFFLINE = "device_offline"  # value: device name (toggles)
    TOGGLE_SERVICE = "toggle_service"  # take the kiosk out of service / back
    EXPORT_DIAG = "export_diag"


Point = tuple[float, float]  # on the signature pad, 0..1 of its width and height
Stroke = tuple[Point, ...]
TapValue = str | tuple[str, str] | tuple[str, int] | Stroke | None
"""What a tap carries: text (a code, a name, a digit), a (key, text) pair, a (material, page
index) pair, or one signature stroke."""

TEXT, PAIR, PAGE, STROKE = "text", "pair", "page", "stroke"
PAYLOAD: dict[Action, str] = {
    Action.SET_LANGUAGE: TEXT, Action.SELECT_MATTER: TEXT, Action.SEARCH: TEXT,
    Action.SET_FIELD: PAIR, Action.TOGGLE_CHOICE: PAIR, Action.SELECT_MATERIAL: TEXT,
    Action.DELETE_PAGE: PAGE, Action.SET_DELIVERY: TEXT, Action.SET_ADDRESS: PAIR,
    Action.RATE: TEXT, Action.TOGGLE_REASON: TEXT, Action.PROMISE: TEXT,
    Action.ADD_STROKE: STROKE, Action.START_SUPPLEMENT: TEXT, Action.CHOOSE_ROLE: TEXT,
    Action.PIN_DIGIT: TEXT, Action.LOGIN_FIELD: TEXT, Action.QUEUE_RETRY: TEXT,
    Action.QUEUE_VOID: TEXT, Action.REPRINT: TEXT, Action.DEVICE_TEST: TEXT,
    Action.DEVICE_OFFLINE: TEXT,
}
"""The payload each action carries (the others carry none); ``Tap`` checks it when made."""


def _payload(action: Action, value: object) -> TapValue:
    kind = PAYLOAD.get(action)
    if value is None:
        return None
    if kind == TEXT and isinstance(value, str):
        return value
    if kind in (PAIR, PAGE) and isinstance(value, tuple | list) and len(value) == 2:
        key, second = value
        if isinstance(key, str) and kind == PAIR and isinstance(second, str):
            return (key, second)
        if isinstance(key, str) and kind == PAGE and isinstance(second, int) \
                and not isinstance(second, bool):
            return (key, second)
    if kind == STROKE and isinstance(value, tuple | list):
        points = tuple((float(x), float(y)) for x, y in value)
        return points
    raise TypeError(f"{action.value} carries {kind or 'nothing'}, not {type(value).__name__}")


@dataclass(frozen=True)
class Tap:
    """A touch. ``value`` is the action's payload (``PAYLOAD``), checked and normalised
    where the tap is made: a wrong payload is a TypeError in the UI, never a tap the
    machine half understands."""

    action: Action
    value: TapValue = None

    def __init__(self, action: Action, value: object = None) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "value", _payload(action, value))

    @property
    def text(self) -> str:
        """A text payload ("" for none)."""
        return self.value if isinstance(self.value, str) else ""

    @property
    def pair(self) -> tuple[str, str]:
        """A (key, text) payload."""
        v = self.value
        assert isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], str), self.action
        return (str(v[0]), v[1])

    @property
    def page(self) -> tuple[str, int]:
        """A (material code, page index) payload."""
        v = self.value
        assert isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], int), self.action
        return (str(v[0]), v[1])

    @property
    def stroke(self) -> Stroke:
        """A signature stroke (empty for none)."""
        v = self.value
        if not isinstance(v, tuple):
            return ()
        return tuple(p for p in v if isinstance(p, tuple) and len(p) == 2
                     and isinstance(p[0], float) and isinstance(p[1], float))


@dataclass(frozen=True)
class Tick:
    """The clock (monotonic seconds); drives the idle warning and timeout."""

    now: float


@dataclass(frozen=True)
class CardRead:
    citizen: Citizen


@dataclass(frozen=True)
class CardFailed:
    code: str  # devices' completion code, e.g. CARD_LIFTED, TIMEOUT, READ_FAILED
    message: str = ""


@dataclass(frozen=True)
class QrScanned:
    text: str


@dataclass(frozen=True)
class CaptureDone:
    material_code: str
    page: Page | None = None
    problem: str = ""  # plain reason the page was refused (blur, glare, no page)


@dataclass(frozen=True)
class DeviceChanged:
    """Readiness of the device classes changed: ``ready`` maps class → plain reason ("" = ready)."""

    problems: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NetworkResult:
    """The outcome of an effect. ``op`` is its kind: a ``ResultKind`` (the effect class's
    ``result``) or the ``DeskOp`` of a staff/technician operation; a string is turned into
    one (``"prefill"``) and one that names no kind is a ValueError. When not ok, ``error`` is
    the code and ``value`` may carry the fault's message (e.g. PIN attempts left)."""

    op: ResultOp
    ok: bool
    value: Any = None
    error: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", result_op(self.op))


Event = Tap | Tick | CardRead | CardFailed | QrScanned | CaptureDone | DeviceChanged | NetworkResult
