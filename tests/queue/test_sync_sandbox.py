"""Delivery over real HTTP on loopback to the sandbox, with its fault injection."""

from __future__ import annotations

import hashlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.api.client import ApiClient
from kiosk.queue_transport import ApiTransport
from kiosk.sandbox.server import DEMO_ACCESS_KEY, SandboxServer, demo_credentials
from kiosk.submission import Application, Submitter
from offline_queue import Backoff, ItemState, Outbox, OutboxItem, SyncWorker
from tests.queue.sandbox_apps import applicant, application


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "platform" / "sandbox.db", faults={"seed": 7}).start()
    yield server
    server.stop()


def _kiosk(tmp_path: Path, base_url: str) -> tuple[Outbox, SyncWorker, ApiClient]:
    ob = Outbox(tmp_path / "q" / "outbox.db", tmp_path / "q" / "files", tmp_path / "q" / "key",
                max_bytes=10**9, min_free_bytes=0)
    client = ApiClient(base_url, DEMO_ACCESS_KEY, demo_credentials()[DEMO_ACCESS_KEY],
                       connect_timeout=1, read_timeout=10)
    worker = SyncWorker(ob, ApiTransport(client), Backoff(base_s=0.02, cap_s=0.3), wake_spread_s=0)
    return ob, worker, client


def _get(ob: Outbox, item_id: str | None) -> OutboxItem:
    assert item_id is not None
    item = ob.get(item_id)
    assert item is not None
    return item


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _files_of(app: Application) -> list[dict[str, object]]:
    return [{"sha256": hashlib.sha256(a.data).hexdigest(), "bytes": len(a.data)}
            for a in app.attachments]


def test_online_submission_is_delivered_at_once_with_receipt_and_identical_files(tmp_path, sandbox):
    ob, worker, client = _kiosk(tmp_path, sandbox.base_url)
    app = application(1, n_files=2)
    result = Submitter(ob, worker, device_id="DEMO-KIOSK-0001").submit(app)
    assert result.state == "delivered" and result.stored
    assert result.proj_id and result.query_password and result.application_id
    [got] = sandbox.storage.dump()
    assert got["clientApplicationId"] == result.client_application_id
    assert got["files"] == _files_of(app)
    assert not list(ob.files_dir.iterdir())  # purged after acknowledgement
    client.close()


