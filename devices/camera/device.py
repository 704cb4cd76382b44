"""The ``Camera`` device: preview stream, full-resolution still, status and reconnect.

Interface for the UI and the session (all blocking calls belong off the GUI thread):

- ``open() -> Result[None]``, ``close()``, ``poll_status() -> DeviceStatus`` (Device protocol);
- ``read_preview(cancel) -> Result[Frame]``: the next preview frame, paced at the source's
  rate; cancellable. Failures: ``DISCONNECTED`` (unplugged; the device reopens by itself
  every ``reconnect_s``), ``READ_FAILED`` (one bad frame), ``CANCELLED``;
- ``capture_still() -> Result[Frame]``: one full-resolution frame (the preview pauses);
- ``info() -> DeviceInfo`` (model, port, delivered sizes) for ``kiosk doctor``.

Processing is in pure functions beside it: ``detect_page``, ``check_quality``,
``AutoCapture``, ``correct_page``, ``build_pdf`` (see ``devices.camera``).
"""

from __future__ import annotations

import threading
import time

from devices.base import Cancel
from devices.camera.sources import FrameSource
from devices.camera.types import DEVICE_CLASS, Frame
from devices.status import (
    Availability,
    DeviceInfo,
    DeviceStatus,
    Fault,
    RequiredAction,
    Result,
    Severity,
)


class Camera:
    device_class = DEVICE_CLASS

    def __init__(self, name: str, source: FrameSource, reconnect_s: float = 1.0,
                 failures_before_disconnect: int = 3) -> None:
        self.name = name
        self.source = source
        self.reconnect_s = reconnect_s
        self.failures_before_disconnect = failures_before_disconnect
        self._lock = threading.RLock()
        self._open = False
        self._wanted = False  # open() was called and close() not: reconnect automatically
        self._failures = 0
        self._last_attempt = 0.0
        self._last_frame_t = 0.0
        self._index = 0
        self._size: tuple[int, int] = (0, 0)
        self._fault: Fault | None = None
        self._availability = Availability.STARTING

    # Device protocol -------------------------------------------------------------------
    def open(self) -> Result[None]:
        with self._lock:
            self._wanted = True
            return self._try_open()

    def close(self) -> None:
        with self._lock:
            self._wanted = False
            self.source.close()
            self._open = False
            self._availability = Availability.OFFLINE

    def poll_status(self) -> DeviceStatus:
        with self._lock:
            severity = Severity.OK
            if self._availability in (Availability.DISCONNECTED, Availability.HARDWARE_ERROR):
                severity = Severity.ERROR
            elif self._availability is Availability.NOT_CONFIGURED:
                severity = Severity.ERROR
            media = {"preview": f"{self._size[0]}x{self._size[1]}"} if self._open else {}
            return DeviceStatus(self.name, DEVICE_CLASS, self._availability, severity,
                                media=media, info=self.source.info(), fault=self._fault)

    def info(self) -> DeviceInfo:
        return self.source.info()

    @property
    def preview_size(self) -> tuple[int, int]:
        return self._size

    # Frames ----------------------------------------------------------------------------
    def read_preview(self, cancel: Cancel | None = None) -> Result[Frame]:
        """Next preview frame. Never raises for hardware trouble; see module docstring."""
        cancel = cancel or Cancel()
        interval = self.source.frame_interval
        if interval > 0:
            wait = self._last_frame_t + interval - time.monotonic()
            if wait > 0 and cancel.wait(wait):
                return Result.failure("CANCELLED", "cancelled")
        if cancel.cancelled:
            return Result.failure("CANCELLED", "cancelled")
        with self._lock:
            if not self._open:
                if not self._wanted:
                    return Result.failure("DISCONNECTED", "camera is closed", RequiredAction.RESET)
                since = time.monotonic() - self._last_attempt
                if since < self.reconnect_s:
                    pause = self.reconnect_s - since
                else:
                    pause = 0.0
                    opened = self._try_open()
                    if not opened.ok:
                        return Result(fault=opened.fault)
            else:
                pause = 0.0
        if pause > 0:
            if cancel.wait(min(pause, 0.25)):
                return Result.failure("CANCELLED", "cancelled")
            return Result(fault=self._fault or Fault("DISCONNECTED", "camera unplugged",
                                                     RequiredAction.RESET))
        with self._lock:
            r = self.source.read()
            now = time.monotonic()
            self._last_frame_t = now
            if not r.ok:
                self._failures += 1
                assert r.fault is not None
                if r.fault.code == "DISCONNECTED" or self._failures >= self.failures_before_disconnect:
                    self._mark_disconnected(r.fault)
                return Result(fault=r.fault)
            self._failures = 0
            self._index += 1
            img = r.unwrap()
            self._size = (img.shape[1], img.shape[0])
            if self._availability is not Availability.BUSY:
                self._availability, self._fault = Availability.READY, None
            return Result.success(Frame(img, now, self._index))

    def capture_still(self) -> Result[Frame]:
        with self._lock:
            if not self._open:
                return Result.failure("DISCONNECTED", "camera unplugged", RequiredAction.RESET)
            self._availability = Availability.BUSY
            try:
                r = self.source.still()
            finally:
                self._availability = Availability.READY
            if not r.ok:
                assert r.fault is not None
                if r.fault.code == "DISCONNECTED":
                    self._mark_disconnected(r.fault)
                return Result(fault=r.fault)
            self._index += 1
            return Result.success(Frame(r.unwrap(), time.monotonic(), self._index))

    # Internals -------------------------------------------------------------------------
    def _try_open(self) -> Result[None]:
        self._last_attempt = time.monotonic()
        r = self.source.open()
        if not r.ok:
            assert r.fault is not None
            self._open = False
            self._fault = r.fault
            self._availability = (Availability.NOT_CONFIGURED
                                  if r.fault.action is RequiredAction.CONFIGURATION
                                  else Availability.DISCONNECTED)
            return Result(fault=r.fault)
        self._size = r.unwrap()
        self._open, self._failures, self._fault = True, 0, None
        self._availability = Availability.READY
        return Result.success(None)

    def _mark_disconnected(self, fault: Fault) -> None:
        self.source.close()
        self._open = False
        self._fault = Fault("DISCONNECTED", "document camera disconnected; reconnecting",
                            RequiredAction.RESET, fault.detail or fault.message)
        self._availability = Availability.DISCONNECTED
        self._last_attempt = time.monotonic()
