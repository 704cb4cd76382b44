"""The running kiosk, on a real X server, as a screen reader meets it: an outside program
(tests/atspi/screen_reader.py on Debian's python3-pyatspi) reads the window over AT-SPI, finds
every button by its accessible name and presses one through its accessible action."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_diag import _demo_config

ROOT = Path(__file__).resolve().parents[2]
READER = ROOT / "tests" / "atspi" / "screen_reader.py"
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def _missing() -> list[str]:
    out = [tool for tool in ("Xvfb", "dbus-daemon") if shutil.which(tool) is None]
    if not Path(BUS_LAUNCHER).exists():
        out.append("at-spi2-core")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode != 0:
        out.append("python3-pyatspi")
    return out


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An X server and a session bus with the accessibility bus on it, as a kiosk has."""
    missing = _missing()
    if missing:  # `make test` installs them (Makefile APT_PACKAGES) when run as root
        pytest.skip("needs " + ", ".join(missing))
    procs: list[subprocess.Popen[Any]] = []
    try:
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0",
                                 "1280x800x24", "-nolisten", "tcp"], pass_fds=(write_fd,),
                                stderr=subprocess.DEVNULL)
        procs.append(xvfb)
        os.close(write_fd)
        with os.fdopen(read_fd) as f:
            display = ":" + f.readline().strip()
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, text=True)
        procs.append(bus)
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        env = {**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address,
               "QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
        env.pop("WAYLAND_DISPLAY", None)
        procs.append(subprocess.Popen([BUS_LAUNCHER, "--launch-immediately"], env=env,
                                      stderr=subprocess.DEVNULL))
        yield env
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def read_screen(env: dict[str, str], *press: str) -> dict[str, Any]:
    args = [SYSTEM_PYTHON, str(READER), "kiosk", *(["--press", press[0]] if press else [])]
    env = {k: v for k, v in env.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def wait_for(env: dict[str, str], name: str, timeout_s: float = 60.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    seen: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        seen = read_screen(env).get("controls") or []
        if any(c["name"] == name and c["enabled"] for c in seen):
            return seen
        time.sleep(0.5)
    raise AssertionError(f"no enabled {name!r} among {[c['name'] for c in seen]}")


def test_a_screen_reader_finds_every_button_by_name_and_starts_an_application(
        tmp_path: Path, desktop: dict[str, str]) -> None:
    cfg = _demo_config(tmp_path)
    kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(cfg), "run",
                              "--windowed"], env=desktop, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    try:
        home = wait_for(desktop, "办理业务")
        names = {c["name"] for c in home}
        assert {"办理业务", "查询办件", "English", "呼叫帮办", "工作人员"} <= names
        assert all(c["name"].strip() for c in home if c["enabled"])  # nothing nameless
        assert read_screen(desktop, "办理业务") == {"pressed": True}
        matters = wait_for(desktop, "提取住房公积金")  # the list of matters, read aloud
        assert all(c["name"].strip() for c in matters if c["enabled"])
        assert "结束办理" in {c["name"] for c in matters}
    finally:
        kiosk.terminate()
        try:
            _, err = kiosk.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            kiosk.kill()
            _, err = kiosk.communicate()
    assert "Traceback" not in err, err
