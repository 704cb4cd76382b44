"""Who may use what, in one place: which services the kiosk can offer with its devices (CUSS:
required devices per service), and the technician's decisions that take a device or the whole
kiosk out of service. The session (greying 办理业务), staff reprints, the technician screen and
``kiosk doctor`` all ask here, so they cannot disagree.

A service whose required role has no usable device is greyed with a plain reason; the others
stay usable. Each matter needs the devices its catalog entry names (``kioskDevices``): a matter
whose device is out is greyed with the reason, and applying greys only when no matter can be
done. Required devices are named by role (kiosk.device_roles), never by class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from devices.base import Device
from devices.status import Availability, DeviceStatus
from kiosk.config import Settings
from kiosk.device_classes import device_class, ready_problem
from kiosk.device_roles import (
    CODE_SCANNER,
    DOCUMENT_CAMERA,
    DOCUMENT_PRINTER,
    FACE_CAMERA,
    ID_READER,
    RECEIPT_PRINTER,
)
from kiosk.service_state import ServiceSnapshot

D = TypeVar("D", bound=Device)

APPLY = "apply"
QUERY = "query"

# service → groups of roles; every group needs one usable device ("any of").
# Applying: what a matter needs by default (each matter's ``kioskDevices`` decide for it,
# ``matter_needs``).
REQUIRED: Mapping[str, tuple[tuple[str, ...], ...]] = {
    APPLY: ((ID_READER,), (DOCUMENT_CAMERA,), (RECEIPT_PRINTER,)),
    QUERY: ((ID_READER, CODE_SCANNER),),
}
# Roles no service needs but the session offers something with when usable (the A4 copy on
# the document printer): their problems are reported too; a role not configured is left out
# of the problems only in the sense that nobody is shown it (``optional_offered``).
OPTIONAL: tuple[str, ...] = (DOCUMENT_PRINTER,)
# The reason every service gives while a technician has the kiosk out of service.
OUT_OF_SERVICE = "kiosk:OUT_OF_SERVICE"

Needs = tuple[tuple[str, ...], ...]  # groups of roles; each group needs one usable device

# A matter's ``kioskDevices`` (contract ``KioskDevice``) → the roles that fill them.
KIOSK_DEVICE_ROLES: Mapping[str, tuple[str, ...]] = {
    "IDCARD_READER": (ID_READER,),
    "DOCUMENT_CAMERA": (DOCUMENT_CAMERA,),
    "PRINTER": (RECEIPT_PRINTER,),
    "SCANNER": (CODE_SCANNER,),
}
# A matter whose catalog entry names no devices needs what applying needed before matters
# said so: the card reader, the document camera and the receipt printer.
DEFAULT_KIOSK_DEVICES = ("IDCARD_READER", "DOCUMENT_CAMERA", "PRINTER")


def matter_needs(kiosk_devices: Sequence[str] | None) -> Needs:
    """The role groups one matter needs, from its ``kioskDevices`` (unknown names ignored)."""
    names = DEFAULT_KIOSK_DEVICES if not kiosk_devices else kiosk_devices
    return tuple(dict.fromkeys(KIOSK_DEVICE_ROLES[n] for n in names if n in KIOSK_DEVICE_ROLES))


def missing(needs: Needs, problems: Mapping[str, str]) -> str:
    """"role:CODE" of the first group with no usable device, "" when all are usable."""
    for group in needs:
        if all(problems.get(r) for r in group):
            return f"{group[0]}:{problems[group[0]]}"
    return ""


def matter_problem(kiosk_devices: Sequence[str] | None, problems: Mapping[str, str],
                   out_of_service: bool = False, face_required: bool = False) -> str:
    """Why one matter cannot be done at this kiosk now ("" = it can): the kiosk is out of
    service, a device its ``kioskDevices`` names has no usable device, or it must pass
    人证比对 here (``face_required``: the stricter of the kiosk's policy and the matter's
    ``faceCheck`` is "required") and the face camera is out."""
    if out_of_service:
        return OUT_OF_SERVICE
    needs = matter_needs(kiosk_devices)
    return missing(needs + ((FACE_CAMERA,),) if face_required else needs, problems)


def required_roles() -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for groups in REQUIRED.values() for g in groups for r in g))


def polled_roles() -> tuple[str, ...]:
    """The roles whose problems the session is told: those a service needs, then the optional
    ones (kiosk.availability.OPTIONAL)."""
    return tuple(dict.fromkeys((*required_roles(), *OPTIONAL)))


def optional_offered(role: str, problems: Mapping[str, str]) -> tuple[bool, str]:
    """(offered, problem) of an optional role's extra: not offered at all when the kiosk has
    no such device (NOT_CONFIGURED) or is still finding out (STARTING); offered and greyed
    with the fault code when the device is there but cannot serve now."""
    code = problems.get(role, "")
    if code in ("NOT_CONFIGURED", "STARTING"):
        return False, code
    return True, code


class _Offline(Protocol):
    def set_offline(self, name: str, offline: bool) -> None: ...
    def status(self, name: str) -> DeviceStatus | None: ...


def apply_technician_state(manager: _Offline, snapshot: ServiceSnapshot) -> None:
    """Devices a technician took out of service stay out (after a restart, and for
    ``kiosk doctor``, which builds its own device manager)."""
    for name in snapshot.offline_devices:
        if manager.status(name) is not None:
            manager.set_offline(name, True)


def in_use(status: DeviceStatus | None) -> bool:
    """Whether anybody — a citizen's journey or staff's reprint — may use the device: it exists
    and a technician has not taken it out of service."""
    return status is not None and status.availability is not Availability.OFFLINE


def role_problems(settings: Settings, statuses: Mapping[str, DeviceStatus],
                  roles: tuple[str, ...] | None = None) -> dict[str, str]:
    """role → fault code for each role (default: those a service needs) without a usable
    device. A role with a usable device is absent."""
    problems: dict[str, str] = {}
    for role in required_roles() if roles is None else roles:
        section = settings.device_for(role)
        status = statuses.get(section.name) if section is not None else None
        if section is None or status is None:
            problems[role] = "NOT_CONFIGURED"
            continue
        spec = device_class(section.device_class)
        code = (spec.problem if spec is not None else ready_problem)(status)
        if code:
            problems[role] = code
    return problems


def service_problems(problems: Mapping[str, str], out_of_service: bool = False,
                     matters: Iterable[Needs] | None = None) -> dict[str, str]:
    """``problems``: role → fault code ("" or absent = ready). Returns service → "role:CODE" of
    the first missing device ("kiosk:OUT_OF_SERVICE" for all while the kiosk is out of
    service), "" when available.

    ``matters``: the distinct needs of the catalog's matters (``matter_needs``). Applying is
    then offered while at least one matter can be done (with the camera out, 提取住房公积金
    needs none); its reason is the first matter's when none can. Without them (``kiosk
    doctor``, no catalog) applying needs what a matter needs by default."""
    out: dict[str, str] = {}
    for service, groups in REQUIRED.items():
        if out_of_service:
            out[service] = OUT_OF_SERVICE
            continue
        reason = missing(groups, problems)
        if service == APPLY and matters is not None:
            reasons = [missing(needs, problems) for needs in matters]
            if reasons:
                reason = "" if not all(reasons) else reasons[0]
        out[service] = reason
    return out


_PLAIN = {
    Availability.STARTING: "is starting",
    Availability.DISCONNECTED: "is disconnected",
    Availability.HARDWARE_ERROR: "has a fault",
    Availability.OFFLINE: "is out of service",
    Availability.NOT_CONFIGURED: "is not installed",
}


def service_report(settings: Settings, statuses: Mapping[str, DeviceStatus],
                   snapshot: ServiceSnapshot) -> dict[str, tuple[bool, str]]:
    """service → (available, the reason in plain words), for ``kiosk doctor`` and the
    diagnostic bundle: the same rule as the touchscreen's."""
    problems = role_problems(settings, statuses)
    out: dict[str, tuple[bool, str]] = {}
    for service, reason in service_problems(problems, snapshot.out_of_service).items():
        if not reason:
            out[service] = (True, "")
            continue
        if reason == OUT_OF_SERVICE:
            out[service] = (False, f"the kiosk is out of service (taken out by "
                                   f"{snapshot.by or 'a technician'})")
            continue
        group = next(g for g in REQUIRED[service] if reason.partition(":")[0] in g)
        words = []
        for role in group:
            section = settings.device_for(role)
            status = statuses.get(section.name) if section is not None else None
            if section is None or status is None:
                words.append(f"no {role} is configured")
                continue
            plain = _PLAIN.get(status.availability, status.availability.value.lower())
            if status.availability.usable:
                plain = f"cannot serve ({problems[role]})"
            what = status.fault.message if status.fault else ""
            words.append(f"{role} '{section.name}' {plain}" + (f": {what}" if what else ""))
        out[service] = (False, "; ".join(words))
    return out


class _Devices(Protocol):
    def statuses(self) -> dict[str, DeviceStatus]: ...
    def device(self, name: str) -> Device | None: ...


class RoleDevices:
    """The device filling a role, for whoever serves citizens or staff: none when the role is
    not configured, its driver could not be built, or a technician took it out of service."""

    def __init__(self, settings: Settings, manager: _Devices | None) -> None:
        self.settings = settings
        self.manager = manager

    def device(self, role: str) -> Device | None:
        section = self.settings.device_for(role)
        if self.manager is None or section is None:
            return None
        if not in_use(self.manager.statuses().get(section.name)):
            return None
        return self.manager.device(section.name)

    def get(self, role: str, interface: type[D]) -> D | None:
        """The role's device as its class's typed interface (devices.interfaces)."""
        dev = self.device(role)
        return dev if isinstance(dev, interface) else None

    def problems(self) -> dict[str, str]:
        """role → fault code, for each role a service needs (and each optional role) that has
        no usable device; the face camera too where the kiosk does 人证比对 (matters that
        require it need it)."""
        roles = polled_roles()
        if self.settings.identity.face_check != "off":
            roles += (FACE_CAMERA,)
        return role_problems(self.settings, self.manager.statuses() if self.manager else {},
                             roles)
