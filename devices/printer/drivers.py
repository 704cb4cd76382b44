"""Printer drivers for the ``devices.base`` registry: ``usb``, ``serial``, ``network``, ``file``
and ``simulated``. Options come from ``[devices.<name>]`` in kiosk.toml:

common   paper_width_mm = 80|58, charset = "gb2312"|"gbk" (the printer font's repertoire;
         other characters print as images), native_qr = true (false: raster QR),
         status = "dle-eot"|"none", status_timeout_s = 0.5, cut = "full"|"partial"
usb      vendor_id, product_id (e.g. "0x0416", "0x5011"), in_ep = "0x82", out_ep = "0x01",
         timeout_ms = 5000
serial   port = "/dev/ttyUSB0", baudrate = 9600, flow_control = "none"|"rtscts"|"xonxoff"|"dsrdtr"
network  host, tcp_port = 9100, connect_timeout_s = 5
file     path = "/dev/usb/lp0", read_back = false (true: read status replies from the file)
simulated  sim_paper = "ok"|"low"|"out", sim_cover = "closed"|"open" (demo mode)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devices import options as opt
from devices.base import DeviceOptionError, DriverSpec, register_driver
from devices.printer import cjk
from devices.printer.device import ReceiptPrinter, SimulatedReceiptPrinter
from devices.printer.simulator import PrinterEngine, SimState
from devices.printer.transport import (
    FLOW_CONTROLS,
    FileTransport,
    NetworkTransport,
    SerialTransport,
    UsbTransport,
    usb_problem,
)
from devices.printer.types import CUT_MODES, PaperWidth

_COMMON = {"paper_width_mm", "charset", "native_qr", "status", "status_timeout_s", "cut"}
_KNOWN = {
    "usb": _COMMON | {"vendor_id", "product_id", "in_ep", "out_ep", "timeout_ms"},
    "serial": _COMMON | {"port", "baudrate", "flow_control"},
    "network": _COMMON | {"host", "tcp_port", "connect_timeout_s"},
    "file": _COMMON | {"path", "read_back"},
    "simulated": _COMMON | {"sim_paper", "sim_cover"},
}


def _common(driver: str, options: Mapping[str, Any]) -> dict[str, Any]:
    opt.only_known(options, _KNOWN[driver])
    try:
        paper = PaperWidth.parse(options.get("paper_width_mm", 80))
    except ValueError:
        raise DeviceOptionError("paper_width_mm", options.get("paper_width_mm"),
                                "58 or 80") from None
    return {
        "paper": paper,
        "charset": opt.choice(options, "charset", "gb2312", cjk.CHARSETS),
        "native_qr": opt.flag(options, "native_qr", True),
        "status_timeout": opt.number(options, "status_timeout_s", 0.5, 0.05, 10),
        "read_status": opt.choice(options, "status", "dle-eot", ("dle-eot", "none")) == "dle-eot",
        "cut": opt.choice(options, "cut", "full", CUT_MODES),
    }


def usb_factory(name: str, options: Mapping[str, Any]) -> ReceiptPrinter:
    common = _common("usb", options)
    t = UsbTransport(opt.integer(options, "vendor_id", None, 1, 0xFFFF, text=True),
                     opt.integer(options, "product_id", None, 1, 0xFFFF, text=True),
                     in_ep=opt.integer(options, "in_ep", 0x82, 0x81, 0x8F, text=True),
                     out_ep=opt.integer(options, "out_ep", 0x01, 0x01, 0x0F, text=True),
                     timeout_ms=opt.integer(options, "timeout_ms", 5000, 100, 600000,
                                            text=True))
    return ReceiptPrinter(name, t, **common)


def serial_factory(name: str, options: Mapping[str, Any]) -> ReceiptPrinter:
    common = _common("serial", options)
    t = SerialTransport(opt.text(options, "port"),
                        opt.integer(options, "baudrate", 9600, 1200, 921600, text=True),
                        opt.choice(options, "flow_control", "none", FLOW_CONTROLS))
    return ReceiptPrinter(name, t, **common)


def network_factory(name: str, options: Mapping[str, Any]) -> ReceiptPrinter:
    common = _common("network", options)
    t = NetworkTransport(opt.text(options, "host"),
                         opt.integer(options, "tcp_port", 9100, 1, 65535, text=True),
                         opt.number(options, "connect_timeout_s", 5, 0.1, 120))
    return ReceiptPrinter(name, t, **common)


def file_factory(name: str, options: Mapping[str, Any]) -> ReceiptPrinter:
    common = _common("file", options)
    return ReceiptPrinter(name, FileTransport(opt.text(options, "path"),
                                              opt.flag(options, "read_back", False)), **common)


def simulated_factory(name: str, options: Mapping[str, Any]) -> SimulatedReceiptPrinter:
    common = _common("simulated", options)
    state = SimState()
    for key in ("sim_paper", "sim_cover"):
        if key in options:
            try:
                state.set(key[4:], str(options[key]))
            except ValueError as exc:
                raise DeviceOptionError(key, options[key], str(exc)) from None
    return SimulatedReceiptPrinter(name, PrinterEngine(state), **common)


def _serial_problem() -> str:
    try:
        import serial  # noqa: F401
    except ImportError:
        return "pyserial is not installed"
    return ""


register_driver(DriverSpec("printer", "usb", usb_factory,
                           "ESC/POS over USB bulk (pyusb), configurable endpoints", usb_problem))
register_driver(DriverSpec("printer", "serial", serial_factory,
                           "ESC/POS over a serial line (RS-232, USB-serial)", _serial_problem))
register_driver(DriverSpec("printer", "network", network_factory,
                           "ESC/POS over raw TCP (port 9100)"))
register_driver(DriverSpec("printer", "file", file_factory,
                           "ESC/POS written to a device file (usblp), no status"))
register_driver(DriverSpec("printer", "simulated", simulated_factory,
                           "simulated printer on loopback TCP (demo mode)"))
