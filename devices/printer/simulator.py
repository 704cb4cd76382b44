"""A simulated ESC/POS receipt printer that speaks the real bytes: it records what it is
sent, answers ``DLE EOT n`` from a configurable state and ``GS I n`` with its identity, and
can fail in the middle of a job. Two front ends: a TCP 9100 printer (loopback) and a serial
printer on a pseudo-terminal. Demo mode prints to it; tests drive it through the real
transports.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
from dataclasses import dataclass, field

from devices.printer.status import encode_reply
from devices.printer.stream import next_token
from devices.printer.types import PrinterFlags
from devices.sim_pty import close_pty, open_pty, write_all

PAPER_STATES = ("ok", "low", "out")
FAIL_MODES = ("paper_out", "disconnect")


@dataclass
class SimState:
    """What the simulated printer reports. Change it at any time (e.g. staff "add paper":
    ``state.paper = "ok"``)."""

    paper: str = "ok"  # ok | low | out
    cover_open: bool = False
    cutter_error: bool = False
    unrecoverable: bool = False
    auto_recoverable: bool = False
    silent: bool = False  # no replies at all (powered off, status line not wired)
    # Mid-job failure, one-shot: after this many job bytes, fail as ``fail_mode``.
    fail_after: int | None = None
    fail_mode: str = "paper_out"  # paper_out | disconnect
    model: str = "KIOSK-SIM80"
    vendor: str = "Simulated"
    firmware: str = "1.0"
    serial: str = "SIM-0001"
    fonts: str = "CHINA GB2312"

    def flags(self) -> PrinterFlags:
        out = self.paper == "out"
        errors = self.cutter_error or self.unrecoverable or self.auto_recoverable
        return PrinterFlags(
            drawer_high=False, offline=out or self.cover_open or errors,
            waiting_recovery=False, feed_button=False,
            cover_open=self.cover_open, feeding_by_button=False, stopped_paper_end=out,
            error=errors, mark_error=False, cutter_error=self.cutter_error,
            unrecoverable=self.unrecoverable, auto_recoverable=self.auto_recoverable,
            paper_near_end=self.paper in ("low", "out"), paper_end=out)

    def set(self, key: str, value: str) -> None:
        """``key=value`` from the command line or kiosk.toml (``paper=out``, ``cover=open``)."""
        if key == "paper":
            if value not in PAPER_STATES:
                raise ValueError(f"paper must be one of {', '.join(PAPER_STATES)}")
            self.paper = value
        elif key == "cover":
            if value not in ("open", "closed"):
                raise ValueError("cover must be open or closed")
            self.cover_open = value == "open"
        elif key in ("cutter_error", "unrecoverable", "auto_recoverable", "silent"):
            if value not in ("true", "false"):
                raise ValueError(f"{key} must be true or false")
            setattr(self, key, value == "true")
        elif key == "fail_after":
            self.fail_after = int(value) if value not in ("", "none") else None
        elif key == "fail_mode":
            if value not in FAIL_MODES:
                raise ValueError(f"fail_mode must be one of {', '.join(FAIL_MODES)}")
            self.fail_mode = value
        else:
            raise ValueError(f"unknown simulator setting {key!r}")


@dataclass
class PrinterEngine:
    """The byte-level printer model shared by both front ends."""

    state: SimState = field(default_factory=SimState)
    printed: bytearray = field(default_factory=bytearray)  # everything that reached paper
    jobs: list[bytes] = field(default_factory=list)  # completed receipts (ended by a cut)
    partial: list[bytes] = field(default_factory=list)  # jobs cut short (never cut)
    lost: int = 0  # bytes received while the printer could not print
    status_queries: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._pending = b""
        self._job = bytearray()
        self._job_bytes = 0

    def feed(self, data: bytes) -> tuple[bytes, bool]:
        """Consume bytes from the host; return (reply bytes, close the connection now)."""
        with self._lock:
            buf = self._pending + data
            pos = 0
            replies = bytearray()
            while True:
                got = next_token(buf, pos)
                if got is None:
                    break
                tok, pos = got
                if tok.kind == "DLE EOT":
                    self.status_queries += 1
                    if not self.state.silent and tok.args[0] in (1, 2, 3, 4):
                        replies.append(encode_reply(tok.args[0], self.state.flags()))
                    continue
                if tok.kind == "GS I":
                    if not self.state.silent:
                        replies += self._identity(tok.args[0])
                    continue
                if tok.kind in ("DLE ENQ", "DLE DC4"):
                    continue
                if tok.kind == "ESC @" and self._job:
                    self.partial.append(bytes(self._job))  # a new job: the last one never cut
                    self._job.clear()
                if self._fail_now(len(tok.raw)):
                    if self.state.fail_mode == "disconnect":
                        self._pending = b""
                        self.lost += len(buf) - pos + len(tok.raw)
                        self.partial.append(bytes(self._job))
                        self._job.clear()
                        return bytes(replies), True
                if self._can_print():
                    self.printed += tok.raw
                    self._job += tok.raw
                    if tok.kind in ("GS V", "ESC i", "ESC m"):
                        self.jobs.append(bytes(self._job))
                        self._job.clear()
                else:
                    self.lost += len(tok.raw)
            self._pending = buf[pos:]
            return bytes(replies), False

    def _can_print(self) -> bool:
        return self.state.flags().offline is False

    def _fail_now(self, size: int) -> bool:
        limit = self.state.fail_after
        if limit is None or not self._can_print():
            return False
        self._job_bytes += size
        if self._job_bytes < limit:
            return False
        self.state.fail_after = None  # one-shot: the reprint goes through
        self._job_bytes = 0
        if self.state.fail_mode == "paper_out":
            self.state.paper = "out"
        return True

    def _identity(self, n: int) -> bytes:
        s = self.state
        texts = {65: s.firmware, 66: s.vendor, 67: s.model, 68: s.serial, 69: s.fonts}
        if n in texts:
            return b"_" + texts[n].encode("ascii", "replace") + b"\x00"
        if n in (1, 49):
            return b"\x20"  # printer model id
        if n in (2, 50):
            return b"\x03"  # type id: two-byte characters + autocutter
        if n in (3, 51):
            return b"\x10"  # firmware version id
        return b""


class TcpPrinterSimulator:
    """A raw-TCP printer (port 9100 protocol) on 127.0.0.1; one connection at a time, like a
    real printer. ``port=0`` picks a free port (``.port`` tells which)."""

    def __init__(self, engine: PrinterEngine | None = None, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the simulator listens on loopback only")
        self.engine = engine or PrinterEngine()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self._sock.listen(4)
        self.host, self.port = self._sock.getsockname()
        self._stop = threading.Event()
        self._conn: socket.socket | None = None
        self._thread = threading.Thread(target=self._serve, name="printer-sim-tcp",
                                        daemon=True)

    def start(self) -> TcpPrinterSimulator:
        self._thread.start()
        return self

    def drop_connection(self) -> None:
        """Close the client's connection, as printers do with idle clients."""
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.close()
        self._thread.join(timeout=2)

    def __enter__(self) -> TcpPrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)  # so stop() is noticed: close() does not wake accept()
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conn = conn
            with conn:
                conn.settimeout(0.2)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    reply, close = self.engine.feed(data)
                    try:
                        if reply:
                            conn.sendall(reply)
                    except OSError:
                        break
                    if close:
                        # An abortive close (RST), like a printer that resets mid-job.
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                        b"\x01\x00\x00\x00\x00\x00\x00\x00")
                        break


class PtyPrinterSimulator:
    """A serial printer on a pseudo-terminal: open ``.port`` (``/dev/pts/N``) with pyserial."""

    def __init__(self, engine: PrinterEngine | None = None) -> None:
        self.engine = engine or PrinterEngine()
        self._master, self._slave, self.port = open_pty()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="printer-sim-pty",
                                        daemon=True)

    def start(self) -> PtyPrinterSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        close_pty(self._master, self._slave)

    def __enter__(self) -> PtyPrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            reply, close = self.engine.feed(data)
            if reply:
                write_all(self._master, reply)
            if close:
                # A serial line cannot be "closed" by the printer: it just stops answering.
                self.engine.state.silent = True
