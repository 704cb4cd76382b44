"""Staff as individuals through the real window (#15): two people of the sandbox's staff
directory log in, one with staff number and PIN, one with the QR code confirmed in the
(simulated) work app; each files a 代办 and reprints its receipt, and the audit log names
each by staff number."""

from __future__ import annotations

import json
from typing import Any

import requests
from PySide6.QtWidgets import QWidget

from kiosk.audit import audit_path
from kiosk.sandbox.staff_roster import SEED_STAFF
from kiosk.session import State
from tests.ui.test_staff import _apply_from_matter
from ui.inspect import widget_texts
from ui.journey import Driver
from ui.selftest import demo_card_for

ZHANG, LI = SEED_STAFF[0], SEED_STAFF[1]


def _act_for_and_reprint(d: Driver) -> str:
    """From the staff menu: a 代办 (agent and applicant from the demo cards), its receipt,
    the rating, then (logged in again by the caller) nothing. Returns the application."""
    sim = demo_card_for(d.kiosk.services)
    applicant, agent = sim.cards[0], sim.cards[1]
    d.tap("action:act_for")
    d.wait_state(State.AGENT)
    d.tap("action:read_agent_card")
    sim.present(agent)
    d.wait_for("agent card", lambda: d.kiosk.machine.data.agent_form.get("certNo")
               == agent.id_number)
    d.type_into("field:phone", "13900000009")
    d.type_into("field:relation", "配偶")
    d.tap("action:next")
    d.wait_state(State.IDENTIFY)
    sim.lift()
    sim.present(applicant)
    _apply_from_matter(d)
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None
    d.take_receipt()
    d.rate(ends_on=State.LOGIN)
    sim.lift()
    return outcome.client_application_id


def _reprint(d: Driver, ref: str) -> None:
    d.tap("action:open_reprint")
    d.wait_state(State.STAFF_REPRINT)
    d.wait_for("receipts", lambda: d.kiosk.machine.desk.receipts)
    d.tap(f"action:reprint:{ref}")
    d.wait_for("reprinted", lambda: d.kiosk.machine.desk.notice == "reprint")
    d.tap("action:logout")
    d.wait_state(State.ATTRACT)


def _audit(d: Driver) -> list[dict[str, Any]]:
    path = audit_path(d.kiosk.services.settings.kiosk.data_dir)
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_two_staff_members_by_pin_and_by_qr_are_each_named_in_the_audit(
        stack: Driver) -> None:
    d = stack
    assert ZHANG.pin is not None and LI.pin is not None
    d.wait_for("services", lambda: not d.kiosk.machine.services()["apply"])
    # 张测试: staff number and personal PIN on the pad.
    d.login_person(ZHANG.staff_no, ZHANG.pin)
    assert d.kiosk.machine.desk.staff_no == ZHANG.staff_no
    first = _act_for_and_reprint(d)
    # After the 代办 the kiosk asks for the PIN again: the staff number is still there.
    assert d.kiosk.machine.desk.staff_input == ZHANG.staff_no
    assert any(ZHANG.staff_no in t for t in widget_texts(d.window))
    for digit in ZHANG.pin:
        d.tap(f"action:pin_digit:{digit}")
    d.tap("action:confirm")
    d.wait_state(State.STAFF_MENU)
    _reprint(d, first)
    # 李测试: the QR code, confirmed in the work app (the sandbox's admin plays it).
    challenge = d.login_qr()
    qr = d.window.findChild(QWidget, "login-qr")
    assert qr is not None and qr.isVisible()  # the code the work app scans
    sandbox = d.kiosk.services.parts.sandbox
    requests.post(f"{sandbox.root_url}/__admin/staff-logins/{challenge}/confirm",
                  json={"staffNo": LI.staff_no}, timeout=10).raise_for_status()
    d.wait_state(State.STAFF_MENU)
    assert d.kiosk.machine.desk.staff_no == LI.staff_no
    second = _act_for_and_reprint(d)
    d.tap("action:back")
    d.wait_state(State.ATTRACT)
    challenge = d.login_qr()
    requests.post(f"{sandbox.root_url}/__admin/staff-logins/{challenge}/confirm",
                  json={"staffNo": LI.staff_no}, timeout=10).raise_for_status()
    d.wait_state(State.STAFF_MENU)
    _reprint(d, second)

    records = _audit(d)

    def who(event: str) -> list[tuple[str, str | None]]:
        return [(r["actor"], r.get("staff")) for r in records if r["event"] == event]

    assert who("staff.acting_for_citizen") == [("staff", ZHANG.staff_no),
                                               ("staff", LI.staff_no)]
    assert who("receipt.reprinted") == [("staff", ZHANG.staff_no), ("staff", LI.staff_no)]
    methods = [(r.get("staff"), r["details"].get("method")) for r in records
               if r["event"] == "role.login"]
    assert methods == [(ZHANG.staff_no, "pin"), (ZHANG.staff_no, "pin"),
                       (LI.staff_no, "qr"), (LI.staff_no, "qr")]
    # The applicant was identified by card while each was logged in: named too.
    identified = [r.get("staff") for r in records if r["event"] == "citizen.identified"]
    assert identified == [ZHANG.staff_no, LI.staff_no]

    # The citizen looks up their cases with their card and sees who used their data.
    services = d.kiosk.services
    d.wait_for("the reports to reach the platform",
               lambda: not services.operator.access_reports.pending())
    sim = demo_card_for(services)
    d.tap("action:start_query")
    d.wait_state(State.STATUS_QUERY)
    sim.present(sim.cards[0])
    d.wait_state(State.STATUS_RESULT)
    d.wait_for("status", lambda: d.kiosk.machine.data.status_result is not None)
    items = {i["clientApplicationId"]: i for i in
             d.kiosk.machine.data.status_result["items"]}  # type: ignore[index]
    for ref, who in ((first, ZHANG), (second, LI)):
        masked = who.staff_no[:2] + "***" + who.staff_no[-2:]
        assert [(a["operation"], a["staffNoMasked"]) for a in items[ref]["dataAccesses"]] == \
            [("AGENT_FILED", masked), ("RECEIPT_REPRINTED", masked)]
    texts = widget_texts(d.window)
    assert any("数据使用记录" in t for t in texts)
    assert any("代您提交申请（代办）" in t and "99***01" in t for t in texts)
    assert any("补打收件回执" in t and "99***02" in t for t in texts)
    assert not any(ZHANG.staff_no in t or LI.staff_no in t for t in texts)
    sim.lift()


def test_a_wrong_personal_pin_is_refused_and_nobody_is_logged_in(stack: Driver) -> None:
    d = stack
    d.login_person(ZHANG.staff_no, "000000", succeeds=False)
    d.wait_for("refusal", lambda: d.kiosk.machine.desk.login_error == "wrong_pin")
    assert d.state is State.LOGIN and d.kiosk.machine.desk.role == ""
    texts = widget_texts(d.window)
    assert any("密码不正确" in t and "4" in t for t in texts)
    assert not any("000000" in t for t in texts)
