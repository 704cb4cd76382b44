"""补齐补正 through the offline queue over real HTTP to the sandbox: the materials the platform
asked for go as one outbox item of kind "supplement" (files uploaded first, encrypted at rest,
exactly once); with the platform away it waits in the queue and is delivered when it is back."""

from __future__ import annotations

import socket
from pathlib import Path

import requests

from kiosk.sandbox.server import SandboxServer
from kiosk.submission import Attachment, Submitter
from offline_queue import ItemState
from tests.queue.sandbox_apps import MATERIAL, application, jpeg
from tests.queue.test_sync_sandbox import _kiosk


def _asked(server: SandboxServer, application_id: str) -> None:
    r = requests.post(f"{server.root_url}/__admin/applications/{application_id}/status",
                      json={"status": "SUPPLEMENT_REQUIRED", "materials": [MATERIAL],
                            "reason": "照片不清晰，请重新拍摄（测试）"}, timeout=5)
    assert r.status_code == 200


def test_a_supplement_asked_for_is_delivered_and_the_case_moves_on(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path / "p.db", status_step_s=None).start()
    try:
        ob, worker, client = _kiosk(tmp_path, server.base_url)
        sub = Submitter(ob, worker, device_id="DEMO-KIOSK-0001")
        first = sub.submit(application(1))
        assert first.state == "delivered" and first.application_id
        _asked(server, first.application_id)
        [status] = client.query_status(application_id=first.application_id)
        assert status["status"] == "SUPPLEMENT_REQUIRED"
        assert [m["materialCode"] for m in status["supplement"]["materials"]] == [MATERIAL]
        photo = jpeg(5)
        result = sub.submit_supplement(first.application_id,
                                       [Attachment(MATERIAL, photo, "image/jpeg")])
        assert result.state == "delivered" and result.stored
        [after] = client.query_status(application_id=first.application_id)
        assert after["status"] == "SUPPLEMENT_SUBMITTED"
        rows = server.storage.all("SELECT payload FROM supplements")
        assert len(rows) == 1 and MATERIAL in rows[0]["payload"]
        assert not list(ob.files_dir.iterdir())  # purged after acknowledgement
        client.close()
    finally:
        server.stop()


def test_with_the_platform_away_the_supplement_waits_in_the_queue(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = SandboxServer(tmp_path / "p.db", port=port, status_step_s=None).start()
    ob, worker, client = _kiosk(tmp_path, server.base_url)
    sub = Submitter(ob, worker, device_id="DEMO-KIOSK-0001")
    first = sub.submit(application(2))
    assert first.application_id
    _asked(server, first.application_id)
    server.stop()
    result = sub.submit_supplement(first.application_id,
                                   [Attachment(MATERIAL, jpeg(6), "image/jpeg")])
    assert result.state == "queued" and result.stored
    item = ob.get(str(result.client_application_id))
    assert item is not None and item.kind == "supplement" and item.state != ItemState.DELIVERED
    raw = (ob.files_dir).rglob("*")
    assert all(jpeg(6)[:64] not in p.read_bytes() for p in raw if p.is_file())  # sealed
    server = SandboxServer(tmp_path / "p.db", port=port, status_step_s=None).start()
    try:
        worker.wake()
        worker.run_until_empty(timeout_s=30)
        item = ob.get(str(result.client_application_id))
        assert item is not None and item.state == ItemState.DELIVERED
        assert len(server.storage.all("SELECT * FROM supplements")) == 1
        worker.sync_once()  # nothing sent twice
        assert len(server.storage.all("SELECT * FROM supplements")) == 1
    finally:
        client.close()
        server.stop()
