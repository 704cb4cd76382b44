"""Staff and technician mode of the session machine, without a GUI and without I/O."""

from __future__ import annotations

from typing import Any

import pytest

from devices.idcard.checkdigit import check_char
from kiosk.services import DeviceReport, QueueEntry
from kiosk.session import (
    Action,
    CardRead,
    Citizen,
    DeviceChanged,
    NetworkResult,
    SessionMachine,
    State,
    Tap,
    Tick,
    Timeouts,
)
from kiosk.session import effects as fx
from kiosk.session.application import build_application, receipt_content
from kiosk.session.effects import DeskOp
from kiosk.session.model import SubmitOutcome
from kiosk.session.states import KioskMode
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN, catalog


def fictitious_id(first17: str = "99010119900101002") -> str:
    """Region 99 does not exist; the check digit is right so the number passes GB 11643."""
    return first17 + check_char(first17)


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(catalog(), Timeouts(idle_s=60, warning_s=15, elderly_factor=2,
                                              operator_s=120, settle_s=0, receipt_dwell_s=0), clock=clock)


def desk_calls(effects: list[fx.Effect]) -> list[tuple[DeskOp, tuple[Any, ...]]]:
    return [(e.op, e.args) for e in effects if isinstance(e, fx.Desk)]


def audits(effects: list[fx.Effect]) -> list[str]:
    return [e.event for e in effects if isinstance(e, fx.Audit)]


def type_pin(m: SessionMachine, pin: str) -> list[fx.Effect]:
    for digit in pin:
        m.handle(Tap(Action.PIN_DIGIT, digit))
    return m.handle(Tap(Action.CONFIRM))


def login(m: SessionMachine, role: str = "staff") -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    m.handle(Tap(Action.CHOOSE_ROLE, role))
    type_pin(m, "246810")
    m.handle(NetworkResult(DeskOp.LOGIN, True, role))


def test_pin_is_sent_once_and_forgotten_at_once(m: SessionMachine) -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    assert m.state is State.LOGIN
    effects = type_pin(m, "246810")
    assert desk_calls(effects) == [(DeskOp.LOGIN, ("staff", "246810"))]
    assert m.desk.pin == "" and "246810" not in repr(effects)
    assert type_pin(m, "135790") == []  # the first attempt is still running


def test_short_pin_is_refused_before_asking_anybody(m: SessionMachine) -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    assert type_pin(m, "1234") == []
    assert m.desk.login_error == "pin_short"


def test_wrong_pin_says_attempts_left_and_stays_on_the_pad(m: SessionMachine) -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    type_pin(m, "999999")
    m.handle(NetworkResult(DeskOp.LOGIN, False, "4", error="wrong_pin"))
    assert m.state is State.LOGIN
    assert (m.desk.login_error, m.desk.login_detail) == ("wrong_pin", "4")
    assert m.desk.role == ""
    m.handle(Tap(Action.PIN_DIGIT, "1"))
    assert m.desk.login_error == ""


def test_staff_login_opens_the_staff_menu_and_logout_audits(m: SessionMachine) -> None:
    login(m)
    assert m.state is State.STAFF_MENU and m.desk.role == "staff"
    assert m.mode is KioskMode.IN_SESSION
    effects = m.handle(Tap(Action.LOGOUT))
    assert m.state is State.ATTRACT and m.desk.role == ""
    assert audits(effects) == ["role.logout"]


def test_technician_login_loads_the_device_list(m: SessionMachine) -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    m.handle(Tap(Action.CHOOSE_ROLE, "technician"))
    type_pin(m, "135790")
    effects = m.handle(NetworkResult(DeskOp.LOGIN, True, "technician"))
    assert m.state is State.TECH_MENU
    assert desk_calls(effects) == [(DeskOp.DEVICE_REPORTS, ())]


