"""Every transition of the citizen session, without a GUI and without I/O."""

from __future__ import annotations

import pytest

from kiosk.session import (
    Action,
    CaptureDone,
    CardFailed,
    CardRead,
    DeviceChanged,
    KioskMode,
    NetworkResult,
    QrScanned,
    SessionMachine,
    State,
    Tap,
    Tick,
    Timeouts,
)
from kiosk.session import effects as fx
from kiosk.session.model import Page, SubmitOutcome
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN, catalog


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(catalog(), Timeouts(idle_s=60, warning_s=15, elderly_factor=2,
                                                    settle_s=0, receipt_dwell_s=0),
                          clock=clock)


def kinds(effects: list[fx.Effect]) -> list[type]:
    return [type(e) for e in effects]


def to_form(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-001"))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.AGREE))
    m.handle(NetworkResult("prefill", True, {
        "fields": {"name": {"value": "测试张三", "source": "PUBLIC_DATA", "editable": False}},
        "exemptedMaterialCodes": ["M-ID"]}))


def to_review(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    m.handle(Tap(Action.SET_FIELD, ("amount", "5000")))
    m.handle(Tap(Action.NEXT))
    m.handle(CaptureDone("M-CONTRACT", Page(b"\xff\xd8jpeg\xff\xd9", 10, 10)))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW_PICKUP"))
    m.handle(Tap(Action.NEXT))


def test_start_apply_reads_card_and_card_leads_to_matter_choice(m: SessionMachine) -> None:
    assert m.mode is KioskMode.IN_SERVICE
    assert fx.ReadCard in kinds(m.handle(Tap(Action.START_APPLY)))
    assert m.state is State.IDENTIFY and m.mode is KioskMode.IN_SESSION
    assert fx.StopReading in kinds(m.handle(CardRead(TEST_CITIZEN)))
    assert m.state is State.CHOOSE_MATTER and m.data.citizen == TEST_CITIZEN


def test_card_lifted_mid_read_shows_message_and_keeps_reading(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    effects = m.handle(CardFailed("CARD_LIFTED", "card lifted"))
    assert m.state is State.IDENTIFY and m.data.message == "CARD_LIFTED"
    assert fx.ReadCard in kinds(effects)
    m.handle(CardRead(TEST_CITIZEN))
    assert m.state is State.CHOOSE_MATTER and m.data.message == ""


def test_reader_hardware_fault_stops_reading_until_retry(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    assert m.handle(CardFailed("DISCONNECTED")) == []
    assert fx.ReadCard in kinds(m.handle(Tap(Action.RETRY)))


def test_search_select_guide_and_back(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SEARCH, "gjj"))
    assert m.data.search == "gjj"
    m.handle(Tap(Action.SELECT_MATTER, "NO-SUCH"))
    assert m.state is State.CHOOSE_MATTER
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-001"))
    assert m.state is State.GUIDE and m.matter is not None
    m.handle(Tap(Action.BACK))
    assert m.state is State.CHOOSE_MATTER and m.matter is None


def test_consent_fetches_prefill_and_marks_exempt_materials(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-001"))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.CONSENT
    effects = m.handle(Tap(Action.AGREE))
    fetch = [e for e in effects if isinstance(e, fx.FetchPrefill)]
    assert fetch and fetch[0].impl_code == "TEST-GJJ-001" and fetch[0].consent_id
    assert m.state is State.FORM and m.data.prefill_loading
    m.handle(NetworkResult("prefill", True, {
        "fields": {"name": {"value": "测试张三", "source": "PUBLIC_DATA", "editable": False},
                   "unknownField": {"value": "x"}},
        "exemptedMaterialCodes": ["M-ID", "NOT-IN-MATTER"]}))
    assert m.data.form == {"name": "测试张三"} and m.data.exempted == {"M-ID"}
    assert m.data.prefill["name"].source == "PUBLIC_DATA"
    m.handle(Tap(Action.SET_FIELD, ("name", "改名")))
    assert m.data.form["name"] == "测试张三"  # registry data is not editable here


def test_declined_consent_means_no_prefill_and_every_material(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-001"))
    m.handle(Tap(Action.NEXT))
    effects = m.handle(Tap(Action.DECLINE))
    assert m.state is State.FORM and not any(isinstance(e, fx.FetchPrefill) for e in effects)
    assert m.materials_to_capture() == ["M-ID", "M-CONTRACT", "M-EXTRA"]


def test_prefill_failure_lets_citizen_fill_by_hand(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-001"))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.AGREE))
    m.handle(NetworkResult("prefill", False, error="offline"))
    assert m.state is State.FORM and m.data.message == "prefill_failed"
    assert not m.data.prefill_loading


def test_form_validation_errors_stay_next_to_fields(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "12345")))
    m.handle(Tap(Action.SET_FIELD, ("amount", "0")))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.FORM
    assert m.data.form_errors == {"phone": "phone", "amount": "minimum|1"}
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    assert "phone" not in m.data.form_errors
    m.handle(Tap(Action.SET_FIELD, ("amount", "100")))
    effects = m.handle(Tap(Action.NEXT))
    assert m.state is State.MATERIALS and m.data.material_code == "M-CONTRACT"
    assert fx.StartPreview in kinds(effects)


def test_materials_capture_delete_and_required_check(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    m.handle(Tap(Action.SET_FIELD, ("amount", "100")))
    m.handle(Tap(Action.NEXT))
    assert m.materials_to_capture() == ["M-CONTRACT", "M-EXTRA"]
    assert isinstance(m.handle(Tap(Action.CAPTURE))[0], fx.CapturePage)
    m.handle(CaptureDone("M-CONTRACT", None, problem="blur"))
    assert m.data.capture_problem == "blur"
    m.handle(Tap(Action.NEXT))
    assert m.state is State.MATERIALS and m.data.message == "materials_missing"
    page = Page(b"abc")
    m.handle(CaptureDone("M-CONTRACT", page))
    m.handle(Tap(Action.DELETE_PAGE, ("M-CONTRACT", 0)))
    assert m.data.pages["M-CONTRACT"] == [] and len(page.jpeg) == 0
    m.handle(CaptureDone("M-CONTRACT", Page(b"abc")))
    m.handle(Tap(Action.SELECT_MATERIAL, "M-ID"))  # exempt: nothing to photograph
    assert m.data.material_code == "M-CONTRACT"
    assert fx.StopPreview in kinds(m.handle(Tap(Action.NEXT)))
    assert m.state is State.DELIVERY


def test_express_delivery_needs_an_address(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    m.handle(Tap(Action.SET_FIELD, ("amount", "100")))
    m.handle(Tap(Action.NEXT))
    m.handle(CaptureDone("M-CONTRACT", Page(b"abc")))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.NEXT))
    assert m.data.message == "choose_delivery"
    m.handle(Tap(Action.SET_DELIVERY, "EXPRESS"))
    assert m.data.address == {"name": "测试张三", "phone": "13800000000"}
    m.handle(Tap(Action.NEXT))
    assert m.state is State.DELIVERY and m.data.address_errors == {"addressDetail": "required"}
    m.handle(Tap(Action.SET_ADDRESS, ("addressDetail", "测试路1号")))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.REVIEW


def test_confirm_submits_application_built_from_the_session(m: SessionMachine) -> None:
    to_review(m)
    effects = m.handle(Tap(Action.CONFIRM))
    assert m.state is State.SUBMITTING
    submit = next(e for e in effects if isinstance(e, fx.Submit))
    app = submit.application
    assert app["implCode"] == "TEST-GJJ-001" and app["matterVersion"] == "v1#1"
    assert app["applicant"]["certNo"] == TEST_CITIZEN.cert_no
    assert app["form"] == {"name": "测试张三", "phone": "13800000000", "amount": 5000}
    assert app["applicant"]["phone"] == "13800000000"
    assert app["delivery"] == {"method": "WINDOW_PICKUP", "address": None}
    assert [(x["materialCode"], x["submission"]) for x in app["materials"]] == [
        ("M-ID", "EXEMPT_DATA_SHARING"), ("M-CONTRACT", "ELECTRONIC_FILE")]
    assert submit.files == {"M-CONTRACT": [b"\xff\xd8jpeg\xff\xd9"]}
    assert app["consentId"] == m.data.consent_id


def test_idle_timer_paused_while_submitting(m: SessionMachine, clock: Clock) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    clock.now += 1000
    assert m.handle(Tick(clock.now)) == [] and m.state is State.SUBMITTING


def test_delivered_submission_prints_receipt_then_rating(m: SessionMachine) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    effects = m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True, "app_1", "4321")))
    assert m.state is State.RECEIPT and m.data.printing
    receipt = next(e for e in effects if isinstance(e, fx.PrintReceipt)).receipt
    assert receipt["delivered"] is True and receipt["queryPassword"] == "4321"
    assert receipt["materialsExempted"] == ["身份证"]
    assert m.handle(Tap(Action.NEXT)) == []  # not while printing
    m.handle(NetworkResult("print", True))
    assert m.data.printed
    m.handle(Tap(Action.NEXT))
    assert m.state is State.RATING


def test_offline_submission_receipt_says_pending_upload(m: SessionMachine) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    effects = m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", False)))
    receipt = next(e for e in effects if isinstance(e, fx.PrintReceipt)).receipt
    assert receipt["delivered"] is False and receipt["clientApplicationId"] == "cid-1"


def test_refused_submission_returns_to_review_with_reason(m: SessionMachine) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    m.handle(NetworkResult("submit", False, error="queue_full"))
    assert m.state is State.REVIEW and m.data.submit_error == "queue_full"
    assert any(isinstance(e, fx.Submit) for e in m.handle(Tap(Action.RETRY)))


def test_paper_out_greys_apply_and_receipt_is_not_attempted(m: SessionMachine) -> None:
    m.handle(DeviceChanged({"receipt_printer": "PAPER_OUT"}))
    assert m.services() == {"apply": "receipt_printer:PAPER_OUT", "query": ""}
    assert m.handle(Tap(Action.START_APPLY)) == [] and m.state is State.ATTRACT
    m.handle(DeviceChanged({}))
    to_review(m)
    m.handle(DeviceChanged({"receipt_printer": "PAPER_OUT"}))
    m.handle(Tap(Action.CONFIRM))
    effects = m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True)))
    assert not any(isinstance(e, fx.PrintReceipt) for e in effects)
    assert m.data.print_error == "receipt_printer:PAPER_OUT"
    m.handle(Tap(Action.NEXT))
    assert m.state is State.RATING


