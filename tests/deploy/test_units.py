"""The systemd units as shipped: valid for systemd (``systemd-analyze verify``), locked down
(``systemd-analyze security``), a watchdog the kiosk can feed, nothing printed on the
citizen's screen, and a Wayland runtime directory that ProtectHome does not hide
(issue 14 item 17)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "packaging" / "systemd"
KIOSK = "/opt/hall-kiosk/venv/bin/kiosk"

pytestmark = pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                                reason="systemd-analyze (Debian's systemd) is not installed")


def unit(name: str) -> dict[str, list[str]]:
    """directive → every value it is given, across sections."""
    out: dict[str, list[str]] = {}
    section = ""
    for raw in (UNITS / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition("=")
        out.setdefault(key, []).append(value)
        out.setdefault(f"{section}{key}", []).append(value)
    return out


def staged(tmp_path: Path) -> list[Path]:
    """The unit files with the packaged venv's kiosk replaced by this checkout's, so that
    verify can check the commands exist (the chroot test checks the installed ones)."""
    kiosk = Path(sys.executable).with_name("kiosk")
    assert kiosk.exists()
    files = []
    for src in sorted(UNITS.iterdir()):
        dst = tmp_path / src.name
        text = src.read_text(encoding="utf-8").replace(KIOSK, str(kiosk))
        text = text.replace("/usr/lib/hall-kiosk/install-version",
                            str(ROOT / "packaging" / "deb" / "install-version"))
        dst.write_text(text, encoding="utf-8")
        files.append(dst)
    return files


def test_systemd_analyze_verify_finds_nothing(tmp_path: Path) -> None:
    files = staged(tmp_path)
    res = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, files)],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stderr.strip() == "", res.stderr


@pytest.mark.parametrize(("name", "limit"), [("hall-kiosk.service", 4.0),
                                             ("hall-kiosk-sync.service", 2.0),
                                             ("hall-kiosk-update.service", 5.5)])
def test_systemd_analyze_security_exposure(tmp_path: Path, name: str, limit: float) -> None:
    files = {p.name: p for p in staged(tmp_path)}
    res = subprocess.run(["systemd-analyze", "security", "--offline=true", str(files[name])],
                         capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", res.stdout)
    assert m, res.stdout + res.stderr
    assert float(m.group(1)) <= limit, res.stdout


def test_the_kiosk_unit_has_a_watchdog_the_kiosk_feeds() -> None:
    u = unit("hall-kiosk.service")
    assert u["Type"] == ["notify"]
    # cage is the main process; the kiosk is its child
    assert u["NotifyAccess"] == ["all"]
    assert u["ExecStart"][0].split()[-3:] == [KIOSK, "run", "--fullscreen"]
    watchdog_s = int(u["WatchdogSec"][0])
    from kiosk.watchdog import watchdog_interval_ms

    interval = watchdog_interval_ms({"WATCHDOG_USEC": str(watchdog_s * 1_000_000)})
    assert interval is not None and interval * 3 <= watchdog_s * 1000
    assert u["Restart"] == ["always"]


def test_nothing_the_kiosk_prints_reaches_the_citizens_screen() -> None:
    u = unit("hall-kiosk.service")
    # StandardInput=tty would make stdout/stderr inherit the tty: a traceback on screen
    assert u["StandardInput"] != ["tty"]
    assert u["StandardOutput"] == ["journal"] and u["StandardError"] == ["journal"]


def test_the_wayland_runtime_dir_is_not_hidden_by_protect_home() -> None:
    u = unit("hall-kiosk.service")
    assert u["ProtectHome"] == ["yes"]  # which makes /run/user inaccessible
    m = re.search(r"XDG_RUNTIME_DIR=(\S+)", u["ExecStart"][0])
    assert m and not m.group(1).startswith("/run/user")
    assert m.group(1) == "/run/" + u["RuntimeDirectory"][0]
    assert u["RuntimeDirectoryMode"] == ["0700"]


def test_cage_draws_no_decorations_and_paths_match_the_package() -> None:
    u = unit("hall-kiosk.service")
    assert "/usr/bin/cage -d --" in u["ExecStart"][0]
    for name in ("hall-kiosk.service", "hall-kiosk-sync.service"):
        v = unit(name)
        assert v["Environment"][0] == "KIOSK_CONFIG=/etc/kiosk/kiosk.toml"
        assert v["ReadWritePaths"] == ["/var/lib/kiosk"] and v["User"] == ["kiosk"]
    parser = configparser.ConfigParser(strict=False)
    parser.read(UNITS / "hall-kiosk-sync.timer")
    assert parser["Install"]["WantedBy"] == "timers.target"