def test_manual_entry_is_staff_only(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    assert m.state is State.IDENTIFY
    m.handle(Tap(Action.MANUAL_ENTRY))
    assert m.state is State.IDENTIFY  # a citizen alone cannot type an identity


def test_staff_typed_identity_is_checked_and_marked_staff_verified(m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.ASSIST))
    m.handle(Tap(Action.MANUAL_ENTRY))
    assert m.state is State.MANUAL_ID
    m.handle(Tap(Action.SET_FIELD, ("name", "测试李四")))
    valid = fictitious_id()
    wrong_check_digit = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    m.handle(Tap(Action.SET_FIELD, ("certNo", wrong_check_digit)))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.MANUAL_ID and m.data.manual_errors == {"certNo": "cert_no"}
    m.handle(Tap(Action.SET_FIELD, ("certNo", fictitious_id().lower())))
    effects = m.handle(Tap(Action.NEXT))
    assert m.state is State.CHOOSE_MATTER
    c = m.data.citizen
    assert c is not None and c.method == "STAFF_VERIFIED" and c.cert_no == fictitious_id()
    [audit] = [e for e in effects if isinstance(e, fx.Audit)]
    assert audit.event == "citizen.identified" and audit.actor == "staff"
    assert fictitious_id() not in repr(audit.details) and audit.details["certNo"].endswith(
        fictitious_id()[-4:])


def test_agent_from_the_agents_card_then_applicant_and_agent_in_application(
        m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.ACT_FOR))
    assert m.state is State.AGENT
    agent_card = Citizen(name="测试王五", cert_no=fictitious_id("99010119800101003"))
    effects = m.handle(Tap(Action.READ_AGENT_CARD))  # staff ask for the agent's card
    assert any(isinstance(e, fx.ReadCard) for e in effects)
    m.handle(CardRead(agent_card))
    assert m.data.agent_form["name"] == "测试王五" and m.data.message == "agent_card_read"
    m.handle(Tap(Action.NEXT))
    assert m.data.agent_errors == {"phone": "required", "relation": "required"}
    m.handle(Tap(Action.SET_FIELD, ("phone", "13900000009")))
    m.handle(Tap(Action.SET_FIELD, ("relation", "配偶")))
    effects = m.handle(Tap(Action.NEXT))
    assert m.state is State.IDENTIFY and audits(effects) == ["staff.acting_for_citizen"]
    assert "测试王五" not in repr(effects)
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-001"))
    matter = m.matter
    assert matter is not None
    app = build_application(matter, m.data)
    assert app["agent"] == {"kind": "CITIZEN_AGENT", "name": "测试王五",
                            "certType": "RESIDENT_ID_CARD", "certNo": agent_card.cert_no,
                            "phone": "13900000009", "staffId": None, "relation": "配偶"}
    assert app["applicant"]["certNo"] == TEST_CITIZEN.cert_no


def test_a_card_lying_on_the_reader_never_overwrites_the_typed_agent(m: SessionMachine) -> None:
    """代办 seen at the screen: the agent changed three times as cards were laid down."""
    login(m)
    effects = m.handle(Tap(Action.ACT_FOR))
    assert not any(isinstance(e, fx.ReadCard) for e in effects)  # nothing read unasked
    typed = fictitious_id("99010119850101004")
    m.handle(Tap(Action.SET_FIELD, ("name", "测试赵六")))
    m.handle(Tap(Action.SET_FIELD, ("certNo", typed)))
    m.handle(CardRead(TEST_CITIZEN))  # the applicant's card, laid too early
    assert m.data.agent_form["certNo"] == typed and m.data.agent_form["name"] == "测试赵六"
    m.handle(Tap(Action.READ_AGENT_CARD))
    m.handle(CardRead(Citizen(name="测试王五", cert_no=fictitious_id("99010119800101003"))))
    m.handle(CardRead(TEST_CITIZEN))  # a second card after the one read asked for
    assert m.data.agent_form["name"] == "测试王五"


