"""The journeys' order, in one place, as data (DESIGN §3; Electrum's wizard ``navmap``).

Each journey is a list of steps. A step says whether it counts for "第 N 步，共 M 步", when
it is skipped for this session, where BACK goes (the previous step that is not skipped, the
end of the session, or nowhere), and which hooks of the machine run when it is entered or
left. The machine's handlers never name the next state: they call ``forward()``/``back()``,
and this map decides. Adding a step is one entry here, one handler, one screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kiosk.session.states import State


class Context(Protocol):
    """What the skip rules may ask of the session."""

    def matter_chosen(self) -> bool: ...

    def face_check_needed(self) -> bool: ...

    def materials_to_capture(self) -> list[str]: ...

    def pays_at_kiosk(self) -> bool: ...

    def supplementing(self) -> bool: ...

    def promising(self) -> bool: ...


class BackTo(StrEnum):
    PREVIOUS = "previous"  # the previous step that is not skipped
    END = "end"  # BACK ends the session (nothing before this step belongs to the citizen)
    NOWHERE = "nowhere"  # no way back (after the application was stored)


@dataclass(frozen=True)
class Step:
    state: State
    counted: bool = True  # shown as a step of the progress line
    back: BackTo = BackTo.PREVIOUS
    skip: Callable[[Context], bool] | None = None  # skipped in this session when True
    enter: str = ""  # hook of the machine run on entering (returns effects)
    leave: str = ""  # hook run on leaving


def _no_face_check(c: Context) -> bool:
    return not c.face_check_needed()


def _nothing_to_capture(c: Context) -> bool:
    # Before a matter is chosen the step is counted: "共 M 步" does not grow after choosing.
    return c.matter_chosen() and not c.materials_to_capture()


def _no_fee(c: Context) -> bool:
    return not c.pays_at_kiosk()


def _no_promise(c: Context) -> bool:
    return not c.promising()


def _no_supplement(c: Context) -> bool:
    return not c.supplementing()


APPLY: tuple[Step, ...] = (
    Step(State.IDENTIFY, back=BackTo.END, enter="start_card_reading", leave="stop_reading"),
    # Choosing is the first step that knows nothing yet: back ends (the card was read).
    Step(State.CHOOSE_MATTER, back=BackTo.END),
    Step(State.GUIDE, counted=False, enter="", leave=""),
    # 人证比对 where the kiosk's policy or the chosen matter asks for it (the matter is known
    # here), before the citizen's data is fetched or typed.
    Step(State.FACE_CHECK, skip=_no_face_check, enter="start_face", leave="stop_face"),
    Step(State.CONSENT),
    Step(State.FORM),
    Step(State.MATERIALS, skip=_nothing_to_capture, enter="start_materials",
         leave="stop_preview"),
    # 告知承诺: the materials chosen to be replaced by a promise are signed for here (part of
    # the materials step in "第 N 步，共 M 步").
    Step(State.PROMISE, counted=False, skip=_no_promise),
    Step(State.DELIVERY, enter="start_delivery"),
    Step(State.REVIEW),
    # 统一公共支付: after 确认提交 the fee is paid on the phone, then the application is sent
    # (part of submitting, like it: not a step of its own in "第 N 步，共 M 步").
    Step(State.PAYMENT, counted=False, skip=_no_fee, enter="start_payment"),
    Step(State.SUBMITTING, counted=False, back=BackTo.NOWHERE),
    Step(State.RECEIPT, back=BackTo.NOWHERE),
    Step(State.RATING, back=BackTo.NOWHERE),
)

QUERY: tuple[Step, ...] = (
    Step(State.STATUS_QUERY, counted=False, back=BackTo.END, enter="start_card_reading",
         leave="stop_reading"),
    Step(State.STATUS_RESULT, counted=False, back=BackTo.END),
    # 补齐补正: a case asked for materials is supplemented here (最多跑一次), not at a window.
    Step(State.SUPPLEMENT, counted=False, skip=_no_supplement, enter="start_materials",
         leave="stop_preview"),
    Step(State.SUPPLEMENT_DONE, counted=False, back=BackTo.NOWHERE, skip=_no_supplement),
)

JOURNEYS: tuple[tuple[Step, ...], ...] = (APPLY, QUERY)
STEPS: dict[State, Step] = {s.state: s for journey in JOURNEYS for s in journey}
_JOURNEY_OF: dict[State, tuple[Step, ...]] = {s.state: j for j in JOURNEYS for s in j}


def _active(journey: tuple[Step, ...], c: Context) -> list[Step]:
    return [s for s in journey if s.skip is None or not s.skip(c)]


def next_state(state: State, c: Context) -> State | None:
    """The step after ``state`` in its journey for this session (None: the journey ends)."""
    journey = _JOURNEY_OF.get(state)
    if journey is None:
        return None
    order = [s.state for s in journey]
    for step in journey[order.index(state) + 1:]:
        if step.skip is None or not step.skip(c):
            return step.state
    return None


def back_state(state: State, c: Context) -> State | BackTo:
    """Where BACK goes from ``state``: a state, or ``BackTo.END`` / ``BackTo.NOWHERE``."""
    step = STEPS.get(state)
    if step is None:
        return BackTo.NOWHERE
    if step.back is not BackTo.PREVIOUS:
        return step.back
    journey = _JOURNEY_OF[state]
    order = [s.state for s in journey]
    for earlier in reversed(journey[:order.index(state)]):
        if earlier.skip is None or not earlier.skip(c):
            return earlier.state
    return BackTo.END


def progress(state: State, c: Context) -> tuple[int, int] | None:
    """(N, M) for "第 N 步，共 M 步", or None where no progress is shown."""
    journey = _JOURNEY_OF.get(state)
    if journey is None or not STEPS[state].counted:
        return None
    counted = [s.state for s in _active(journey, c) if s.counted]
    if state not in counted:
        return None
    return counted.index(state) + 1, len(counted)