def test_print_failure_can_be_retried(m: SessionMachine) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True)))
    m.handle(NetworkResult("print", False, error="PAPER_OUT"))
    assert m.data.print_error == "PAPER_OUT" and not m.data.printing
    assert any(isinstance(e, fx.PrintReceipt) for e in m.handle(Tap(Action.RETRY)))


def test_all_devices_down_is_out_of_service(m: SessionMachine) -> None:
    m.handle(DeviceChanged({"id_reader": "DISCONNECTED", "code_scanner": "DISCONNECTED"}))
    assert m.mode is KioskMode.OUT_OF_SERVICE


def test_bad_rating_needs_reasons_then_sends_and_ends(m: SessionMachine) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True, "app_1")))
    m.handle(NetworkResult("print", True))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.CONFIRM))
    assert m.data.rating_error == "choose_rating"
    m.handle(Tap(Action.RATE, "DISSATISFIED"))
    m.handle(Tap(Action.CONFIRM))
    assert m.data.rating_error == "reasons_required" and m.state is State.RATING
    m.handle(Tap(Action.TOGGLE_REASON, "LONG_WAIT"))
    effects = m.handle(Tap(Action.CONFIRM))
    ev = next(e for e in effects if isinstance(e, fx.SendRating)).evaluation
    assert ev["satisfaction"] == "DISSATISFIED" and ev["reasons"] == ["LONG_WAIT"]
    assert ev["clientApplicationId"] == "cid-1" and ev["channel"] == "HALL_OTHER_TERMINAL"
    assert m.state is State.ATTRACT and m.data.citizen is None