def test_hall_staff_agent_needs_a_staff_number(m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.ACT_FOR))
    for key, value in (("kind", "HALL_STAFF"), ("name", "测试赵六"),
                       ("certNo", fictitious_id("99010119850101004")), ("phone", "13900000010")):
        m.handle(Tap(Action.SET_FIELD, (key, value)))
    m.handle(Tap(Action.NEXT))
    assert m.data.agent_errors == {"staffId": "required"}
    m.handle(Tap(Action.SET_FIELD, ("staffId", "STAFF-007")))
    m.handle(Tap(Action.NEXT))
    assert m.data.agent is not None and m.data.agent["staffId"] == "STAFF-007"
    assert m.data.agent["relation"] is None


def _submit(m: SessionMachine) -> list[fx.Effect]:
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GT-002"))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.DECLINE))
    m.handle(Tap(Action.NEXT))  # no materials
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW_PICKUP"))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.REVIEW
    m.handle(Tap(Action.CONFIRM))
    return m.handle(NetworkResult("submit", True, SubmitOutcome("cid-9", False)))


def test_confirmed_application_receipt_is_kept_before_printing(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    effects = _submit(m)
    ops = [e.op for e in effects if isinstance(e, fx.Desk)]
    assert ops == [DeskOp.RECORD_RECEIPT]
    kept = next(e for e in effects if isinstance(e, fx.Desk)).args[0]
    assert kept["clientApplicationId"] == "cid-9" and kept["agent"] is None
    order = [type(e) for e in effects]
    assert order.index(fx.Desk) < order.index(fx.PrintReceipt)
    assert audits(effects) == ["application.confirmed"]


def test_printer_out_still_keeps_the_receipt_for_a_staff_reprint(m: SessionMachine) -> None:
    m.handle(DeviceChanged({"receipt_printer": "PAPER_OUT"}))
    login(m)
    m.handle(Tap(Action.ASSIST))
    effects = _submit(m)
    assert [e.op for e in effects if isinstance(e, fx.Desk)] == [DeskOp.RECORD_RECEIPT]
    assert not any(isinstance(e, fx.PrintReceipt) for e in effects)


def test_staff_assisted_session_end_asks_for_the_pin_again(m: SessionMachine) -> None:
    """The citizen may be alone at the kiosk once their session ends: no open staff menu."""
    login(m)
    m.handle(Tap(Action.ASSIST))
    m.handle(CardRead(TEST_CITIZEN))
    effects = m.handle(Tap(Action.FINISH))
    assert m.state is State.LOGIN and m.desk.role == "" and m.desk.login_role == "staff"
    assert m.data.citizen is None
    assert audits(effects) == ["citizen.session_wiped", "role.logout"]
    assert any(isinstance(e, fx.SessionEnded) for e in effects)
    m.handle(Tap(Action.MANUAL_ENTRY))
    assert m.state is State.LOGIN


def test_backing_out_of_the_agent_screen_returns_to_the_menu_with_nothing_kept(
        m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.OPEN_REPRINT))
    m.handle(Tap(Action.REPRINT, "cid-1"))
    assert m.desk.busy == DeskOp.REPRINT
    m.handle(Tap(Action.BACK))
    m.handle(Tap(Action.ACT_FOR))
    m.handle(Tap(Action.SET_FIELD, ("name", "测试王五")))
    effects = m.handle(Tap(Action.BACK))
    assert m.state is State.STAFF_MENU and m.desk.role == "staff"
    assert m.data.agent_form == {} and m.desk.busy == ""  # the reprint's result is dropped
    assert any(isinstance(e, fx.SessionEnded) for e in effects)  # the window wipes the form


def test_logout_and_finish_do_not_interrupt_a_submission(m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.ASSIST))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GT-002"))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.DECLINE))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW_PICKUP"))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.CONFIRM))
    assert m.state is State.SUBMITTING
    assert m.handle(Tap(Action.LOGOUT)) == [] and m.handle(Tap(Action.FINISH)) == []
    effects = m.handle(NetworkResult("submit", True, SubmitOutcome("cid-3", True)))
    assert m.state is State.RECEIPT and audits(effects) == ["application.confirmed"]
    assert [e.op for e in effects if isinstance(e, fx.Desk)] == [DeskOp.RECORD_RECEIPT]


