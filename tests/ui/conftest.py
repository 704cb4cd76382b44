"""The whole kiosk on real parts: embedded sandbox on loopback, the offline queue on SQLite in
a temp dir, simulated devices over pty/TCP, the window offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NEEDED = ("kiosk.sandbox.embedded", "kiosk.api.client", "kiosk.submission", "devices.manager",
          "devices.idcard.drivers", "devices.printer.drivers", "devices.camera.drivers",
          "kiosk.receipts")


def _missing() -> list[str]:
    import importlib

    out = []
    for name in NEEDED:
        try:
            importlib.import_module(name)
        except ImportError:
            out.append(name)
    return out


ARTEFACTS = Path(os.environ.get("KIOSK_TEST_ARTEFACTS",
                                Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture
def artefacts() -> Path:
    path = ARTEFACTS / "ui"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def stack(tmp_path: Path, qapp: Any) -> Iterator[Any]:
    missing = _missing()
    if missing:
        pytest.skip("not landed yet: " + ", ".join(missing))
    from kiosk.config import load_settings
    from ui.selftest import real_kiosk, selftest_settings

    with real_kiosk(selftest_settings(load_settings(), tmp_path)) as driver:
        yield driver
