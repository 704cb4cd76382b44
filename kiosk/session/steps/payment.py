"""统一公共支付: the fee paid at the kiosk before the application is submitted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.session import effects as fx
from kiosk.session.effects import ResultKind
from kiosk.session.events import (
    Action,
    Event,
    NetworkResult,
    Tap,
)
from kiosk.session.steps.finish import submit

if TYPE_CHECKING:
    from kiosk.session.machine import SessionMachine


def start_payment(m: SessionMachine) -> list[fx.Effect]:
    """Entering the payment step: a new order, unless one is still waiting."""
    d, matter = m.data, m.matter
    assert matter is not None
    if m.payment_pending():
        assert d.payment is not None
        return [fx.PollPayment(str(d.payment["paymentId"]))]
    d.payment, d.payment_error = None, ""
    return [fx.CreatePayment(matter.code, matter.fee_fen)]


def on_payment(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d, matter = m.data, m.matter
    assert matter is not None
    if isinstance(e, NetworkResult) and e.op is ResultKind.PAYMENT_CREATED:
        if not e.ok or not isinstance(e.value, dict):
            d.payment_error = e.error or "payment_unavailable"
            return []
        d.payment = dict(e.value)
        d.payment_deadline = m.clock() + float(d.payment.get("expiresInS") or 300)
        return [fx.PollPayment(str(d.payment["paymentId"])),
                m.audit("payment.ordered", implCode=matter.code,
                           amountFen=d.payment.get("amountFen"))]
    if isinstance(e, NetworkResult) and e.op is ResultKind.PAYMENT_STATUS:
        if d.payment is None or not m.payment_pending():
            return []  # an answer about an order already settled or dropped
        if not e.ok or not isinstance(e.value, dict):
            # The platform did not answer for a while (the worker kept trying): say so and
            # keep asking; the QR stays valid and the citizen may already have paid.
            d.payment_error = "payment_unreachable"
            return [fx.PollPayment(str(d.payment["paymentId"]))]
        if e.value.get("paymentId") != d.payment.get("paymentId"):
            return []
        d.payment_error = ""
        d.payment.update(status=e.value.get("status"), paidAt=e.value.get("paidAt"))
        if m.payment_paid():
            m.last_activity = m.clock()
            return [m.audit("payment.paid", implCode=matter.code,
                               amountFen=d.payment.get("amountFen")),
                    fx.Speak("payment_paid"), *submit(m)]
        if m.payment_pending():
            if m.clock() >= d.payment_deadline:  # expired here: the platform says so
                return [fx.PollPayment(str(d.payment["paymentId"]), wait_s=0.0)]
            return [fx.PollPayment(str(d.payment["paymentId"]))]
        d.payment_error = "payment_" + str(e.value.get("status", "")).lower()
        return []
    if not isinstance(e, Tap):
        return []
    if e.action is Action.RETRY and not m.payment_pending():
        return start_payment(m)  # a new order (the last expired or was cancelled)
    if e.action is Action.PAY_LATER and matter.pay_later_allowed:
        effects = cancel_payment(m)
        d.pay_later = True
        return [*effects, *submit(m)]
    if e.action is Action.BACK:
        effects = cancel_payment(m)
        d.payment, d.payment_error = None, ""
        return [*effects, *m.back()]
    return []


def cancel_payment(m: SessionMachine) -> list[fx.Effect]:
    d = m.data
    if m.payment_pending():
        assert d.payment is not None
        pid = str(d.payment["paymentId"])
        d.payment["status"] = "CANCELLED"
        return [fx.CancelPayment(pid)]
    return []