def test_half_typed_pin_is_forgotten_after_the_short_login_timeout(
        m: SessionMachine, clock: Clock) -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    for digit in "24681":
        m.handle(Tap(Action.PIN_DIGIT, digit))
    clock.now += 46  # Timeouts.login_s = 45, far below the operator screens' 120 s
    m.handle(Tick(clock.now))
    assert m.state is State.ATTRACT and m.desk.pin == ""


def test_leaving_the_pin_pad_from_the_idle_warning_forgets_the_digits(m: SessionMachine) -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    m.handle(Tap(Action.PIN_DIGIT, "2"))
    m.handle(Tap(Action.LOGOUT))  # the warning's button on an operator screen
    assert m.state is State.ATTRACT and m.desk.pin == ""


def test_digits_typed_while_the_pin_is_checked_are_not_kept(m: SessionMachine) -> None:
    m.handle(Tap(Action.STAFF_ENTRY))
    type_pin(m, "246810")
    m.handle(Tap(Action.PIN_DIGIT, "1"))
    assert m.desk.pin == ""
    m.handle(NetworkResult(DeskOp.LOGIN, True, "staff"))
    assert m.desk.pin == "" and m.state is State.STAFF_MENU


def test_out_of_service_kiosk_starts_no_staff_journey(m: SessionMachine) -> None:
    m.handle(NetworkResult("out_of_service", True, True))
    login(m)
    for action in (Action.ASSIST, Action.ACT_FOR, Action.START_QUERY):
        assert m.handle(Tap(action)) == []
        assert m.state is State.STAFF_MENU
    assert (m.desk.notice, m.desk.notice_ok) == ("kiosk:OUT_OF_SERVICE", False)
    m.handle(Tap(Action.OPEN_QUEUE))  # the queue is still staff's to look after
    assert m.state is State.STAFF_QUEUE


def test_applicant_must_not_be_the_agent(m: SessionMachine) -> None:
    agent = Citizen(name="测试王五", cert_no=fictitious_id("99010119800101003"))
    login(m)
    m.handle(Tap(Action.ACT_FOR))
    for key, value in (("name", agent.name), ("certNo", agent.cert_no),
                       ("phone", "13900000009"), ("relation", "配偶")):
        m.handle(Tap(Action.SET_FIELD, (key, value)))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.IDENTIFY
    effects = m.handle(CardRead(agent))  # the agent's card again
    assert m.state is State.IDENTIFY and m.data.message == "applicant_is_agent"
    assert any(isinstance(e, fx.ReadCard) for e in effects)
    m.handle(Tap(Action.MANUAL_ENTRY))
    m.handle(Tap(Action.SET_FIELD, ("name", agent.name)))
    m.handle(Tap(Action.SET_FIELD, ("certNo", agent.cert_no)))
    m.handle(Tap(Action.NEXT))
    assert m.data.manual_errors == {"certNo": "same_as_agent"}


def test_out_of_service_stores_the_value_asked_for(m: SessionMachine) -> None:
    login(m, "technician")
    m.handle(Tap(Action.TOGGLE_SERVICE))
    m.handle(Tap(Action.TOGGLE_SERVICE))  # a second tap while the first is stored: ignored
    m.handle(NetworkResult(DeskOp.SET_OUT_OF_SERVICE, True))
    assert m.maintenance
    m.handle(NetworkResult(DeskOp.SET_OUT_OF_SERVICE, True))  # a stray duplicate
    assert m.maintenance


def test_idle_in_a_staff_session_wipes_and_logs_out(m: SessionMachine, clock: Clock) -> None:
    login(m)
    m.handle(Tap(Action.ASSIST))
    m.handle(CardRead(TEST_CITIZEN))
    clock.now += 61
    effects = m.handle(Tick(clock.now))
    assert m.state is State.ATTRACT and m.desk.role == "" and m.data.citizen is None
    assert audits(effects) == ["citizen.session_wiped", "role.logout"]


