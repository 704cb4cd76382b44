"""What every device driver and simulator offers the device manager, and the driver registry.

Drivers register by device class and name (``ga467-serial``, ``simulated``…) and declare what
they need; a missing library or permission is a readable diagnostic, not a crash
(Odoo IoT ``Driver.supported()``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from devices.status import DeviceStatus, Result


class DeviceOptionError(Exception):
    """A device option in kiosk.toml is wrong; the config layer turns it into ConfigError."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key} = {value!r}: expected {allowed}")


@runtime_checkable
class Device(Protocol):
    name: str
    device_class: str

    def open(self) -> Result[None]:
        """Connect. Failure (unplugged, no permission) is a Result, never an exception."""
        ...

    def close(self) -> None: ...

    def poll_status(self) -> DeviceStatus:
        """Ask the hardware for its state now. May block briefly (<~0.5 s); called off the
        GUI thread by the manager."""
        ...


class Cancel:
    """A cancellation token for blocking reads (card wait, scan wait, auto-capture)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if cancelled meanwhile."""
        return self._event.wait(seconds)


@dataclass(frozen=True)
class DriverSpec:
    device_class: str
    name: str
    factory: Callable[[str, Mapping[str, Any]], Device]
    description: str = ""
    # Returns "" when usable here, else a plain diagnostic ("pyusb is not installed").
    supported: Callable[[], str] = lambda: ""


_REGISTRY: dict[tuple[str, str], DriverSpec] = {}
# device class → the module whose import registers its drivers; by default ``devices.<class>
# .drivers``. The kiosk's device-class descriptors (kiosk.device_classes) say it once per class.
_DRIVER_MODULES: dict[str, str] = {}


def register_driver(spec: DriverSpec) -> DriverSpec:
    _REGISTRY[(spec.device_class, spec.name)] = spec
    return spec


def unregister_driver(device_class: str, name: str) -> None:
    """Remove a driver (a test's throwaway class or driver)."""
    _REGISTRY.pop((device_class, name), None)


def set_driver_module(device_class: str, module: str | None) -> None:
    """Where the drivers of ``device_class`` register themselves (``None``: the default)."""
    if module is None:
        _DRIVER_MODULES.pop(device_class, None)
    else:
        _DRIVER_MODULES[device_class] = module


def find_driver(device_class: str, name: str) -> DriverSpec | None:
    _load_drivers(device_class)
    return _REGISTRY.get((device_class, name))


def drivers_for(device_class: str) -> list[DriverSpec]:
    _load_drivers(device_class)
    return [s for (c, _), s in sorted(_REGISTRY.items()) if c == device_class]


def _load_drivers(device_class: str) -> None:
    """Each device package registers its drivers in its ``drivers.py`` on import. Only the
    class asked for is loaded: the printer need not import OpenCV. A class without a drivers
    module (its drivers registered by whoever declared it) loads nothing."""
    import importlib

    module = _DRIVER_MODULES.get(device_class, f"devices.{device_class}.drivers")
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module.startswith(exc.name):
            raise
