"""The A4 printer's simulator: the ``pdf_sink`` driver (each job written as a real PDF file
into a directory: the "paper tray" of demo mode and of the tests) and ``simulated`` (the same
printer keeping the jobs' facts only, for ``kiosk selftest``).

Its state is settable like the receipt printer's simulator: ``sim_state`` in kiosk.toml,
``set_state()`` at run time (tests, ``kiosk a4 simulate``), or a file ``STATE`` in the sink
directory holding one of ``ready``, ``paper_out``, ``jammed``, ``offline`` (a technician can
put paper "out" on a running demo kiosk with ``echo paper_out > DIR/STATE``).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from devices.base import Cancel
from devices.document_printer.status import job_fault, to_device_status
from devices.document_printer.types import SIM_STATES, PrintedJob, QueueState, pdf_page_count
from devices.status import DeviceInfo, DeviceStatus, Result

STATE_FILE = "STATE"


class PdfSinkPrinter:
    """A simulated A4 printer; ``directory`` None keeps no files."""

    device_class = "document_printer"

    def __init__(self, name: str, directory: Path | None, state: str = "ready") -> None:
        if state not in SIM_STATES:
            raise ValueError(f"state must be one of {', '.join(SIM_STATES)}")
        self.name = name
        self.directory = directory
        self._state = QueueState(state)
        self.info = DeviceInfo(model="PDF sink (simulated A4 printer)", vendor="simulator",
                               port=str(directory) if directory else "memory")
        self.jobs: list[PrintedJob] = []
        self._lock = threading.Lock()

    def set_state(self, state: str) -> None:
        if state not in SIM_STATES:
            raise ValueError(f"state must be one of {', '.join(SIM_STATES)}")
        self._state = QueueState(state)

    @property
    def state(self) -> QueueState:
        if self.directory is not None:
            try:
                text = (self.directory / STATE_FILE).read_text(encoding="ascii").strip()
            except (OSError, UnicodeDecodeError):
                text = ""
            if text in SIM_STATES:
                return QueueState(text)
        return self._state

    def _next_number(self) -> int:
        """One more than the last job in the tray (or in memory)."""
        last = len(self.jobs)
        if self.directory is not None:
            for f in self.directory.glob("job-*.pdf"):
                stem = f.stem[4:]
                if stem.isdigit():
                    last = max(last, int(stem))
        return last + 1

    def open(self) -> Result[None]:
        if self.directory is not None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                return Result.failure("NOT_FOUND", "the sink directory cannot be made",
                                      detail=exc.strerror or "")
        return Result.success(None)

    def close(self) -> None:
        pass

    def poll_status(self) -> DeviceStatus:
        return to_device_status(self.name, self.state, self.info)

    def print_pdf(self, pdf: bytes, title: str, cancel: Cancel | None = None
                  ) -> Result[PrintedJob]:
        fault = job_fault(self.state)
        if fault is not None:
            return Result(fault=fault)
        if cancel is not None and cancel.cancelled:
            return Result.failure("CANCELLED", "the job was cancelled before it was sent")
        if not pdf.startswith(b"%PDF-"):
            return Result.failure("PRINT_FAILED", "not a PDF document")
        with self._lock:
            number = self._next_number()
            job = PrintedJob(f"{self.name}-{number}", title, pdf_page_count(pdf), len(pdf))
            if self.directory is not None:
                base = self.directory / f"job-{number:04d}"
                # O_EXCL: a job never overwrites an earlier one (another process's too)
                fd = os.open(base.with_suffix(".pdf"), os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                             0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(pdf)
                base.with_suffix(".json").write_text(json.dumps(
                    {"jobId": job.job_id, "title": title, "pages": job.pages,
                     "bytes": job.size}), encoding="utf-8")
            self.jobs.append(job)
        return Result.success(job)
