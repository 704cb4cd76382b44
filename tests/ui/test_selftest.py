"""``kiosk selftest`` as a technician runs it: a subprocess, JSON out, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.ui.conftest import _missing


def test_selftest_passes_and_reports_steps_checks_and_stall() -> None:
    if _missing():
        pytest.skip("not landed yet: " + ", ".join(_missing()))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-m", "kiosk", "selftest", "--json"], env=env,
                          capture_output=True, text=True, timeout=240)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 0, report
    assert report["ok"] is True and report["missing"] == []
    names = [s["name"] for s in report["steps"]]
    assert names[0] == "start" and "review and submit" in names and names[-1] == "rate"
    assert all(s["ok"] for s in report["steps"])
    assert set(report["checks"]) == {"applicationArrived", "receiptPrinted", "ratingArrived"}
    assert isinstance(report["maxStallMs"], float)
    assert "Traceback" not in proc.stderr
