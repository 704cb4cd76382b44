"""Signature refusals (bad signature, digest, skew, replay, unknown key), the client's clock
correction, and the sandbox's injected faults as the client sees them."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from kiosk.api import signing
from kiosk.api.client import ApiClient
from kiosk.api.errors import (
    ClockSkewError,
    NetworkError,
    ProtocolError,
    ReplayError,
    SignatureError,
)
from kiosk.sandbox.server import DEMO_ACCESS_KEY, SandboxServer, demo_credentials
from tests.api.conftest import TEST_KEY, TEST_SECRET, ContractChecker, make_client
from tests.api.helpers import application

SECRET = demo_credentials()[DEMO_ACCESS_KEY]


def _signed_get(url: str, path: str, **kw: object) -> requests.Response:
    headers = signing.sign_headers("GET", path, None, b"", DEMO_ACCESS_KEY, SECRET, **kw)  # type: ignore[arg-type]
    return requests.get(url, headers=headers, timeout=5)


def test_wrong_secret_is_refused_as_a_signature_error(sandbox: SandboxServer,
                                                     checker: ContractChecker) -> None:
    bad = ApiClient(sandbox.base_url, DEMO_ACCESS_KEY, b"wrong-secret")
    bad.session.hooks["response"].append(checker)
    with pytest.raises(SignatureError) as info:
        bad.list_matters()
    assert info.value.code == "AUTH_INVALID_SIGNATURE" and not info.value.retryable


def test_unknown_access_key_is_refused(sandbox: SandboxServer) -> None:
    with pytest.raises(SignatureError) as info:
        ApiClient(sandbox.base_url, "NOBODY", b"x").list_matters()
    assert info.value.code == "AUTH_UNKNOWN_ACCESS_KEY"


def test_second_kiosk_with_its_own_key_works_and_cannot_see_the_firsts_reconciliation(
        sandbox: SandboxServer, client: ApiClient) -> None:
    app = application()
    client.submit_application(app, app["clientApplicationId"])
    other = ApiClient(sandbox.base_url, TEST_KEY, TEST_SECRET)
    assert other.find_application(app["clientApplicationId"]) is None
    assert client.find_application(app["clientApplicationId"]) is not None


def test_body_altered_in_transit_is_a_digest_mismatch(sandbox: SandboxServer) -> None:
    body = b'{"sentAt":"2026-11-22T10:00:00+08:00","appVersion":"0.1.0"}'
    path = "/uap/v1/devices/DEMO-KIOSK-0001/heartbeat"
    headers = signing.sign_headers("POST", path, None, body, DEMO_ACCESS_KEY, SECRET)
    r = requests.post(sandbox.root_url + path, data=body.replace(b"0.1.0", b"9.9.9"),
                      headers=headers, timeout=5)
    assert r.status_code == 401 and r.json()["code"] == "AUTH_DIGEST_MISMATCH"


def test_replayed_request_is_refused_with_auth_replay(sandbox: SandboxServer) -> None:
    path = "/uap/v1/matters"
    headers = signing.sign_headers("GET", path, None, b"", DEMO_ACCESS_KEY, SECRET)
    first = requests.get(sandbox.root_url + path, headers=headers, timeout=5)
    again = requests.get(sandbox.root_url + path, headers=headers, timeout=5)
    assert first.status_code == 200
    assert again.status_code == 401 and again.json()["code"] == "AUTH_REPLAY"


def test_query_string_is_covered_by_the_signature(sandbox: SandboxServer) -> None:
    path = "/uap/v1/matters"
    headers = signing.sign_headers("GET", path, {"q": "居住证"}, b"", DEMO_ACCESS_KEY, SECRET)
    r = requests.get(sandbox.root_url + path, params={"q": "公积金"}, headers=headers, timeout=5)
    assert r.status_code == 401 and r.json()["code"] == "AUTH_INVALID_SIGNATURE"
    headers = signing.sign_headers("GET", path, {"q": "居住证"}, b"", DEMO_ACCESS_KEY, SECRET)
    r = requests.get(sandbox.root_url + path, params={"q": "居住证"}, headers=headers, timeout=5)
    assert r.status_code == 200 and r.json()["total"] == 1


def test_stale_date_is_clock_skew_with_the_server_date(sandbox: SandboxServer) -> None:
    old = datetime.now(UTC) - timedelta(seconds=300)
    r = _signed_get(sandbox.root_url + "/uap/v1/matters", "/uap/v1/matters",
                    date=signing.http_date(old))
    assert r.status_code == 401 and r.json()["code"] == "AUTH_CLOCK_SKEW"
    assert "Date" in r.headers


def test_client_with_a_wrong_clock_corrects_itself_from_the_server_date(
        sandbox: SandboxServer, checker: ContractChecker) -> None:
    sandbox.faults.set(clock_offset_s=600)  # the server is 10 minutes ahead of this kiosk
    c = make_client(sandbox.base_url, checker)
    assert c.list_matters("gjj").json["total"] == 1
    assert 590 < c.clock_offset_s < 610
    strict = make_client(sandbox.base_url, checker, correct_clock=False)
    with pytest.raises(ClockSkewError) as info:
        strict.list_matters()
    assert info.value.skew_s is not None and 590 < info.value.skew_s < 610


def test_503_with_short_retry_after_is_retried_inside_the_call(
        sandbox: SandboxServer, client: ApiClient) -> None:
    sandbox.faults.set(error_rate=1.0, error_count=1, retry_after_s=0)
    assert client.list_matters().status == 200
    assert sandbox.faults.settings.error_count == 0  # the one 503 was answered


def test_503_with_long_retry_after_is_left_to_the_caller(sandbox: SandboxServer,
                                                         client: ApiClient) -> None:
    sandbox.faults.set(error_rate=1.0, retry_after_s=30)
    t0 = time.monotonic()
    app = application()
    with pytest.raises(Exception) as info:
        client.submit_application(app, app["clientApplicationId"])
    err = info.value
    assert getattr(err, "status", None) == 503 and err.retryable  # type: ignore[attr-defined]
    assert err.retry_after == 30 and err.result_status == "F"  # type: ignore[attr-defined]
    assert time.monotonic() - t0 < 25  # did not sit out the 30 s itself
    sandbox.faults.reset()
    assert client.find_application(app["clientApplicationId"]) is None  # nothing applied


def test_html_from_a_captive_portal_is_a_protocol_error(sandbox: SandboxServer,
                                                        client: ApiClient,
                                                        checker: ContractChecker) -> None:
    sandbox.faults.set(garbage_rate=1.0)
    with checker.off(), pytest.raises(ProtocolError) as info:
        client.list_matters()
    assert info.value.retryable and info.value.result_status == "U"


def test_json_of_the_wrong_shape_is_a_protocol_error(sandbox: SandboxServer,
                                                     client: ApiClient,
                                                     checker: ContractChecker) -> None:
    sandbox.faults.set(garbage_rate=1.0, garbage_kind="json")
    with checker.off(), pytest.raises(ProtocolError) as info:
        client.get_matter("330106SBX0005")
    assert "does not match Matter" in info.value.detail


def test_unreachable_gateway_is_a_retryable_network_error() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    c = ApiClient(f"http://127.0.0.1:{port}/uap/v1", DEMO_ACCESS_KEY, SECRET,
                  connect_timeout=1)
    with pytest.raises(NetworkError) as info:
        c.list_matters()
    assert info.value.retryable and info.value.result_status == "U"
    assert info.value.code == "NETWORK_UNREACHABLE"


def test_slow_gateway_is_a_read_timeout(sandbox: SandboxServer) -> None:
    sandbox.faults.set(latency_s=1.5)
    c = ApiClient(sandbox.base_url, DEMO_ACCESS_KEY, SECRET, read_timeout=0.5)
    with pytest.raises(NetworkError) as info:
        c.list_matters()
    assert info.value.code == "NETWORK_TIMEOUT"


def test_replay_error_type_for_a_reused_nonce() -> None:
    from kiosk.api.errors import from_problem

    err = from_problem(401, {"code": "AUTH_REPLAY", "title": "x", "retryable": False})
    assert isinstance(err, ReplayError) and not err.retryable


def test_admin_faults_endpoint_sets_and_resets(sandbox: SandboxServer) -> None:
    url = sandbox.root_url + "/__admin/faults"
    r = requests.post(url, json={"error_rate": 0.5, "latency_s": 0.1}, timeout=5)
    assert r.status_code == 200 and r.json()["error_rate"] == 0.5
    assert sandbox.faults.settings.latency_s == 0.1
    bad = requests.post(url, json={"error_rate": 7}, timeout=5)
    assert bad.status_code == 422
    assert requests.delete(url, timeout=5).json()["error_rate"] == 0
