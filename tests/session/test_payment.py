"""统一公共支付 in the session: after 确认提交 a chargeable matter's fee is paid on the phone
(order, QR, polling on a worker), then the application is sent with the paid order; expired,
cancelled, pay at the window, going back and walking away. No GUI, no I/O."""

from __future__ import annotations

import copy

import pytest

from kiosk.catalog import Catalog
from kiosk.session import (
    Action,
    CaptureDone,
    CardRead,
    NetworkResult,
    SessionMachine,
    State,
    Tap,
    Tick,
    Timeouts,
)
from kiosk.session import effects as fx
from kiosk.session.model import Page, SubmitOutcome
from tests.session.conftest import Clock
from tests.session.fixtures import GJJ, TEST_CITIZEN

CID = "01937c6e-8a5b-7c3d-9e1f-2a4b6c8d0e1f"


def paid_matter(pay_later: bool = True) -> dict[str, object]:
    m = copy.deepcopy(GJJ)
    m["implCode"] = "TEST-FEE-001"
    m["charge"] = {"chargeable": True, "description": "工本费10元", "payAtKiosk": True,
                   "payLater": pay_later,
                   "items": [{"name": "工本费", "amountFen": 1000, "unit": "本"}]}
    return m


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(Catalog([paid_matter(), GJJ]),
                          Timeouts(idle_s=60, warning_s=15, settle_s=0, receipt_dwell_s=0),
                          clock=clock)


def to_review(m: SessionMachine, code: str = "TEST-FEE-001") -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, code))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.AGREE))
    m.handle(NetworkResult("prefill", True, {"fields": {}, "exemptedMaterialCodes": ["M-ID"]}))
    for key, value in (("name", "测试张三"), ("phone", "13800000000"), ("amount", "5000")):
        m.handle(Tap(Action.SET_FIELD, (key, value)))
    m.handle(Tap(Action.NEXT))
    m.handle(CaptureDone("M-CONTRACT", Page(b"\xff\xd8jpeg\xff\xd9", 10, 10)))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW_PICKUP"))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.REVIEW


def order(status: str = "PENDING", pid: str = "pay_1") -> dict[str, object]:
    return {"paymentId": pid, "status": status, "amountFen": 1000,
            "payUrl": "https://pay.sandbox.invalid/uap/pay/" + pid,
            "expiresAt": "2026-11-22T10:45:00+08:00", "paidAt": None,
            "clientApplicationId": CID, "expiresInS": 300.0}


def to_payment(m: SessionMachine) -> None:
    to_review(m)
    effects = m.handle(Tap(Action.CONFIRM))
    assert m.state is State.PAYMENT
    create = next(e for e in effects if isinstance(e, fx.CreatePayment))
    assert create == fx.CreatePayment("TEST-FEE-001", 1000)
    polls = m.handle(NetworkResult("payment_created", True, order()))
    assert [type(e) for e in polls if not isinstance(e, fx.Audit)] == [fx.PollPayment]


def test_a_paid_fee_sends_the_application_with_the_order_and_the_receipt_says_paid(
        m: SessionMachine) -> None:
    to_payment(m)
    assert m.progress() is None  # part of submitting: no step of its own
    again = m.handle(NetworkResult("payment_status", True, order("PENDING")))
    assert again == [fx.PollPayment("pay_1")]  # still waiting: asked again
    effects = m.handle(NetworkResult("payment_status", True, order("PAID")))
    submit = next(e for e in effects if isinstance(e, fx.Submit))
    assert m.state is State.SUBMITTING
    assert submit.application["paymentId"] == "pay_1"
    assert submit.application["clientApplicationId"] == CID
    done = m.handle(NetworkResult("submit", True, SubmitOutcome(CID, True, "app_1", "1")))
    receipt = next(e for e in done if isinstance(e, fx.PrintReceipt)).receipt
    assert receipt["paidFen"] == 1000 and receipt["payAtWindowFen"] == 0


def test_an_expired_order_can_be_made_again_and_nothing_is_sent_meanwhile(
        m: SessionMachine) -> None:
    to_payment(m)
    assert m.handle(NetworkResult("payment_status", True, order("EXPIRED"))) == []
    assert m.state is State.PAYMENT and m.data.payment_error == "payment_expired"
    effects = m.handle(Tap(Action.RETRY))
    assert effects == [fx.CreatePayment("TEST-FEE-001", 1000)]


def test_paying_at_the_window_cancels_the_order_and_sends_without_it(m: SessionMachine) -> None:
    to_payment(m)
    effects = m.handle(Tap(Action.PAY_LATER))
    assert fx.CancelPayment("pay_1") in effects
    submit = next(e for e in effects if isinstance(e, fx.Submit))
    assert "paymentId" not in submit.application
    done = m.handle(NetworkResult("submit", True, SubmitOutcome(CID, True, "app_1", "1")))
    receipt = next(e for e in done if isinstance(e, fx.PrintReceipt)).receipt
    assert receipt["payAtWindowFen"] == 1000 and receipt["paidFen"] == 0


def test_pay_later_is_not_offered_where_the_matter_does_not_allow_it(clock: Clock) -> None:
    m = SessionMachine(Catalog([paid_matter(pay_later=False)]), Timeouts(settle_s=0),
                       clock=clock)
    to_payment(m)
    assert m.handle(Tap(Action.PAY_LATER)) == [] and m.state is State.PAYMENT


def test_back_cancels_the_order_and_returns_to_review(m: SessionMachine) -> None:
    to_payment(m)
    effects = m.handle(Tap(Action.BACK))
    assert fx.CancelPayment("pay_1") in effects and m.state is State.REVIEW
    assert m.data.payment is None


def test_paying_on_the_phone_is_not_idleness_but_walking_away_cancels_the_order(
        m: SessionMachine, clock: Clock) -> None:
    to_payment(m)
    clock.now += 200  # longer than the idle time: the citizen is busy with the phone
    assert m.handle(Tick(clock.now)) == [] and m.state is State.PAYMENT
    assert m.payment_left() == 100
    clock.now += 101  # expired here; nobody touches the screen any more
    effects = m.handle(Tick(clock.now))
    clock.now += 61
    effects += m.handle(Tick(clock.now))
    assert m.state is State.ATTRACT and fx.CancelPayment("pay_1") in effects


def test_a_free_matter_has_no_payment_step(m: SessionMachine) -> None:
    to_review(m, "TEST-GJJ-001")
    effects = m.handle(Tap(Action.CONFIRM))
    assert m.state is State.SUBMITTING and any(isinstance(e, fx.Submit) for e in effects)
    assert "paymentId" not in next(e for e in effects if isinstance(e, fx.Submit)).application
