"""``ReceiptPrinter``: the printer as a ``Device`` for the device manager — open, identify,
poll the real-time status, and print a job with status checks before and after.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from devices.base import Cancel
from devices.printer.simulator import PrinterEngine, TcpPrinterSimulator
from devices.printer.status import QUERIES, blocking_fault, parse_reply, query, to_device_status
from devices.printer.transport import NetworkTransport, Transport, TransportError
from devices.printer.types import PaperWidth, PrinterFlags
from devices.status import (
    Availability,
    DeviceInfo,
    DeviceStatus,
    Fault,
    RequiredAction,
    Result,
    Severity,
)

if TYPE_CHECKING:  # the builder pulls in python-escpos (~0.3 s): status and sending need none
    from devices.printer.builder import Layout, ReceiptBuilder

log = logging.getLogger("devices.printer")

CHUNK = 4096  # bytes per write: cancellation is checked between chunks

_OPEN_ACTIONS = {"NO_PERMISSION": RequiredAction.CONFIGURATION,
                 "NO_DRIVER": RequiredAction.CONFIGURATION,
                 "NOT_FOUND": RequiredAction.RESET,
                 "CONNECTION_LOST": RequiredAction.RESET}


class ReceiptPrinter:
    """One ESC/POS receipt printer behind a ``Transport``."""

    device_class = "printer"

    def __init__(self, name: str, transport: Transport, paper: PaperWidth = PaperWidth.MM80,
                 charset: str = "gb2312", native_qr: bool = True,
                 status_timeout: float = 0.5, read_status: bool = True,
                 cut: str = "full") -> None:
        self.name = name
        self.cut = cut
        self.transport = transport
        self.paper = paper
        self.charset = charset
        self.native_qr = native_qr
        self.status_timeout = status_timeout
        self.read_status = read_status and transport.can_read
        self.info = DeviceInfo(port=transport.description)
        self._lock = threading.Lock()
        self._last: DeviceStatus | None = None
        self._open_fault: Fault | None = None

    # -- Device protocol -------------------------------------------------------------------
    def open(self) -> Result[None]:
        with self._lock:
            return self._open_locked()

    def _open_locked(self) -> Result[None]:
        if self.transport.is_open:
            return Result.success(None)
        try:
            self.transport.open()
        except TransportError as exc:
            action = _OPEN_ACTIONS.get(exc.code, RequiredAction.RESET)
            self._open_fault = Fault(exc.code, _open_message(exc.code), action,
                                     f"{exc.message}; {exc.detail}".strip("; "))
            return Result(fault=self._open_fault)
        self._open_fault = None
        self.info = self._identify()
        return Result.success(None)

    def close(self) -> None:
        with self._lock:
            self.transport.close()

    def poll_status(self) -> DeviceStatus:
        """Reads ``DLE EOT 1..4`` (at most ~4 × ``status_timeout``); while a job is being
        sent it answers BUSY without touching the line."""
        if not self._lock.acquire(timeout=0.05):
            base = self._last or DeviceStatus(self.name, "printer", Availability.BUSY,
                                              info=self.info)
            return base.evolve(availability=Availability.BUSY)
        try:
            status = self._status_locked()
        finally:
            self._lock.release()
        self._last = status
        return status

    # -- status ----------------------------------------------------------------------------
    def _status_locked(self) -> DeviceStatus:
        status = self._status_once()
        if status.fault is not None and status.fault.code == "CONNECTION_LOST":
            # A stale connection (network printers drop idle clients, a USB reset): the
            # transport was dropped, so one more try reconnects before reporting it.
            status = self._status_once()
        return status

    def _status_once(self) -> DeviceStatus:
        opened = self._open_locked()
        if not opened.ok:
            assert opened.fault is not None
            sev = Severity.ERROR
            # No permission / no driver library: a technician must fix the setup; it is an
            # error to show, not a device left out on purpose (NOT_CONFIGURED).
            avail = (Availability.HARDWARE_ERROR
                     if opened.fault.action is RequiredAction.CONFIGURATION
                     else Availability.DISCONNECTED)
            return DeviceStatus(self.name, "printer", avail, sev,
                                media={"paper": "unknown", "cover": "unknown"},
                                info=self.info, fault=opened.fault)
        if not self.read_status:
            return to_device_status(self.name, None, self.info, readable=False)
        try:
            flags = self._read_flags()
        except TransportError as exc:
            return DeviceStatus(self.name, "printer", Availability.DISCONNECTED, Severity.ERROR,
                                media={"paper": "unknown", "cover": "unknown"}, info=self.info,
                                fault=Fault("CONNECTION_LOST", "打印机连接中断，正在重连",
                                            RequiredAction.RESET, exc.detail or exc.message))
        return to_device_status(self.name, flags, self.info)

    def _read_flags(self) -> PrinterFlags:
        """Ask ``DLE EOT 1``; if it answers, ask 2, 3 and 4 too. One byte each."""
        self.transport.drain()
        flags = PrinterFlags()
        for n in QUERIES:
            self.transport.write(query(n))
            reply = self.transport.read_exact(1, self.status_timeout)
            flags = parse_reply(n, reply[0] if reply else None, flags)
            if n == 1 and not flags.answered:
                break  # silent printer: don't wait three more timeouts
        return flags

    def read_flags(self) -> PrinterFlags | None:
        """The raw decoded status (None when this transport cannot read back)."""
        with self._lock:
            if not self._open_locked().ok or not self.read_status:
                return None
            try:
                return self._read_flags()
            except TransportError:
                return None

    def _identify(self) -> DeviceInfo:
        """``GS I 66/67/65/68`` (vendor, model, firmware, serial: ``_text NUL``), falling back
        to the one-byte ids of ``GS I 1/3``. Printers that do not answer keep the port only."""
        port = self.transport.description
        if not self.read_status:
            return DeviceInfo(port=port)
        try:
            self.transport.drain()
            texts: dict[int, str] = {}
            for n in (66, 67, 65, 68):
                self.transport.write(b"\x1dI" + bytes([n]))
                reply = self.transport.read_until(b"\x00", self.status_timeout)
                if reply.startswith(b"_") and reply.endswith(b"\x00"):
                    texts[n] = reply[1:-1].decode("ascii", "replace").strip()
                elif n == 66:
                    break  # no extended ids: try the one-byte ones
            if not texts:
                ids = {}
                for n in (1, 3):
                    self.transport.write(b"\x1dI" + bytes([n]))
                    b = self.transport.read_exact(1, self.status_timeout)
                    if b:
                        ids[n] = b[0]
                if 1 in ids:
                    texts[67] = f"model id 0x{ids[1]:02x}"
                if 3 in ids:
                    texts[65] = f"0x{ids[3]:02x}"
        except TransportError:
            return DeviceInfo(port=port)
        return DeviceInfo(model=texts.get(67, ""), serial=texts.get(68, ""),
                          firmware=texts.get(65, ""), vendor=texts.get(66, ""), port=port)

    # -- printing --------------------------------------------------------------------------
    def builder(self) -> ReceiptBuilder:
        from devices.printer.builder import ReceiptBuilder  # python-escpos: only to compose

        return ReceiptBuilder(self.paper, self.charset, self.native_qr, cut=self.cut)

    @property
    def layout(self) -> Layout:
        """Keyword arguments for the ``kiosk.receipts`` templates that match this printer:
        ``intake_receipt(data, **printer.layout)``."""
        return {"paper": self.paper, "charset": self.charset, "native_qr": self.native_qr,
                "cut": self.cut}

    def print_job(self, data: bytes, cancel: Cancel | None = None) -> Result[None]:
        """Send one job. Refuses before sending when the printer reports it cannot print;
        checks again after sending and reports a job that failed on the way
        (``PRINT_INCOMPLETE``, ``PRINT_INTERRUPTED``): the caller offers a reprint."""
        cancel = cancel or Cancel()
        with self._lock:
            before = self._status_locked()
            self._last = before.evolve(availability=Availability.BUSY)
            if before.fault is not None and not before.availability.usable:
                return Result(fault=before.fault)
            sent = 0
            started = time.monotonic()
            try:
                while sent < len(data):
                    if cancel.cancelled:
                        self._last = before
                        return Result.failure("CANCELLED", "打印已取消，回执可能不完整",
                                              RequiredAction.NONE, f"{sent}/{len(data)} bytes")
                    self.transport.write(data[sent:sent + CHUNK])
                    sent += min(CHUNK, len(data) - sent)
                if not self.read_status:
                    self._last = before
                    return Result.success(None)
                flags = self._read_flags()
            except TransportError as exc:
                self._last = None
                log.warning("printer %s: job interrupted after %d/%d bytes: %s", self.name,
                            sent, len(data), exc.detail or exc.message)
                return Result.failure("PRINT_INTERRUPTED",
                                      "打印中断（连接断开），回执不完整，请重新打印",
                                      RequiredAction.RESET,
                                      f"{sent}/{len(data)} bytes sent; {exc.detail}")
            after = to_device_status(self.name, flags, self.info)
            self._last = after
            log.info("printer %s: job of %d bytes sent in %.2f s, after: %s", self.name,
                     len(data), time.monotonic() - started, after.availability.value)
            if not flags.answered:
                return Result.failure("PRINT_UNCONFIRMED",
                                      "打印机在打印后没有应答，请确认回执是否完整",
                                      RequiredAction.CLEAR, "no reply to DLE EOT 1 after job")
            blocked = blocking_fault(flags)
            if blocked is not None:
                fault, _ = blocked
                return Result.failure("PRINT_INCOMPLETE",
                                      f"打印未完成：{fault.message}；处理后请重新打印",
                                      fault.action, f"{fault.code}; {fault.detail}")
            return Result.success(None)


def _open_message(code: str) -> str:
    return {
        "NOT_FOUND": "找不到打印机，请检查电源和连接线",
        "NO_PERMISSION": "没有访问打印机的权限（请检查 udev 规则/用户组）",
        "NO_DRIVER": "缺少打印机驱动库",
        "CONNECTION_LOST": "打印机连接中断",
    }.get(code, "打印机无法打开")


class SimulatedReceiptPrinter(ReceiptPrinter):
    """Demo mode: a ``TcpPrinterSimulator`` on a free loopback port, reached through the real
    network transport. ``engine`` controls its state (paper, cover, failures)."""

    def __init__(self, name: str, engine: PrinterEngine | None = None,
                 paper: PaperWidth = PaperWidth.MM80, **kwargs: object) -> None:
        self.engine = engine or PrinterEngine()
        self.engine.state.model = f"KIOSK-SIM{paper.value}"
        self.simulator: TcpPrinterSimulator | None = None
        super().__init__(name, NetworkTransport("127.0.0.1", 0, timeout=5.0), paper,
                         **kwargs)  # type: ignore[arg-type]

    def _open_locked(self) -> Result[None]:
        if self.simulator is None:
            self.simulator = TcpPrinterSimulator(self.engine).start()
            assert isinstance(self.transport, NetworkTransport)
            self.transport.port = self.simulator.port
            self.transport.description = f"simulator 127.0.0.1:{self.simulator.port}"
        return super()._open_locked()

    def close(self) -> None:
        super().close()
        if self.simulator is not None:
            self.simulator.stop()
            self.simulator = None
