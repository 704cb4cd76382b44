"""The device manager: builds the configured devices through the driver registry, opens them,
polls their status in one background thread and tells subscribers about changes only.

Interface used by kiosk/ and ui/ (keep stable)::

    mgr = DeviceManager(settings.devices.values())   # objects with name, device_class,
    unsubscribe = mgr.subscribe(on_status)           #   driver, options (kiosk DeviceSection)
    mgr.start()                                      # returns at once; statuses STARTING
    mgr.statuses() -> {name: DeviceStatus};  mgr.device(name) -> Device | None
    mgr.set_offline(name, True)                      # technician takes a device out of service
    mgr.stop()

Rules (research/anchors.md §3): a status is emitted only when it differs from the last one
(timestamps aside); DISCONNECTED is reported only after ``disconnect_debounce`` consecutive
polls say so; a disconnected or unopenable device is re-opened with exponential back-off
(``backoff_initial_s`` doubling to ``backoff_max_s``); a missing driver, library, bad option
or permission is a NOT_CONFIGURED/HARDWARE_ERROR status with action ``configuration`` and a
readable message — never an exception. Callbacks run on the manager's thread: a Qt UI must
hop to the GUI thread (queued signal). A failing callback is logged and does not stop others.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from devices.base import Device, DeviceOptionError, find_driver
from devices.status import (
    Availability,
    DeviceInfo,
    DeviceStatus,
    Fault,
    RequiredAction,
    Severity,
)

log = logging.getLogger("devices.manager")

# Completion codes of the manager itself
DRIVER_MISSING = "DRIVER_MISSING"
LIBRARY_MISSING = "LIBRARY_MISSING"
BAD_OPTION = "BAD_OPTION"
DRIVER_ERROR = "DRIVER_ERROR"  # a driver raised: a bug, reported instead of crashing the kiosk
NOT_INSTALLED = "NOT_INSTALLED"

_LINK_CODES = ("DISCONNECTED", "NOT_RESPONDING", "NOT_OPEN")
_CONFIG_CODES = (DRIVER_MISSING, LIBRARY_MISSING, BAD_OPTION, NOT_INSTALLED)



class DeviceConfig(Protocol):
    """What the manager needs of a configured device (kiosk's ``DeviceSection`` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def device_class(self) -> str: ...
    @property
    def driver(self) -> str: ...
    @property
    def options(self) -> Mapping[str, Any]: ...


StatusCallback = Callable[[DeviceStatus], None]


def status_from_fault(name: str, device_class: str, fault: Fault,
                      info: DeviceInfo | None = None) -> DeviceStatus:
    """The status a device has when ``open()`` failed with ``fault``."""
    if fault.code in _CONFIG_CODES:
        availability, severity = Availability.NOT_CONFIGURED, Severity.ERROR
    elif fault.code in _LINK_CODES and fault.action != RequiredAction.CONFIGURATION:
        availability, severity = Availability.DISCONNECTED, Severity.ERROR
    elif fault.action == RequiredAction.MAINTENANCE:
        availability, severity = Availability.HARDWARE_ERROR, Severity.FATAL
    else:
        availability, severity = Availability.HARDWARE_ERROR, Severity.ERROR
    return DeviceStatus(name, device_class, availability, severity, info=info or DeviceInfo(),
                        fault=fault)


@dataclass
class _Slot:
    name: str
    device_class: str
    driver: str
    device: Device | None
    status: DeviceStatus
    opened: bool = False
    offline: bool = False
    misses: int = 0  # consecutive DISCONNECTED observations
    backoff: float = 0.0
    next_open: float = 0.0
    last_fault: Fault | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class DeviceManager:
    def __init__(self, configs: Iterable[DeviceConfig], *, poll_interval_s: float = 1.0,
                 disconnect_debounce: int = 2, backoff_initial_s: float = 1.0,
                 backoff_max_s: float = 30.0) -> None:
        self.poll_interval_s = poll_interval_s
        self.disconnect_debounce = max(1, disconnect_debounce)
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self._slots: dict[str, _Slot] = {}
        self._subscribers: list[StatusCallback] = []
        self._sub_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        for cfg in configs:
            self._slots[cfg.name] = self._build(cfg)

    # --- construction ---------------------------------------------------------------------

    def _build(self, cfg: DeviceConfig) -> _Slot:
        def unusable(code: str, message: str, action: RequiredAction = RequiredAction.CONFIGURATION,
                     detail: str = "") -> _Slot:
            fault = Fault(code, message, action, detail)
            return _Slot(cfg.name, cfg.device_class, cfg.driver, None,
                         status_from_fault(cfg.name, cfg.device_class, fault), last_fault=fault)

        if cfg.driver == "none":
            return unusable(NOT_INSTALLED, f"no {cfg.device_class} on this kiosk (driver = \"none\")",
                            RequiredAction.NONE)
        spec = find_driver(cfg.device_class, cfg.driver)
        if spec is None:
            return unusable(DRIVER_MISSING,
                            f"driver not available: no {cfg.device_class} driver named "
                            f"'{cfg.driver}' is installed")
        problem = spec.supported()
        if problem:
            return unusable(LIBRARY_MISSING, problem)
        try:
            device = spec.factory(cfg.name, cfg.options)
        except DeviceOptionError as exc:
            return unusable(BAD_OPTION, f"[devices.{cfg.name}] {exc}")
        except Exception as exc:
            log.exception("driver %s/%s failed to build device %s", cfg.device_class,
                          cfg.driver, cfg.name)
            return unusable(DRIVER_ERROR, f"driver '{cfg.driver}' failed to start",
                            RequiredAction.MAINTENANCE, f"{exc.__class__.__name__}: {exc}")
        return _Slot(cfg.name, cfg.device_class, cfg.driver, device,
                     DeviceStatus(cfg.name, cfg.device_class, Availability.STARTING))

    # --- public interface -----------------------------------------------------------------

    def subscribe(self, callback: StatusCallback) -> Callable[[], None]:
        """Call ``callback(status)`` on every change; returns the unsubscribe function."""
        with self._sub_lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._sub_lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)
        return unsubscribe

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="device-manager", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        for slot in self._slots.values():
            self._close(slot)

    def check_once(self) -> dict[str, DeviceStatus]:
        """Open (if needed) and poll every device once, without debounce: for ``kiosk doctor``
        and start-up checks. Does not start the background thread."""
        for slot in self._slots.values():
            self._tick(slot, time.monotonic(), debounce=1, force_open=True)
        return self.statuses()

    def refresh(self) -> None:
        """Poll now instead of at the next interval (after a read failed, say)."""
        self._wake.set()

    def statuses(self) -> dict[str, DeviceStatus]:
        return {name: slot.status for name, slot in self._slots.items()}

    def status(self, name: str) -> DeviceStatus | None:
        slot = self._slots.get(name)
        return None if slot is None else slot.status

    def device(self, name: str) -> Device | None:
        slot = self._slots.get(name)
        return None if slot is None else slot.device

    def driver_of(self, name: str) -> str:
        slot = self._slots.get(name)
        return "" if slot is None else slot.driver

    def set_offline(self, name: str, offline: bool) -> None:
        """Take a device out of service (technician) or back; services needing it stop."""
        slot = self._slots[name]
        with slot.lock:
            slot.offline = offline
            if offline:
                self._publish(slot, slot.status.evolve(
                    availability=Availability.OFFLINE, severity=Severity.WARNING,
                    fault=Fault("OFFLINE", "taken out of service by a technician",
                                RequiredAction.MAINTENANCE)))
            else:
                slot.next_open = 0.0
        self._wake.set()

    # --- the polling loop -----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            for slot in self._slots.values():
                if self._stop.is_set():
                    break
                self._tick(slot, now, self.disconnect_debounce)
            self._wake.wait(self.poll_interval_s)
            self._wake.clear()

    def _tick(self, slot: _Slot, now: float, debounce: int, force_open: bool = False) -> None:
        if slot.device is None:
            return
        with slot.lock:
            if slot.offline:
                return
            if not slot.opened:
                if not force_open and now < slot.next_open:
                    return
                if not self._open(slot, debounce):
                    return
            try:
                status = slot.device.poll_status()
            except Exception as exc:
                # A driver bug: report it, then close and re-open with back-off (once logged).
                if slot.status.fault is None or slot.status.fault.code != DRIVER_ERROR:
                    log.exception("poll_status of %s raised", slot.name)
                self._publish(slot, status_from_fault(slot.name, slot.device_class, Fault(
                    DRIVER_ERROR, "the driver failed while reading status",
                    RequiredAction.MAINTENANCE, f"{exc.__class__.__name__}: {exc}")))
                self._close(slot)
                slot.backoff = min(self.backoff_max_s,
                                   slot.backoff * 2 if slot.backoff else self.backoff_initial_s)
                slot.next_open = time.monotonic() + slot.backoff
                return
            if status.availability is Availability.DISCONNECTED:
                self._miss(slot, status, debounce)
                return
            slot.misses = 0
            self._publish(slot, status)

    def _open(self, slot: _Slot, debounce: int) -> bool:
        assert slot.device is not None
        try:
            result = slot.device.open()
        except Exception as exc:
            log.exception("open of %s raised", slot.name)
            result_fault: Fault | None = Fault(DRIVER_ERROR, "the driver failed while opening",
                                               RequiredAction.MAINTENANCE,
                                               f"{exc.__class__.__name__}: {exc}")
        else:
            result_fault = result.fault
        if result_fault is None:
            slot.opened, slot.backoff, slot.last_fault = True, 0.0, None
            log.info("device %s opened", slot.name)
            return True
        slot.last_fault = result_fault
        slot.backoff = min(self.backoff_max_s,
                           slot.backoff * 2 if slot.backoff else self.backoff_initial_s)
        slot.next_open = time.monotonic() + slot.backoff
        status = status_from_fault(slot.name, slot.device_class, result_fault,
                                   slot.status.info)
        if status.availability is Availability.DISCONNECTED:
            self._miss(slot, status, debounce, reopen=False)
        else:
            self._publish(slot, status)
        return False

    def _miss(self, slot: _Slot, status: DeviceStatus, debounce: int, reopen: bool = True) -> None:
        slot.misses += 1
        if slot.misses < debounce and slot.status.availability is not Availability.STARTING:
            return  # one lost answer is not an unplug (vxsuite #7670)
        self._publish(slot, status)
        if reopen and slot.opened:
            self._close(slot)
            slot.backoff = self.backoff_initial_s
            slot.next_open = time.monotonic() + slot.backoff

    def _close(self, slot: _Slot) -> None:
        if slot.device is not None and slot.opened:
            try:
                slot.device.close()
            except Exception:
                log.exception("close of %s raised", slot.name)
        slot.opened = False

    def _publish(self, slot: _Slot, status: DeviceStatus) -> None:
        if status.same_state(slot.status):
            return
        previous, slot.status = slot.status, status
        log.info("device-status-changed %s: %s -> %s%s", slot.name, previous.availability,
                 status.availability, f" ({status.fault.code})" if status.fault else "")
        with self._sub_lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(status)
            except Exception:
                log.exception("device status subscriber failed")
