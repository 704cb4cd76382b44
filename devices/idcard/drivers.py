"""Registers the ID-card drivers: ``ga467-serial`` (a real reader on a serial port) and
``simulated`` (the same driver on the pty of an in-process simulator, for demo mode)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devices import options as opt
from devices.base import DriverSpec, register_driver
from devices.diagnostics import library_problem
from devices.idcard import sample_cards
from devices.idcard.driver import IdCardReader
from devices.idcard.simulator import IdCardSimulator
from devices.sim_pty import temp_link_path
from devices.status import DeviceInfo, Result


class SimulatedIdCardReader(IdCardReader):
    """The real ``IdCardReader`` talking to an :class:`IdCardSimulator` it owns.

    Options: ``auto_present_s`` (2.0: a demo card appears this long after the last one was
    lifted), ``auto_lift_s`` (4.0), ``realistic`` (true: reader delays and baud timing).
    ``simulator`` is public so a demo UI or test can ``present()``/``lift()`` cards.
    """

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        sim_keys = ("auto_present_s", "auto_lift_s", "realistic")
        super().__init__(name, {k: v for k, v in options.items()
                                if k not in sim_keys and k != "port"})
        # None (from code, not TOML): no automatic card.
        auto_present, auto_lift = (
            None if options.get(key, default) is None
            else opt.number(options, key, default, 0.0, 1e9)
            for key, default in (("auto_present_s", 2.0), ("auto_lift_s", 4.0)))
        realistic = opt.flag(options, "realistic", True)
        link = temp_link_path(name)
        self.simulator = IdCardSimulator(
            sample_cards.all_cards(), baudrate=self.baudrate, realistic=realistic,
            link_path=link, auto_present_s=auto_present, auto_lift_s=auto_lift)
        self.port_path = link

    def open(self) -> Result[None]:
        if not self.simulator.running:
            self.simulator.start()
        return super().open()

    def close(self) -> None:
        super().close()
        # An unplugged simulator stays unplugged (and running) until someone replugs it:
        # the manager's reconnect must not heal a simulated unplug by itself.
        if self.simulator.plugged:
            self.simulator.stop()

    def _info(self) -> DeviceInfo:
        info = super()._info()
        return DeviceInfo(model="GA 467 SAM reader (simulated)", serial=info.serial,
                          firmware=info.firmware, vendor="simulator", port=info.port)


def _serial_supported() -> str:
    return library_problem("serial", "pyserial", "pip install pyserial")


register_driver(DriverSpec("idcard", "ga467-serial", IdCardReader,
                           "GA 467 SAM reader on a serial port (USB-serial, RS-232)",
                           _serial_supported))
register_driver(DriverSpec("idcard", "simulated", SimulatedIdCardReader,
                           "simulated reader on a pseudo-terminal (demo mode)", _serial_supported))
