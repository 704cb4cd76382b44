"""The sandbox under a rogue peer (#14 item 16): bounded parsing (no 500 for deep JSON,
huge numbers or a "²" byte count), read timeouts and a connection cap (idle and half-sent
connections do not hold threads), and a Host check on the admin endpoint (DNS rebinding).
Everything over real sockets on loopback."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.api import errors
from kiosk.api.client import ApiClient
from kiosk.sandbox.server import DEMO_ACCESS_KEY, SandboxServer, demo_credentials


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    try:
        s = SandboxServer(tmp_path / "sandbox.db", io_timeout_s=1.0, max_connections=16).start()
    except TypeError:  # a sandbox without limits (before #14): the attack still runs
        s = SandboxServer(tmp_path / "sandbox.db").start()
    yield s
    s.stop()


@pytest.fixture
def client(server: SandboxServer) -> Iterator[ApiClient]:
    c = ApiClient(server.base_url, DEMO_ACCESS_KEY, demo_credentials()[DEMO_ACCESS_KEY])
    yield c
    c.close()


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"sentAt": "2026-11-22T10:00:00+08:00", "appVersion": ' + b"9" * 5000 + b"}",
    b'{"sentAt": "2026-11-22T10:00:00+08:00", "appVersion": NaN}',
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
])
def test_hostile_json_is_a_400_not_a_500(client: ApiClient, body: bytes) -> None:
    with pytest.raises(errors.ApiError) as err:
        client.request("POST", "/devices/DEMO-KIOSK-0001/heartbeat", body=body,
                       headers={"Content-Type": "application/json"})
    assert err.value.status == 400 and err.value.code == "MALFORMED_BODY"


@pytest.mark.parametrize("length", ["²", "¹²", "1" * 40, "-1", "0x10"])
def test_upload_length_that_is_not_ascii_digits_is_a_400(client: ApiClient, length: str) -> None:
    with pytest.raises(errors.ApiError) as err:
        client.request("POST", "/uploads", idempotency_key=f"k-{length.encode().hex()[:40]}",
                       headers={"Tus-Resumable": "1.0.0", "Upload-Length": length,
                                "Upload-Metadata": "filename dGVzdC5qcGc="})
    assert err.value.status == 400, (err.value.status, err.value.code)


def _handler_threads() -> int:
    return sum(1 for t in threading.enumerate() if "process_request_thread" in t.name)


def test_idle_and_half_sent_connections_do_not_hold_threads(server: SandboxServer,
                                                           client: ApiClient) -> None:
    before = _handler_threads()
    socks = []
    for _ in range(300):
        s = socket.create_connection(("127.0.0.1", server.port))
        socks.append(s)
    half = socket.create_connection(("127.0.0.1", server.port))
    half.sendall(b"POST /uap/v1/devices/X/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":")
    socks.append(half)
    try:
        time.sleep(0.3)
        assert _handler_threads() - before <= getattr(server, "max_connections", 16)  # the cap
        deadline = time.monotonic() + 10
        while _handler_threads() > before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _handler_threads() <= before, "threads still held after the read timeout"
        assert client.heartbeat(device_id="DEMO-KIOSK-0001").status == 200  # still serving
    finally:
        for s in socks:
            s.close()


@pytest.mark.parametrize("host, status", [
    ("evil.example", 403), ("evil.example:{port}", 403), ("127.0.0.1.evil.example", 403),
    ("127.0.0.1:{port}", 200), ("localhost:{port}", 200),
])
def test_admin_answers_only_to_a_loopback_host(server: SandboxServer, host: str,
                                               status: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest("GET", "/__admin/dump", skip_host=True)
        conn.putheader("Host", host.format(port=server.port))
        conn.endheaders()
        resp = conn.getresponse()
        resp.read()
        assert resp.status == status
    finally:
        conn.close()
