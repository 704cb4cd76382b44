"""``serial``: a scanner in USB-CDC (``/dev/ttyACM*``) or RS-232 mode sending each code
followed by a terminator (configure the scanner for a CR suffix; research/devices.md §3.1).

Options: ``port`` (required), ``baudrate`` (9600), ``terminator`` ("cr"; "lf", "crlf",
"tab", "none" = end of a burst after ``gap_s`` silence, or hex), ``gap_s`` (0.1),
``max_length`` (4096 bytes), ``aim_id`` (false; true when the scanner is set to prefix each
code with its AIM symbology identifier ``]Q1`` …, which then gives the format),
``max_age_s`` (30: a code scanned while nobody was waiting is still delivered to the next
read within this time, older ones are dropped as stale), ``trigger`` ("" = the scanner reads
by itself; "honeywell" sends ``SYN T CR`` when a read
starts and ``SYN U CR`` when it ends, "newland" ``~<SOH>0000#SCNTRG1;<ETX>`` / ``…0;``;
research/devices.md §3.2–3.3).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from devices import options as opt
from devices.base import Cancel
from devices.cancelling import LinkedCancel
from devices.diagnostics import PortProblem, check_port
from devices.scanner import types as t
from devices.scanner.common import scanner_status, terminator_option
from devices.scanner.payload import decode_payload
from devices.scanner.types import ScannedCode
from devices.status import Availability, DeviceInfo, DeviceStatus, Fault, RequiredAction, Result

try:
    import termios

    _LINK_ERRORS: tuple[type[BaseException], ...] = (OSError, termios.error)
except ImportError:  # pragma: no cover
    _LINK_ERRORS = (OSError,)


# AIM symbology identifier (ISO/IEC 15424) first letter → our format names (zxing-cpp's)
AIM_FORMATS = {"Q": "QRCode", "d": "DataMatrix", "L": "PDF417", "z": "Aztec", "C": "Code128",
               "A": "Code39", "E": "EAN13", "I": "ITF", "F": "Codabar", "G": "Code93"}

TRIGGERS: dict[str, tuple[bytes, bytes]] = {
    "honeywell": (b"\x16T\r", b"\x16U\r"),
    "newland": (b"~\x010000#SCNTRG1;\x03", b"~\x010000#SCNTRG0;\x03"),
}


class SerialScanner:
    device_class = "scanner"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.port_path = opt.text(options, "port", "", what="a device path such as /dev/ttyACM0",
                                  empty=True)
        self.baudrate = opt.integer(options, "baudrate", 9600, 1200, 921600)
        self.terminator = terminator_option(options)
        self.gap_s = opt.number(options, "gap_s", 0.1, 0.01, 2.0)
        self.max_length = opt.integer(options, "max_length", 4096, 16, 1 << 20)
        self.aim_id = opt.flag(options, "aim_id", False)
        trigger = opt.choice(options, "trigger", "", ("", *TRIGGERS))
        self.trigger = TRIGGERS.get(trigger)
        self._serial: Any = None
        self._buf = bytearray()
        self._buf_since = 0.0  # when the oldest byte in _buf arrived
        self.max_age_s = opt.number(options, "max_age_s", 30.0, 0.0, 3600.0)
        self._io = threading.Lock()
        self._closing = threading.Event()  # close() makes a waiting read give up
        self._fault: Fault | None = None

    def _info(self) -> DeviceInfo:
        return DeviceInfo(model="serial scanner (CDC/RS-232)", port=self.port_path,
                          firmware=f"{self.baudrate} baud")

    def open(self) -> Result[None]:
        with self._io:
            self._close()
            problem, message = check_port(self.port_path)
            if problem:
                missing = problem is PortProblem.MISSING
                self._fault = Fault(
                    t.DISCONNECTED if missing else
                    t.PERMISSION if problem is PortProblem.PERMISSION else t.NOT_OPEN,
                    message, RequiredAction.RESET if missing else RequiredAction.CONFIGURATION)
                return Result(fault=self._fault)
            import serial

            try:
                self._serial = serial.Serial(self.port_path, self.baudrate, timeout=0.05)
            except (OSError, ValueError) as exc:
                self._fault = Fault(t.DISCONNECTED, f"cannot open {self.port_path}",
                                    RequiredAction.RESET, f"{exc.__class__.__name__}: {exc}")
                return Result(fault=self._fault)
            self._fault = None
            return Result.success(None)

    def close(self) -> None:
        self._closing.set()
        with self._io:
            self._closing.clear()
            self._close()

    def _close(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            except _LINK_ERRORS:
                pass
        self._serial = None
        self._buf.clear()

    def poll_status(self) -> DeviceStatus:
        if self._serial is None:
            fault = self._fault or Fault(t.NOT_OPEN, "scanner not open", RequiredAction.RESET)
            avail = Availability.HARDWARE_ERROR \
                if fault.action is RequiredAction.CONFIGURATION else Availability.DISCONNECTED
            return scanner_status(self.name, avail, self._info(), fault, "unknown")
        if not self._io.acquire(blocking=False):
            return scanner_status(self.name, Availability.BUSY, self._info())
        try:
            # A CDC scanner has no status command in common; a vanished tty shows on a
            # zero-timeout read (EIO), and the port node disappears on unplug.
            try:
                waiting = self._serial.in_waiting
                if waiting:
                    self._append(self._serial.read(waiting))
            except _LINK_ERRORS as exc:
                self._lost(exc)
                return self.poll_status_unlocked()
            return scanner_status(self.name, Availability.READY, self._info())
        finally:
            self._io.release()

    def poll_status_unlocked(self) -> DeviceStatus:
        return scanner_status(self.name, Availability.DISCONNECTED, self._info(), self._fault,
                              "unknown")

    def _lost(self, exc: BaseException) -> None:
        self._close()
        self._fault = Fault(t.DISCONNECTED, "the scanner's serial port went away",
                            RequiredAction.RESET, f"{exc.__class__.__name__}: {exc}")

    def read_code(self, cancel: Cancel, timeout_s: float) -> Result[ScannedCode]:
        """Wait for one code. TIMEOUT, CANCELLED, DISCONNECTED, NOT_OPEN, TOO_LONG."""
        deadline = time.monotonic() + timeout_s
        cancel = LinkedCancel(cancel, self._closing)
        with self._io:
            self._send_trigger(0)
            try:
                return self._read_loop(cancel, deadline)
            finally:
                self._send_trigger(1)

    def _send_trigger(self, which: int) -> None:
        if self.trigger is None or self._serial is None:
            return
        try:
            self._serial.write(self.trigger[which])
        except _LINK_ERRORS:
            pass  # the read loop reports the lost port

    def _read_loop(self, cancel: Cancel, deadline: float) -> Result[ScannedCode]:
        last_byte = time.monotonic()
        while True:
            code = self._take_code(time.monotonic() - last_byte)
            if code is not None:
                return code
            if cancel.cancelled:
                return Result.failure(t.CANCELLED, "cancelled")
            if self._serial is None:
                return Result.failure(t.NOT_OPEN, "the scanner is not connected",
                                      RequiredAction.RESET)
            if time.monotonic() >= deadline:
                return Result.failure(t.TIMEOUT, "no code was scanned in time")
            try:
                chunk = self._serial.read(max(1, self._serial.in_waiting))
            except _LINK_ERRORS as exc:
                self._lost(exc)
                assert self._fault is not None
                return Result(fault=self._fault)
            if chunk:
                self._append(chunk)
                last_byte = time.monotonic()

    def _append(self, chunk: bytes) -> None:
        if chunk and not self._buf:
            self._buf_since = time.monotonic()
        self._buf += chunk

    def _take_code(self, idle_s: float) -> Result[ScannedCode] | None:
        while True:
            age = time.monotonic() - self._buf_since
            code = self._split_code(idle_s)
            if code is None or age <= self.max_age_s or not code.ok:
                return code
            # stale: scanned long before anyone asked (a forgotten scan at an idle screen)

    def _split_code(self, idle_s: float) -> Result[ScannedCode] | None:
        if self.terminator:
            end = self._buf.find(self.terminator)
            if end < 0:
                if len(self._buf) > self.max_length:
                    self._buf.clear()
                    return Result.failure(t.TOO_LONG, "the scanner sent no terminator; check "
                                          "its suffix setting against 'terminator'",
                                          RequiredAction.CONFIGURATION)
                return None
            raw = bytes(self._buf[:end])
            del self._buf[:end + len(self.terminator)]
            if self._buf:  # the rest came with or after this code
                self._buf_since = max(self._buf_since, time.monotonic() - idle_s)
        else:
            if not self._buf or idle_s < self.gap_s:
                return None
            raw = bytes(self._buf)
            self._buf.clear()
        raw = raw.strip(b"\r\n")
        fmt = "unknown"
        if self.aim_id and len(raw) >= 3 and raw[:1] == b"]":
            fmt = AIM_FORMATS.get(chr(raw[1]), "unknown")
            raw = raw[3:]
        if not raw:
            return None
        return Result.success(ScannedCode(decode_payload(raw), fmt, raw, self.name))
