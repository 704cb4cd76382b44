"""Values of the A4 document printer class: the printer's state as its queue reports it, and
a finished job."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QueueState(StrEnum):
    """What a print queue says about its printer (CUPS ``printer-state`` and the reasons that
    matter to a hall: the simulator offers the same values)."""

    READY = "ready"
    PRINTING = "printing"
    PAPER_OUT = "paper_out"
    JAMMED = "jammed"
    OFFLINE = "offline"  # the queue is stopped or the printer does not answer
    UNKNOWN_QUEUE = "unknown_queue"  # no such queue on the CUPS server


# The states a simulator can be put in (kiosk.toml ``sim_state``, ``kiosk a4 simulate``).
SIM_STATES = (QueueState.READY.value, QueueState.PAPER_OUT.value, QueueState.JAMMED.value,
              QueueState.OFFLINE.value)


@dataclass(frozen=True)
class PrintedJob:
    """A job the printer accepted: its id on the queue, the title, pages and bytes sent."""

    job_id: str
    title: str
    pages: int
    size: int


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF written by img2pdf or Qt (one ``/Type /Page`` object each)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