def test_operator_screens_log_out_after_their_own_longer_timeout(
        m: SessionMachine, clock: Clock) -> None:
    login(m)
    clock.now += 61  # a citizen's limit: a staff menu stays
    m.handle(Tick(clock.now))
    assert m.state is State.STAFF_MENU
    clock.now += 50  # 111 s: inside the warning (120 - 15)
    m.handle(Tick(clock.now))
    assert m.warning_left == 9
    clock.now += 10
    m.handle(Tick(clock.now))
    assert m.state is State.ATTRACT and m.desk.role == ""


def test_voiding_a_queued_application_needs_a_second_tap(m: SessionMachine) -> None:
    login(m)
    effects = m.handle(Tap(Action.OPEN_QUEUE))
    assert desk_calls(effects) == [(DeskOp.QUEUE_ENTRIES, ())]
    entry = QueueEntry("cid-1", "dead", 3, 600.0, "TEST-GJJ-001", "VALIDATION: bad phone")
    m.handle(NetworkResult(DeskOp.QUEUE_ENTRIES, True, [entry]))
    assert m.desk.queue == [entry]
    assert m.handle(Tap(Action.QUEUE_VOID, "cid-1")) == []
    # Sent three times already: the platform may hold it, and the warning says so.
    assert (m.desk.notice, m.desk.notice_detail) == ("confirm_void_attempted", "3")
    assert desk_calls(m.handle(Tap(Action.QUEUE_VOID, "cid-1"))) == [
        (DeskOp.QUEUE_VOID, ("cid-1", "staff"))]
    assert m.desk.busy == DeskOp.QUEUE_VOID
    effects = m.handle(NetworkResult(DeskOp.QUEUE_VOID, True))
    assert m.desk.busy == "" and m.desk.notice == "queue_void" and m.desk.notice_ok
    assert desk_calls(effects) == [(DeskOp.QUEUE_ENTRIES, ())]


def test_void_of_a_never_sent_application_asks_plainly(m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.OPEN_QUEUE))
    m.handle(NetworkResult(DeskOp.QUEUE_ENTRIES, True, [QueueEntry("cid-5", "pending", 0, 5.0)]))
    m.handle(Tap(Action.QUEUE_VOID, "cid-5"))
    assert (m.desk.notice, m.desk.notice_detail) == ("confirm_void", "")


def test_queue_retry_failure_is_shown_with_its_code(m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.OPEN_QUEUE))
    m.handle(Tap(Action.QUEUE_RETRY, "cid-2"))
    m.handle(NetworkResult(DeskOp.QUEUE_RETRY, False, "no such item", error="not_found"))
    assert (m.desk.notice, m.desk.notice_ok) == ("not_found", False)


def test_queue_list_follows_the_worker_while_on_screen(m: SessionMachine, clock: Clock) -> None:
    login(m)
    m.handle(Tap(Action.OPEN_QUEUE))
    m.handle(NetworkResult(DeskOp.QUEUE_ENTRIES, True, []))
    clock.now += 1
    assert m.handle(Tick(clock.now)) == []
    clock.now += 3
    assert desk_calls(m.handle(Tick(clock.now))) == [(DeskOp.QUEUE_ENTRIES, ())]


def test_reprint_refused_with_the_printer_reason_while_paper_is_out(m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.OPEN_REPRINT))
    m.handle(DeviceChanged({"receipt_printer": "PAPER_OUT"}))
    assert m.handle(Tap(Action.REPRINT, "cid-1")) == []
    assert (m.desk.notice, m.desk.notice_ok) == ("receipt_printer:PAPER_OUT", False)
    m.handle(DeviceChanged({}))
    assert desk_calls(m.handle(Tap(Action.REPRINT, "cid-1"))) == [
        (DeskOp.REPRINT, ("cid-1", "staff"))]


