"""A4 document printer drivers for the ``devices.base`` registry: ``cups``, ``pdf_sink`` and
``simulated``. Options come from ``[devices.document_printer]`` in kiosk.toml:

cups       queue = "hall-a4" (the CUPS queue's name), server = "" (``host[:port]`` of another
           CUPS server; "" = the local one), media = "A4", timeout_s = 10
pdf_sink   directory = "var/a4-sink" (each job a PDF file and its facts as JSON),
           sim_state = "ready"|"paper_out"|"jammed"|"offline"
simulated  sim_state (no files: the jobs' facts only; ``kiosk selftest``)
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devices import options as opt
from devices.base import DeviceOptionError, DriverSpec, register_driver
from devices.document_printer.cups import CupsPrinter
from devices.document_printer.sink import PdfSinkPrinter
from devices.document_printer.types import SIM_STATES


def cups_factory(name: str, options: Mapping[str, Any]) -> CupsPrinter:
    opt.only_known(options, {"queue", "server", "media", "timeout_s"})
    return CupsPrinter(name, opt.text(options, "queue", what="a CUPS queue name"), opt.text(options, "server", "", what="host[:port] or \"\"", empty=True),
                       opt.choice(options, "media", "A4", ("A4", "Letter")),
                       opt.number(options, "timeout_s", 10, 1, 120))


def _sim_state(options: Mapping[str, Any]) -> str:
    value = options.get("sim_state", "ready")
    if value not in SIM_STATES:
        raise DeviceOptionError("sim_state", value, " | ".join(SIM_STATES))
    return str(value)


def sink_factory(name: str, options: Mapping[str, Any]) -> PdfSinkPrinter:
    opt.only_known(options, {"directory", "sim_state"})
    return PdfSinkPrinter(name, Path(opt.text(options, "directory")), _sim_state(options))


def simulated_factory(name: str, options: Mapping[str, Any]) -> PdfSinkPrinter:
    opt.only_known(options, {"sim_state"})
    return PdfSinkPrinter(name, None, _sim_state(options))


def _cups_problem() -> str:
    return "" if shutil.which("lp") and shutil.which("lpstat") else \
        "the CUPS client commands (lp, lpstat) are not installed: Debian package cups-client"


register_driver(DriverSpec("document_printer", "cups", cups_factory,
                           "A4 printer behind a CUPS queue (lp/lpstat)", _cups_problem))
register_driver(DriverSpec("document_printer", "pdf_sink", sink_factory,
                           "simulated A4 printer writing each job as a PDF file (demo mode)"))
register_driver(DriverSpec("document_printer", "simulated", simulated_factory,
                           "simulated A4 printer keeping no files (selftest)"))