def test_good_rating_clears_reasons(m: SessionMachine) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True)))
    m.handle(NetworkResult("print", True))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.RATE, "VERY_DISSATISFIED"))
    m.handle(Tap(Action.TOGGLE_REASON, "LONG_WAIT"))
    m.handle(Tap(Action.RATE, "VERY_SATISFIED"))
    assert m.data.reasons == set()
    m.handle(Tap(Action.SKIP))
    assert m.state is State.ATTRACT


def test_idle_warning_then_timeout_wipes_everything(m: SessionMachine, clock: Clock) -> None:
    m.handle(Tap(Action.TOGGLE_ELDERLY))
    m.handle(Tap(Action.TOGGLE_ELDERLY))
    to_review(m)
    pages = [p for ps in m.data.pages.values() for p in ps]
    clock.now += 44
    assert m.handle(Tick(clock.now)) == [] and m.warning_left is None
    clock.now += 2
    assert kinds(m.handle(Tick(clock.now))) == [fx.Speak]
    assert m.warning_left == 14
    clock.now += 14
    effects = m.handle(Tick(clock.now))
    assert fx.SessionEnded in kinds(effects) and m.ended_reason == "idle"
    assert m.state is State.ATTRACT and m.warning_left is None
    assert m.data.citizen is None and m.data.form == {} and m.data.pages == {}
    assert m.data.outcome is None and m.data.consent_id == ""
    assert all(len(p.jpeg) == 0 for p in pages)


