"""Acceptance API benchmark: what signing, idempotency and the contract cost per request.

Run: ``.venv/bin/python bench/bench_api.py [--n 200] [--mib 4]``.

Everything runs against the real sandbox on a loopback port with its SQLite file in a temp
dir. Each figure is printed with a plain baseline measured in the same process:

1. signing: ``sign_headers`` (digest + HMAC + date + nonce) vs one bare HMAC-SHA256 of the
   same string (CPU time per call);
2. a catalog read: ``ApiClient.get_matter`` (signed, verified by the server, answer checked
   against the contract) vs an unsigned ``requests`` GET of the admin fault settings on the
   same server (wall time, median and p95);
3. submitting an application (signed, idempotency record, form and material checks, SQLite
   commit) and replaying it (stored answer) vs the catalog read;
4. uploads: tus in 256 KiB, 1 MiB and 4 MiB chunks (each chunk signed and verified, written
   and fsynced, SHA-256 of the whole file verified at the end) vs one plain unsigned POST of
   the same bytes to a bare WSGI app on the same kind of server that only hashes the body
   and writes it with one fsync (throughput).

The machine is shared with other work: wall times are indicative; ratios matter more.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.api import contract, signing  # noqa: E402
from kiosk.api.client import ApiClient  # noqa: E402
from kiosk.api.uuid7 import uuid7  # noqa: E402
from kiosk.sandbox.server import (  # noqa: E402
    DEMO_ACCESS_KEY,
    SandboxServer,
    _QuietHandler,
    demo_credentials,
)


def _sink_app(path: Path) -> Callable[..., list[bytes]]:
    """The baseline: read the body, hash it, write it with one fsync."""

    def app(environ: dict, start_response: Callable[..., object]) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        data = environ["wsgi.input"].read(size)
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [hashlib.sha256(data).hexdigest().encode()]

    return app


def wall(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def ms(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(len(s) * 0.95))]
    return f"median {statistics.median(s) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200, help="requests per measurement")
    ap.add_argument("--mib", type=int, default=4, help="upload size in MiB")
    args = ap.parse_args()
    secret = demo_credentials()[DEMO_ACCESS_KEY]

    # 1. signing, CPU time per call
    body = b'{"sentAt":"2026-11-22T10:00:00+08:00","appVersion":"0.1.0"}' * 20
    k = 20000
    t0 = time.thread_time()
    for _ in range(k):
        signing.sign_headers("POST", "/uap/v1/applications", {"q": "x"}, body,
                             DEMO_ACCESS_KEY, secret)
    t_sign = (time.thread_time() - t0) / k
    text = signing.string_to_sign("POST", "/uap/v1/applications", {"q": "x"}, DEMO_ACCESS_KEY,
                                  signing.http_date(), signing.new_nonce(),
                                  signing.content_digest(body)).encode()
    t0 = time.thread_time()
    for _ in range(k):
        hmac.new(secret, text, hashlib.sha256).digest()
    t_hmac = (time.thread_time() - t0) / k
    print(f"sign_headers ({len(body)} B body): {t_sign * 1e6:6.1f} µs/call;  "
          f"bare HMAC baseline {t_hmac * 1e6:5.1f} µs;  ratio {t_sign / t_hmac:4.1f}x")

    with tempfile.TemporaryDirectory() as tmp, \
            SandboxServer(Path(tmp) / "bench.db", status_step_s=None) as server:
        client = ApiClient(server.base_url, DEMO_ACCESS_KEY, secret)
        plain = requests.Session()
        admin = server.root_url + "/__admin/faults"
        client.get_matter("330106SBX0005")
        plain.get(admin, timeout=5)

        # 2. catalog read vs unsigned baseline
        signed = wall(lambda: client.get_matter("330106SBX0005"), args.n)
        base = wall(lambda: plain.get(admin, timeout=5), args.n)
        print(f"GET matter, signed+verified+contract-checked: {ms(signed)}")
        print(f"GET admin, plain unsigned baseline:           {ms(base)}  "
              f"ratio {statistics.median(signed) / statistics.median(base):4.1f}x")

        # 3. applications: first submission and replay
        template = contract.spec()["components"]["schemas"]["ApplicationRequest"]["examples"][0]
        apps = [dict(template, clientApplicationId=uuid7()) for _ in range(args.n)]
        it = iter(apps)

        def submit() -> None:
            app = next(it)
            client.submit_application(app, app["clientApplicationId"])

        first = wall(submit, args.n)
        it2 = iter(apps)

        def replay() -> None:
            app = next(it2)
            assert client.submit_application(app, app["clientApplicationId"]).replayed

        again = wall(replay, args.n)
        print(f"POST application (new):    {ms(first)}  "
              f"ratio to GET matter {statistics.median(first) / statistics.median(signed):4.1f}x")
        print(f"POST application (replay): {ms(again)}")

        # 4. uploads
        data = b"\xff\xd8\xff\xe0" + os.urandom(args.mib * 1024 * 1024 - 4)
        sha = hashlib.sha256(data).hexdigest()
        size_mb = len(data) / 1e6
        for chunk in (256 * 1024, 1024 * 1024, 4 * 1024 * 1024):
            c = ApiClient(server.base_url, DEMO_ACCESS_KEY, secret, chunk_size=chunk)
            t0 = time.perf_counter()
            c.upload(data, sha256=sha, filename="bench.pdf", content_type="application/pdf",
                     client_application_id=uuid7())
            dt = time.perf_counter() - t0
            print(f"tus upload {size_mb:.1f} MB in {chunk // 1024:4d} KiB chunks: "
                  f"{size_mb / dt:6.1f} MB/s ({dt * 1000:6.0f} ms)")
        sink = make_server("127.0.0.1", 0, _sink_app(Path(tmp) / "sink.bin"), threaded=True,
                           request_handler=_QuietHandler)
        threading.Thread(target=sink.serve_forever, daemon=True).start()
        t0 = time.perf_counter()
        got = plain.post(f"http://127.0.0.1:{sink.server_port}/", data=data, timeout=30).text
        dt = time.perf_counter() - t0
        assert got == sha
        sink.shutdown()
        print(f"plain unsigned single POST baseline:      {size_mb / dt:6.1f} MB/s "
              f"({dt * 1000:6.0f} ms)")
        client.close()
        plain.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
