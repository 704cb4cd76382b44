"""The kiosk tells systemd it is ready once the attract screen is painted, and feeds the
watchdog from the GUI thread, so a hung UI stops the pings (systemd then restarts the
session). A real datagram socket stands in for systemd's notify socket; the kiosk is the
real `kiosk run` (offscreen), and libsystemd's sd_notify does the sending."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def demo_config(tmp: Path) -> Path:
    text = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp / "var"}"')
    text = text.replace('secret_file = "packaging/demo/demo-api-secret"',
                        f'secret_file = "{ROOT / "packaging" / "demo" / "demo-api-secret"}"')
    cfg = tmp / "kiosk.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    yield sock, path
    sock.close()


def collect(sock: socket.socket, proc: subprocess.Popen[bytes], seconds: float
            ) -> list[tuple[float, str]]:
    got: list[tuple[float, str]] = []
    start = time.monotonic()
    while time.monotonic() - start < seconds and proc.poll() is None:
        try:
            data = sock.recv(4096)
        except TimeoutError:
            continue
        for line in data.decode().splitlines():
            got.append((time.monotonic() - start, line))
    return got


HANG = """
import sys, time
from PySide6.QtCore import QTimer
from kiosk.config import load_settings
import ui.main
app = ui.main.application()
# The GUI thread blocks after {after} s, as a deadlocked slot would; other threads go on.
QTimer.singleShot({after_ms}, lambda: time.sleep(60))
sys.exit(ui.main.run(load_settings(sys.argv[1]), False))
"""


def start(cmd: list[str], sock_path: str, watchdog_usec: int | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": sock_path}
    if watchdog_usec:
        env["WATCHDOG_USEC"] = str(watchdog_usec)
        env["WATCHDOG_PID"] = "1"  # systemd names the unit's main process (cage), not us
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.wait(10)


def test_ready_after_the_first_paint_then_watchdog_pings_from_the_gui_thread(
        tmp_path: Path, notify_socket: tuple[socket.socket, str]) -> None:
    sock, path = notify_socket
    proc = start([sys.executable, "-m", "kiosk", "--config", str(demo_config(tmp_path)),
                  "run", "--windowed"], path, watchdog_usec=600_000)
    try:
        got = collect(sock, proc, 8)
    finally:
        stop(proc)
    lines = [line for _, line in got]
    assert "READY=1" in lines, lines
    pings = [t for t, line in got if line == "WATCHDOG=1"]
    # every 200 ms (WatchdogSec/3) from the start: the gaps stay well inside the 600 ms
    assert len(pings) >= 15, lines
    assert max(b - a for a, b in zip(pings, pings[1:], strict=False)) < 0.6


def test_a_hung_gui_thread_stops_the_pings_so_systemd_restarts_it(
        tmp_path: Path, notify_socket: tuple[socket.socket, str]) -> None:
    sock, path = notify_socket
    script = HANG.format(after=3, after_ms=3000)
    proc = start([sys.executable, "-c", script, str(demo_config(tmp_path))], path,
                 watchdog_usec=600_000)
    try:
        got = collect(sock, proc, 8)
        alive = proc.poll() is None
    finally:
        stop(proc)
    assert alive, "the process itself stays up (only its GUI thread hangs)"
    pings = [t for t, line in got if line == "WATCHDOG=1"]
    assert pings and pings[0] < 2.5
    # Pings every 200 ms until the hang, then none for the rest (> 4 × the 600 ms WatchdogSec):
    # systemd would restart the unit.
    assert max(b - a for a, b in zip(pings, pings[1:], strict=False)) < 0.6
    assert 8 - max(pings) > 2.5, pings


def test_outside_systemd_nothing_is_sent(tmp_path: Path) -> None:
    from kiosk.watchdog import watchdog_interval_ms

    assert watchdog_interval_ms({}) is None
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000"}) == 10_000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "junk"}) is None
