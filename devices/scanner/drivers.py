"""Registers the scanner drivers: ``serial`` (CDC/RS-232 line reader), ``evdev``
(keyboard-wedge with grab), ``camera`` (frames decoded with zxing-cpp) and ``simulated``
(the serial driver on the pty of an in-process scanner simulator, for demo mode)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from devices import options as opt
from devices.base import DriverSpec, register_driver
from devices.diagnostics import library_problem
from devices.scanner.camera_reader import CameraScanner
from devices.scanner.evdev_reader import EvdevScanner
from devices.scanner.serial_reader import SerialScanner
from devices.scanner.simulator import SerialScannerSimulator
from devices.sim_pty import temp_link_path
from devices.status import DeviceInfo, Result


class SimulatedScanner(SerialScanner):
    """``SerialScanner`` on a :class:`SerialScannerSimulator` it owns (``.simulator``: a demo
    UI or test calls ``simulator.scan(text)``). Options: ``auto_codes`` (list of codes
    scanned in a loop, default none), ``auto_interval_s`` (10)."""

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        codes = opt.text_list(options, "auto_codes")
        interval = opt.number(options, "auto_interval_s", 10.0, 0.01, 86400.0)
        link = temp_link_path(name)
        rest = {k: v for k, v in options.items() if k not in ("auto_codes", "auto_interval_s")}
        super().__init__(name, {"baudrate": 115200, **rest, "port": link})
        self.simulator = SerialScannerSimulator(terminator=self.terminator or b"\r",
                                                baudrate=self.baudrate, link_path=link,
                                                auto_codes=codes,
                                                auto_interval_s=interval)

    def open(self) -> Result[None]:
        if not self.simulator.running:
            self.simulator.start()
        return super().open()

    def close(self) -> None:
        super().close()
        if self.simulator.plugged:  # a simulated unplug lasts until replug()
            self.simulator.stop()

    def _info(self) -> DeviceInfo:
        return DeviceInfo(model="serial scanner (simulated)", vendor="simulator",
                          port=self.port_path, firmware=f"{self.baudrate} baud")


def _evdev_supported() -> str:
    if not sys.platform.startswith("linux"):
        return "keyboard-wedge reading with grab needs Linux evdev"
    return library_problem("evdev", "python-evdev", "pip install evdev")


register_driver(DriverSpec("scanner", "serial", SerialScanner,
                           "scanner in USB-CDC / RS-232 mode, one code per line",
                           lambda: library_problem("serial", "pyserial")))
register_driver(DriverSpec("scanner", "evdev", EvdevScanner,
                           "USB-HID keyboard-wedge scanner read with an exclusive grab",
                           _evdev_supported))
register_driver(DriverSpec("scanner", "camera", CameraScanner,
                           "codes decoded from camera frames or image files (zxing-cpp)",
                           lambda: library_problem("cv2", "OpenCV") or
                           (library_problem("zxingcpp", "zxing-cpp") and
                            library_problem("pyzbar.pyzbar", "pyzbar (needs libzbar0)"))))
register_driver(DriverSpec("scanner", "simulated", SimulatedScanner,
                           "simulated CDC scanner on a pseudo-terminal (demo mode)",
                           lambda: library_problem("serial", "pyserial")))
