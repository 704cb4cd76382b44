"""Running ``kiosk`` as a child process and measuring its peak memory honestly.

``wait4``'s ``ru_maxrss`` of a child forked from a large pytest process starts at the
parent's size (the forked address space counts until exec). The child's own ``VmHWM``
after exec does not, so the child reports it on exit (stderr's last line)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_LAUNCH = (
    "import atexit, runpy, sys\n"
    "def _hwm():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('\\n@@VmHWM ' + line.split()[1] + '\\n')\n"
    "atexit.register(_hwm)\n"
    "sys.argv = ['kiosk', *sys.argv[1:]]\n"
    "runpy.run_module('kiosk', run_name='__main__', alter_sys=True)\n")


def run_measured(*args: str | Path, timeout: float = 120) -> tuple[int, str, str, int, float]:
    """Exit status, stdout, stderr (without the measurement), peak RSS in KiB, seconds."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, *map(str, args)], cwd=ROOT,
                          capture_output=True, timeout=timeout)
    secs = time.monotonic() - t0
    err = proc.stderr.decode("utf-8", "replace")
    head, _, tail = err.rpartition("\n@@VmHWM ")
    peak = int(tail.split()[0]) if tail else -1
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"), head if tail else err,
            peak, secs)