def test_touch_during_warning_keeps_session(m: SessionMachine, clock: Clock) -> None:
    to_form(m)
    clock.now += 50
    m.handle(Tick(clock.now))
    assert m.warning_left is not None
    m.handle(Tap(Action.STILL_HERE))
    assert m.warning_left is None
    clock.now += 50
    m.handle(Tick(clock.now))
    assert m.state is State.FORM


def test_elderly_mode_doubles_timeouts_and_resets_after_session(m: SessionMachine,
                                                                clock: Clock) -> None:
    m.handle(Tap(Action.TOGGLE_ELDERLY))
    m.handle(Tap(Action.SET_LANGUAGE, "en"))
    assert m.elderly and m.language == "en"
    m.handle(Tap(Action.START_APPLY))
    clock.now += 100
    m.handle(Tick(clock.now))
    assert m.state is State.IDENTIFY and m.warning_left == 20  # 120 s, warned from 90 s
    clock.now += 20
    m.handle(Tick(clock.now))
    assert m.state is State.ATTRACT and not m.elderly and m.language == "zh_CN"


def test_attract_never_times_out(m: SessionMachine, clock: Clock) -> None:
    clock.now += 10_000
    assert m.handle(Tick(clock.now)) == [] and m.state is State.ATTRACT


def test_finish_with_work_asks_first_and_wipes_only_when_confirmed(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    assert m.handle(Tap(Action.FINISH)) == [] and m.data.confirm_finish
    assert m.handle(Tap(Action.STILL_HERE)) == []  # 继续办理: the default answer
    assert not m.data.confirm_finish and m.data.form["phone"] == "13800000000"
    m.handle(Tap(Action.FINISH))
    effects = m.handle(Tap(Action.FINISH_CONFIRM))
    assert fx.SessionEnded in kinds(effects) and m.data.citizen is None


def test_finish_confirmation_is_not_given_by_a_stray_tap(m: SessionMachine) -> None:
    """A second tap of a double tap lands wherever: only the explicit answer ends."""
    to_form(m)
    m.handle(Tap(Action.FINISH))
    assert m.handle(Tap(Action.NEXT)) == [] and m.state is State.FORM
    assert m.data.citizen is not None and not m.data.confirm_finish


def test_finish_before_anything_was_chosen_ends_at_once(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    assert m.state is State.CHOOSE_MATTER
    effects = m.handle(Tap(Action.FINISH))
    assert fx.SessionEnded in kinds(effects) and m.state is State.ATTRACT


def test_status_query_by_card(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_QUERY))
    assert m.state is State.STATUS_QUERY
    effects = m.handle(CardRead(TEST_CITIZEN))
    q = next(e for e in effects if isinstance(e, fx.QueryStatus))
    assert q.citizen == TEST_CITIZEN and m.state is State.STATUS_RESULT
    m.handle(NetworkResult("status", True, {"items": [{"status": "ACCEPTED"}]}))
    assert m.data.status_result == {"items": [{"status": "ACCEPTED"}]}
    m.handle(Tap(Action.BACK))
    assert m.state is State.ATTRACT and m.data.status_result is None


def test_status_query_by_receipt_qr_and_unknown_qr(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_QUERY))
    m.handle(QrScanned("hello"))
    assert m.data.message == "qr_unknown"
    effects = m.handle(QrScanned("https://zwfw.example.gov.cn/uap/q/app_123456?pw=4321"))
    q = next(e for e in effects if isinstance(e, fx.QueryStatus))
    assert (q.ref, q.password) == ("app_123456", "4321")
    m.handle(NetworkResult("status", False, error="not_found"))
    assert m.data.status_error == "not_found"


