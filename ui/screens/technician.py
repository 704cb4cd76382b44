"""The technician's screen (运维): every configured device with its status, model and faults,
a test action and take-out-of-service per device; the kiosk in or out of service; the masked
diagnostic bundle. The list follows the device poll while it is on screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.session import Action, SessionMachine
from ui.i18n import tr
from ui.screens.base import Screen, label, panel
from ui.screens.finish import row
from ui.screens.staff import desk_key, notice_label
from ui.texts import availability, device_class, required_action


class TechScreen(Screen):
    nav_back = False

    def render_key(self, m: SessionMachine) -> object:
        return desk_key(m, m.desk.devices)

    def build(self, m: SessionMachine) -> None:
        state = label(tr("本机状态：暂停服务（群众无法办理）") if m.maintenance else
                      tr("本机状态：正常服务"), "error" if m.maintenance else "ok")
        self.content.addWidget(state)
        self.content.addWidget(row(
            self.button(tr("恢复服务") if m.maintenance else tr("暂停服务"),
                        Action.TOGGLE_SERVICE, primary=m.maintenance),
            self.button(tr("导出诊断包"), Action.EXPORT_DIAG),
            self.button(tr("刷新"), Action.REFRESH)))
        note = notice_label(m)
        if note is not None:
            self.content.addWidget(note)
        devices = m.desk.devices
        if devices is None:
            self.content.addWidget(label(tr("正在读取设备状态…"), "hint"))
            return
        if not devices:
            self.content.addWidget(label(tr("没有配置任何设备。"), "hint"))
        for d in devices:
            self.content.addWidget(self._device(d))

    def _device(self, d: Any) -> QWidget:
        ok = d.availability == "READY" and not d.fault_code
        lines: list[QWidget] = [
            label(tr("{cls} “{name}” · 驱动 {driver}").format(
                cls=device_class(d.device_class), name=d.name, driver=d.driver)),
            label(availability(d.availability, d.offline) +
                  (f" · {d.fault_code}: {d.fault_message}" if d.fault_code else ""),
                  "ok" if ok else "error")]
        facts = [f"{key} {value}" for key, value in ((tr("型号"), d.model), (tr("序列号"), d.serial),
                                                     (tr("固件"), d.firmware)) if value]
        facts += [f"{key}={value}" for key, value in sorted((d.media or {}).items())]
        if facts:
            lines.append(label(" · ".join(facts), "hint"))
        if d.action:
            lines.append(label(required_action(d.action), "hint"))
        lines.append(row(self.button(tr("测试"), Action.DEVICE_TEST, d.name),
                         self.button(tr("启用") if d.offline else tr("停用"),
                                     Action.DEVICE_OFFLINE, d.name)))
        return panel(*lines)
