"""A real CUPS scheduler for the ``cups`` driver's tests: ``cupsd`` in the foreground on a
private loopback port with its own configuration, spool and state in a temporary directory
(the system's CUPS, if any, is not touched), and a queue whose backend — a few lines of sh in
the private ``ServerBin`` — writes each job into a directory and reports ``media-empty`` while
a file ``EMPTY`` lies there (paper out, as a real printer's backend reports it).

Needs Debian's ``cups-daemon`` and ``cups-client`` (Makefile APT_PACKAGES) and root (cupsd
runs backends as root or lp and changes group ownership of its spool).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

BACKEND = """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct tray "Unknown" "kiosk test tray"'; exit 0; fi
dir=${DEVICE_URI#tray:}
if [ -e "$dir/EMPTY" ]; then
  echo "STATE: +media-empty-error" >&2; echo "ERROR: out of paper" >&2; exit 1
fi
if [ -n "$6" ]; then cat "$6" > "$dir/job-$1.pdf"; else cat > "$dir/job-$1.pdf"; fi
exit 0
"""


def cups_problem() -> str:
    """Why cupsd cannot run here ("" when it can)."""
    for tool in ("cupsd", "lpadmin", "lp", "lpstat", "cupsdisable"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (Debian cups-daemon, cups-client)"
    if os.geteuid() != 0:
        return "cupsd needs root to run its backends and own its spool"
    return ""


def _tool(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CupsServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.server = f"127.0.0.1:{self.port}"
        self.tray = root / "tray"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        r = self.root
        r.mkdir(parents=True, exist_ok=True)
        r.chmod(0o755)
        for d in ("state", "cache", "spool", "tmp", "ppd", "bin/backend"):
            (r / d).mkdir(parents=True, exist_ok=True)
        self.tray.mkdir()
        self.tray.chmod(0o1777)
        (r / "tmp").chmod(0o1777)
        (r / "bin" / "daemon").symlink_to("/usr/lib/cups/daemon")
        backend = r / "bin" / "backend" / "tray"
        backend.write_text(BACKEND, encoding="ascii")
        backend.chmod(0o700)  # 0700: cupsd runs it as root
        (r / "cupsd.conf").write_text(
            f"Listen {self.server}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
            "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n"
            "</Location>\n<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
            encoding="ascii")
        (r / "cups-files.conf").write_text(
            f"ServerRoot {r}\nStateDir {r}/state\nCacheDir {r}/cache\nRequestRoot {r}/spool\n"
            f"TempDir {r}/tmp\nErrorLog {r}/error_log\nAccessLog {r}/access_log\n"
            f"PageLog {r}/page_log\nServerBin {r}/bin\nDataDir /usr/share/cups\n",
            encoding="ascii")
        self.proc = subprocess.Popen([_tool("cupsd"), "-f", "-c", str(r / "cupsd.conf"),
                                      "-s", str(r / "cups-files.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.run("lpstat", "-r").returncode == 0:
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("cupsd did not start: " + self.log())
        r2 = self.run("lpadmin", "-p", "hall-a4", "-E", "-v", f"tray:{self.tray}", "-m", "raw")
        if r2.returncode != 0:
            self.stop()
            raise RuntimeError("lpadmin failed: " + r2.stderr.decode())

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([_tool(tool), "-h", self.server, *args], capture_output=True,
                              timeout=20, check=False, env={**os.environ, "LC_ALL": "C"})

    def log(self) -> str:
        try:
            return (self.root / "error_log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None