def test_receipt_qr_on_attract_goes_straight_to_status(m: SessionMachine) -> None:
    m.handle(QrScanned("https://zwfw.example.gov.cn/uap/q/app_123456?pw=4321"))
    assert m.state is State.STATUS_RESULT


def test_card_read_outside_identify_is_ignored(m: SessionMachine) -> None:
    assert m.handle(CardRead(TEST_CITIZEN)) == []
    assert m.data.citizen is None


def test_citizen_repr_hides_data() -> None:
    assert "990101" not in repr(TEST_CITIZEN) and "张三" not in repr(TEST_CITIZEN)


def test_camera_out_lets_citizen_continue_with_originals_at_the_window(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    m.handle(Tap(Action.SET_FIELD, ("amount", "100")))
    m.handle(Tap(Action.NEXT))
    m.handle(DeviceChanged({"document_camera": "DISCONNECTED"}))
    assert m.handle(Tap(Action.CAPTURE)) == [] and m.data.capture_problem == "camera_unavailable"
    m.handle(Tap(Action.NEXT))
    assert m.state is State.DELIVERY and m.data.paper == {"M-CONTRACT"}
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW_PICKUP"))
    m.handle(Tap(Action.NEXT))
    app = next(e for e in m.handle(Tap(Action.CONFIRM)) if isinstance(e, fx.Submit)).application
    assert {"materialCode": "M-CONTRACT", "submission": "PAPER_AT_WINDOW"} in app["materials"]


def test_session_data_repr_shows_no_citizen_data(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    text = repr(m.data) + str(m.data)
    assert TEST_CITIZEN.cert_no not in text and "13800000000" not in text
    assert "测试张三" not in text


def _rated_in_english(m: SessionMachine) -> None:
    m.handle(Tap(Action.SET_LANGUAGE, "en"))
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True, "app_1")))
    m.handle(NetworkResult("print", True))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.RATE, "VERY_SATISFIED"))
    m.handle(Tap(Action.CONFIRM))


