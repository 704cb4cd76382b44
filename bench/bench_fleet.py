"""Fleet channel benchmark: N simulated kiosks (the real client code, kiosk.fleet_sim) on one
Mosquitto (Debian's) started here on loopback; an operator sends commands throughout; a
quarter of the kiosks is frozen (offline detection by keepalive), killed and restarted
(commands sent meanwhile executed on return).

Run: ``.venv/bin/python bench/bench_fleet.py [--kiosks 1000] [--seconds 60] [--rate R]``
Targets (issue 16): command round trip p99 ≤ 500 ms, 0 lost commands, offline detected
within 1.5 × keepalive; broker and client CPU and memory reported. The machine is shared:
load average printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.fleet_sim import run_simulation  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosks", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--keepalive", type=int, default=5)
    ap.add_argument("--rate", type=float, default=None, help="commands/s (default N/5, ≤ 200)")
    args = ap.parse_args()
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    work = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    conf = work / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    "max_queued_messages 10000\n" + ("user root\n" if os.geteuid() == 0 else ""))
    broker = subprocess.Popen([mosquitto, "-c", str(conf)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        report = run_simulation(f"mqtt://127.0.0.1:{port}", args.kiosks, args.seconds,
                                keepalive_s=args.keepalive, broker_pid=broker.pid,
                                rate_per_s=args.rate)
    finally:
        broker.terminate()
        broker.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    report["loadavg"] = os.getloadavg()
    print(json.dumps(report, ensure_ascii=False, indent=1))
    ok = (report["lostCommands"] == 0 and (report["commandRttMs"]["p99"] or 0) <= 500)
    print("targets:", "met" if ok else "NOT met (see above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
