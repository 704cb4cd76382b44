"""``camera``: codes decoded from camera frames (a webcam or the document camera), or from
image files played as frames (demo and tests feed real images through the same path).

Options: ``index`` (OpenCV camera index, default 0) or ``images`` (a file, directory or glob
of images played in a loop); ``interval_s`` (0.1 between frames); ``formats`` (list of
zxing-cpp format names, default all); ``repeat_s`` (2.0: the same text is not reported
twice within this time, like a scanner's same-code interval).
"""

from __future__ import annotations

import glob
import os
import threading
import time
from collections.abc import Mapping
from typing import Any

from devices import options as opt
from devices.base import Cancel
from devices.cancelling import LinkedCancel
from devices.image_files import ImageError
from devices.scanner import types as t
from devices.scanner.common import scanner_status
from devices.scanner.decode import decode_frame, load_image
from devices.scanner.types import ScannedCode
from devices.status import Availability, DeviceInfo, DeviceStatus, Fault, RequiredAction, Result

_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")


class CameraScanner:
    device_class = "scanner"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.images = opt.text(options, "images", "", what="a file, directory or glob",
                               empty=True)
        self.index = opt.integer(options, "index", 0, 0, 63)
        self.interval_s = opt.number(options, "interval_s", 0.1, 0.0, 5.0)
        self.repeat_s = opt.number(options, "repeat_s", 2.0, 0.0, 60.0)
        self.formats = opt.text_list(options, "formats",
                                     what='a list like ["QRCode", "EAN13"]') or None
        self._files: list[str] = []
        self._next = 0
        self._cap: Any = None
        self._io = threading.Lock()
        self._closing = threading.Event()  # close() makes a waiting read give up
        self._fault: Fault | None = None
        self._last: tuple[str, float] = ("", 0.0)

    def _info(self) -> DeviceInfo:
        port = self.images or f"camera index {self.index}"
        return DeviceInfo(model="camera code reader (zxing-cpp)", port=port)

    def open(self) -> Result[None]:
        with self._io:
            self._fault = None
            if self.images:
                pattern = self.images
                if os.path.isdir(pattern):
                    pattern = os.path.join(pattern, "*")
                self._files = sorted(f for f in glob.glob(pattern)
                                     if f.lower().endswith(_IMAGE_EXT))
                if not self._files:
                    self._fault = Fault(t.NO_DEVICE, f"no images at {self.images}",
                                        RequiredAction.CONFIGURATION)
                    return Result(fault=self._fault)
                return Result.success(None)
            import cv2

            cap = cv2.VideoCapture(self.index)
            if not cap.isOpened():
                self._fault = Fault(t.DISCONNECTED, f"camera {self.index} cannot be opened",
                                    RequiredAction.RESET)
                return Result(fault=self._fault)
            self._cap = cap
            return Result.success(None)

    def close(self) -> None:
        self._closing.set()
        with self._io:
            self._closing.clear()
            if self._cap is not None:
                self._cap.release()
            self._cap = None
            self._files = []

    def poll_status(self) -> DeviceStatus:
        if not self._files and self._cap is None:
            fault = self._fault or Fault(t.NOT_OPEN, "camera not open", RequiredAction.RESET)
            return scanner_status(self.name, Availability.DISCONNECTED, self._info(), fault,
                                  "unknown")
        busy = not self._io.acquire(blocking=False)
        if not busy:
            self._io.release()
        return scanner_status(self.name, Availability.BUSY if busy else Availability.READY,
                              self._info())

    def _frame(self) -> Any:
        if self._files:
            path = self._files[self._next % len(self._files)]
            self._next += 1
            try:
                return load_image(path)
            except ImageError:
                return None
        ok, frame = self._cap.read()
        return frame if ok else None

    def read_code(self, cancel: Cancel, timeout_s: float) -> Result[ScannedCode]:
        deadline = time.monotonic() + timeout_s
        cancel = LinkedCancel(cancel, self._closing)
        with self._io:
            while True:
                if cancel.cancelled:
                    return Result.failure(t.CANCELLED, "cancelled")
                if not self._files and self._cap is None:
                    return Result.failure(t.NOT_OPEN, "the camera is not open",
                                          RequiredAction.RESET)
                frame = self._frame()
                now = time.monotonic()
                for code in decode_frame(frame, self.formats) if frame is not None else []:
                    if code.text == self._last[0] and now - self._last[1] < self.repeat_s:
                        continue
                    self._last = (code.text, now)
                    return Result.success(ScannedCode(code.text, code.format, code.raw,
                                                      self.name))
                if time.monotonic() >= deadline:
                    return Result.failure(t.TIMEOUT, "no code was seen in time")
                if cancel.wait(self.interval_s):
                    return Result.failure(t.CANCELLED, "cancelled")
