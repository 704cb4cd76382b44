"""A serial (CDC) scanner simulated on a pseudo-terminal: ``scan(text)`` sends the code's
bytes plus the terminator, paced at the baud rate, exactly as a scanner in CDC mode would.

    sim = SerialScannerSimulator(link_path="/tmp/scanner0").start()
    SerialScanner("scanner", {"port": sim.path}) ...; sim.scan("YY202611220001")
    sim.scan("办件编号", encoding="gb18030"); sim.unplug(); sim.replug(); sim.stop()

``auto_codes`` + ``auto_interval_s`` make it scan those codes in a loop (demo mode).
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Sequence

from devices.sim_pty import close_pty, open_pty, paced, write_all


class SerialScannerSimulator:
    def __init__(self, *, terminator: bytes = b"\r", baudrate: int | None = 9600,
                 link_path: str | None = None, auto_codes: Sequence[str] = (),
                 auto_interval_s: float = 10.0) -> None:
        self.terminator = terminator
        self.baudrate = baudrate
        self.link_path = link_path
        self.auto_codes = list(auto_codes)
        self.auto_interval_s = auto_interval_s
        self._master = self._slave = -1
        self._slave_name = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._running = False
        self.sent = 0

    @property
    def path(self) -> str:
        return self.link_path or self._slave_name

    @property
    def running(self) -> bool:
        """Started and not stopped (it may be unplugged meanwhile)."""
        return self._running

    @property
    def plugged(self) -> bool:
        return self._master >= 0

    def start(self) -> SerialScannerSimulator:
        self._running = True
        self._open_pty()
        if self.auto_codes:
            self._stop.clear()
            self._thread = threading.Thread(target=self._auto, name="scanner-simulator",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None
        self.unplug()

    def __enter__(self) -> SerialScannerSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def unplug(self) -> None:
        with self._lock:
            close_pty(self._master, self._slave, link_path=self.link_path)
            self._master = self._slave = -1

    def replug(self) -> None:
        if self._master < 0:
            self._open_pty()

    def _open_pty(self) -> None:
        with self._lock:
            self._master, self._slave, self._slave_name = open_pty(self.link_path)

    def scan(self, code: str | bytes, encoding: str = "utf-8") -> None:
        """Send one code as the scanner would (blocks for its wire time)."""
        data = (code.encode(encoding) if isinstance(code, str) else code) + self.terminator
        with self._lock:
            if self._master < 0:
                raise RuntimeError("the simulated scanner is unplugged")
            for piece in paced(data, self.baudrate):
                write_all(self._master, piece)
            self.sent += 1

    def host_bytes(self, wait_s: float = 0.2) -> bytes:
        """What the host sent to the scanner (trigger commands), read within ``wait_s``."""
        out = bytearray()
        end = time.monotonic() + wait_s
        while True:
            with self._lock:
                fd = self._master
            if fd < 0:
                break
            ready, _, _ = select.select([fd], [], [], max(0.0, min(0.02, end - time.monotonic())))
            if ready:
                try:
                    out += os.read(fd, 4096)
                    continue
                except OSError:
                    break
            if time.monotonic() >= end:
                break
        return bytes(out)

    def _auto(self) -> None:
        i = 0
        while not self._stop.wait(self.auto_interval_s):
            if self._master >= 0 and self.auto_codes:
                try:
                    self.scan(self.auto_codes[i % len(self.auto_codes)])
                except (OSError, RuntimeError):
                    pass
                i += 1
