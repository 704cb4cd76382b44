"""The ``cups`` driver: an A4 printer behind a CUPS queue, through the CUPS client commands.

No compiled binding (pycups ships as source only): ``lp`` takes the job on its standard input
(no temporary file holds the citizen's document), ``lpstat -l -p QUEUE`` reports the queue's
state and its alerts (``printer-state-reasons``: ``media-empty``, ``media-jam`` …), ``cancel``
withdraws a job that was cancelled before it printed. The commands run with ``LC_ALL=C`` so
their words can be read; ``server`` (``host[:port]``) is passed as ``-h``; every call has a
timeout. Called off the GUI thread only (the device manager, the session's workers).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading

from devices.base import Cancel
from devices.document_printer.status import disconnected, job_fault, to_device_status
from devices.document_printer.types import PrintedJob, QueueState, pdf_page_count
from devices.status import DeviceInfo, DeviceStatus, RequiredAction, Result

log = logging.getLogger("devices.document_printer")

_REQUEST_ID = re.compile(r"request id is (\S+)")
# printer-state-reasons → the state a hall cares about (RFC 8011 §5.4.12 keywords, with or
# without the -error/-warning/-report suffix)
_REASONS = (("media-empty", QueueState.PAPER_OUT), ("media-needed", QueueState.PAPER_OUT),
            ("media-jam", QueueState.JAMMED), ("offline", QueueState.OFFLINE),
            ("paused", QueueState.OFFLINE), ("shutdown", QueueState.OFFLINE))


def parse_lpstat(queue: str, text: str) -> QueueState:
    """``lpstat -l -p QUEUE`` (C locale) → the queue's state."""
    alerts = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("Alerts:"):
            alerts = stripped[len("Alerts:"):]
    for word, state in _REASONS:
        if word in alerts:
            return state
    head = next((ln for ln in text.splitlines() if ln.startswith(f"printer {queue} ")), "")
    if " disabled" in head:
        return QueueState.OFFLINE
    if " now printing" in head:
        return QueueState.PRINTING
    if " is idle" in head:
        return QueueState.READY
    return QueueState.UNKNOWN_QUEUE


class CupsPrinter:
    """One CUPS queue as a ``DocumentPrinter``."""

    device_class = "document_printer"

    def __init__(self, name: str, queue: str, server: str = "", media: str = "A4",
                 timeout_s: float = 10.0) -> None:
        self.name = name
        self.queue = queue
        self.server = server
        self.media = media
        self.timeout_s = timeout_s
        self.info = DeviceInfo(model="CUPS queue", port=f"{server or 'localhost'}/{queue}")
        self._lock = threading.Lock()
        self._opened = False

    # -- the commands --
    def _command(self, tool: str, *args: str, data: bytes | None = None
                 ) -> subprocess.CompletedProcess[bytes] | str:
        """Run ``tool`` (lp, lpstat, cancel); its result, or a plain reason it did not run."""
        exe = shutil.which(tool)
        if exe is None:
            return f"{tool} is not installed (Debian package cups-client)"
        argv = [exe, *(("-h", self.server) if self.server else ()), *args]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        try:
            return subprocess.run(argv, input=data, capture_output=True, env=env,
                                  timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired:
            return f"{tool} did not answer within {self.timeout_s:g} s"
        except OSError as exc:
            return f"{tool} could not be run: {exc.strerror}"

    def _state(self) -> tuple[QueueState | None, str]:
        out = self._command("lpstat", "-l", "-p", self.queue)
        if isinstance(out, str):
            return None, out
        text = out.stdout.decode("utf-8", "replace")
        err = out.stderr.decode("utf-8", "replace").strip()
        if out.returncode != 0:
            # lpstat says "Invalid destination" for an unknown queue and for a scheduler it
            # cannot reach alike: ask whether the scheduler runs.
            running = self._command("lpstat", "-r")
            if isinstance(running, str) or b"scheduler is running" not in running.stdout:
                return None, "the CUPS scheduler is not running or not reachable"
            if "Invalid destination" in err or "Unknown destination" in err:
                return QueueState.UNKNOWN_QUEUE, err
            return None, err or f"lpstat exited with {out.returncode}"
        return parse_lpstat(self.queue, text), ""

    # -- Device protocol --
    def open(self) -> Result[None]:
        if shutil.which("lp") is None or shutil.which("lpstat") is None:
            return Result.failure("NO_DRIVER", "the CUPS client commands are not installed",
                                  RequiredAction.CONFIGURATION,
                                  "install the Debian package cups-client")
        state, detail = self._state()
        if state is None:
            return Result.failure("NOT_FOUND", "the print server does not answer",
                                  RequiredAction.RESET, detail)
        self._opened = True
        return Result.success(None)

    def close(self) -> None:
        self._opened = False

    def poll_status(self) -> DeviceStatus:
        if shutil.which("lpstat") is None:
            return disconnected(self.name, self.info, "NO_DRIVER",
                                "the CUPS client commands are not installed",
                                RequiredAction.CONFIGURATION, "apt-get install cups-client")
        state, detail = self._state()
        if state is None:
            return disconnected(self.name, self.info, "NOT_FOUND",
                                "the print server does not answer", detail=detail)
        return to_device_status(self.name, state, self.info, detail)

    # -- DocumentPrinter --
    def print_pdf(self, pdf: bytes, title: str, cancel: Cancel | None = None
                  ) -> Result[PrintedJob]:
        """Queue ``pdf`` (A4) under ``title``; refused while the queue reports a fault."""
        with self._lock:
            state, detail = self._state()
            if state is None:
                return Result.failure("NOT_FOUND", "the print server does not answer",
                                      RequiredAction.RESET, detail)
            fault = job_fault(state)
            if fault is not None:
                return Result(fault=fault)
            if cancel is not None and cancel.cancelled:
                return Result.failure("CANCELLED", "the job was cancelled before it was sent")
            out = self._command("lp", "-d", self.queue, "-t", title, "-o",
                                f"media={self.media}", "-", data=pdf)
            if isinstance(out, str):
                return Result.failure("PRINT_FAILED", "the job could not be queued",
                                      RequiredAction.RESET, out)
            text = out.stdout.decode("utf-8", "replace")
            m = _REQUEST_ID.search(text)
            if out.returncode != 0 or m is None:
                return Result.failure("PRINT_FAILED", "the print server refused the job",
                                      RequiredAction.RESET,
                                      out.stderr.decode("utf-8", "replace").strip())
            job = m.group(1)
            if cancel is not None and cancel.cancelled:
                self._command("cancel", job)
                return Result.failure("CANCELLED", "the job was cancelled")
            log.info("A4 job %s queued on %s (%d bytes)", job, self.queue, len(pdf))
            return Result.success(PrintedJob(job, title, pdf_page_count(pdf), len(pdf)))
