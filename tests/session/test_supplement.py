"""补齐补正 in the session: a case the platform put in SUPPLEMENT_REQUIRED, found by the
applicant's ID card (or by the receipt code, then the applicant's card), offers 补正; the asked-for materials are photographed and sent (through
the queue, by the application layer); back leaves nothing behind. No GUI, no I/O."""

from __future__ import annotations

import pytest

from kiosk.session import (
    Action,
    CaptureDone,
    CardRead,
    NetworkResult,
    QrScanned,
    SessionMachine,
    State,
    Tap,
    Timeouts,
)
from kiosk.session import effects as fx
from kiosk.session.model import Page, SubmitOutcome
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN, catalog

ASKED = {"applicationId": "app_1", "projId": "330106202611220001", "status": "SUPPLEMENT_REQUIRED",
         "implCode": "TEST-GJJ-001", "matterName": "提取住房公积金",
         "supplement": {"mode": "MATERIAL", "reason": "购房合同照片不清晰",
                        "materials": [{"materialCode": "M-CONTRACT", "name": "购房合同"}]}}


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(catalog(), Timeouts(settle_s=0), clock=clock)


def queried_by_card(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_QUERY))
    m.handle(CardRead(TEST_CITIZEN))
    other = dict(ASKED, applicationId="app_2", status="IN_PROGRESS", supplement=None)
    m.handle(NetworkResult("status", True, {"items": [other, ASKED]}))
    assert m.state is State.STATUS_RESULT


def test_a_case_asked_to_supplement_is_supplemented_at_the_kiosk(m: SessionMachine) -> None:
    queried_by_card(m)
    assert [c["applicationId"] for c in m.supplementable()] == ["app_1"]
    effects = m.handle(Tap(Action.START_SUPPLEMENT, "app_1"))
    assert m.state is State.SUPPLEMENT
    assert fx.StartPreview("M-CONTRACT") in effects
    assert m.materials_to_capture() == ["M-CONTRACT"]
    assert m.handle(Tap(Action.NEXT)) == [] and m.data.message == "materials_missing"
    m.handle(CaptureDone("M-CONTRACT", Page(b"\xff\xd8new\xff\xd9", 10, 10)))
    effects = m.handle(Tap(Action.NEXT))
    send = next(e for e in effects if isinstance(e, fx.SubmitSupplement))
    assert send.application_id == "app_1" and send.files == {"M-CONTRACT": [b"\xff\xd8new\xff\xd9"]}
    assert m.handle(Tap(Action.BACK)) == []  # nothing interrupts the sending
    m.handle(NetworkResult("supplement", True, SubmitOutcome("sup-1", False, "app_1")))
    assert m.state is State.SUPPLEMENT_DONE and m.data.supplement_outcome is not None
    m.handle(Tap(Action.NEXT))
    assert m.state is State.ATTRACT and m.data.supplement is None and not m.data.pages


def test_back_from_the_supplement_returns_to_the_result_and_drops_the_pages(
        m: SessionMachine) -> None:
    queried_by_card(m)
    m.handle(Tap(Action.START_SUPPLEMENT, "app_1"))
    page = Page(b"\xff\xd8new\xff\xd9", 10, 10)
    m.handle(CaptureDone("M-CONTRACT", page))
    effects = m.handle(Tap(Action.BACK))
    assert m.state is State.STATUS_RESULT and fx.StopPreview() in effects
    assert m.data.supplement is None and not m.data.pages and not page.jpeg


def test_a_failed_store_keeps_the_pages_for_another_try(m: SessionMachine) -> None:
    queried_by_card(m)
    m.handle(Tap(Action.START_SUPPLEMENT, "app_1"))
    m.handle(CaptureDone("M-CONTRACT", Page(b"\xff\xd8new\xff\xd9", 10, 10)))
    m.handle(Tap(Action.NEXT))
    m.handle(NetworkResult("supplement", False, error="queue_full"))
    assert m.state is State.SUPPLEMENT and m.data.supplement_error == "queue_full"
    assert any(isinstance(e, fx.SubmitSupplement) for e in m.handle(Tap(Action.NEXT)))


def queried_by_receipt_code(m: SessionMachine) -> None:
    from kiosk.qr_payload import receipt_url

    m.handle(Tap(Action.START_QUERY))
    m.handle(QrScanned(receipt_url("app_000001", "12345678")))
    m.handle(NetworkResult("status", True, {"items": [ASKED]}))
    assert m.state is State.STATUS_RESULT and m.data.citizen is None


def test_a_case_found_by_receipt_code_is_supplemented_after_the_applicants_card(
        m: SessionMachine) -> None:
    queried_by_receipt_code(m)
    assert [c["applicationId"] for c in m.supplementable()] == ["app_1"]
    assert m.handle(Tap(Action.START_SUPPLEMENT, "app_1")) == [fx.ReadCard()]
    assert m.state is State.STATUS_RESULT and m.data.supplement_pending == "app_1"
    assert m.handle(Tap(Action.START_SUPPLEMENT, "app_1")) == []  # already waiting
    effects = m.handle(CardRead(TEST_CITIZEN))
    assert fx.QueryStatus(citizen=TEST_CITIZEN) in effects  # that person's cases
    m.handle(NetworkResult("status", True, {"items": [ASKED]}))
    assert m.state is State.SUPPLEMENT and m.data.supplement is not None
    assert m.data.supplement["applicationId"] == "app_1" and not m.data.supplement_pending


def test_someone_elses_card_is_not_the_applicant_and_is_forgotten(m: SessionMachine) -> None:
    queried_by_receipt_code(m)
    m.handle(Tap(Action.START_SUPPLEMENT, "app_1"))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(NetworkResult("status", True, {"items": []}))  # this person has no such case
    assert m.state is State.STATUS_RESULT and m.data.message == "not_the_applicant"
    assert m.data.citizen is None and m.data.supplement is None
    assert [c["applicationId"] for c in m.supplementable()] == ["app_1"]  # the QR's case stays
    assert m.handle(Tap(Action.START_SUPPLEMENT, "app_1")) == [fx.ReadCard()]  # try again
