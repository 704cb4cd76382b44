"""Staff and technician mode through the real window on real parts (see conftest): the PIN pad,
代办 with the agent recorded, staff-typed identities, the queue, reprints, the technician's
device screen and out of service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devices.idcard.checkdigit import check_char
from kiosk.privacy import mask_id_number
from kiosk.session import State
from kiosk.session.machine import Timeouts
from ui.inspect import widget_texts
from ui.journey import Driver
from ui.selftest import demo_card_for


def _payload(services: Any, client_id: str) -> dict[str, Any]:
    row = services.parts.sandbox.storage.one(
        "SELECT payload FROM applications WHERE client_application_id = ?", client_id)
    assert row is not None, "the application did not arrive"
    return dict(json.loads(row["payload"]))


def _apply_from_matter(d: Driver, query: str = "gjj") -> None:
    """From the matter choice to the receipt, as in a citizen's journey."""
    d.choose(query, d.kiosk.machine.catalog.search(query)[0].code)
    d.fill_form()
    d.capture_materials()
    d.deliver()
    d.confirm()


def test_wrong_pin_is_refused_with_attempts_left_and_nobody_logged_in(stack: Driver) -> None:
    d = stack
    d.login("staff", pin="000000")
    d.wait_for("refusal", lambda: d.kiosk.machine.desk.login_error == "wrong_pin")
    assert d.state is State.LOGIN and d.kiosk.machine.desk.role == ""
    texts = widget_texts(d.window)
    assert any("密码不正确" in t and "4" in t for t in texts)
    assert not any("000000" in t for t in texts)  # the PIN is never on screen
    d.tap("action:back")
    d.wait_state(State.ATTRACT)


def test_staff_acts_for_a_citizen_and_the_agent_reaches_platform_and_receipt(
        stack: Driver) -> None:
    d = stack
    sim = demo_card_for(d.kiosk.services)
    applicant, agent = sim.cards[0], sim.cards[1]
    d.wait_for("services", lambda: not d.kiosk.machine.services()["apply"])
    d.login("staff")
    d.tap("action:act_for")
    d.wait_state(State.AGENT)
    d.tap("action:read_agent_card")  # asked for: a card left on the reader is not taken
    sim.present(agent)  # the agent lays their own card: name and number filled
    d.wait_for("agent card", lambda: d.kiosk.machine.data.agent_form.get("certNo")
               == agent.id_number)
    d.type_into("field:phone", "13900000009")
    d.type_into("field:relation", "配偶")
    d.tap("action:next")
    d.wait_state(State.IDENTIFY)
    assert any("代办人已登记" in t for t in widget_texts(d.window))
    sim.lift()
    sim.present(applicant)
    _apply_from_matter(d)
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None and outcome.delivered
    d.take_receipt()
    d.rate(ends_on=State.LOGIN)  # the citizen may be alone now: staff type the PIN again
    assert d.kiosk.machine.desk.role == "" and d.kiosk.machine.desk.login_role == "staff"
    sim.lift()
    sent = _payload(d.kiosk.services, outcome.client_application_id)
    assert sent["applicant"]["certNo"] == applicant.id_number
    assert sent["agent"]["kind"] == "CITIZEN_AGENT"
    assert sent["agent"]["certNo"] == agent.id_number and sent["agent"]["relation"] == "配偶"
    assert sent["channel"] == "STAFF_ASSISTED"  # entered by staff, not by the citizen alone
    receipt = d.kiosk.services.device("receipt_printer").engine.jobs[-1]
    assert "代办人".encode("gb18030") in receipt
    assert agent.name.encode("gb18030") not in receipt  # the agent is masked on paper
    # Nothing of either person is left in the window.
    texts = widget_texts(d.window)
    for secret in (applicant.name, applicant.id_number, agent.name, agent.id_number,
                   "13900000009"):
        assert not any(secret in t for t in texts), secret


def test_staff_types_an_identity_when_no_card_can_be_read(stack: Driver) -> None:
    d = stack
    first17 = "99010119700101005"  # region 99 does not exist: fictitious
    cert_no = first17 + check_char(first17)
    d.wait_for("services", lambda: not d.kiosk.machine.services()["apply"])
    d.login("staff")
    d.tap("action:assist")
    d.wait_state(State.IDENTIFY)
    d.tap("action:manual_entry")
    d.wait_state(State.MANUAL_ID)
    d.type_into("field:name", "测试孙七")
    d.type_into("field:certNo", cert_no[:-1] + ("0" if cert_no[-1] != "0" else "1"))
    d.tap("action:next")
    d.wait_for("check digit refused", lambda: "certNo" in d.kiosk.machine.data.manual_errors)
    assert any("证件号码不正确" in t for t in widget_texts(d.window))
    d.type_into("field:certNo", cert_no)
    d.tap("action:next")
    d.wait_state(State.CHOOSE_MATTER)
    citizen = d.kiosk.machine.data.citizen
    assert citizen is not None and citizen.method == "STAFF_VERIFIED"
    _apply_from_matter(d)
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None
    assert _payload(d.kiosk.services, outcome.client_application_id)["applicant"]["certNo"] \
        == cert_no
    d.take_receipt()
    d.tap("action:finish")
    d.wait_state(State.LOGIN)
    audit = (Path(d.kiosk.services.settings.kiosk.data_dir) / "audit" / "audit.jsonl")
    d.kiosk.controller.bridge.shutdown()  # the audit lane has written everything
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    identified = [r for r in records if r["event"] == "citizen.identified"]
    assert identified[-1]["actor"] == "staff"
    assert identified[-1]["details"]["method"] == "STAFF_VERIFIED"
    assert cert_no not in audit.read_text() and mask_id_number(cert_no) in audit.read_text()


