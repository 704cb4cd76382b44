"""``kiosk a4 status|test|print FILE.pdf`` as a technician runs them (in-process through
``kiosk.cli.main``): the configured document printer, its state, the test page, a PDF file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.devices.test_cli import kiosk  # noqa: F401  (the fixture)


def _config(tmp_path: Path, section: str) -> Path:
    text = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition("[devices.document_printer]")
    rest = rest[rest.index("\n# A second camera"):]
    secret = ROOT / "packaging" / "demo" / "demo-api-secret"
    text = (head + section + rest).replace(
        'data_dir = "var"', f'data_dir = "{tmp_path / "var"}"').replace(
        'secret_file = "packaging/demo/demo-api-secret"', f'secret_file = "{secret}"')
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


@pytest.fixture
def sink_config(tmp_path: Path) -> tuple[Path, Path]:
    tray = tmp_path / "tray"
    return _config(tmp_path, f'[devices.document_printer]\nclass = "document_printer"\n'
                             f'driver = "pdf_sink"\ndirectory = "{tray}"\n'), tray


def test_a4_test_page_then_a_file_land_in_the_tray(kiosk: Any,  # noqa: F811
                                                   sink_config: tuple[Path, Path]) -> None:
    cfg, tray = sink_config
    r = kiosk("--config", str(cfg), "a4", "status", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["availability"] == "READY"
    r = kiosk("--config", str(cfg), "a4", "test", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pages"] == 1
    page = tray / "job-0001.pdf"
    r = kiosk("--config", str(cfg), "a4", "print", str(page), "--title", "copy")
    assert r.returncode == 0 and "1 page(s)" in r.stdout
    assert (tray / "job-0002.pdf").read_bytes() == page.read_bytes()


def test_a4_out_of_paper_exits_1_and_says_what(kiosk: Any,  # noqa: F811
                                               sink_config: tuple[Path, Path]) -> None:
    cfg, tray = sink_config
    tray.mkdir()
    (tray / "STATE").write_text("paper_out", encoding="ascii")
    r = kiosk("--config", str(cfg), "a4", "status")
    assert r.returncode == 1 and "PAPER_OUT" in r.stdout and "action: clear" in r.stdout
    r = kiosk("--config", str(cfg), "a4", "test")
    assert r.returncode == 1 and "PAPER_OUT" in r.stderr
    assert not list(tray.glob("job-*.pdf"))


def test_a4_refuses_a_file_that_is_not_a_pdf(kiosk: Any,  # noqa: F811
                                             sink_config: tuple[Path, Path],
                                             tmp_path: Path) -> None:
    cfg, _tray = sink_config
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="ascii")
    r = kiosk("--config", str(cfg), "a4", "print", str(other))
    assert r.returncode == 2 and "not a PDF" in r.stderr


def test_a4_without_a_document_printer_says_so(kiosk: Any, tmp_path: Path) -> None:  # noqa: F811
    cfg = _config(tmp_path, "")
    r = kiosk("--config", str(cfg), "a4", "status")
    assert r.returncode == 2 and "no [devices.document_printer]" in r.stderr