def test_technician_takes_the_kiosk_out_of_service_and_citizens_see_it(
        m: SessionMachine) -> None:
    login(m, "technician")
    assert m.handle(Tap(Action.TOGGLE_SERVICE)) == []  # the first tap only asks
    assert m.desk.confirm == "service" and not m.maintenance
    effects = m.handle(Tap(Action.TOGGLE_SERVICE))
    assert desk_calls(effects) == [(DeskOp.SET_OUT_OF_SERVICE, (True, "technician"))]
    assert not m.maintenance  # only once the setting is stored
    m.handle(NetworkResult(DeskOp.SET_OUT_OF_SERVICE, True))
    assert m.maintenance
    m.handle(Tap(Action.LOGOUT))
    assert m.mode is KioskMode.MAINTENANCE
    assert m.services() == {"apply": "kiosk:OUT_OF_SERVICE", "query": "kiosk:OUT_OF_SERVICE"}
    m.handle(Tap(Action.START_APPLY))
    assert m.state is State.ATTRACT


def test_out_of_service_read_at_start_survives_a_restart(m: SessionMachine) -> None:
    m.handle(NetworkResult("out_of_service", True, True))
    assert m.maintenance and m.services()["apply"] == "kiosk:OUT_OF_SERVICE"


def test_device_offline_toggles_from_the_current_report(m: SessionMachine) -> None:
    login(m, "technician")
    printer = DeviceReport("printer", "printer", "simulated", "READY", "ok", offline=False)
    m.handle(NetworkResult(DeskOp.DEVICE_REPORTS, True, [printer]))
    assert m.handle(Tap(Action.DEVICE_OFFLINE, "printer")) == []  # the first tap only asks
    assert desk_calls(m.handle(Tap(Action.DEVICE_OFFLINE, "printer"))) == [
        (DeskOp.SET_DEVICE_OFFLINE, ("printer", True, "technician"))]
    effects = m.handle(NetworkResult(DeskOp.SET_DEVICE_OFFLINE, True))
    assert desk_calls(effects) == [(DeskOp.DEVICE_REPORTS, ())]
    # Shown as taken offline at once, before the next report confirms it.
    assert [r.offline for r in m.desk.devices or ()] == [True]
    # Putting it back needs no confirmation: nothing is lost by it.
    assert desk_calls(m.handle(Tap(Action.DEVICE_OFFLINE, "printer"))) == [
        (DeskOp.SET_DEVICE_OFFLINE, ("printer", False, "technician"))]


def test_device_test_outcome_keeps_the_report_for_the_screen_to_word(
        m: SessionMachine) -> None:
    from kiosk.device_classes import DeviceTestReport

    login(m, "technician")
    m.handle(Tap(Action.DEVICE_TEST, "printer"))
    found = DeviceTestReport("TEST_PAGE_PRINTED", (("bytes", "1024"),))
    m.handle(NetworkResult(DeskOp.DEVICE_TEST, True, found))
    assert m.desk.notice == DeskOp.DEVICE_TEST
    assert m.desk.test_report == found
    m.handle(Tap(Action.DEVICE_TEST, "printer"))  # the next test: the old report is gone
    assert m.desk.test_report is None


def test_receipt_names_the_agent_for_the_printer(m: SessionMachine) -> None:
    login(m)
    m.handle(Tap(Action.ACT_FOR))
    for key, value in (("name", "测试王五"), ("certNo", fictitious_id("99010119800101003")),
                       ("phone", "13900000009"), ("relation", "子女")):
        m.handle(Tap(Action.SET_FIELD, (key, value)))
    m.handle(Tap(Action.NEXT))
    effects = _submit(m)
    kept = next(e for e in effects if isinstance(e, fx.Desk)).args[0]
    assert kept["agent"] == {"kind": "CITIZEN_AGENT", "name": "测试王五"}
    assert m.matter is not None
    assert receipt_content(m.matter, m.data)["agent"]["name"] == "测试王五"
    [confirmed] = [e for e in effects if isinstance(e, fx.Audit)]
    assert confirmed.actor == "staff" and confirmed.details["agentKind"] == "CITIZEN_AGENT"
