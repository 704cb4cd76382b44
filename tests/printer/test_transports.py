"""The printer driven through python-escpos transports against the simulator: real TCP on
loopback and a real pseudo-terminal; status before/after a job; a job that fails mid-way is
reported and the receipt can be reprinted."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.base import Cancel
from devices.printer.device import ReceiptPrinter, SimulatedReceiptPrinter
from devices.printer.simulator import (
    PrinterEngine,
    PtyPrinterSimulator,
    SimState,
    TcpPrinterSimulator,
)
from devices.printer.transport import FileTransport, NetworkTransport, SerialTransport
from devices.status import Availability, RequiredAction
from kiosk.receipts import intake_receipt, samples

RECEIPT = intake_receipt(samples.sample_receipt(), 80)


@pytest.fixture
def tcp_sim() -> Iterator[TcpPrinterSimulator]:
    with TcpPrinterSimulator(PrinterEngine()) as sim:
        yield sim


@pytest.fixture
def tcp_printer(tcp_sim: TcpPrinterSimulator) -> Iterator[ReceiptPrinter]:
    p = ReceiptPrinter("printer", NetworkTransport("127.0.0.1", tcp_sim.port, timeout=3))
    assert p.open().ok
    yield p
    p.close()


def test_network_printer_identifies_its_model(tcp_printer: ReceiptPrinter) -> None:
    info = tcp_printer.info
    assert (info.model, info.vendor, info.firmware, info.serial) == (
        "KIOSK-SIM80", "Simulated", "1.0", "SIM-0001")
    assert info.port.startswith("127.0.0.1:")


def test_receipt_reaches_the_network_printer_byte_for_byte(
        tcp_sim: TcpPrinterSimulator, tcp_printer: ReceiptPrinter) -> None:
    assert tcp_printer.print_job(RECEIPT).ok
    assert tcp_sim.engine.jobs == [RECEIPT]
    assert tcp_printer.poll_status().availability is Availability.READY


@pytest.mark.parametrize(("setting", "code"), [
    (("paper", "out"), "PAPER_OUT"), (("cover", "open"), "COVER_OPEN"),
    (("cutter_error", "true"), "CUTTER_ERROR"), (("unrecoverable", "true"), "PRINTER_FAILURE"),
    (("auto_recoverable", "true"), "RECOVERABLE_ERROR")])
def test_printer_that_cannot_print_refuses_before_sending(
        tcp_sim: TcpPrinterSimulator, tcp_printer: ReceiptPrinter,
        setting: tuple[str, str], code: str) -> None:
    tcp_sim.engine.state.set(*setting)
    status = tcp_printer.poll_status()
    assert status.availability is Availability.HARDWARE_ERROR
    assert status.fault is not None and status.fault.code == code
    result = tcp_printer.print_job(RECEIPT)
    assert not result.ok and result.fault is not None and result.fault.code == code
    assert tcp_sim.engine.printed == b"" and tcp_sim.engine.lost == 0  # nothing was sent


def test_paper_out_mid_receipt_is_reported_and_the_reprint_comes_out_whole(
        tcp_sim: TcpPrinterSimulator, tcp_printer: ReceiptPrinter) -> None:
    tcp_sim.engine.state.fail_after = 400
    result = tcp_printer.print_job(RECEIPT)
    assert not result.ok and result.fault is not None
    assert result.fault.code == "PRINT_INCOMPLETE" and "PAPER_OUT" in result.fault.detail
    assert result.fault.action is RequiredAction.CLEAR
    assert tcp_sim.engine.jobs == [] and tcp_sim.engine.lost > 0
    assert tcp_printer.poll_status().media["paper"] == "out"

    tcp_sim.engine.state.paper = "ok"  # staff put in a new roll
    assert tcp_printer.print_job(RECEIPT).ok
    assert tcp_sim.engine.jobs == [RECEIPT]
    [stub] = tcp_sim.engine.partial  # the first attempt stopped part-way, never cut
    assert 0 < len(stub) < len(RECEIPT) and RECEIPT.startswith(stub)


def test_connection_reset_mid_receipt_is_reported_and_reprint_reconnects(
        tcp_sim: TcpPrinterSimulator, tcp_printer: ReceiptPrinter) -> None:
    tcp_sim.engine.state.fail_after = 300
    tcp_sim.engine.state.fail_mode = "disconnect"
    big = RECEIPT[:-6] + b"\n" * 200_000 + RECEIPT[-6:]  # more than the socket buffers
    result = tcp_printer.print_job(big)
    assert not result.ok and result.fault is not None
    assert result.fault.code == "PRINT_INTERRUPTED"
    assert tcp_sim.engine.jobs == []
    assert tcp_printer.print_job(RECEIPT).ok  # reopens the connection by itself
    assert tcp_sim.engine.jobs == [RECEIPT]


def test_status_polled_during_a_job_reports_busy(tcp_printer: ReceiptPrinter) -> None:
    with tcp_printer._lock:  # a job holds the line
        assert tcp_printer.poll_status().availability is Availability.BUSY


def test_cancelled_job_stops_sending(tcp_sim: TcpPrinterSimulator,
                                     tcp_printer: ReceiptPrinter) -> None:
    cancel = Cancel()
    cancel.cancel()
    result = tcp_printer.print_job(RECEIPT, cancel)
    assert result.fault is not None and result.fault.code == "CANCELLED"
    assert tcp_sim.engine.printed == b""


def test_silent_printer_is_disconnected_and_refuses_jobs(
        tcp_sim: TcpPrinterSimulator, tcp_printer: ReceiptPrinter) -> None:
    tcp_sim.engine.state.silent = True
    status = tcp_printer.poll_status()
    assert status.availability is Availability.DISCONNECTED
    assert status.fault is not None and status.fault.code == "NO_RESPONSE"
    assert not tcp_printer.print_job(RECEIPT).ok


def test_printer_not_listening_is_disconnected_not_a_traceback() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    p = ReceiptPrinter("printer", NetworkTransport("127.0.0.1", port, timeout=1))
    opened = p.open()
    assert not opened.ok and opened.fault is not None and opened.fault.code == "NOT_FOUND"
    status = p.poll_status()
    assert status.availability is Availability.DISCONNECTED
    assert status.fault is not None and status.fault.action is RequiredAction.RESET


@pytest.fixture
def pty_sim() -> Iterator[PtyPrinterSimulator]:
    with PtyPrinterSimulator(PrinterEngine(SimState(model="KIOSK-SIM58"))) as sim:
        yield sim


def test_serial_printer_over_a_pty_prints_and_reports_paper_low(
        pty_sim: PtyPrinterSimulator) -> None:
    p = ReceiptPrinter("printer", SerialTransport(pty_sim.port, 115200))
    try:
        assert p.open().ok
        assert p.info.model == "KIOSK-SIM58"
        receipt = intake_receipt(samples.sample_receipt(), 58)
        assert p.print_job(receipt).ok
        assert pty_sim.engine.jobs == [receipt]
        pty_sim.engine.state.paper = "low"
        status = p.poll_status()
        assert status.availability is Availability.READY and status.media["paper"] == "low"
        assert status.fault is not None and status.fault.code == "PAPER_LOW"
    finally:
        p.close()


def test_serial_printer_paper_out_mid_job_then_reprint(pty_sim: PtyPrinterSimulator) -> None:
    p = ReceiptPrinter("printer", SerialTransport(pty_sim.port, 115200))
    try:
        pty_sim.engine.state.fail_after = 500
        result = p.print_job(RECEIPT)
        assert result.fault is not None and result.fault.code == "PRINT_INCOMPLETE"
        pty_sim.engine.state.paper = "ok"
        assert p.print_job(RECEIPT).ok and pty_sim.engine.jobs == [RECEIPT]
    finally:
        p.close()


def test_missing_serial_port_is_a_result() -> None:
    p = ReceiptPrinter("printer", SerialTransport("/dev/nonexistent-printer-tty"))
    opened = p.open()
    assert not opened.ok and opened.fault is not None and opened.fault.code == "NOT_FOUND"


def test_file_printer_writes_the_job_and_reports_status_unknown(tmp_path: Path) -> None:
    out = tmp_path / "lp0"
    p = ReceiptPrinter("printer", FileTransport(str(out)))
    try:
        status = p.poll_status()
        assert status.availability is Availability.READY
        assert status.fault is not None and status.fault.code == "STATUS_UNKNOWN"
        assert p.print_job(RECEIPT).ok
    finally:
        p.close()
    assert out.read_bytes() == RECEIPT


def test_simulated_driver_prints_over_loopback_and_stops_its_server() -> None:
    p = SimulatedReceiptPrinter("printer")
    assert p.open().ok
    assert p.simulator is not None
    port = p.simulator.port
    assert p.print_job(RECEIPT).ok and p.engine.jobs == [RECEIPT]
    p.close()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_device_file_with_read_back_gets_status_like_usblp(pty_sim: PtyPrinterSimulator) -> None:
    # A pty stands in for /dev/usb/lp0: writes reach the printer, its replies are read back.
    p = ReceiptPrinter("printer", FileTransport(pty_sim.port, read_back=True))
    try:
        assert p.open().ok and p.info.model == "KIOSK-SIM58"
        pty_sim.engine.state.cover_open = True
        status = p.poll_status()
        assert status.fault is not None and status.fault.code == "COVER_OPEN"
        pty_sim.engine.state.cover_open = False
        assert p.print_job(RECEIPT).ok and pty_sim.engine.jobs == [RECEIPT]
    finally:
        p.close()


def test_idle_connection_closed_by_the_printer_is_reopened_transparently(
        tcp_sim: TcpPrinterSimulator, tcp_printer: ReceiptPrinter) -> None:
    assert tcp_printer.poll_status().availability is Availability.READY
    tcp_sim.drop_connection()
    time.sleep(0.3)  # let the close reach us
    assert tcp_printer.poll_status().availability is Availability.READY
    tcp_sim.drop_connection()
    time.sleep(0.3)
    assert tcp_printer.print_job(RECEIPT).ok and tcp_sim.engine.jobs == [RECEIPT]
