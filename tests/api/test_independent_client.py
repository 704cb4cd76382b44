"""The issue's acceptance check: a client written only from openapi.yaml and the signing rule
(docs/api/example_client.py, no kiosk imports) submits an application with one attachment,
replays it and gets Idempotent-Replayed: true, and `kiosk sandbox dump` shows it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kiosk.api.contract import SPEC_PATH
from kiosk.sandbox.server import DEMO_ACCESS_KEY, DEMO_SECRET_FILE

EXAMPLE = SPEC_PATH.parent / "example_client.py"


def test_independent_client_submits_replays_and_shows_in_dump(tmp_path: Path) -> None:
    source = EXAMPLE.read_text(encoding="utf-8")
    assert "from kiosk" not in source and "import kiosk" not in source
    db = tmp_path / "s.db"
    server = subprocess.Popen([sys.executable, "-m", "kiosk", "sandbox", "--port", "0",
                               "--db", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[3]
        run = subprocess.run([sys.executable, str(EXAMPLE), "--base-url", url, "--access-key",
                              DEMO_ACCESS_KEY, "--secret-file", str(DEMO_SECRET_FILE)],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        out = json.loads(run.stdout)
        assert out["replayStatus"] == 202 and out["idempotentReplayed"] == "true"
        assert out["sameAnswer"] is True
        dump = subprocess.run([sys.executable, "-m", "kiosk", "sandbox", "dump", "--db", str(db),
                               "--json"], capture_output=True, text=True, timeout=60)
        [row] = json.loads(dump.stdout)
        assert row["clientApplicationId"] == out["clientApplicationId"]
        assert row["applicationId"] == out["applicationId"]
        assert row["files"] == [{"sha256": out["sha256"], "bytes": out["bytes"]}]
    finally:
        server.terminate()
        server.wait(10)
