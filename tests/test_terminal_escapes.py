"""#14 item 10 beyond QR codes: a rogue gateway's answer cannot drive the terminal of the
person running ``kiosk``. A real HTTP server on loopback answers the catalog with escape
sequences in a matter's name; ``kiosk matters`` prints them escaped, and its ``--json``
stays JSON that means the same."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.api.helpers import example
from tests.queue.sandbox_apps import kiosk, write_config

EVIL = "\x1b]0;owned\x07\x1b[2J\u202eevil\x9b31m"


@pytest.fixture
def rogue() -> Iterator[str]:
    body = example("MatterList")
    body["items"][0]["name"] = EVIL
    body["items"][0]["leadDeptName"] = "\r\x1b[1A" + body["items"][0]["leadDeptName"]
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/uap/v1"
    server.shutdown()
    server.server_close()


def test_a_rogue_gateways_escape_sequences_are_printed_escaped(tmp_path, rogue: str) -> None:  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path, rogue)
    human = kiosk("--config", cfg, "matters", "--url", rogue)
    assert human.returncode == 0, human.stderr
    assert not any(c in human.stdout for c in "\x1b\x07\u202e\x9b\r"), repr(human.stdout)
    assert "\\u001b]0;owned\\u0007" in human.stdout
    as_json = kiosk("--config", cfg, "matters", "--url", rogue, "--json")
    assert as_json.returncode == 0
    assert not any(c in as_json.stdout for c in "\x1b\x07\u202e\x9b\r")
    assert json.loads(as_json.stdout)[0]["name"] == EVIL   # JSON: escaped, same meaning


def test_the_escaped_characters_are_the_control_and_format_characters() -> None:
    """CONTROL_RANGES against this Python's Unicode data: every listed character is still a
    control or format character, and every such character of the data is listed."""
    import sys
    import unicodedata

    from kiosk.cli_text import CONTROL_RANGES, escape_controls

    listed = {c for a, b in CONTROL_RANGES for c in range(a, b + 1)}
    known = {c for c in range(sys.maxunicode + 1)
             if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp") and chr(c) not in "\n\t"}
    assert listed == known, sorted(listed ^ known)[:10]
    assert escape_controls("ok\n\t中文") == "ok\n\t中文"
