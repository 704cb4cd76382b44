"""A queue state → the shared ``DeviceStatus`` (DESIGN §4), the same way for CUPS and the
simulator.

Like the receipt printer (devices/printer/status.py): paper out and a jam are
``HARDWARE_ERROR`` / ``CLEAR`` (hall staff add paper or clear the jam) — not ``USER_ERROR``,
which would count as usable. A stopped queue is ``HARDWARE_ERROR`` / ``CLEAR`` too (staff
resume it, ``cupsenable``); a queue the CUPS server does not know is a configuration fault; a
server that does not answer is ``DISCONNECTED`` / ``RESET`` (the manager keeps polling).
"""

from __future__ import annotations

from devices.document_printer.types import QueueState
from devices.status import (
    Availability,
    DeviceInfo,
    DeviceStatus,
    Fault,
    RequiredAction,
    Severity,
)

CLASS = "document_printer"

_FAULTS: dict[QueueState, tuple[Availability, str, str, RequiredAction]] = {
    QueueState.PAPER_OUT: (Availability.HARDWARE_ERROR, "PAPER_OUT",
                           "the A4 printer is out of paper", RequiredAction.CLEAR),
    QueueState.JAMMED: (Availability.HARDWARE_ERROR, "PAPER_JAM",
                        "paper is jammed in the A4 printer", RequiredAction.CLEAR),
    QueueState.OFFLINE: (Availability.HARDWARE_ERROR, "QUEUE_STOPPED",
                         "the A4 printer's queue is stopped or the printer is off",
                         RequiredAction.CLEAR),
    QueueState.UNKNOWN_QUEUE: (Availability.HARDWARE_ERROR, "UNKNOWN_QUEUE",
                               "the print server has no such queue",
                               RequiredAction.CONFIGURATION),
}


def to_device_status(name: str, state: QueueState, info: DeviceInfo,
                     detail: str = "") -> DeviceStatus:
    paper = {QueueState.PAPER_OUT: "out", QueueState.READY: "ok",
             QueueState.PRINTING: "ok"}.get(state, "unknown")
    media = {"paper": paper, "jam": "yes" if state is QueueState.JAMMED else "no"}
    if state is QueueState.READY:
        return DeviceStatus(name, CLASS, Availability.READY, media=media, info=info)
    if state is QueueState.PRINTING:
        return DeviceStatus(name, CLASS, Availability.BUSY, media=media, info=info)
    avail, code, message, action = _FAULTS[state]
    return DeviceStatus(name, CLASS, avail, Severity.ERROR, media=media, info=info,
                        fault=Fault(code, message, action, detail))


def disconnected(name: str, info: DeviceInfo, code: str, message: str,
                 action: RequiredAction = RequiredAction.RESET, detail: str = "") -> DeviceStatus:
    avail = (Availability.HARDWARE_ERROR if action is RequiredAction.CONFIGURATION
             else Availability.DISCONNECTED)
    return DeviceStatus(name, CLASS, avail, Severity.ERROR,
                        media={"paper": "unknown", "jam": "unknown"}, info=info,
                        fault=Fault(code, message, action, detail))


def job_fault(state: QueueState) -> Fault | None:
    """The fault that refuses a job before it is sent (None: the printer takes jobs)."""
    if state in (QueueState.READY, QueueState.PRINTING):
        return None
    _avail, code, message, action = _FAULTS[state]
    return Fault(code, message, action)
