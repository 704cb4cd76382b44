"""``evdev``: a USB-HID keyboard-wedge scanner read from ``/dev/input/event*`` with an
exclusive grab (EVIOCGRAB), so its keystrokes never reach the Qt UI or another window
(research/devices.md §3.5). Needs read access to the event node (``input`` group or the
kiosk udev rule). Never configure the real keyboard here: a grabbed keyboard is dead.

Options: ``device`` (path, best ``/dev/input/by-id/…-event-kbd``) or ``name`` (substring of
the device name, e.g. "Honeywell"); ``grab`` (true); ``layout`` ("us"); ``terminator``
("enter" | "tab").
"""

from __future__ import annotations

import glob
import os
import select
import threading
import time
from collections.abc import Mapping
from typing import Any

from devices import options as opt
from devices.base import Cancel, DeviceOptionError
from devices.cancelling import LinkedCancel
from devices.scanner import types as t
from devices.scanner.common import scanner_status
from devices.scanner.keymap import KEY_ENTER, KEY_KPENTER, KEY_TAB, LAYOUTS, KeyDecoder
from devices.scanner.payload import decode_payload
from devices.scanner.types import ScannedCode
from devices.status import Availability, DeviceInfo, DeviceStatus, Fault, RequiredAction, Result

EV_KEY = 1


class EvdevScanner:
    device_class = "scanner"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.device_path = opt.text(options, "device", "", what="a /dev/input path", empty=True)
        self.match_name = opt.text(options, "name", "", what="part of the scanner's name",
                                   empty=True)
        if not self.device_path and not self.match_name:
            raise DeviceOptionError("device", "", "device = \"/dev/input/by-id/…-event-kbd\" "
                                    "or name = \"part of the scanner's name\"")
        self.grab = opt.flag(options, "grab", True)
        layout = opt.choice(options, "layout", "us", LAYOUTS)
        term = opt.choice(options, "terminator", "enter", ("enter", "tab"))
        ends = frozenset({KEY_ENTER, KEY_KPENTER}) if term == "enter" else frozenset({KEY_TAB})
        self.decoder = KeyDecoder(LAYOUTS[layout], ends)
        self._dev: Any = None
        self._path = self.device_path
        self._model = ""
        self._io = threading.Lock()
        self._closing = threading.Event()  # close() makes a waiting read give up
        self._fault: Fault | None = None

    def _info(self) -> DeviceInfo:
        return DeviceInfo(model=self._model or "keyboard-wedge scanner", port=self._path)

    def _find(self) -> str:
        if self.device_path:
            return self.device_path
        import evdev

        for path in sorted(glob.glob("/dev/input/event*")):
            try:
                dev = evdev.InputDevice(path)
            except OSError:
                continue
            try:
                # Some scanners create two nodes (keyboard + consumer keys): take the one
                # that can type Enter.
                keys = dev.capabilities().get(EV_KEY, [])
                if self.match_name.lower() in dev.name.lower() and KEY_ENTER in keys:
                    return path
            except OSError:
                continue
            finally:
                dev.close()
        return ""

    def open(self) -> Result[None]:
        with self._io:
            self._close()
            try:
                import evdev
            except ImportError as exc:
                return self._failed(t.NOT_OPEN, f"python-evdev is not available ({exc})",
                                    RequiredAction.CONFIGURATION)
            path = self._find()
            if not path or not os.path.exists(path):
                return self._failed(t.DISCONNECTED, "no keyboard-wedge scanner found"
                                    + (f" at {path}" if path else f" named '{self.match_name}'"),
                                    RequiredAction.RESET)
            self._path = path
            try:
                self._dev = evdev.InputDevice(path)
                if self.grab:
                    self._dev.grab()
            except PermissionError:
                return self._failed(t.PERMISSION, f"permission denied on {path}: add the kiosk "
                                    "user to group 'input' or install the kiosk udev rule",
                                    RequiredAction.CONFIGURATION)
            except OSError as exc:
                self._close()
                return self._failed(t.DISCONNECTED, f"cannot open or grab {path} "
                                    "(grabbed by another program?)", RequiredAction.RESET,
                                    f"{exc.__class__.__name__}: {exc}")
            self._model = self._dev.name
            self._fault = None
            return Result.success(None)

    def _failed(self, code: str, message: str, action: RequiredAction,
                detail: str = "") -> Result[None]:
        self._fault = Fault(code, message, action, detail)
        return Result(fault=self._fault)

    def close(self) -> None:
        self._closing.set()
        with self._io:
            self._closing.clear()
            self._close()

    def _close(self) -> None:
        if self._dev is not None:
            try:
                if self.grab:
                    self._dev.ungrab()
            except OSError:
                pass
            try:
                self._dev.close()
            except OSError:
                pass
        self._dev = None
        self.decoder.reset()

    def poll_status(self) -> DeviceStatus:
        if self._dev is None or not os.path.exists(self._path):
            fault = self._fault or Fault(t.DISCONNECTED, "scanner unplugged", RequiredAction.RESET)
            avail = Availability.HARDWARE_ERROR if fault.code == t.PERMISSION \
                else Availability.DISCONNECTED
            return scanner_status(self.name, avail, self._info(), fault, "unknown")
        busy = not self._io.acquire(blocking=False)
        if not busy:
            self._io.release()
        return scanner_status(self.name, Availability.BUSY if busy else Availability.READY,
                              self._info())

    def read_code(self, cancel: Cancel, timeout_s: float) -> Result[ScannedCode]:
        deadline = time.monotonic() + timeout_s
        cancel = LinkedCancel(cancel, self._closing)
        with self._io:
            while True:
                if cancel.cancelled:
                    return Result.failure(t.CANCELLED, "cancelled")
                if self._dev is None:
                    return Result.failure(t.NOT_OPEN, "the scanner is not connected",
                                          RequiredAction.RESET)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return Result.failure(t.TIMEOUT, "no code was scanned in time")
                try:
                    ready, _, _ = select.select([self._dev.fd], [], [], min(0.05, remaining))
                    events = list(self._dev.read()) if ready else []
                except BlockingIOError:
                    events = []
                except OSError as exc:  # ENODEV: unplugged
                    self._close()
                    self._fault = Fault(t.DISCONNECTED, "scanner unplugged", RequiredAction.RESET,
                                        f"{exc.__class__.__name__}: {exc}")
                    return Result(fault=self._fault)
                for ev in events:
                    if ev.type != EV_KEY:
                        continue
                    raw = self.decoder.feed(ev.code, ev.value)
                    if raw:
                        return Result.success(ScannedCode(decode_payload(raw), "unknown", raw,
                                                          self.name))
