"""The shared device state model (DESIGN §4; XFS4IoT / CUSS, research/anchors.md §3).

Every value here is immutable. Expected failures are ``Result`` values carrying a ``Fault``
with a completion code and the action somebody must take; exceptions are for bugs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar

T = TypeVar("T")


class Availability(StrEnum):
    STARTING = "STARTING"
    READY = "READY"
    BUSY = "BUSY"
    DISCONNECTED = "DISCONNECTED"
    HARDWARE_ERROR = "HARDWARE_ERROR"
    USER_ERROR = "USER_ERROR"  # e.g. card lifted, page not on the pad: the citizen can fix it
    OFFLINE = "OFFLINE"  # taken out of service on purpose
    NOT_CONFIGURED = "NOT_CONFIGURED"

    @property
    def usable(self) -> bool:
        """A service may start with this device (BUSY: it is working, will be free again)."""
        return self in (Availability.READY, Availability.BUSY, Availability.USER_ERROR)


class Severity(StrEnum):
    OK = "ok"
    WARNING = "warning"  # still usable (paper low)
    ERROR = "error"  # not usable until the action is taken
    FATAL = "fatal"  # broken: needs a technician


class RequiredAction(StrEnum):
    NONE = "none"
    RESET = "reset"  # automatic: the manager retries/reopens by itself
    CLEAR = "clear"  # on-site staff: add paper, close the cover, remove the jam
    MAINTENANCE = "maintenance"  # technician: replace, repair
    CONFIGURATION = "configuration"  # fix kiosk.toml, permissions, driver


@dataclass(frozen=True)
class DeviceInfo:
    model: str = ""
    serial: str = ""
    firmware: str = ""
    vendor: str = ""
    port: str = ""  # /dev/ttyUSB0, 192.0.2.10:9100, /dev/video0, "simulator"


@dataclass(frozen=True)
class Fault:
    """An expected failure: ``code`` is a stable completion code (``CARD_LIFTED``),
    ``message`` plain language for staff, ``action`` who must do what."""

    code: str
    message: str
    action: RequiredAction = RequiredAction.NONE
    detail: str = ""  # technical detail for logs/doctor; never citizen data


@dataclass(frozen=True)
class Result(Generic[T]):
    value: T | None = None
    fault: Fault | None = None

    @property
    def ok(self) -> bool:
        return self.fault is None

    @staticmethod
    def success(value: T | None = None) -> Result[T]:
        return Result(value=value)

    @staticmethod
    def failure(code: str, message: str, action: RequiredAction = RequiredAction.NONE,
                detail: str = "") -> Result[T]:
        return Result(fault=Fault(code, message, action, detail))

    def unwrap(self) -> T:
        """The value; calling this on a failure is a bug."""
        if self.fault is not None:
            raise RuntimeError(f"unwrap() on failed result {self.fault.code}")
        assert self.value is not None
        return self.value


def _frozen(m: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(m or {}))


@dataclass(frozen=True)
class DeviceStatus:
    """A snapshot. ``media`` is the class's media/supply sub-status, e.g.
    ``{"paper": "low", "cover": "closed"}`` or ``{"card": "present"}``."""

    name: str
    device_class: str
    availability: Availability
    severity: Severity = Severity.OK
    media: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    info: DeviceInfo = field(default_factory=DeviceInfo)
    fault: Fault | None = None
    since: datetime = field(default_factory=lambda: datetime.now(UTC), compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.media, MappingProxyType):
            object.__setattr__(self, "media", _frozen(self.media))

    def evolve(self, **changes: object) -> DeviceStatus:
        return replace(self, **changes)  # type: ignore[arg-type]

    def same_state(self, other: DeviceStatus | None) -> bool:
        """Equal apart from the timestamp: the manager emits only when this is False."""
        return other is not None and self == other

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "class": self.device_class,
            "availability": self.availability.value,
            "severity": self.severity.value,
            "media": dict(self.media),
            "info": {"model": self.info.model, "serial": self.info.serial,
                     "firmware": self.info.firmware, "vendor": self.info.vendor,
                     "port": self.info.port},
            "fault": None if self.fault is None else {
                "code": self.fault.code, "message": self.fault.message,
                "action": self.fault.action.value, "detail": self.fault.detail},
            "since": self.since.isoformat(),
        }
