"""Citizen journeys through the real window on real parts (see conftest)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.privacy import mask_id_number
from kiosk.session import State
from kiosk.session.machine import Timeouts
from ui.inspect import pixmap_count, widget_texts
from ui.journey import Driver
from ui.selftest import check_outcome, demo_card_for


def _to_review(d: Driver, query: str = "gjj") -> Any:
    services = d.kiosk.services
    sim = demo_card_for(services)
    matter = d.kiosk.machine.catalog.search(query)[0]
    d.start_apply()
    sim.present()
    d.choose(query, matter.code)
    d.fill_form()
    d.capture_materials()
    d.deliver()
    return matter


def test_happy_path_delivers_application_prints_receipt_and_rates(stack: Driver) -> None:
    d = stack
    _to_review(d)
    citizen = d.kiosk.machine.data.citizen
    assert citizen is not None
    d.confirm()
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None and outcome.delivered and outcome.application_id
    d.take_receipt()
    texts = widget_texts(d.window)
    assert any("已收件" in t for t in texts) and not any("已受理" in t for t in texts)
    d.rate()
    texts = widget_texts(d.window)  # thanked, and nothing of theirs left on screen
    assert any("感谢您的评价" in t for t in texts)
    assert not any(citizen.name in t or citizen.cert_no in t for t in texts)
    d.tap("action:dismiss")
    d.wait_for("home", lambda: d._visible("action:start_apply") is not None)
    checks = check_outcome(d.kiosk.services, 1)
    assert all(c["ok"] for c in checks.values()), checks
    dump = d.kiosk.services.parts.sandbox.storage.dump()
    assert dump[0]["applicantCertNo"] == citizen.cert_no
    assert dump[0]["identificationMethod"] == "IDCARD"  # the card, no face check here
    assert dump[0]["evaluation"]["satisfaction"] == "VERY_SATISFIED"
    row = d.kiosk.services.parts.sandbox.storage.one(
        "SELECT payload FROM applications WHERE client_application_id = ?",
        outcome.client_application_id)
    sent = json.loads(row["payload"])
    assert sent["channel"] == "SELF_SERVICE_TERMINAL"
    assert sent["consentId"]  # the platform's consent record of the prefill travels along


def test_skip_on_the_rating_screen_stays_put_when_the_reasons_of_a_bad_rating_appear(
        stack: Driver) -> None:
    d = stack
    _to_review(d)
    d.confirm()
    d.take_receipt()
    d.tap("action:next")
    d.wait_state(State.RATING)
    skip = d.find("action:skip")
    before = skip.mapTo(d.window, QPoint(0, 0))
    d.tap("action:rate:DISSATISFIED")
    d.wait_for("reasons", lambda: d._visible("action:toggle_reason:LONG_WAIT") is not None)
    assert skip.mapTo(d.window, QPoint(0, 0)) == before  # no button moves under a finger
    d.tap("action:skip")
    d.wait_state(State.ATTRACT)


def test_offline_submission_receipt_says_pending_upload(stack: Driver) -> None:
    d = stack
    _to_review(d)
    d.kiosk.services.parts.sandbox.stop()  # the platform becomes unreachable
    d.confirm()
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None and not outcome.delivered and outcome.client_application_id
    d.take_receipt()
    texts = widget_texts(d.window)
    assert any("收件待上传" in t for t in texts)
    assert any(outcome.client_application_id in t for t in texts)
    job = d.kiosk.services.device("receipt_printer").engine.jobs[-1]
    assert "收件待上传".encode("gb18030") in job or len(job) > 0


def test_card_lifted_mid_read_shows_what_to_do_and_recovers(stack: Driver) -> None:
    d = stack
    sim = demo_card_for(d.kiosk.services)
    d.start_apply()
    sim.fail_next("lift_mid_read")
    sim.present()
    d.wait_for("card-lifted message",
               lambda: d.kiosk.machine.data.message in ("CARD_LIFTED", "READ_FAILED"))
    assert d.state is State.IDENTIFY
    assert any("不要移动" in t or "重新放置" in t for t in widget_texts(d.window))
    sim.lift()
    sim.present()
    d.wait_state(State.CHOOSE_MATTER)


def test_paper_out_greys_apply_and_warns_before_confirm(stack: Driver) -> None:
    d = stack
    engine = d.kiosk.services.device("receipt_printer").engine
    engine.state.paper = "out"
    d.wait_for("apply greyed by the printer",
               lambda: d.kiosk.machine.services()["apply"] == "receipt_printer:PAPER_OUT")
    d.kiosk.window.show_state()
    assert not d.find("action:start_apply").isEnabled()
    assert any("缺纸" in t for t in widget_texts(d.window))
    engine.state.paper = "ok"
    _to_review(d)
    engine.state.paper = "out"
    d.wait_for("review warns", lambda: d.kiosk.machine.device_problems.get("receipt_printer") == "PAPER_OUT")
    d.kiosk.window.show_state()
    assert any("缺纸" in t for t in widget_texts(d.window))
    d.tap("action:confirm")  # still possible: nothing is a dead end
    d.wait_state(State.RECEIPT, timeout_s=60)
    assert d.kiosk.machine.data.print_error.startswith("receipt_printer:")


def test_idle_wipe_leaves_no_citizen_data_in_window_or_session(stack: Driver) -> None:
    d = stack
    _to_review(d)
    m = d.kiosk.machine
    citizen = m.data.citizen
    assert citizen is not None
    secrets = {citizen.name, citizen.cert_no, mask_id_number(citizen.cert_no), citizen.address,
               *[str(v) for v in m.data.form.values() if len(str(v)) >= 4]}
    assert any(s in t for s in secrets for t in widget_texts(d.window))  # shown before
    m.timeouts = Timeouts(idle_s=1.5, warning_s=1.0, elderly_factor=1.0)
    d.wait_for("idle warning", lambda: d.kiosk.window.idle.isVisible(), timeout_s=5)
    d.wait_state(State.ATTRACT, timeout_s=5)

    def leaked() -> list[str]:
        texts = widget_texts(d.window)
        return sorted({s for s in secrets for t in texts if s and s in t})

    # The screens are wiped when the window handles the session's end, an event after the
    # machine's state changed: wait for that, then nothing of the citizen may be left.
    d.wait_for("screens wiped", lambda: not leaked(), timeout_s=5)
    assert leaked() == []
    assert pixmap_count(d.window) == 0
    assert m.data.citizen is None and m.data.form == {} and m.data.pages == {}
    assert m.data.outcome is None and m.data.prefill == {} and m.data.address == {}
    assert not any(s in repr(vars(m.data)) for s in secrets if s)


def test_status_query_by_scanning_the_receipt_qr(stack: Driver) -> None:
    from kiosk.qr_payload import receipt_url

    d = stack
    _to_review(d)
    d.confirm()
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None and outcome.query_password
    d.take_receipt()
    d.rate()
    d.kiosk.services.device("code_scanner").simulator.scan(
        receipt_url(outcome.application_id, outcome.query_password))
    d.wait_state(State.STATUS_RESULT)
    d.wait_for("status", lambda: d.kiosk.machine.data.status_result is not None)
    items = d.kiosk.machine.data.status_result["items"]  # type: ignore[index]
    assert [i["applicationId"] for i in items] == [outcome.application_id]
    assert any("已收件" in t for t in widget_texts(d.window))


def test_english_and_elderly_mode_reset_after_the_session(stack: Driver) -> None:
    d = stack
    m = d.kiosk.machine
    d.wait_for("services", lambda: not m.services()["apply"])
    d.tap("action:set_language:en")
    d.tap("action:toggle_elderly")
    assert m.language == "en" and m.elderly
    assert any(t == "Apply for a service" for t in widget_texts(d.window))
    assert m.timeouts.idle(m.elderly) == 2 * m.timeouts.idle(False)
    d.tap("action:start_apply")
    d.wait_state(State.IDENTIFY)
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    assert m.language == "zh_CN" and not m.elderly
    assert any(t == "办理业务" for t in widget_texts(d.window))


def test_the_newborn_bundle_is_applied_for_with_its_sub_matters_ticked(stack: Driver) -> None:
    """新生儿出生“一件事”: the sub-matters are a checklist of large tiles (it was a text box
    that always failed validation); none ticked says what is missing; the platform gets the
    list."""
    d = stack
    m = d.kiosk.machine
    sim = demo_card_for(d.kiosk.services)
    bundle = m.catalog.search("xsecs")[0]
    assert bundle.is_bundle
    d.start_apply()
    sim.present()
    d.choose("xsecs", bundle.code)
    schema = bundle.form_schema["properties"]["subMatters"]
    subs = schema["items"]["enum"]
    names = schema["items"]["x-enumNames"]
    assert all(d.find(f"check:subMatters:{code}") for code in subs)
    assert any(names[0] in t for t in widget_texts(d.window))
    for code in m.data.form.get("subMatters") or []:  # start from none ticked
        d.tap(f"check:subMatters:{code}")
    d.tap("action:next")
    d.wait_for("errors shown", lambda: bool(m.data.form_errors))
    assert d.state is State.FORM and m.data.form_errors.get("subMatters") == "required"
    assert any("此项必填" in t for t in widget_texts(d.window))
    assert not any("预防接种单位" in t for t in widget_texts(d.window))  # not chosen yet
    chosen = [subs[0], subs[1], subs[4]]  # three of five: 出生医学证明, 户口, 预防接种证
    for code in chosen:
        d.tap(f"check:subMatters:{code}")
    assert m.data.form["subMatters"] == chosen
    assert d.find("choice:vaccinationClinic:XH-CDC-1")  # 预防接种证 brought its section
    d.fill_form({"subMatters": []})  # the other fields; nothing more ticked
    # The vaccination record only 预防接种证 needs is photographed, labelled with it.
    d.wait_state(State.MATERIALS)
    assert "M0002-07" in m.materials_to_capture() and "M0002-06" not in [x.code for x in m.materials()]
    assert any("用于：预防接种证办理" in t for t in widget_texts(d.window))
    d.capture_materials(optional=False)
    d.deliver()
    texts = widget_texts(d.window)  # review
    assert any(f"{names[0]}、{names[1]}、{names[4]}" in t for t in texts)
    assert any("牵头部门" in t for t in texts)
    d.confirm()
    outcome = m.data.outcome
    assert outcome is not None and outcome.delivered
    texts = widget_texts(d.window)  # the receipt screen lists the sub-matters and the lead
    assert any("同时办理 3 项" in t for t in texts) and any("牵头部门" in t for t in texts)
    sandbox = d.kiosk.services.parts.sandbox
    row = sandbox.storage.one(
        "SELECT payload FROM applications WHERE client_application_id = ?",
        outcome.client_application_id)
    assert json.loads(row["payload"])["form"]["subMatters"] == chosen
    [dumped] = [r for r in sandbox.storage.dump()
                if r["clientApplicationId"] == outcome.client_application_id]
    assert [c["implCode"] for c in dumped["subCases"]] == chosen  # fanned out to departments


def test_fund_withdrawal_is_done_by_touch_with_the_camera_out_of_service(stack: Driver) -> None:
    """提取住房公积金 needs no camera (its kioskDevices): with the document camera out of service
    it stays available and is completed; 二手房 (needs the camera) is greyed with the reason."""
    d = stack
    m = d.kiosk.machine
    d.wait_for("devices ready", lambda: not m.services()["apply"] and len(m.catalog) > 0)
    assert d.kiosk.services.operator.set_device_offline("document_camera", True, "test").ok
    d.wait_for("camera out", lambda: m.device_problems.get("document_camera") == "OFFLINE")
    assert not m.services()["apply"]  # some matter can still be done
    house = m.catalog.search("esf")[0]
    gjj = m.catalog.search("gjj")[0]
    d.start_apply()
    demo_card_for(d.kiosk.services).present()
    d.wait_state(State.CHOOSE_MATTER)
    d.search("esf")
    d.pump(5)
    tile = next(b for b in d.window.findChildren(QPushButton)
                if b.objectName() == f"action:select_matter:{house.code}")
    assert not tile.isEnabled()  # greyed …
    assert any("高拍仪" in t and "暂不能办理" in t for t in widget_texts(d.window))  # … why
    for _ in "esf":
        d.tap("key:backspace")
    d.choose("gjj", gjj.code)
    d.fill_form()
    if d.state is State.MATERIALS:  # nothing to photograph: originals at the window
        d.tap("action:next")
    d.wait_state(State.DELIVERY)
    d.deliver()
    d.confirm()
    assert m.data.outcome is not None and m.data.outcome.delivered


def test_a_fee_is_paid_by_phone_after_an_expired_code_and_the_receipt_shows_it(
        stack: Driver) -> None:
    """二手房转移登记 (登记费 80 元/件): after 确认提交 the pay QR appears with the amount and the
    time left; the first code expires unpaid (a new one is made by touch), the second is paid
    on the phone; the application goes with the paid order and the receipt says 已缴费."""
    d = stack
    m = d.kiosk.machine
    state = d.kiosk.services.parts.sandbox.state
    state.payment_paid_after_s, state.payment_ttl_s = None, 2.0  # nobody pays: it lapses
    matter = _to_review(d, "esf")
    assert any("登记费 80 元/件" in t for t in widget_texts(d.window))  # review shows the fee
    d.tap("action:confirm")
    d.wait_state(State.PAYMENT)
    d.wait_for("pay QR", lambda: m.payment_pending())
    texts = widget_texts(d.window)
    assert any("合计：80 元" in t for t in texts) and any("还剩" in t for t in texts)
    assert d.window.findChild(QWidget, "pay-qr") is not None
    d.wait_for("expired", lambda: m.data.payment_error == "payment_expired", timeout_s=30)
    d.kiosk.window.show_state()
    assert any("已过期" in t for t in widget_texts(d.window))
    state.payment_paid_after_s, state.payment_ttl_s = 0.5, 300.0  # this time it is paid
    d.tap("action:retry")
    d.wait_state(State.RECEIPT, timeout_s=60)
    outcome = m.data.outcome
    assert outcome is not None and outcome.delivered
    assert any("已缴费 80 元" in t for t in widget_texts(d.window))
    [row] = [r for r in d.kiosk.services.parts.sandbox.storage.dump()
             if r["clientApplicationId"] == outcome.client_application_id]
    assert row["matter"] == matter.code
    assert row["payment"]["status"] == "PAID" and row["payment"]["amountFen"] == 8000


def test_a_supplement_asked_by_the_department_is_handed_in_by_touch(stack: Driver) -> None:
    """补齐补正: the platform asks for a material of a case; the applicant lays the ID card on
    the status query, sees what is asked, photographs it and sends it from the kiosk; the
    case becomes SUPPLEMENT_SUBMITTED at the platform."""
    import requests

    d = stack
    m = d.kiosk.machine
    sandbox = d.kiosk.services.parts.sandbox
    sim = demo_card_for(d.kiosk.services)
    gjj = m.catalog.search("gjj")[0]
    d.start_apply()
    sim.present(sim.cards[0])
    d.choose("gjj", gjj.code)
    d.fill_form()
    d.capture_materials()
    d.deliver()
    d.confirm()
    outcome = m.data.outcome
    assert outcome is not None and outcome.application_id
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    sim.lift()
    r = requests.post(f"{sandbox.root_url}/__admin/applications/{outcome.application_id}/status",
                      json={"status": "SUPPLEMENT_REQUIRED", "materials": ["M0003-02"],
                            "reason": "提取原因证明不清晰，请重新拍摄（测试）"}, timeout=5)
    assert r.status_code == 200
    d.tap("action:start_query")
    d.wait_state(State.STATUS_QUERY)
    sim.present(sim.cards[0])  # the applicant's own card
    d.wait_state(State.STATUS_RESULT)
    d.wait_for("cases", lambda: m.data.status_result is not None)
    d.kiosk.window.show_state()
    assert any("提取原因证明不清晰" in t for t in widget_texts(d.window))
    d.tap(f"action:start_supplement:{outcome.application_id}")
    d.wait_state(State.SUPPLEMENT)
    d.tap("action:capture")
    d.wait_for("page", lambda: bool(m.data.pages.get("M0003-02")))
    d.tap("action:next")
    d.wait_state(State.SUPPLEMENT_DONE, timeout_s=60)
    assert m.data.supplement_outcome is not None and m.data.supplement_outcome.delivered
    assert any("补正材料已提交" in t for t in widget_texts(d.window))
    row = sandbox.storage.one("SELECT status FROM applications WHERE application_id = ?",
                              outcome.application_id)
    assert row["status"] == "SUPPLEMENT_SUBMITTED"
    # 补正回执 on the receipt printer, the applicant masked like the 收件回执's
    d.wait_for("补正回执", lambda: m.data.supplement_printed)
    job = d.kiosk.services.device("receipt_printer").engine.jobs[-1]
    assert "补正回执".encode("gb18030") in job and outcome.application_id.encode() in job
    assert m.data.citizen is not None and m.data.citizen.cert_no.encode() not in job
    d.tap("action:next")
    d.wait_state(State.ATTRACT)


def test_a_supplement_is_offered_after_a_receipt_qr_query_and_taken_from_the_applicant_only(
        stack: Driver) -> None:
    """补齐补正 from the 收件回执's QR: the case asked for a material shows 现在补交材料; the
    kiosk asks for the applicant's ID card first; someone else's card is told it is not the
    applicant's case and forgotten; the applicant's card leads to the photographing and the
    case becomes SUPPLEMENT_SUBMITTED."""
    import requests

    from kiosk.qr_payload import receipt_url

    d = stack
    m = d.kiosk.machine
    sandbox = d.kiosk.services.parts.sandbox
    sim = demo_card_for(d.kiosk.services)
    gjj = m.catalog.search("gjj")[0]
    d.start_apply()
    sim.present(sim.cards[0])
    d.choose("gjj", gjj.code)
    d.fill_form()
    d.capture_materials()
    d.deliver()
    d.confirm()
    outcome = m.data.outcome
    assert outcome is not None and outcome.application_id and outcome.query_password
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    sim.lift()
    r = requests.post(f"{sandbox.root_url}/__admin/applications/{outcome.application_id}/status",
                      json={"status": "SUPPLEMENT_REQUIRED", "materials": ["M0003-02"],
                            "reason": "提取原因证明不清晰，请重新拍摄（测试）"}, timeout=5)
    assert r.status_code == 200
    d.kiosk.services.device("code_scanner").simulator.scan(
        receipt_url(outcome.application_id, outcome.query_password))
    d.wait_state(State.STATUS_RESULT)
    d.wait_for("case", lambda: m.data.status_result is not None)
    d.kiosk.window.show_state()
    assert any("提取原因证明不清晰" in t for t in widget_texts(d.window))
    d.tap(f"action:start_supplement:{outcome.application_id}")
    assert m.state is State.STATUS_RESULT and m.data.supplement_pending
    d.kiosk.window.show_state()
    assert any("请把申请人的身份证放在读卡区" in t for t in widget_texts(d.window))
    sim.present(sim.cards[1])  # someone else's card
    d.wait_for("refused", lambda: m.data.message == "not_the_applicant")
    assert m.data.citizen is None and m.state is State.STATUS_RESULT
    d.kiosk.window.show_state()
    assert any("不是该办件的申请人" in t for t in widget_texts(d.window))
    sim.lift()
    d.tap(f"action:start_supplement:{outcome.application_id}")
    sim.present(sim.cards[0])  # the applicant's own card
    d.wait_state(State.SUPPLEMENT)
    d.tap("action:capture")
    d.wait_for("page", lambda: bool(m.data.pages.get("M0003-02")))
    d.tap("action:next")
    d.wait_state(State.SUPPLEMENT_DONE, timeout_s=60)
    assert m.data.supplement_outcome is not None and m.data.supplement_outcome.delivered
    row = sandbox.storage.one("SELECT status FROM applications WHERE application_id = ?",
                              outcome.application_id)
    assert row["status"] == "SUPPLEMENT_SUBMITTED"
    d.tap("action:next")
    d.wait_state(State.ATTRACT)


def test_a_material_is_replaced_by_a_promise_signed_on_the_screen(stack: Driver) -> None:
    """告知承诺: 提取住房公积金's proof of reason may be replaced by the applicant's promise; the
    citizen declines data sharing (so the proof is asked), taps 承诺代替材料, reads the 承诺书,
    signs with a finger (an empty signature is refused), and the platform receives the
    material as EXEMPT_PROMISE with the signed 承诺书 as a PDF; the queue kept it sealed."""
    d = stack
    m = d.kiosk.machine
    sandbox = d.kiosk.services.parts.sandbox
    gjj = m.catalog.search("gjj")[0]
    d.start_apply()
    demo_card_for(d.kiosk.services).present()
    d.wait_state(State.CHOOSE_MATTER)
    d.search("gjj")
    d.tap(f"action:select_matter:{gjj.code}")
    d.wait_state(State.GUIDE)
    d.tap("action:next")
    d.wait_state(State.CONSENT)
    d.tap("action:decline")  # nothing shared: the proof of reason must be handed in
    d.wait_state(State.FORM)
    d.fill_form()
    d.wait_state(State.MATERIALS)
    d.tap("action:promise:M0003-02")
    assert "M0003-02" in m.data.promised
    d.capture_materials(optional=False)  # the ID card's copy; the proof is promised
    d.wait_state(State.PROMISE)
    assert any("承诺所述提取原因真实" in t for t in widget_texts(d.window))
    d.tap("action:next")
    d.wait_for("empty refused", lambda: m.data.signature_problem == "signature_empty")
    d.sign()
    d.wait_for("signed", lambda: bool(m.data.signature))
    d.tap("action:next")
    d.wait_state(State.DELIVERY)
    d.deliver()
    d.confirm()
    outcome = m.data.outcome
    assert outcome is not None and outcome.delivered
    row = sandbox.storage.one("SELECT payload FROM applications WHERE client_application_id = ?",
                              outcome.client_application_id)
    [promise] = [x for x in json.loads(row["payload"])["materials"]
                 if x["materialCode"] == "M0003-02"]
    assert promise["submission"] == "EXEMPT_PROMISE" and len(promise["fileIds"]) == 1
    f = sandbox.storage.one("SELECT sha256 FROM files WHERE file_id = ?", promise["fileIds"][0])
    data = (sandbox.storage.blobs / f["sha256"]).read_bytes()
    assert data.startswith(b"%PDF")
    # 打印A4文书: the form, the signed 承诺书 and the notice, one job on the A4 printer
    d.take_receipt()
    d.tap("action:print_a4")
    d.wait_for("A4 copy", lambda: m.data.a4_printed, timeout_s=30)
    a4 = d.kiosk.services.device("document_printer").jobs[-1]
    assert (a4.title, a4.pages) == (outcome.client_application_id, 3)
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    assert m.data.signature == []


def test_help_is_called_by_touch_and_handled_when_staff_log_in(stack: Driver) -> None:
    """呼叫工作人员: one tap raises a request naming the kiosk and the step only; the screen
    shows its number; staff logging in at the kiosk mark it handled at the platform."""
    d = stack
    m = d.kiosk.machine
    sandbox = d.kiosk.services.parts.sandbox
    d.start_apply()
    demo_card_for(d.kiosk.services).present()
    d.wait_state(State.CHOOSE_MATTER)
    d.tap("action:call_help")
    d.wait_for("help number", lambda: m.help is not None)
    d.kiosk.window.show_state()
    assert any("已呼叫 H001" in t for t in widget_texts(d.window))
    [row] = sandbox.storage.all("SELECT * FROM help_requests")
    assert row["step"] == "choose_matter" and row["status"] == "OPEN"
    assert set(row.keys()) >= {"device_id", "step"} and "cert" not in " ".join(row.keys())
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    d.login("staff")
    d.wait_for("handled", lambda: sandbox.storage.one(
        "SELECT status FROM help_requests")["status"] == "HANDLED")
    assert m.help is None
