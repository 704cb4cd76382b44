"""Bad input to the CLI is one plain line and a documented exit status, never exit 70 with a
lost traceback (#14 item 8); a real bug's traceback reaches the kiosk log, masked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.queue.sandbox_apps import MATTER, ROOT, applicant, form, jpeg, kiosk, write_config


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return write_config(tmp_path, "http://127.0.0.1:9/uap/v1")


def _plain(res: subprocess.CompletedProcess[str], code: int) -> None:
    assert res.returncode == code, (res.returncode, res.stderr)
    assert "Traceback" not in res.stderr + res.stdout
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr


@pytest.mark.parametrize("text, why", [
    (json.dumps(applicant())[:-1] + ', "x": NaN}', "NaN"),
    (json.dumps(applicant())[:-1] + ', "x": -Infinity}', "Infinity"),
    ("[" * 100_000 + "]" * 100_000, "nested"),
    ('{"n": ' + "1" * 5000 + "}", "digits"),
    ("\ufeff{}", "lacks"),  # a BOM is tolerated; the empty object is then refused
])
def test_submit_with_nan_or_deep_json_is_one_line(tmp_path: Path, cfg: Path, text: str,
                                                  why: str) -> None:
    a, f, p = tmp_path / "a.json", tmp_path / "f.json", tmp_path / "p.jpg"
    a.write_text(text, encoding="utf-8")
    f.write_text(json.dumps(form(), ensure_ascii=False), encoding="utf-8")
    p.write_bytes(jpeg(1))
    res = kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant", a, "--form", f,
                "--attach", f"M0005-03={p}", "--no-sync")
    _plain(res, 1)
    assert why in res.stderr


@pytest.mark.parametrize("text", ['{"form": {"x": NaN}}', "[" * 50_000 + "]" * 50_000,
                                  b"\xff\xfe{}"])
def test_retry_with_a_nan_patch_is_one_line(tmp_path: Path, cfg: Path, text: str | bytes) -> None:
    patch = tmp_path / "fix.json"
    if isinstance(text, bytes):
        patch.write_bytes(text)
    else:
        patch.write_text(text, encoding="utf-8")
    res = kiosk("--config", cfg, "queue", "retry", "0190aaaa-0000-7000-8000-000000000001",
                "--patch", patch)
    _plain(res, 1)
    assert "patch file" in res.stderr


def test_a_bug_in_any_command_is_logged_masked_and_named_in_one_line(tmp_path: Path,
                                                                    cfg: Path) -> None:
    """A fault injected into one command handler (the only stand-in for "a bug"): the person
    sees one line naming the log; the log holds the traceback with the ID number masked."""
    script = (
        "import sys\n"
        "from kiosk import cli\n"
        "from kiosk.commands import config_cmd\n"
        "def boom(args):\n"
        "    raise RuntimeError('while reading 990102190001010022')\n"
        "config_cmd.run = boom\n"
        f"sys.exit(cli.main(['--config', {str(cfg)!r}, 'config', 'show']))\n")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    _plain(res, 70)
    log = tmp_path / "var" / "log" / "kiosk.log"
    assert "RuntimeError" in res.stderr and str(log) in res.stderr
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text
    assert "990102190001010022" not in text and "9901**********0022" in text