def test_platform_unreachable_queues_then_delivers_once_when_back(tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/uap/v1"
    ob, worker, client = _kiosk(tmp_path, url)
    apps = [application(i) for i in range(3)]
    sub = Submitter(ob, worker, device_id="DEMO-KIOSK-0001")
    results = [sub.submit(a) for a in apps]
    assert [r.state for r in results] == ["queued"] * 3
    assert "NETWORK" in (_get(ob, results[0].client_application_id).last_error or "")
    server = SandboxServer(tmp_path / "platform.db", port=port).start()
    try:
        worker.wake()
        report = worker.run_until_empty(timeout_s=30)
        assert report.delivered == 3
        got = server.storage.dump()
    finally:
        server.stop()
    assert sorted(g["clientApplicationId"] for g in got) == sorted(str(r.client_application_id) for r in results)
    client.close()


def test_server_errors_garbage_and_unknown_answers_end_with_each_application_once(tmp_path, sandbox):
    sandbox.faults.set(error_rate=0.25, retry_after_s=0, unknown_rate=0.4, garbage_rate=0.15)
    ob, worker, client = _kiosk(tmp_path, sandbox.base_url)
    apps: dict[str, Application] = {}
    for i in range(12):
        app = application(10 + i)
        res = Submitter(ob, None, device_id="DEMO-KIOSK-0001").submit(app, sync=False)
        apps[str(res.client_application_id)] = app
    report = worker.run_until_empty(timeout_s=60)
    sandbox.faults.reset()
    assert ob.status().pending == 0 and ob.status().dead == 0, ob.items()
    got = sandbox.storage.dump()
    assert sorted(g["clientApplicationId"] for g in got) == sorted(apps)
    for g in got:
        assert g["files"] == _files_of(apps[g["clientApplicationId"]])
    assert report.delivered == 12 and report.retried > 0
    client.close()


def test_connection_dropped_mid_upload_resumes_and_file_arrives_intact(tmp_path, sandbox):
    sandbox.faults.set(drop_upload_after_bytes=300_000, drop_upload_count=2)
    ob, worker, client = _kiosk(tmp_path, sandbox.base_url)
    app = application(5, n_files=1, approx_bytes=1_600_000)  # > 1 MiB: tus, not POST /files
    assert len(app.attachments[0].data) > 1024 * 1024
    res = Submitter(ob, worker, device_id="DEMO-KIOSK-0001").submit(app)
    if res.state != "delivered":
        worker.run_until_empty(timeout_s=60)
    assert _get(ob, res.client_application_id).state == ItemState.DELIVERED
    [got] = sandbox.storage.dump()
    assert got["files"] == _files_of(app)
    client.close()


def test_invalid_application_goes_to_dead_letter_with_the_platforms_reasons(tmp_path, sandbox):
    ob, worker, client = _kiosk(tmp_path, sandbox.base_url)
    bad = application(3, applicant=applicant(certNo="330199198806060047"))  # wrong check digit
    res = Submitter(ob, worker, device_id="DEMO-KIOSK-0001").submit(bad)
    assert res.state == "dead" and res.stored
    item = _get(ob, res.client_application_id)
    assert item.state == ItemState.DEAD and "VALIDATION_FAILED" in (item.last_error or "")
    problem = ob.problem(item.id)
    assert problem is not None and problem["fields"][0]["pointer"] == "/applicant/certNo"
    assert sandbox.storage.dump() == []
    assert ob.void(item.id) is None and not list(ob.files_dir.iterdir())
    client.close()


def test_unknown_matter_is_dead_lettered_not_retried_forever(tmp_path, sandbox):
    ob, worker, client = _kiosk(tmp_path, sandbox.base_url)
    from dataclasses import replace
    app = replace(application(4), impl_code="330106SBX9999")
    res = Submitter(ob, worker, device_id="DEMO-KIOSK-0001").submit(app)
    assert res.state == "dead" and "MATTER_NOT_FOUND" in (_get(ob, res.client_application_id).last_error or "")
    client.close()


def test_kiosk_service_queues_offline_and_background_worker_delivers_when_link_returns(tmp_path):
    from kiosk.config import load_settings
    from kiosk.queue_transport import QueueService, open_queue
    from tests.queue.sandbox_apps import write_config

    port = _free_port()
    url = f"http://127.0.0.1:{port}/uap/v1"
    settings = load_settings(write_config(tmp_path, url))
    service = QueueService(settings, open_queue(None, settings), url)
    service.worker.idle_poll_s = 0.2
    service.start()
    server = None
    try:
        first = service.submit(application(21))
        assert first.state == "queued" and first.stored
        server = SandboxServer(tmp_path / "platform.db", port=port).start()
        service.connectivity_restored()  # e.g. the heartbeat got through
        deadline = time.monotonic() + 20
        while not service.status().delivered and time.monotonic() < deadline:
            time.sleep(0.05)
        assert service.status().delivered == 1
        second = service.submit(application(22))
        assert second.state == "delivered" and second.query_password
        assert len(server.storage.dump()) == 2
    finally:
        service.stop()
        if server is not None:
            server.stop()


def test_long_retry_after_is_honoured_over_http(tmp_path, sandbox):
    sandbox.faults.set(error_rate=1.0, retry_after_s=40, paths=["/uap/v1/files"])
    ob, worker, client = _kiosk(tmp_path, sandbox.base_url)
    res = Submitter(ob, worker, device_id="DEMO-KIOSK-0001").submit(application(31))
    item = _get(ob, res.client_application_id)
    assert res.state == "queued" and "HTTP 503" in (item.last_error or "")
    assert item.next_attempt_at - time.time() >= 39
    client.close()


def test_timeout_while_the_platform_still_works_leads_to_409_then_reconciliation(tmp_path, sandbox):
    """The kiosk gives up waiting while the platform is still processing (in flight): the
    next attempt must not create a second case; it asks, meets 409, and finally finds it."""
    sandbox.faults.set(hold_s=1.5, paths=["/uap/v1/applications"])
    ob, worker, client = _kiosk(tmp_path, sandbox.base_url)
    client.timeout = (1.0, 0.5)  # read timeout shorter than the platform's processing
    app = application(32)
    res = Submitter(ob, worker, device_id="DEMO-KIOSK-0001").submit(app)
    assert res.state == "queued"
    assert _get(ob, res.client_application_id).needs_reconcile
    client.timeout = (1.0, 10.0)
    worker.run_until_empty(timeout_s=30)
    assert _get(ob, res.client_application_id).state == ItemState.DELIVERED
    [got] = sandbox.storage.dump()
    assert got["clientApplicationId"] == res.client_application_id
    client.close()