def test_after_rating_the_home_screen_thanks_in_the_citizens_language_with_data_wiped(
        m: SessionMachine) -> None:
    _rated_in_english(m)
    assert m.state is State.ATTRACT and m.farewell() == "rated"
    assert m.data.citizen is None and not m.data.pages  # nothing of theirs is left
    assert m.language == "en"  # thanked in the language they chose
    # The first touch only clears the thank-you: the next person starts from the home screen.
    assert m.handle(Tap(Action.START_APPLY)) == []
    assert m.state is State.ATTRACT and m.farewell() == "" and m.language == "zh_CN"
    m.handle(Tap(Action.START_APPLY))
    assert m.state is State.IDENTIFY


def test_the_thank_you_goes_by_itself_and_the_kiosk_returns_to_its_default_look(
        m: SessionMachine, clock: Clock) -> None:
    m.handle(Tap(Action.TOGGLE_ELDERLY))
    _rated_in_english(m)
    assert m.farewell() == "rated" and m.elderly
    clock.now += m.timeouts.farewell_s
    m.handle(Tick(clock.now))
    assert m.farewell() == "" and m.language == "zh_CN" and not m.elderly


def test_walking_away_gets_no_thank_you(m: SessionMachine, clock: Clock) -> None:
    m.handle(Tap(Action.SET_LANGUAGE, "en"))
    to_review(m)
    clock.now += 120
    m.handle(Tick(clock.now))
    assert m.state is State.ATTRACT and m.farewell() == "" and m.language == "zh_CN"


def test_a_matter_with_one_way_to_get_the_result_has_it_chosen_on_arrival(
        m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GT-002"))  # window pickup only, no materials
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.AGREE))
    m.handle(Tap(Action.SET_FIELD, ("shopName", "测试小店")))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.DELIVERY and m.data.delivery_mode == "WINDOW_PICKUP"
    m.handle(Tap(Action.NEXT))
    assert m.state is State.REVIEW


def test_a_matter_with_several_ways_leaves_the_choice_to_the_citizen(m: SessionMachine) -> None:
    to_form(m)
    m.handle(Tap(Action.SET_FIELD, ("phone", "13800000000")))
    m.handle(Tap(Action.SET_FIELD, ("amount", "5000")))
    m.handle(Tap(Action.NEXT))
    m.handle(CaptureDone("M-CONTRACT", Page(b"\xff\xd8jpeg\xff\xd9", 10, 10)))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.DELIVERY and m.data.delivery_mode == ""


def test_a_code_scanned_while_waiting_for_the_card_says_why_and_keeps_reading(
        m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    effects = m.handle(QrScanned("https://example.invalid/eid?token=1"))
    assert m.state is State.IDENTIFY and m.data.message == "qr_not_identity"
    assert fx.ReadCard in kinds(effects)  # no dead end: the card still works
    m.handle(CardRead(TEST_CITIZEN))
    assert m.state is State.CHOOSE_MATTER


def test_a_malformed_code_on_the_home_screen_is_ignored_and_the_next_one_works(
        m: SessionMachine) -> None:
    assert fx.WatchQr in kinds(m.handle(QrScanned("http://[x/q/abcdef?pw=1234")))
    assert m.state is State.ATTRACT
    m.handle(QrScanned("https://zwfw.example.gov.cn/uap/q/app_12345678?pw=K7Q2M9"))
    assert m.state is State.STATUS_RESULT


def test_a_code_that_is_no_receipt_in_the_status_query_keeps_listening(
        m: SessionMachine) -> None:
    m.handle(Tap(Action.START_QUERY))
    effects = m.handle(QrScanned("http://[x/q/abcdef?pw=1234"))
    assert m.data.message == "qr_unknown" and fx.ReadCard in kinds(effects)
    m.handle(QrScanned("https://zwfw.example.gov.cn/uap/q/app_12345678?pw=K7Q2M9"))
    assert m.state is State.STATUS_RESULT
