"""The A4 document printer class: the PDF sink (a real directory of PDF files) in each of its
states, the CUPS driver's reading of ``lpstat``, and the ``cups`` driver against a real CUPS
server on a private port where cupsd can run (tests/devices/cups_server.py)."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from devices.base import find_driver
from devices.document_printer.cups import CupsPrinter, parse_lpstat
from devices.document_printer.sink import PdfSinkPrinter
from devices.document_printer.types import QueueState, pdf_page_count
from devices.interfaces import DocumentPrinter
from devices.status import Availability, RequiredAction
from tests.devices.cups_server import CupsServer, cups_problem


def _pdf(pages: int = 2, title: str = "R-1") -> bytes:
    from kiosk.a4_documents import pages_pdf

    out = []
    for _ in range(pages):
        buf = io.BytesIO()
        Image.new("L", (124, 175), 255).save(buf, "PNG")
        out.append(buf.getvalue())
    return pages_pdf(out, title)


def test_the_sink_writes_each_job_as_a_pdf_with_its_facts(tmp_path: Path) -> None:
    spec = find_driver("document_printer", "pdf_sink")
    assert spec is not None
    printer = spec.factory("document_printer", {"directory": str(tmp_path / "tray")})
    assert isinstance(printer, DocumentPrinter)
    assert printer.open().ok
    r = printer.print_pdf(_pdf(3), "R-1")
    assert r.value is not None and r.value.pages == 3
    again = PdfSinkPrinter("document_printer", tmp_path / "tray")  # another process later
    assert again.print_pdf(_pdf(1), "R-2").ok
    files = sorted((tmp_path / "tray").glob("job-*.pdf"))
    assert [f.name for f in files] == ["job-0001.pdf", "job-0002.pdf"]
    assert pdf_page_count(files[0].read_bytes()) == 3
    facts = json.loads(files[1].with_suffix(".json").read_text(encoding="utf-8"))
    assert facts == {"jobId": "document_printer-2", "title": "R-2", "pages": 1,
                     "bytes": files[1].stat().st_size}
    assert files[0].stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("state", "code"), [("paper_out", "PAPER_OUT"), ("jammed", "PAPER_JAM"),
                                              ("offline", "QUEUE_STOPPED")])
def test_a_sink_out_of_order_refuses_the_job_and_staff_must_clear_it(
        tmp_path: Path, state: str, code: str) -> None:
    printer = PdfSinkPrinter("document_printer", tmp_path, state)
    status = printer.poll_status()
    assert status.availability is Availability.HARDWARE_ERROR and not status.availability.usable
    assert status.fault is not None and status.fault.code == code
    assert status.fault.action is RequiredAction.CLEAR
    r = printer.print_pdf(_pdf(), "R-1")
    assert r.fault is not None and r.fault.code == code
    assert not list(tmp_path.glob("job-*.pdf"))
    printer.set_state("ready")
    assert printer.poll_status().availability is Availability.READY
    assert printer.print_pdf(_pdf(), "R-1").ok


def test_paper_out_from_the_state_file_of_a_running_sink(tmp_path: Path) -> None:
    printer = PdfSinkPrinter("document_printer", tmp_path)
    (tmp_path / "STATE").write_text("paper_out\n", encoding="ascii")
    assert printer.poll_status().media["paper"] == "out"
    (tmp_path / "STATE").unlink()
    assert printer.poll_status().media["paper"] == "ok"


def test_the_sink_refuses_what_is_not_a_pdf(tmp_path: Path) -> None:
    r = PdfSinkPrinter("document_printer", tmp_path).print_pdf(b"hello", "x")
    assert r.fault is not None and r.fault.code == "PRINT_FAILED"


def test_a_wrong_sim_state_names_the_allowed_ones() -> None:
    from devices.base import DeviceOptionError

    spec = find_driver("document_printer", "simulated")
    assert spec is not None
    with pytest.raises(DeviceOptionError, match="paper_out"):
        spec.factory("document_printer", {"sim_state": "empty"})


IDLE = """printer hall-a4 is idle.  enabled since Mon 07 Dec 2026 16:00:00 UTC
\tForm mounted:
\tContent types: any
\tPrinter types: unknown
\tDescription: hall-a4
\tAlerts: none
\tLocation:
\tConnection: direct
"""


@pytest.mark.parametrize(("text", "state"), [
    (IDLE, QueueState.READY),
    (IDLE.replace("is idle", "now printing hall-a4-7"), QueueState.PRINTING),
    (IDLE.replace("Alerts: none", "Alerts: media-empty-error media-needed"),
     QueueState.PAPER_OUT),
    (IDLE.replace("Alerts: none", "Alerts: media-jam-error"), QueueState.JAMMED),
    (IDLE.replace("is idle.  enabled", "disabled") + "\tPaused\n", QueueState.OFFLINE),
    (IDLE.replace("Alerts: none", "Alerts: offline-report"), QueueState.OFFLINE),
    ("", QueueState.UNKNOWN_QUEUE),
])
def test_lpstat_is_read_into_the_queue_state(text: str, state: QueueState) -> None:
    assert parse_lpstat("hall-a4", text) is state


def test_without_the_cups_client_the_driver_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp, no lpstat
    spec = find_driver("document_printer", "cups")
    assert spec is not None and "cups-client" in spec.supported()
    printer = CupsPrinter("document_printer", "hall-a4")
    opened = printer.open()
    assert opened.fault is not None and opened.fault.action is RequiredAction.CONFIGURATION
    assert printer.poll_status().availability is Availability.HARDWARE_ERROR


# -- the cups driver against a real CUPS scheduler -------------------------------------------

@pytest.fixture
def cups(tmp_path: Path) -> Iterator[CupsServer]:
    problem = cups_problem()
    if problem:
        pytest.skip(f"no real CUPS here: {problem}")
    server = CupsServer(tmp_path / "cups")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _cups_printer(cups: CupsServer, queue: str = "hall-a4") -> DocumentPrinter:
    spec = find_driver("document_printer", "cups")
    assert spec is not None and spec.supported() == ""
    printer = spec.factory("document_printer", {"queue": queue, "server": cups.server})
    assert isinstance(printer, DocumentPrinter)
    return printer


def _wait(cond: Callable[[], bool], what: str, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_cups_prints_the_pdf_through_a_real_queue(cups: CupsServer) -> None:
    printer = _cups_printer(cups)
    assert printer.open().ok
    assert printer.poll_status().availability is Availability.READY
    pdf = _pdf(2, "R-42")
    r = printer.print_pdf(pdf, "R-42")
    assert r.value is not None and r.value.job_id.startswith("hall-a4-") and r.value.pages == 2
    number = r.value.job_id.rsplit("-", 1)[1]
    out = cups.tray / f"job-{number}.pdf"
    _wait(lambda: out.exists() and out.stat().st_size == len(pdf), "the job in the tray")
    assert out.read_bytes() == pdf  # the document itself, as the kiosk made it
    # the queue knows the job by its title (the receipt number), nothing personal
    done = cups.run("lpstat", "-W", "completed", "-l", "-o", "hall-a4").stdout.decode()
    assert r.value.job_id in done


def test_cups_reports_paper_out_from_the_printers_alerts_and_refuses_jobs(
        cups: CupsServer) -> None:
    printer = _cups_printer(cups)
    assert printer.open().ok
    (cups.tray / "EMPTY").touch()
    assert printer.print_pdf(_pdf(1), "R-1").ok  # queued: the printer finds out
    _wait(lambda: printer.poll_status().media["paper"] == "out", "paper out", 20)
    status = printer.poll_status()
    assert status.fault is not None and status.fault.code == "PAPER_OUT"
    assert status.fault.action is RequiredAction.CLEAR and not status.availability.usable
    r = printer.print_pdf(_pdf(1), "R-2")
    assert r.fault is not None and r.fault.code == "PAPER_OUT"


def test_cups_a_stopped_queue_is_a_fault_staff_clear(cups: CupsServer) -> None:
    printer = _cups_printer(cups)
    assert cups.run("cupsdisable", "hall-a4").returncode == 0
    status = printer.poll_status()
    assert status.fault is not None and status.fault.code == "QUEUE_STOPPED"
    assert printer.print_pdf(_pdf(1), "R-1").fault is not None
    assert cups.run("cupsenable", "hall-a4").returncode == 0
    assert printer.poll_status().availability is Availability.READY


def test_cups_an_unknown_queue_is_a_configuration_fault(cups: CupsServer) -> None:
    status = _cups_printer(cups, "no-such-queue").poll_status()
    assert status.fault is not None and status.fault.code == "UNKNOWN_QUEUE"
    assert status.fault.action is RequiredAction.CONFIGURATION


def test_cups_a_server_that_does_not_answer_is_disconnected(cups: CupsServer) -> None:
    printer = _cups_printer(cups)
    cups.stop()
    assert printer.open().fault is not None
    status = printer.poll_status()
    assert status.availability is Availability.DISCONNECTED
    assert status.fault is not None and status.fault.action is RequiredAction.RESET
