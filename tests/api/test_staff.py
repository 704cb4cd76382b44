"""The staff operations of the contract on the sandbox (#15): the hall's staff directory,
the QR log-in challenge and its confirmation by the (simulated) work app; every exchange is
checked against docs/api/openapi.yaml by the ``client`` fixture."""

from __future__ import annotations

import pytest
import requests

from kiosk.api import errors
from kiosk.api.client import ApiClient
from kiosk.roles import verify_pin
from kiosk.sandbox.server import SandboxServer
from kiosk.sandbox.staff_roster import DEMO_HALL, SEED_STAFF

OTHER_HALL = "330102-HALL-09"


def _admin(sandbox: SandboxServer, method: str, path: str, **body: object) -> requests.Response:
    return requests.request(method, f"{sandbox.root_url}/__admin{path}", json=body, timeout=10)


def test_directory_lists_the_halls_staff_with_scrypt_hashes_of_their_pins(
        client: ApiClient) -> None:
    answer = client.staff_directory(DEMO_HALL).json
    members = {m["staffNo"]: m for m in answer["members"]}
    assert answer["hall"] == DEMO_HALL
    assert set(members) == {s.staff_no for s in SEED_STAFF if DEMO_HALL in s.halls}
    for seed in SEED_STAFF:
        if seed.staff_no in members:
            stored = members[seed.staff_no]["pinHash"]
            assert (stored is None) == (seed.pin is None)
            if seed.pin:
                assert stored.startswith("scrypt$") and seed.pin not in stored
                assert verify_pin(seed.pin, stored)
    other = client.staff_directory(OTHER_HALL).json["members"]
    assert [m["staffNo"] for m in other] == ["9900004"]


def test_directory_without_a_hall_is_a_bad_request(client: ApiClient,
                                                    checker: object) -> None:
    with checker.off(), pytest.raises(errors.ApiError) as err:  # type: ignore[attr-defined]
        client.request("GET", "/staff-directory", schema="StaffDirectory")
    assert err.value.status == 400


def test_a_removed_person_is_missing_from_the_next_directory(
        sandbox: SandboxServer, client: ApiClient) -> None:
    _admin(sandbox, "DELETE", "/staff/9900002").raise_for_status()
    assert "9900002" not in [m["staffNo"] for m in client.staff_directory(DEMO_HALL).json["members"]]
    _admin(sandbox, "PUT", "/staff/9900002").raise_for_status()
    assert "9900002" in [m["staffNo"] for m in client.staff_directory(DEMO_HALL).json["members"]]


def test_login_challenge_is_pending_then_confirmed_with_the_staff_number(
        sandbox: SandboxServer, client: ApiClient) -> None:
    c = client.create_staff_login(device_id="TEST-KIOSK-0002", hall=DEMO_HALL, role="STAFF").json
    assert c["status"] == "PENDING" and "staffNo" not in c
    assert client.get_staff_login(c["challengeId"]).json["status"] == "PENDING"
    confirmed = _admin(sandbox, "POST", f"/staff-logins/{c['challengeId']}/confirm",
                       staffNo="9900001").json()
    assert confirmed["status"] == "CONFIRMED"
    polled = client.get_staff_login(c["challengeId"]).json
    assert (polled["status"], polled["staffNo"]) == ("CONFIRMED", "9900001")
    again = _admin(sandbox, "POST", f"/staff-logins/{c['challengeId']}/confirm",
                   staffNo="9900002")
    assert again.status_code == 409  # a challenge is used once


@pytest.mark.parametrize(("staff_no", "role"), [("9900004", "STAFF"), ("9900003", "STAFF"),
                                                ("9900001", "TECHNICIAN"), ("0000000", "STAFF")],
                         ids=["other-hall", "technician-as-staff", "staff-as-technician",
                              "unknown"])
def test_the_work_app_denies_who_may_not_work_here_in_that_role(
        sandbox: SandboxServer, client: ApiClient, staff_no: str, role: str) -> None:
    c = client.create_staff_login(device_id="TEST-KIOSK-0002", hall=DEMO_HALL, role=role).json
    _admin(sandbox, "POST", f"/staff-logins/{c['challengeId']}/confirm", staffNo=staff_no)
    polled = client.get_staff_login(c["challengeId"]).json
    assert polled["status"] == "DENIED" and "staffNo" not in polled


def test_an_unconfirmed_challenge_expires(sandbox: SandboxServer, client: ApiClient) -> None:
    c = client.create_staff_login(device_id="TEST-KIOSK-0002", hall=DEMO_HALL, role="STAFF").json
    _admin(sandbox, "PATCH", "/faults", clock_offset_s=121).raise_for_status()
    assert client.get_staff_login(c["challengeId"]).json["status"] == "EXPIRED"
    late = _admin(sandbox, "POST", f"/staff-logins/{c['challengeId']}/confirm",
                  staffNo="9900001")
    assert late.status_code == 409


def test_an_unknown_challenge_is_not_found(client: ApiClient) -> None:
    with pytest.raises(errors.ApiError) as err:
        client.get_staff_login("sl_unknown")
    assert (err.value.status, err.value.code) == (404, "STAFF_LOGIN_NOT_FOUND")


def test_data_access_reports_reach_the_citizens_status_with_masked_staff_numbers(
        client: ApiClient) -> None:
    from tests.api.helpers import application

    app = application()
    cid = app["clientApplicationId"]
    receipt = client.submit_application(app, cid).json
    report = {"at": "2026-11-22T10:05:00+08:00", "operation": "AGENT_FILED",
              "staffNo": "9900001", "deviceId": "TEST-KIOSK-0002", "hall": DEMO_HALL}
    first = client.report_data_access(cid, report, "access-1")  # by clientApplicationId
    assert first.status == 201 and first.json["staffNoMasked"] == "99***01"
    assert client.report_data_access(cid, report, "access-1").replayed  # resent: once
    client.report_data_access(receipt["projId"], {**report, "operation": "RECEIPT_REPRINTED",
                                                  "staffNo": "9900002",
                                                  "at": "2026-11-22T10:06:00+08:00"},
                              "access-2")
    status = client.get_application(receipt["applicationId"]).json
    assert [(a["operation"], a["staffNoMasked"], a["hall"]) for a in status["dataAccesses"]] \
        == [("AGENT_FILED", "99***01", DEMO_HALL), ("RECEIPT_REPRINTED", "99***02", DEMO_HALL)]
    assert "9900001" not in str(status)


def test_a_report_on_an_application_not_on_the_platform_is_not_found(
        client: ApiClient) -> None:
    report = {"at": "2026-11-22T10:05:00+08:00", "operation": "QUEUE_RETRIED",
              "staffNo": "9900001", "deviceId": "TEST-KIOSK-0002", "hall": DEMO_HALL}
    with pytest.raises(errors.ApiError) as err:
        client.report_data_access("019374c2-0000-7000-8000-000000000000", report, "access-3")
    assert (err.value.status, err.value.code) == (404, "APPLICATION_NOT_FOUND")