def test_receipt_lost_to_paper_out_is_reprinted_by_staff_as_a_copy(stack: Driver) -> None:
    from tests.ui.test_journeys import _to_review

    d = stack
    engine = d.kiosk.services.device("receipt_printer").engine
    _to_review(d)
    engine.state.paper = "out"
    d.wait_for("printer out", lambda: d.kiosk.machine.device_problems.get("receipt_printer"))
    d.confirm()
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None and d.kiosk.machine.data.print_error
    jobs_before = len(engine.jobs)
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    demo_card_for(d.kiosk.services).lift()
    engine.state.paper = "ok"
    d.wait_for("printer back", lambda: not d.kiosk.machine.device_problems.get("receipt_printer"))
    d.login("staff")
    d.tap("action:open_reprint")
    d.wait_state(State.STAFF_REPRINT)
    d.wait_for("receipts", lambda: d.kiosk.machine.desk.receipts)
    d.tap(f"action:reprint:{outcome.client_application_id}")
    d.wait_for("reprinted", lambda: d.kiosk.machine.desk.notice == "reprint")
    assert len(engine.jobs) == jobs_before + 1
    assert "副本".encode("gb18030") in engine.jobs[-1]
    assert any("已补打回执" in t for t in widget_texts(d.window))


def test_staff_voids_a_waiting_application_with_a_second_tap(stack: Driver) -> None:
    from tests.ui.test_journeys import _to_review

    d = stack
    _to_review(d)
    d.kiosk.services.parts.sandbox.stop()  # offline: the application waits in the queue
    d.confirm()
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None and not outcome.delivered
    ref = outcome.client_application_id
    d.take_receipt()
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    d.login("staff")
    d.tap("action:open_queue")
    d.wait_state(State.STAFF_QUEUE)
    d.wait_for("queue", lambda: any(q.item_id == ref for q in d.kiosk.machine.desk.queue or ()))
    assert any("待上传 1 件" in t for t in widget_texts(d.window))
    d.tap(f"action:queue_void:{ref}")
    assert any("再点一次" in t for t in widget_texts(d.window))
    d.tap(f"action:queue_void:{ref}")
    d.wait_for("voided", lambda: d.kiosk.machine.desk.notice == "queue_void")
    d.wait_for("list refreshed", lambda: not any(
        q.item_id == ref and q.state == "pending" for q in d.kiosk.machine.desk.queue or ()))
    assert d.kiosk.services.parts.outbox.get(ref).state.value == "void"


def test_technician_prints_a_test_page_and_takes_the_kiosk_out_of_service(
        stack: Driver) -> None:
    d = stack
    engine = d.kiosk.services.device("receipt_printer").engine
    d.wait_for("services", lambda: not d.kiosk.machine.services()["apply"])
    d.login("technician")
    d.wait_for("devices", lambda: d.kiosk.machine.desk.devices)
    names = [r.name for r in d.kiosk.machine.desk.devices or ()]
    assert {"id_reader", "document_camera", "receipt_printer", "code_scanner"} <= set(names)
    jobs = len(engine.jobs)
    d.tap("action:device_test:receipt_printer")
    d.wait_for("test page", lambda: d.kiosk.machine.desk.notice == "device_test" or (
        bool(d.kiosk.machine.desk.notice) and not d.kiosk.machine.desk.busy))
    assert d.kiosk.machine.desk.notice == "device_test", d.kiosk.machine.desk.notice
    assert len(engine.jobs) == jobs + 1
    assert any("测试完成：测试页已打印（" in t for t in widget_texts(d.window))
    d.tap("action:device_offline:code_scanner")  # asks first
    d.tap("action:device_offline:code_scanner")
    d.wait_for("scanner taken out", lambda: any(
        r.name == "code_scanner" and r.offline for r in d.kiosk.machine.desk.devices or ()))
    d.wait_for("shown", lambda: any("已停用（运维人员停用）" in t for t in widget_texts(d.window)))
    # the screen's own words only: no driver sentence in English on a Chinese screen
    assert not any("taken out of service" in t for t in widget_texts(d.window))
    d.tap("action:toggle_service")  # one tap only asks: a brushed button stops no hall
    d.wait_for("asked", lambda: any("再点一次确认暂停服务" in t for t in widget_texts(d.window)))
    assert not d.kiosk.machine.maintenance
    d.tap("action:toggle_service")
    d.wait_for("out of service", lambda: d.kiosk.machine.maintenance)
    d.tap("action:logout")
    d.wait_state(State.ATTRACT)
    assert not d.find("action:start_apply").isEnabled()
    assert any("本机暂停服务" in t for t in widget_texts(d.window))
    assert d.kiosk.services.operator.out_of_service() is True  # kept for the next start


def test_operator_screen_left_alone_logs_out(stack: Driver) -> None:
    d = stack
    d.login("staff")
    m = d.kiosk.machine
    m.timeouts = Timeouts(idle_s=60, warning_s=1.0, elderly_factor=1.0, operator_s=1.5)
    d.wait_for("warning", lambda: d.kiosk.window.idle.isVisible(), timeout_s=5)
    assert any("退出登录" in t for t in widget_texts(d.kiosk.window.idle))
    d.wait_state(State.ATTRACT, timeout_s=5)
    assert m.desk.role == ""

