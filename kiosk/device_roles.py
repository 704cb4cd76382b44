"""The roles devices play on this kiosk, declared once.

Services ask for a role ("the receipt printer"), never for "the first device of a class": a
second printer or a second camera fills another role and is never taken for this one
(vxsuite's ``Printer`` role, DESIGN §9). ``kiosk.toml`` names each device after its role —
``[devices.receipt_printer]`` with its ``class`` and ``driver`` — and which services need which
roles is ``kiosk.availability.REQUIRED``.

Names say the job in the hall, not the hardware: ``id_reader`` reads the applicant's identity
document (today a GA 467 card reader, later perhaps a passport reader too);
``document_camera`` photographs materials (高拍仪) while ``face_camera`` looks at the person;
``receipt_printer`` prints the 收件回执 slip, the A4 ``document_printer`` the citizen's copy of
the application (docs/devices.md); ``code_scanner`` reads receipt QR codes and 电子证照 codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DeviceRole:
    name: str  # the section name in [devices.NAME]
    label: str  # Chinese source text of its name on screen (ui.texts translates it)
    classes: tuple[str, ...]  # device classes that can fill it; the first is the default
    # options of the role's simulator where selftest/demo swaps one in (the face camera's
    # simulator films a face, not pages)
    simulated: Mapping[str, Any] = field(default_factory=dict)


_ROLES: dict[str, DeviceRole] = {}


def register_device_role(role: DeviceRole) -> DeviceRole:
    _ROLES[role.name] = role
    return role


def unregister_device_role(name: str) -> None:
    _ROLES.pop(name, None)


def device_role(name: str) -> DeviceRole | None:
    return _ROLES.get(name)


def device_roles() -> tuple[DeviceRole, ...]:
    return tuple(_ROLES.values())


ID_READER = register_device_role(DeviceRole("id_reader", "身份证读卡器", ("idcard",))).name
DOCUMENT_CAMERA = register_device_role(DeviceRole("document_camera", "高拍仪", ("camera",))).name
RECEIPT_PRINTER = register_device_role(DeviceRole("receipt_printer", "回执打印机",
                                                  ("printer",))).name
CODE_SCANNER = register_device_role(DeviceRole("code_scanner", "扫码器", ("scanner",))).name
# The second camera: it looks at the citizen for 人证比对 (kiosk.face, docs/identity.md).
FACE_CAMERA = register_device_role(DeviceRole("face_camera", "人脸摄像头", ("camera",),
                                              simulated={"face": "match"})).name
# A4 page printer for the citizen's copy of the application form, 承诺书 and 受理通知
# (kiosk.a4_documents); no service needs it: without it the copy is simply not offered.
DOCUMENT_PRINTER = register_device_role(DeviceRole("document_printer", "文书打印机",
                                                   ("document_printer",))).name
