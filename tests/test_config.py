from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_settings
from tests.conftest import ROOT


def test_bundled_config_loads_in_demo_mode() -> None:
    s = load_settings(ROOT / "kiosk.toml")
    assert s.kiosk.demo is True
    assert s.api.embedded
    assert set(s.devices) >= {"id_reader", "document_camera", "receipt_printer", "code_scanner"}
    assert s.queue.path.is_absolute()


def _write(tmp_path: Path, text: str) -> Path:
    base = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    p = tmp_path / "kiosk.toml"
    p.write_text(base + "\n" + text, encoding="utf-8")
    return p


def test_wrong_language_names_file_key_value_and_allowed(tmp_path: Path) -> None:
    p = tmp_path / "kiosk.toml"
    p.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
        'language = "zh_CN"', 'language = "fr"'), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(p)
    msg = str(err.value)
    assert str(p) in msg and "kiosk.language" in msg and "'fr'" in msg and "zh_CN, en" in msg


def test_idle_warning_longer_than_timeout_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "kiosk.toml"
    p.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
        "idle_warning_s = 20", "idle_warning_s = 200"), encoding="utf-8")
    with pytest.raises(ConfigError, match="ui.idle_warning_s"):
        load_settings(p)


def test_missing_config_file_is_a_one_line_cli_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(tmp_path / "nope.toml"), "config", "show"],
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "nope.toml" in proc.stderr


def test_sandbox_seed_matters_defaults_to_the_seeded_catalog_and_is_checked(
        tmp_path: Path) -> None:
    assert load_settings(ROOT / "kiosk.toml").sandbox.seed_matters == 0
    p = tmp_path / "kiosk.toml"
    base = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    p.write_text(base.replace("seed_matters = 0", "seed_matters = 2000"), encoding="utf-8")
    assert load_settings(p).sandbox.seed_matters == 2000
    for bad in ("5", "-1", '"many"', "30000"):
        p.write_text(base.replace("seed_matters = 0", f"seed_matters = {bad}"), encoding="utf-8")
        with pytest.raises(ConfigError, match="sandbox.seed_matters"):
            load_settings(p)
