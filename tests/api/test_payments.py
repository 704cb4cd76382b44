"""统一公共支付 at the sandbox over real HTTP: an order for a chargeable matter, paid on the
phone (simulated), expired, cancelled; an application carries the paid order's id, and the
dump shows the paid amount."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.api.uuid7 import uuid7
from kiosk.sandbox.server import SandboxServer
from tests.api.helpers import application

HOUSE = "330106SBX0001"  # 登记费 80 元/件, may be paid at the window instead
LICENCE = "330106SBX0008"  # 工本费 10 元, paid before it is received


def order(client: ApiClient, impl: str = HOUSE, fen: int = 8000) -> dict[str, Any]:
    body = {"clientApplicationId": uuid7(), "implCode": impl, "amountFen": fen}
    resp = client.create_payment(body, uuid7())
    assert resp.status == 201
    return resp.json


def test_an_order_is_paid_on_the_phone_after_a_while(sandbox: SandboxServer,
                                                    client: ApiClient) -> None:
    sandbox.state.payment_paid_after_s = 0.3
    made = order(client)
    assert made["status"] == "PENDING" and made["amountFen"] == 8000 and made["payUrl"]
    assert client.get_payment(made["paymentId"]).json["status"] == "PENDING"
    import time

    time.sleep(0.4)
    paid = client.get_payment(made["paymentId"]).json
    assert paid["status"] == "PAID" and paid["paidAt"]
    assert client.cancel_payment(made["paymentId"]).json["status"] == "PAID"  # too late


def test_an_unpaid_order_expires_and_a_cancelled_one_stays_cancelled(
        sandbox: SandboxServer, client: ApiClient) -> None:
    sandbox.state.payment_paid_after_s = None
    sandbox.state.payment_ttl_s = 0.2
    lapsed = order(client)
    import time

    time.sleep(0.3)
    assert client.get_payment(lapsed["paymentId"]).json["status"] == "EXPIRED"
    sandbox.state.payment_ttl_s = 300
    dropped = order(client)
    assert client.cancel_payment(dropped["paymentId"]).json["status"] == "CANCELLED"
    assert client.get_payment(dropped["paymentId"]).json["status"] == "CANCELLED"


def test_the_amount_must_be_the_matters_fee_and_a_free_matter_takes_none(
        client: ApiClient) -> None:
    with pytest.raises(ApiError) as info:
        order(client, fen=1)
    assert info.value.status == 422
    with pytest.raises(ApiError) as info:
        order(client, impl="330106SBX0003", fen=100)  # 提取住房公积金: free
    assert info.value.status == 422


def test_the_admin_settles_an_order_and_the_application_carries_it(
        sandbox: SandboxServer, client: ApiClient) -> None:
    sandbox.state.payment_paid_after_s = None
    made = order(client, LICENCE, 1000)
    app = application()
    app["paymentId"] = made["paymentId"]
    app["implCode"] = "330106SBX0005"
    r = requests.post(f"{sandbox.root_url}/__admin/payments/{made['paymentId']}",
                      json={"status": "PAID"}, timeout=5)
    assert r.status_code == 200 and r.json()["status"] == "PAID"
    # Paid for another matter: refused.
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.code == "VALIDATION_FAILED" or info.value.status == 422


def test_a_licence_renewal_needs_its_fee_paid_first(sandbox: SandboxServer,
                                                   client: ApiClient) -> None:
    sandbox.state.payment_paid_after_s = None
    made = order(client, LICENCE, 1000)
    r = requests.post(f"{sandbox.root_url}/__admin/payments/{made['paymentId']}",
                      json={"status": "EXPIRED"}, timeout=5)
    assert r.json()["status"] == "EXPIRED"
    assert client.get_payment(made["paymentId"]).json["status"] == "EXPIRED"
