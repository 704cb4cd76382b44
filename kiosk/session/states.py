"""States of the citizen journey (DESIGN §3) and of the kiosk as a whole (CUSS)."""

from __future__ import annotations

from enum import StrEnum

from kiosk.session.events import Action


class State(StrEnum):
    ATTRACT = "attract"
    IDENTIFY = "identify"
    FACE_CHECK = "face_check"  # 人证比对: by [identity] face_check and the matter's level
    CHOOSE_MATTER = "choose_matter"
    GUIDE = "guide"  # conditions, materials, time limits of the chosen matter
    CONSENT = "consent"
    FORM = "form"
    MATERIALS = "materials"
    PROMISE = "promise"  # 告知承诺: read the 承诺书 and sign it on the screen
    DELIVERY = "delivery"
    REVIEW = "review"
    PAYMENT = "payment"  # 统一公共支付: the fee, paid on the phone by scanning a QR code
    SUBMITTING = "submitting"
    RECEIPT = "receipt"
    RATING = "rating"
    STATUS_QUERY = "status_query"  # waiting for an ID card or a receipt QR
    STATUS_RESULT = "status_result"
    SUPPLEMENT = "supplement"  # 补齐补正: photograph what the department asked for
    SUPPLEMENT_DONE = "supplement_done"
    # Staff (帮办/代办) and technician (运维) mode, after a PIN login.
    LOGIN = "login"
    STAFF_MENU = "staff_menu"
    AGENT = "agent"  # 代办: who acts on the applicant's behalf
    MANUAL_ID = "manual_id"  # staff type the applicant's identity (card unreadable, no card)
    STAFF_QUEUE = "staff_queue"
    STAFF_REPRINT = "staff_reprint"
    TECH_MENU = "tech_menu"

    @property
    def holds_citizen_data(self) -> bool:
        return self not in (State.ATTRACT, *OPERATOR_SCREENS)

    @property
    def operator_screen(self) -> bool:
        """Screens of the logged-in staff or technician themselves (no citizen journey)."""
        return self in OPERATOR_SCREENS

    @property
    def idle_timed(self) -> bool:
        """Screens where the citizen can walk away; submission is never interrupted."""
        return self not in (State.ATTRACT, State.SUBMITTING)


OPERATOR_SCREENS = frozenset({State.LOGIN, State.STAFF_MENU, State.STAFF_QUEUE,
                              State.STAFF_REPRINT, State.TECH_MENU})


class KioskMode(StrEnum):
    IN_SERVICE = "IN_SERVICE"
    OUT_OF_SERVICE = "OUT_OF_SERVICE"
    IN_SESSION = "IN_SESSION"
    MAINTENANCE = "MAINTENANCE"


# Taps that move between screens or end a session: ignored for ``Timeouts.settle_s`` after a
# screen appears, because a double tap's second touch lands on the new screen's button at
# the same spot (确认提交 → 去评价 skipped the receipt). Typing and choosing are not guarded.
SETTLE_GUARDED = frozenset({
    Action.NEXT, Action.BACK, Action.CONFIRM, Action.AGREE, Action.DECLINE, Action.SKIP,
    Action.START_APPLY, Action.START_QUERY, Action.SELECT_MATTER, Action.FINISH,
    Action.FINISH_CONFIRM, Action.ASSIST, Action.ACT_FOR, Action.OPEN_QUEUE,
    Action.OPEN_REPRINT, Action.STAFF_ENTRY, Action.LOGOUT, Action.MANUAL_ENTRY,
    Action.PAY_LATER, Action.START_SUPPLEMENT,
})
