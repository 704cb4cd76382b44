"""Shared test setup. Qt must be offscreen before pytest-qt creates the QApplication,
or the run aborts with no summary line (env-probe §5)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kiosk.sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# Subprocesses (`python -m kiosk …`) import this checkout, not another one.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui.offscreen import use_offscreen  # noqa: E402

use_offscreen()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """The platform's sandbox on loopback, its database in the test's directory."""
    from kiosk.sandbox.server import SandboxServer

    server = SandboxServer(tmp_path / "platform" / "sandbox.db").start()
    yield server
    server.stop()
