"""``kiosk config check`` against configs that load but cannot work (#14 items 4, 8, 9):
each is one line naming the key, exit 2, no traceback; a working config stays OK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SECRET = ROOT / "packaging" / "demo" / "demo-api-secret"


def _config(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    text = text.replace('secret_file = "packaging/demo/demo-api-secret"', f'secret_file = "{SECRET}"')
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp_path / "var"}"', 1)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def _check(cfg: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(cfg), "config", "check"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_the_bundled_demo_config_checks_ok(tmp_path: Path) -> None:
    res = _check(_config(tmp_path))
    assert res.returncode == 0 and res.stdout.strip().endswith(": OK"), res.stderr


def test_embedded_sandbox_outside_demo_mode_is_refused(tmp_path: Path) -> None:
    """install.sh used to leave base_url = "embedded" with demo = false: "delivered" into an
    unencrypted in-process database."""
    cfg = _config(tmp_path, ("demo = true", "demo = false"))
    for args in (["config", "check"], ["queue", "status"]):
        res = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(cfg), *args],
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert res.returncode == 2 and "Traceback" not in res.stderr
        assert "api.base_url" in res.stderr and "demo = true" in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1
    ok = _check(_config(tmp_path, ("demo = true", "demo = false"),
                        ('base_url = "embedded"', 'base_url = "https://gateway.invalid/uap/v1"')))
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("old, new, key", [
    ("read_timeout_s = 15", "read_timeout_s = nan", "api.read_timeout_s"),
    ("read_timeout_s = 15", "read_timeout_s = inf", "api.read_timeout_s"),
    ("heartbeat_s = 60", "heartbeat_s = -nan", "api.heartbeat_s"),
    ("elderly_timeout_factor = 2.0", "elderly_timeout_factor = nan", "ui.elderly_timeout_factor"),
    ("baudrate = 115200", 'baudrate = "fast"', "devices.id_reader.baudrate"),
    ('driver = "simulated"               # simulated | uvc | none',
     'driver = "quantum"', "devices.document_camera.driver"),
    ("paper_width_mm = 80", "paper_width_mm = 81", "devices.receipt_printer.paper_width_mm"),
])
def test_values_that_cannot_work_are_refused(tmp_path: Path, old: str, new: str, key: str) -> None:
    res = _check(_config(tmp_path, (old, new)))
    assert res.returncode == 2, res.stdout
    assert key in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("make, why", [
    (lambda p: p.mkdir(), "directory"),
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"  \n"), "white space"),
    (lambda p: None, "does not exist"),
])
def test_secret_file_that_cannot_hold_a_secret_is_refused(tmp_path: Path, make, why) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret"
    make(secret)
    res = _check(_config(tmp_path, (f'secret_file = "{SECRET}"', f'secret_file = "{secret}"')))
    assert res.returncode == 2 and "api.secret_file" in res.stderr and why in res.stderr


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("not a directory")
    res = _check(_config(tmp_path))
    assert res.returncode == 2 and "kiosk.data_dir" in res.stderr and "Traceback" not in res.stderr


def test_config_that_is_not_utf8_is_one_line_exit_2(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    cfg.write_bytes(cfg.read_bytes().replace(b"demo = true", b"demo = true # \xff\xfe latin-1 \xe9"))
    for args in (["config", "check"], ["queue", "status"], ["submit", "--batch", str(cfg)]):
        res = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(cfg), *args],
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert res.returncode == 2 and "UTF-8" in res.stderr and "Traceback" not in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1
