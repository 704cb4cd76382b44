"""Crash test: the sync runs in a subprocess that is SIGKILLed at random moments, again and
again, against the sandbox on loopback (with latency, 503s and U answers); afterwards the
platform holds every stored application exactly once, with byte-identical files."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("kiosk.api.client", reason="needs the api branch (client + sandbox)")
pytest.importorskip("kiosk.sandbox.server", reason="needs the api branch (client + sandbox)")

from kiosk.sandbox.server import SandboxServer

from tests.queue.sandbox_apps import (
    MATERIAL,
    MATTER,
    ROOT,
    applicant,
    dump,
    form,
    jpeg,
    kiosk,
    write_config,
)

N_APPLICATIONS = 220
KILL_BUDGET_S = 50.0
MAX_KILLS = 60


@pytest.mark.slow
def test_sync_killed_at_random_moments_delivers_every_application_exactly_once(tmp_path: Path):
    rnd = random.Random(20261122)
    db = tmp_path / "platform" / "sandbox.db"
    server = SandboxServer(db, faults={"latency_s": 0.005, "error_rate": 0.05, "retry_after_s": 0,
                                       "unknown_rate": 0.1, "seed": 3}).start()
    try:
        cfg = write_config(tmp_path, server.base_url)
        inputs = tmp_path / "input"
        inputs.mkdir()
        expected: dict[str, list[dict[str, object]]] = {}
        lines = []
        for i in range(N_APPLICATIONS):
            cid = f"0190cccc-0000-7000-8000-{i:012d}"
            attach = []
            expected[cid] = []
            for j in range(1 + (i % 3 == 0)):
                data = jpeg(i * 10 + j, rnd.choice((3_000, 8_000, 20_000)))
                path = inputs / f"{i}-{j}.jpg"
                path.write_bytes(data)
                attach.append({"materialCode": MATERIAL, "file": path.name})
                expected[cid].append({"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
            lines.append(json.dumps({"matter": MATTER, "applicant": applicant(), "form": form(),
                                     "attach": attach, "clientId": cid}, ensure_ascii=False))
        batch = inputs / "batch.jsonl"
        batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
        stored = kiosk("--config", cfg, "submit", "--batch", batch, "--no-sync", "--json", timeout=120)
        assert stored.returncode == 0, stored.stderr
        assert all(json.loads(x)["state"] == "queued" for x in stored.stdout.splitlines())

        kills, finished = 0, False
        started = time.monotonic()
        cmd = [sys.executable, "-m", "kiosk", "--config", str(cfg), "queue", "sync",
               "--until-empty", "--timeout", "120", "--quiet"]
        while time.monotonic() - started < KILL_BUDGET_S and kills < MAX_KILLS:
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rnd.uniform(0.6, 2.2))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                kills += 1
            elif proc.returncode == 0:
                finished = True
                break
        if not finished:
            final = kiosk("--config", cfg, "queue", "sync", "--until-empty", "--timeout", "100",
                          timeout=120)
            assert final.returncode == 0, final.stderr
        print(f"crash test: {kills} kills, finished inside the kill loop: {finished}")
        assert kills >= 10, "the test must actually interrupt the sync"

        status = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
        assert (status["pending"], status["sending"], status["dead"]) == (0, 0, 0)
        assert status["delivered"] == N_APPLICATIONS and status["bytes"] == 0
        assert not [p for p in (tmp_path / "var").rglob("files/*") if p.is_file()]
    finally:
        server.stop()

    received = dump(db)
    ids = [r["clientApplicationId"] for r in received]
    assert len(ids) == len(set(ids)), "an application arrived twice"
    assert sorted(ids) == sorted(expected), "an application was lost"
    for r in received:
        assert r["files"] == expected[r["clientApplicationId"]], "files differ from what was stored"
