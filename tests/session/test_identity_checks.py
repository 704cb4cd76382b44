"""人证比对 and e-ID login in the session machine (no Qt, no I/O): when the face step comes,
what each decision does, three failures to staff, and scanned codes on the identify screen."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from kiosk.catalog import Catalog
from kiosk.face.matcher import FaceDecision
from kiosk.session import (
    Action,
    CardRead,
    NetworkResult,
    QrScanned,
    SessionMachine,
    State,
    Tap,
    Tick,
    Timeouts,
)
from kiosk.session import effects as fx
from tests.session.conftest import Clock
from tests.session.fixtures import COMPANY, GJJ, TEST_CITIZEN

FACE_MATTER = {**GJJ, "implCode": "TEST-GJJ-FACE", "name": "提取住房公积金（人脸）",
               "faceCheck": "REQUIRED"}
EID = "EID1.eyJjIjoiOTkwMTAxMTkwMDAxMDEwMDE4IiwiZSI6MX0.c2lnbmF0dXJlLXNpZ24"


def machine(clock: Clock, policy: str = "required", attempts: int = 3) -> SessionMachine:
    return SessionMachine(Catalog([GJJ, COMPANY, FACE_MATTER]), Timeouts(settle_s=0),
                          face_policy=policy, face_attempts=attempts, clock=clock)


def kinds(effects: list[fx.Effect]) -> list[type]:
    return [type(e) for e in effects]


def to_face(m: SessionMachine, matter: str = "TEST-GJJ-001") -> list[fx.Effect]:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, matter))
    assert m.state is State.GUIDE
    return m.handle(Tap(Action.NEXT))


def face(decision: str) -> NetworkResult:
    return NetworkResult("face", True, FaceDecision(decision, 0.4, ("LOW_SIMILARITY",)))


def test_required_policy_puts_the_face_check_after_the_matter_guide(clock: Clock) -> None:
    m = machine(clock)
    effects = to_face(m)
    assert m.state is State.FACE_CHECK
    verify = [e for e in effects if isinstance(e, fx.VerifyFace)]
    assert len(verify) == 1 and verify[0].cert_no == TEST_CITIZEN.cert_no
    assert TEST_CITIZEN.cert_no not in repr(verify[0])


def test_a_matching_face_goes_on_to_consent_as_idcard_face(clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    effects = m.handle(face("MATCH"))
    assert m.state is State.CONSENT
    assert m.data.citizen is not None and m.data.citizen.method == "IDCARD_FACE"
    assert fx.StopFace in kinds(effects)  # the camera loop ends with the step
    audits = [e for e in effects if isinstance(e, fx.Audit)]
    assert audits[0].event == "citizen.face_verified"
    assert TEST_CITIZEN.cert_no not in str(audits[0].details)
    m.handle(Tap(Action.BACK))  # the face is done: back skips it
    assert m.state is State.GUIDE


def test_two_failures_ask_again_and_the_third_sends_the_citizen_to_staff(clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    for attempt, decision in enumerate(("NO_MATCH", "NOT_LIVE"), start=1):
        effects = m.handle(face(decision))
        assert m.state is State.FACE_CHECK and m.data.face_status == "failed"
        assert m.data.face_attempts == attempt and m.data.face_reason == decision
        assert fx.Speak("face_retry") in effects
        assert fx.VerifyFace in kinds(m.handle(Tap(Action.RETRY)))
    effects = m.handle(face("NO_MATCH"))
    assert m.data.face_status == "to_staff" and fx.Speak("face_to_staff") in effects
    final = [e for e in effects if isinstance(e, fx.Audit)][0]
    assert final.event == "citizen.face_failed" and final.details["final"] is True
    # no fourth try, no skipping past it, no way forward
    for action in (Action.RETRY, Action.SKIP, Action.NEXT):
        assert m.handle(Tap(action)) == []
        assert m.state is State.FACE_CHECK
    m.handle(Tap(Action.FINISH))
    m.handle(Tap(Action.FINISH_CONFIRM))
    assert m.state is State.ATTRACT and m.data.face_attempts == 0 and m.data.citizen is None


def test_no_photo_on_file_goes_to_staff_at_once(clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    m.handle(face("NO_REFERENCE"))
    assert m.data.face_status == "to_staff" and m.data.face_attempts == 1


def test_a_platform_that_does_not_answer_is_not_counted_as_a_failure(clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    m.handle(NetworkResult("face", False, error="face_unavailable"))
    assert m.data.face_status == "unavailable" and m.data.face_attempts == 0
    assert fx.VerifyFace in kinds(m.handle(Tap(Action.RETRY)))


def test_without_a_face_camera_a_required_check_goes_to_staff(clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    m.handle(NetworkResult("face", False, error="camera_unavailable"))
    assert m.data.face_status == "to_staff"


def test_optional_check_can_be_skipped_and_the_citizen_stays_idcard(clock: Clock) -> None:
    m = machine(clock, "optional")
    to_face(m)
    assert m.state is State.FACE_CHECK
    effects = m.handle(Tap(Action.SKIP))
    assert m.state is State.CONSENT and fx.StopFace in kinds(effects)
    assert m.data.citizen is not None and m.data.citizen.method == "IDCARD"
    m.handle(Tap(Action.BACK))
    assert m.state is State.GUIDE  # skipped stays skipped


def test_a_matter_that_requires_the_face_cannot_be_skipped_on_an_optional_kiosk(
        clock: Clock) -> None:
    m = machine(clock, "optional")
    to_face(m, "TEST-GJJ-FACE")
    assert m.face_level() == "required"
    assert m.handle(Tap(Action.SKIP)) == [] and m.state is State.FACE_CHECK


def test_a_kiosk_without_face_check_never_shows_the_step(clock: Clock) -> None:
    m = machine(clock, "off")
    to_face(m, "TEST-GJJ-FACE")
    assert m.state is State.CONSENT


def test_leaving_the_face_step_stops_the_camera_and_the_attempts_count_on(clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    m.handle(face("NO_MATCH"))
    effects = m.handle(Tap(Action.BACK))
    assert m.state is State.GUIDE and fx.StopFace in kinds(effects)
    effects = m.handle(Tap(Action.NEXT))
    assert m.state is State.FACE_CHECK and fx.VerifyFace in kinds(effects)
    assert m.data.face_attempts == 1  # going back and forth gives no extra tries


def test_session_end_stops_the_face_check(clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    effects = m.handle(Tap(Action.FINISH_CONFIRM))
    assert fx.StopFace in kinds(effects) and m.state is State.ATTRACT


def test_staff_verified_and_e_id_identities_are_not_face_checked(clock: Clock) -> None:
    m = machine(clock)
    m.data.citizen = replace(TEST_CITIZEN, method="STAFF_VERIFIED")
    assert not m.face_check_needed()
    m.data.citizen = replace(TEST_CITIZEN, method="EID_QR")
    assert not m.face_check_needed()


# -- e-ID / 网络身份码 on the identify screen ---------------------------------------------------

def test_an_e_id_code_is_verified_by_the_platform_and_identifies_the_citizen(
        clock: Clock) -> None:
    m = machine(clock)
    m.handle(Tap(Action.START_APPLY))
    effects = m.handle(QrScanned(EID))
    assert kinds(effects) == [fx.StopReading, fx.VerifyEid]
    assert m.data.message == "eid_checking"
    assert m.handle(QrScanned(EID)) == []  # one at a time
    who = replace(TEST_CITIZEN, method="EID_QR")
    effects = m.handle(NetworkResult("eid", True, who))
    assert m.state is State.CHOOSE_MATTER and m.data.citizen == who
    audits = [e for e in effects if isinstance(e, fx.Audit)]
    assert audits[0].details["method"] == "EID_QR"
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-FACE"))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.CONSENT  # e-ID is identification enough: no face step


@pytest.mark.parametrize("error", ["eid_expired", "eid_invalid", "eid_unavailable", "boom"])
def test_a_refused_e_id_says_why_and_card_reading_resumes(clock: Clock, error: str) -> None:
    m = machine(clock)
    m.handle(Tap(Action.START_APPLY))
    m.handle(QrScanned(EID))
    effects = m.handle(NetworkResult("eid", False, error=error))
    assert m.state is State.IDENTIFY and fx.ReadCard in kinds(effects)
    assert m.data.message == (error if error != "boom" else "eid_unavailable")
    assert not m.data.eid_checking
    assert fx.StopReading in kinds(m.handle(QrScanned(EID)))  # a fresh code is tried again


@pytest.mark.parametrize(("code", "message"), [
    ("https://zwfw.example.gov.cn/uap/q/ABCDEF123?pw=1234", "qr_is_receipt"),
    ("YY202612070001", "qr_is_appointment"),
    ("http://[x/q/abcdef?pw=1234", "qr_not_identity"),
    ("EID1.short.x", "qr_not_identity"),
])
def test_other_codes_are_named_and_card_reading_resumes(clock: Clock, code: str,
                                                        message: str) -> None:
    m = machine(clock)
    m.handle(Tap(Action.START_APPLY))
    effects = m.handle(QrScanned(code))
    assert m.state is State.IDENTIFY and m.data.message == message
    assert kinds(effects) == [fx.ReadCard]


def _codes(n: int) -> list[str]:
    rng = random.Random(12)
    alphabet = "".join(map(chr, range(0, 0x250))) + "二维码\u202e\ufeff\ud7ff[]/?#%:@."
    out = ["", " ", "\x00" * 50, "EID1." + "A" * 5000 + ".sig", "http://[", "https://:99999/q/x",
           "EID1..", EID + "\n" + EID, "YY" + "9" * 4000]
    for _ in range(n):
        k = rng.choice((1, 8, 40, 300, 3000))
        out.append("".join(rng.choice(alphabet) for _ in range(k)))
        out.append(rng.choice(("EID1.", "https://", "http://[", "YY")) + out[-1])
    return out


def test_thousands_of_random_and_hostile_codes_never_break_any_state_that_scans(
        clock: Clock) -> None:
    m = machine(clock)
    for code in _codes(1500):
        for start in (State.ATTRACT, State.IDENTIFY, State.STATUS_QUERY):
            m.state, m.data.eid_checking = start, False
            effects = m.handle(QrScanned(code))
            assert isinstance(effects, list)
            m.data.wipe()


def test_three_failures_in_one_session_go_to_staff_and_the_next_session_starts_at_zero(
        clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    for _ in range(3):
        m.handle(face("NO_MATCH"))
        m.handle(Tap(Action.RETRY))
    assert m.data.face_status == "to_staff" and m.data.face_attempts == 3
    m.handle(Tap(Action.FINISH_CONFIRM))
    assert m.state is State.ATTRACT
    # The next citizen (or the same one, at a new session) gets three tries of their own.
    effects = to_face(m)
    assert m.state is State.FACE_CHECK and fx.VerifyFace in kinds(effects)
    assert m.data.face_attempts == 0 and m.data.face_status == "running"
    for attempt in (1, 2):
        m.handle(face("NO_MATCH"))
        assert m.data.face_status == "failed" and m.data.face_attempts == attempt
        m.handle(Tap(Action.RETRY))
    m.handle(face("NO_MATCH"))
    assert m.data.face_status == "to_staff"


def test_a_session_ended_by_the_idle_timeout_leaves_no_failures_to_the_next(
        clock: Clock) -> None:
    m = machine(clock)
    to_face(m)
    m.handle(face("NO_MATCH"))
    m.handle(Tap(Action.RETRY))
    m.handle(face("NO_MATCH"))
    assert m.data.face_attempts == 2
    for _ in range(40):  # nobody touches the screen: warning, then the session ends
        clock.now += 30
        m.handle(Tick(clock.now))
        if m.state is State.ATTRACT:
            break
    assert m.state is State.ATTRACT and m.data.face_attempts == 0
    to_face(m)
    m.handle(face("NO_MATCH"))
    assert m.data.face_status == "failed" and m.data.face_attempts == 1


@pytest.mark.parametrize(("verdict", "method"), [("MATCH", "IDCARD_FACE"), (None, "IDCARD")])
def test_the_application_says_how_the_applicant_was_identified(
        clock: Clock, verdict: str | None, method: str) -> None:
    from kiosk.session.application import build_application

    m = machine(clock, "required" if verdict else "off")
    to_face(m)
    if verdict:
        m.handle(face(verdict))
    assert m.state is State.CONSENT and m.matter is not None
    assert build_application(m.matter, m.data)["identificationMethod"] == method


def test_an_e_id_login_is_sent_as_eid_qr(clock: Clock) -> None:
    from kiosk.session.application import build_application

    m = machine(clock, "off")
    m.data.citizen = replace(TEST_CITIZEN, method="EID_QR")
    m.data.matter_code = "TEST-GJJ-001"
    assert m.matter is not None
    assert build_application(m.matter, m.data)["identificationMethod"] == "EID_QR"
