"""The journey order as data (kiosk.session.navmap), and the touch timing rules the machine
enforces: a double tap's second touch does not act on the next screen, and the receipt
stays until it could be read."""

from __future__ import annotations

import pytest

from kiosk.session import Action, CardRead, NetworkResult, SessionMachine, State, Tap, Timeouts
from kiosk.session import effects as fx
from kiosk.session.model import SubmitOutcome
from kiosk.session.navmap import APPLY, STEPS, BackTo, back_state, next_state
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN, catalog
from tests.session.test_machine import to_review


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(catalog(), Timeouts(), clock=clock)  # the real touch timings


def test_every_state_has_exactly_one_handler(clock: Clock) -> None:
    machine = SessionMachine(catalog(), clock=clock)
    assert set(machine.handlers) == set(State)


def test_every_hook_named_in_the_navigation_map_exists(clock: Clock) -> None:
    machine = SessionMachine(catalog(), clock=clock)
    machine.data.matter_code = "TEST-GJJ-001"
    for step in STEPS.values():
        for hook in (step.enter, step.leave):
            if hook:
                assert isinstance(machine._hook(hook), list)


def test_face_check_is_a_step_only_when_switched_on(clock: Clock) -> None:
    off = SessionMachine(catalog(), clock=clock)
    on = SessionMachine(catalog(), face_policy="required", clock=clock)
    for m in (off, on):
        m.data.citizen = TEST_CITIZEN
    assert next_state(State.GUIDE, off) is State.CONSENT
    assert next_state(State.GUIDE, on) is State.FACE_CHECK
    assert next_state(State.IDENTIFY, on) is State.CHOOSE_MATTER
    assert back_state(State.CHOOSE_MATTER, on) is BackTo.END


def test_progress_counts_only_the_steps_of_this_session(clock: Clock) -> None:
    machine = SessionMachine(catalog(), clock=clock)
    machine.state = State.IDENTIFY
    machine.data.citizen = TEST_CITIZEN
    first = machine.progress()
    machine.face_policy = "required"
    assert first is not None and machine.progress() == (1, first[1] + 1)
    machine.state = State.GUIDE
    assert machine.progress() is None  # part of choosing, not a step of its own


def test_the_step_total_shown_while_choosing_stays_once_a_matter_is_chosen(
        clock: Clock) -> None:
    machine = SessionMachine(catalog(), clock=clock)
    machine.data.citizen = TEST_CITIZEN
    machine.state = State.CHOOSE_MATTER
    choosing = machine.progress()
    machine.data.matter_code = "TEST-GJJ-001"  # has materials to photograph
    assert machine.materials_to_capture()
    machine.state = State.CONSENT
    filling = machine.progress()
    assert choosing is not None and filling is not None and choosing[1] == filling[1]


def test_counted_steps_follow_the_map_order() -> None:
    counted = [s.state for s in APPLY if s.counted]
    assert counted[0] is State.IDENTIFY and counted[-1] is State.RATING


def test_second_tap_of_a_double_tap_does_not_act_on_the_next_screen(
        m: SessionMachine, clock: Clock) -> None:
    clock.now += 5.0
    m.handle(Tap(Action.START_APPLY))
    assert m.state is State.IDENTIFY
    clock.now += 0.1  # the second touch of a double tap
    m.handle(Tap(Action.BACK))
    assert m.state is State.IDENTIFY and m.ignored_taps == 1
    clock.now += 1.0  # a person's next, deliberate tap
    m.handle(Tap(Action.BACK))
    assert m.state is State.ATTRACT


def test_double_tap_on_confirm_does_not_skip_the_receipt(m: SessionMachine, clock: Clock) -> None:
    m.timeouts = Timeouts(settle_s=0, receipt_dwell_s=0)
    to_review(m)  # at a person's pace up to the review
    m.timeouts = Timeouts(settle_s=0.4, receipt_dwell_s=4.0)
    clock.now += 1.0
    m.handle(Tap(Action.CONFIRM))
    m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True, "app_1", "4321")))
    m.handle(NetworkResult("print", True))
    clock.now += 0.2  # the second tap lands on 去评价
    m.handle(Tap(Action.NEXT))
    assert m.state is State.RECEIPT
    clock.now += 1.0  # settled, but the receipt has not been readable for long enough
    assert not m.receipt_ready()
    m.handle(Tap(Action.NEXT))
    assert m.state is State.RECEIPT
    clock.now += 4.0
    assert m.receipt_ready()
    effects = m.handle(Tap(Action.NEXT))
    assert m.state is State.RATING and fx.Speak in [type(e) for e in effects]


def test_typing_is_never_held_back_by_the_settle_time(m: SessionMachine, clock: Clock) -> None:
    m.timeouts = Timeouts(settle_s=0, receipt_dwell_s=0)
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.timeouts = Timeouts()
    m.handle(Tap(Action.SEARCH, "gjj"))  # at once after the screen appeared
    assert m.data.search == "gjj"
