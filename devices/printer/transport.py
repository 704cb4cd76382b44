"""Byte pipes to the printer through python-escpos's transports (USB, serial, network, file),
with what they lack for status: reads with a timeout (python-escpos's USB read blocks forever
with ``timeout=0``; its network read waits the whole socket timeout) and errors turned into
one ``TransportError`` with a stable code.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from typing import Any


class TransportError(Exception):
    """An expected I/O failure. ``code``: NOT_FOUND, NO_PERMISSION, CONNECTION_LOST,
    NO_DRIVER."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(f"{code}: {message} {detail}".strip())
        self.code, self.message, self.detail = code, message, detail


class Transport:
    """Base: ``open``/``write``/``read``/``close`` over a python-escpos printer object."""

    description = ""
    can_read = True

    def __init__(self) -> None:
        self._p: Any = None

    @property
    def is_open(self) -> bool:
        return self._p is not None

    def open(self) -> None:
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        if self._p is None:
            raise TransportError("CONNECTION_LOST", "printer connection is not open")
        try:
            self._p._raw(data)
        except Exception as exc:  # socket/serial/usb errors differ per library
            self._drop()
            raise TransportError("CONNECTION_LOST", "writing to the printer failed",
                                 f"{type(exc).__name__}: {exc}") from None

    def read(self, size: int, timeout: float) -> bytes:
        """Up to ``size`` bytes arriving within ``timeout`` seconds (b"" when none)."""
        raise NotImplementedError

    def read_exact(self, size: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        out = b""
        while len(out) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            out += self.read(size - len(out), left)
        return out

    def read_until(self, end: bytes, timeout: float, limit: int = 128) -> bytes:
        deadline = time.monotonic() + timeout
        out = b""
        while not out.endswith(end) and len(out) < limit:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            out += self.read(1, left)
        return out

    def drain(self) -> None:
        """Discard stale input (late replies, automatic status back)."""
        if self.can_read:
            while self.read(64, 0.01):
                pass

    def close(self) -> None:
        if self._p is not None:
            with contextlib.suppress(Exception):
                self._p.close()
        self._p = None

    def _drop(self) -> None:
        self.close()


class NetworkTransport(Transport):
    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0) -> None:
        super().__init__()
        self.host, self.port, self.timeout = host, port, timeout
        self.description = f"{host}:{port}"

    def open(self) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Network

        p = Network(self.host, self.port, timeout=self.timeout)
        try:
            p.open()
        except DeviceNotFoundError as exc:
            raise TransportError("NOT_FOUND", f"cannot connect to {self.description}",
                                 str(exc).replace("\n", " ")) from None
        self._p = p

    def read(self, size: int, timeout: float) -> bytes:
        if self._p is None:
            raise TransportError("CONNECTION_LOST", "printer connection is not open")
        sock: socket.socket = self._p.device
        sock.settimeout(max(timeout, 0.001))
        try:
            data = sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            self._drop()
            raise TransportError("CONNECTION_LOST", "reading from the printer failed",
                                 f"{type(exc).__name__}: {exc}") from None
        finally:
            if self._p is not None:
                sock.settimeout(self.timeout)
        if not data:  # orderly close by the printer
            self._drop()
            raise TransportError("CONNECTION_LOST", "the printer closed the connection")
        return data


FLOW_CONTROLS = ("none", "rtscts", "xonxoff", "dsrdtr")


class SerialTransport(Transport):
    def __init__(self, port: str, baudrate: int = 9600, flow_control: str = "none",
                 write_timeout: float = 20.0) -> None:
        super().__init__()
        self.port, self.baudrate, self.flow_control = port, baudrate, flow_control
        self.write_timeout = write_timeout
        self.description = port

    def open(self) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Serial

        p = Serial(self.port, baudrate=self.baudrate, timeout=1,
                   xonxoff=self.flow_control == "xonxoff",
                   dsrdtr=self.flow_control == "dsrdtr")
        try:
            p.open()
        except DeviceNotFoundError as exc:
            text = str(exc).replace("\n", " ")
            code = "NO_PERMISSION" if "Permission denied" in text else "NOT_FOUND"
            raise TransportError(code, f"cannot open {self.port}", text) from None
        if self.flow_control == "rtscts":
            p.device.rtscts = True
        # A printer holding flow control (paper out, buffer full) must not block a job
        # forever: pyserial's default write timeout is None.
        p.device.write_timeout = self.write_timeout
        self._p = p

    def read(self, size: int, timeout: float) -> bytes:
        if self._p is None:
            raise TransportError("CONNECTION_LOST", "printer connection is not open")
        dev = self._p.device
        try:
            dev.timeout = max(timeout, 0.001)
            return bytes(dev.read(size))
        except Exception as exc:
            self._drop()
            raise TransportError("CONNECTION_LOST", "reading from the printer failed",
                                 f"{type(exc).__name__}: {exc}") from None


