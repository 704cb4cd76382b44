"""Part 3 of bench_queue.py (run that script): resync throughput to the sandbox on loopback vs a plain loop.

The sandbox runs in its own process (``kiosk sandbox``), a fresh database for each contender
so neither finds the other's blobs. The plain loop sends exactly the same bytes with
``requests``: each file to ``POST /files`` and the application to ``POST /applications``,
signed (the server demands it) and with the same Idempotency-Keys, but no queue, no
encryption, no bookkeeping. Throughput = material bytes / wall time."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_queue import make_jpeg  # noqa: E402

from kiosk.api import contract  # noqa: E402
from kiosk.api.client import ApiClient  # noqa: E402
from kiosk.api.signing import sign_headers  # noqa: E402
from kiosk.api.uploads import SMALL_FILE_MAX  # noqa: E402
from kiosk.queue_transport import ApiTransport  # noqa: E402
from kiosk.sandbox.catalog import Catalog  # noqa: E402
from kiosk.sandbox.demo_identities import ZHAO_LIU  # noqa: E402
from kiosk.sandbox.server import DEMO_ACCESS_KEY, demo_credentials  # noqa: E402
from kiosk.submission import Application, Attachment, Submitter, build_body  # noqa: E402
from offline_queue import Outbox, SyncWorker, fill_file_refs  # noqa: E402

MATTER, MATERIAL = "330106SBX0005", "M0005-03"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sandbox:
    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "sandbox", "--port", str(self.port), "--db", str(db),
             "--status-step", "0"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base_url = f"http://127.0.0.1:{self.port}/uap/v1"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("sandbox did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def _applications(n_apps: int, pages: list[bytes]) -> list[Application]:
    form = dict(Catalog().get(MATTER)["formSchema"]["examples"][0])  # type: ignore[index]
    applicant = {"certType": "RESIDENT_ID_CARD", "certNo": ZHAO_LIU.cert_no,
                 "name": ZHAO_LIU.name, "phone": ZHAO_LIU.phone}
    return [Application(MATTER, applicant, form, [Attachment(MATERIAL, p, "image/jpeg") for p in pages],
                        client_application_id=f"0190bbbb-0000-7000-8000-{i:012d}")
            for i in range(n_apps)]


def _plain_loop(base_url: str, apps: list[Application], secret: bytes) -> float:
    session = requests.Session()
    base_path = urllib.parse.urlsplit(base_url).path

    def post(path: str, body: bytes, params: dict[str, str], headers: dict[str, str]) -> dict:
        query = urllib.parse.urlencode(params)
        signed = sign_headers("POST", base_path + path, query, body, DEMO_ACCESS_KEY, secret)
        r = session.post(base_url + path + ("?" + query if query else ""), data=body,
                         headers={**headers, **signed}, timeout=30)
        assert r.status_code < 300, r.text
        return dict(r.json())

    t0 = time.perf_counter()
    for app in apps:
        cid = app.client_application_id
        assert cid is not None
        body = build_body(app, cid, "DEMO-KIOSK-0001", "330106-HALL-01", "2026-11-22T10:00:00+08:00")
        refs = {}
        for seq, a in enumerate(app.attachments):
            import hashlib
            sha = hashlib.sha256(a.data).hexdigest()
            info = post("/files", a.data, {"filename": f"p{seq}.jpg", "sha256": sha,
                                           "materialCode": a.material_code, "clientApplicationId": cid},
                        {"Content-Type": "image/jpeg", "Idempotency-Key": f'"f-{cid}-{seq}"'})
            refs[f"outbox-file:{cid}:{seq}"] = info["fileId"]
        post("/applications", fill_file_refs(body, refs), {},
             {"Content-Type": "application/json", "Idempotency-Key": f'"{cid}"'})
    return time.perf_counter() - t0


def _queue_sync(root: Path, base_url: str, apps: list[Application], secret: bytes) -> float:
    ob = Outbox(root / "sync-q" / "outbox.db", root / "sync-q" / "files", root / "sync-q" / "key",
                max_bytes=50 * 1024**3, min_free_bytes=0)
    sub = Submitter(ob, None, device_id="DEMO-KIOSK-0001", hall_code="330106-HALL-01")
    for app in apps:
        assert sub.submit(app, sync=False).state == "queued"
    client = ApiClient(base_url, DEMO_ACCESS_KEY, secret)
    worker = SyncWorker(ob, ApiTransport(client))
    for schema in ("FileInfo", "ApplicationReceipt"):
        contract.validator(schema)  # the contract is parsed once per process: not resync cost
    t0 = time.perf_counter()
    report = worker.run_until_empty(timeout_s=600)
    elapsed = time.perf_counter() - t0
    assert report.delivered == len(apps), report
    client.close()
    ob.close()
    return elapsed


def bench_sync(root: Path, quick: bool) -> dict[str, float]:
    n_apps, n_pages = (3, 5) if quick else (8, 10)
    pages = [make_jpeg(100 + i) for i in range(n_pages)]
    assert all(len(p) <= SMALL_FILE_MAX for p in pages)
    apps = _applications(n_apps, pages)
    total = n_apps * sum(len(p) for p in pages)
    secret = demo_credentials()[DEMO_ACCESS_KEY]
    results: dict[str, float] = {}
    for name in ("plain", "queue", "plain2", "queue2", "plain3", "queue3"):  # interleaved
        server = Sandbox(root / f"sandbox-{name}.db")
        try:
            if name.startswith("plain"):
                results[name] = _plain_loop(server.base_url, apps, secret)
            else:
                results[name] = _queue_sync(root / name, server.base_url, apps, secret)
        finally:
            server.stop()
    plain = min(v for k, v in results.items() if k.startswith("plain"))
    queue = min(v for k, v in results.items() if k.startswith("queue"))
    ratio = plain / queue
    print(f"[3] resync {n_apps} applications × {n_pages} pages ({total / 1e6:.1f} MB) to the "
          f"sandbox process on loopback (best of 3): outbox {total / queue / 1e6:.1f} MB/s "
          f"({queue:.2f} s) | plain requests loop {total / plain / 1e6:.1f} MB/s ({plain:.2f} s) | "
          f"ratio {ratio:.0%} | target >= 80 %: {'MET' if ratio >= 0.8 else 'MISSED'}")
    print("    " + json.dumps({k: round(v, 3) for k, v in results.items()}))
    return {"sync_s": queue, "sync_plain_s": plain}
