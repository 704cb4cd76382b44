"""打印A4文书 and 补正回执 in the session: the A4 button is offered only where the kiosk has a
document printer and greyed while it cannot print; the 补正回执 prints once a supplement is
stored. No GUI, no I/O: the effects the application layer would run."""

from __future__ import annotations

import pytest

from kiosk.session import (
    Action,
    CaptureDone,
    CardRead,
    NetworkResult,
    SessionMachine,
    State,
    Tap,
    Timeouts,
)
from kiosk.session import effects as fx
from kiosk.session.a4 import a4_offer
from kiosk.session.model import Page, SubmitOutcome
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN, catalog
from tests.session.test_supplement import queried_by_card


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(catalog(), Timeouts(settle_s=0), clock=clock)


def at_receipt(m: SessionMachine) -> None:
    """A confirmed application of the test citizen, on the receipt screen."""
    m.state = State.RECEIPT
    m.data.citizen = TEST_CITIZEN
    m.data.matter_code = "TEST-GJJ-001"
    m.data.outcome = SubmitOutcome("019b0d3c-5e2a-7a41-8c3e-000000000001", True, "app_9",
                                   "123456")


@pytest.mark.parametrize("problem", ["NOT_CONFIGURED", "STARTING"])
def test_no_a4_button_where_the_kiosk_has_no_document_printer(m: SessionMachine,
                                                              problem: str) -> None:
    at_receipt(m)
    m.device_problems = {"document_printer": problem}
    assert a4_offer(m) == (False, problem)
    assert m.handle(Tap(Action.PRINT_A4)) == []


def test_the_a4_copy_carries_receipt_form_and_notice_facts(m: SessionMachine) -> None:
    at_receipt(m)
    m.data.form = {"amount": "5000", "phone": "13800000000"}
    assert a4_offer(m) == (True, "")
    [effect] = m.handle(Tap(Action.PRINT_A4))
    assert isinstance(effect, fx.PrintA4) and "<hidden>" in repr(effect)
    copy = effect.copy
    assert copy.reference == m.data.outcome.client_application_id  # type: ignore[union-attr]
    assert copy.receipt["applicantName"] == TEST_CITIZEN.name
    assert not copy.promises
    # answers by their titles; a mobile number masked like any text on paper
    assert dict(copy.form) == {"提取金额": "5000", "手机号": "138****0000"}
    assert TEST_CITIZEN.cert_no not in repr(copy)
    assert m.data.a4_printing and m.handle(Tap(Action.PRINT_A4)) == []  # one job at a time
    effects = m.handle(NetworkResult("print_a4", True, None))
    assert m.data.a4_printed and not m.data.a4_printing
    assert [e.event for e in effects if isinstance(e, fx.Audit)] == ["document.printed"]


def test_a4_printer_out_of_paper_greys_the_copy_and_never_applying(m: SessionMachine) -> None:
    m.device_problems = {"document_printer": "PAPER_OUT"}
    assert m.services()["apply"] == ""
    at_receipt(m)
    assert a4_offer(m) == (True, "PAPER_OUT")
    assert m.handle(Tap(Action.PRINT_A4)) == []
    assert m.data.a4_error == "document_printer:PAPER_OUT" and not m.data.a4_printing


def test_a_failed_a4_job_can_be_tried_again(m: SessionMachine) -> None:
    at_receipt(m)
    m.handle(Tap(Action.PRINT_A4))
    m.handle(NetworkResult("print_a4", False, error="PAPER_JAM"))
    assert m.data.a4_error == "PAPER_JAM" and not m.data.a4_printed
    assert any(isinstance(e, fx.PrintA4) for e in m.handle(Tap(Action.PRINT_A4)))


def test_the_a4_copy_is_wiped_with_the_session(m: SessionMachine) -> None:
    at_receipt(m)
    m.handle(Tap(Action.PRINT_A4))
    m.handle(NetworkResult("print_a4", True, None))
    m.handle(Tap(Action.FINISH))
    m.handle(Tap(Action.FINISH_CONFIRM))
    assert m.state is State.ATTRACT and not m.data.a4_printed and m.data.citizen is None


def _supplemented(m: SessionMachine) -> list[fx.Effect]:
    queried_by_card(m)
    m.handle(Tap(Action.START_SUPPLEMENT, "app_1"))
    m.handle(CaptureDone("M-CONTRACT", Page(b"\xff\xd8new\xff\xd9", 10, 10)))
    m.handle(Tap(Action.NEXT))
    return m.handle(NetworkResult("supplement", True, SubmitOutcome("sup-1", True, "app_1")))


def test_a_stored_supplement_prints_its_receipt(m: SessionMachine) -> None:
    effects = _supplemented(m)
    assert m.state is State.SUPPLEMENT_DONE
    [job] = [e for e in effects if isinstance(e, fx.PrintSupplementReceipt)]
    assert "<hidden>" in repr(job)
    r = job.receipt
    assert (r["applicationId"], r["reference"], r["delivered"]) == ("app_1", "sup-1", True)
    assert r["materials"] == [("购房合同", 1)] and r["reason"] == "购房合同照片不清晰"
    assert m.data.supplement_printing
    effects = m.handle(NetworkResult("print_supplement", True, None))
    assert m.data.supplement_printed and fx.Speak("take_receipt") in effects
    assert "receipt.supplement_printed" in [e.event for e in effects if isinstance(e, fx.Audit)]


def test_supplement_receipt_with_the_printer_out_says_so_and_retries(m: SessionMachine) -> None:
    m.device_problems = {"receipt_printer": "PAPER_OUT"}
    effects = _supplemented(m)
    assert not any(isinstance(e, fx.PrintSupplementReceipt) for e in effects)
    assert m.data.supplement_print_error == "receipt_printer:PAPER_OUT"
    m.device_problems = {}
    effects = m.handle(Tap(Action.RETRY))
    assert any(isinstance(e, fx.PrintSupplementReceipt) for e in effects)


def test_card_read_elsewhere_is_not_taken_by_the_a4_hook(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    assert m.state is not State.ATTRACT
