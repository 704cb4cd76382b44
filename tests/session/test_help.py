"""呼叫帮办 in the session: a tap raises one help request naming the step only; its number
stays until staff log in at the kiosk, which marks it handled; both are audited. No I/O."""

from __future__ import annotations

import pytest

from kiosk.session import Action, CardRead, NetworkResult, SessionMachine, State, Tap, Timeouts
from kiosk.session import effects as fx
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN, catalog


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(catalog(), Timeouts(settle_s=0), clock=clock)


def test_help_is_called_once_with_the_step_only_and_handled_when_staff_log_in(
        m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    effects = m.handle(Tap(Action.CALL_HELP))
    assert fx.CallHelp("choose_matter") in effects
    [audit] = [e for e in effects if isinstance(e, fx.Audit)]
    assert audit.event == "help.requested" and audit.details == {"step": "choose_matter"}
    assert TEST_CITIZEN.cert_no not in repr(effects) and TEST_CITIZEN.name not in repr(effects)
    assert m.handle(Tap(Action.CALL_HELP)) == []  # in flight: not twice
    m.handle(NetworkResult("help", True, {"requestId": "help_1", "ticketNo": "H001",
                                          "status": "OPEN"}))
    assert m.help == {"requestId": "help_1", "ticketNo": "H001", "status": "OPEN"}
    assert m.handle(Tap(Action.CALL_HELP)) == []  # its number is on screen already
    m.handle(Tap(Action.FINISH))
    m.handle(Tap(Action.FINISH_CONFIRM))
    assert m.state is State.ATTRACT and m.help is not None  # the kiosk still waits for staff
    m.handle(Tap(Action.STAFF_ENTRY))
    effects = m.handle(NetworkResult("login", True, "staff"))
    assert m.desk.role == "staff"
    assert fx.HelpHandled("help_1") in effects
    assert any(isinstance(e, fx.Audit) and e.event == "help.handled" for e in effects)
    assert m.help is None and not m.help_offered()


def test_a_failed_call_can_be_tried_again(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(Tap(Action.CALL_HELP))
    m.handle(NetworkResult("help", False, error="help_unavailable"))
    assert m.help is None and m.help_error == "help_unavailable"
    assert fx.CallHelp("identify") in m.handle(Tap(Action.CALL_HELP))