class UsbTransport(Transport):
    """USB bulk through pyusb. Many Chinese printers need other endpoints than the library's
    0x82/0x01 (e.g. 0416:5011 uses in 0x81, out 0x03: python-escpos #444/#636)."""

    def __init__(self, vendor_id: int, product_id: int, in_ep: int = 0x82,
                 out_ep: int = 0x01, timeout_ms: int = 5000) -> None:
        super().__init__()
        self.vendor_id, self.product_id = vendor_id, product_id
        self.in_ep, self.out_ep, self.timeout_ms = in_ep, out_ep, timeout_ms
        self.description = f"usb {vendor_id:04x}:{product_id:04x}"

    def open(self) -> None:
        problem = usb_problem()
        if problem:
            raise TransportError("NO_DRIVER", problem)
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        p = Usb(self.vendor_id, self.product_id, timeout=self.timeout_ms, in_ep=self.in_ep,
                out_ep=self.out_ep)
        try:
            p.open()
        except DeviceNotFoundError as exc:
            text = str(exc).replace("\n", " ")
            code = "NO_PERMISSION" if "Access denied" in text or "ermission" in text \
                else "NOT_FOUND"
            raise TransportError(code, f"cannot open {self.description}", text) from None
        except Exception as exc:  # pyusb backend errors
            raise TransportError("NOT_FOUND", f"cannot open {self.description}",
                                 f"{type(exc).__name__}: {exc}") from None
        self._p = p

    def read(self, size: int, timeout: float) -> bytes:
        if self._p is None:
            raise TransportError("CONNECTION_LOST", "printer connection is not open")
        import usb.core

        try:
            data = self._p.device.read(self.in_ep, max(size, 16), int(max(timeout, 0.001) * 1000))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            self._drop()
            raise TransportError("CONNECTION_LOST", "reading from the printer failed",
                                 str(exc)) from None
        return bytes(data)


def usb_problem() -> str:
    """"" when pyusb and a libusb backend are present, else a plain diagnostic."""
    try:
        import usb.backend.libusb1
        import usb.core  # noqa: F401
    except ImportError:
        return "pyusb is not installed (pip install 'python-escpos[usb]')"
    if usb.backend.libusb1.get_backend() is None:
        return "libusb-1.0 is missing (apt install libusb-1.0-0)"
    return ""


class FileTransport(Transport):
    """A device file such as ``/dev/usb/lp0`` (usblp). Write only by default (status unknown);
    with ``read_back`` the file is also read for status replies — usblp passes a
    bidirectional printer's answers back this way, without detaching the kernel driver."""

    def __init__(self, path: str, read_back: bool = False) -> None:
        super().__init__()
        self.path = path
        self.description = path
        self.can_read = read_back
        self._rfd: int | None = None

    def open(self) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import File

        p = File(self.path)
        try:
            p.open()
            if self.can_read:
                self._rfd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except (DeviceNotFoundError, OSError) as exc:
            with contextlib.suppress(Exception):
                p.close()
            text = str(exc).replace("\n", " ")
            code = "NO_PERMISSION" if "Permission denied" in text else "NOT_FOUND"
            raise TransportError(code, f"cannot open {self.path}", text) from None
        self._p = p

    def read(self, size: int, timeout: float) -> bytes:
        if self._rfd is None:
            return b""
        ready, _, _ = select.select([self._rfd], [], [], max(timeout, 0.0))
        if not ready:
            return b""
        try:
            return os.read(self._rfd, size)
        except BlockingIOError:
            return b""
        except OSError as exc:
            self._drop()
            raise TransportError("CONNECTION_LOST", "reading from the printer failed",
                                 str(exc)) from None

    def close(self) -> None:
        if self._rfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._rfd)
            self._rfd = None
        super().close()
