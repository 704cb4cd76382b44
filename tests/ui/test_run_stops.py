"""``kiosk run`` ends cleanly on Ctrl-C (``make run``) and on SIGTERM (``systemctl stop``):
exit code 0, no traceback, and the next start finds its queue intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_diag import _demo_config


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_running_kiosk_stops_cleanly_on_a_signal(tmp_path: Path, stop: int) -> None:
    cfg = _demo_config(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(cfg), "run",
                             "--windowed"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # printed before the window is built
        assert "demo mode" in first
        time.sleep(3.0)  # the window is up and the services have started
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
