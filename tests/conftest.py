"""Shared test setup. Qt must be offscreen before pytest-qt creates the QApplication,
or the run aborts with no summary line (env-probe §5)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# Subprocesses (`python -m kiosk …`) import this checkout, not another one.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui.offscreen import use_offscreen  # noqa: E402

use_offscreen()
