"""The scanners' ``terminator`` option and status, shared by the scanner drivers (other
options: devices.options)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devices.base import DeviceOptionError
from devices.status import Availability, DeviceInfo, DeviceStatus, Fault, Severity

TERMINATORS = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t", "none": b""}


def terminator_option(options: Mapping[str, Any], default: str = "cr") -> bytes:
    """``terminator = "cr" | "lf" | "crlf" | "tab" | "none"`` or hex like ``"0d0a"``."""
    value = options.get("terminator", default)
    if isinstance(value, str) and value.lower() in TERMINATORS:
        return TERMINATORS[value.lower()]
    if isinstance(value, str):
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            raw = b""
        if raw:
            return raw
    raise DeviceOptionError("terminator", value, "cr | lf | crlf | tab | none | hex bytes (0d0a)")


def scanner_status(name: str, availability: Availability, info: DeviceInfo,
                   fault: Fault | None = None, scanner: str = "on") -> DeviceStatus:
    severity = {Availability.READY: Severity.OK, Availability.BUSY: Severity.OK,
                Availability.HARDWARE_ERROR: Severity.FATAL}.get(availability, Severity.ERROR)
    return DeviceStatus(name, "scanner", availability, severity, {"scanner": scanner}, info, fault)
