"""The technician's screen (运维): every configured device with its status, model and faults,
a test action and take-out-of-service per device; the kiosk in or out of service; the masked
diagnostic bundle. The list follows the device poll while it is on screen, updated in place:
a device changing state must not rebuild the buttons under the technician's finger."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout

from kiosk.session import Action, SessionMachine
from ui.i18n import tr
from ui.screens.base import Screen, clear_layout, label, repolish
from ui.screens.finish import row
from ui.texts import availability, desk_notice, device_class, required_action


def set_text(lbl: QLabel, text: str, style: str | None = None) -> None:
    """Change a label only where it differs; a new style name needs a re-polish."""
    if lbl.text() != text:
        lbl.setText(text)
    lbl.setVisible(bool(text))
    if style is not None and lbl.objectName() != style:
        lbl.setObjectName(style)
        repolish(lbl)


class DevicePanel(QFrame):
    def __init__(self, screen: Screen, name: str) -> None:
        super().__init__()
        self.setObjectName("panel")
        lay = QVBoxLayout(self)
        self.title, self.status = label(""), label("", "ok")
        self.facts, self.action = label("", "hint"), label("", "hint")
        for w in (self.title, self.status, self.facts, self.action):
            lay.addWidget(w)
        self.test = screen.button(tr("测试"), Action.DEVICE_TEST, name)
        self.offline = screen.button(tr("停用"), Action.DEVICE_OFFLINE, name)
        lay.addWidget(row(self.test, self.offline))

    def show_report(self, d: Any) -> None:
        ok = d.availability == "READY" and not d.fault_code and not d.offline
        set_text(self.title, tr("{cls} “{name}” · 驱动 {driver}").format(
            cls=device_class(d.device_class), name=d.name, driver=d.driver))
        set_text(self.status, availability(d.availability, d.offline) +
                 (f" · {d.fault_code}: {d.fault_message}" if d.fault_code else ""),
                 "ok" if ok else "error")
        facts = [f"{key} {value}" for key, value in ((tr("型号"), d.model), (tr("序列号"), d.serial),
                                                     (tr("固件"), d.firmware)) if value]
        facts += [f"{key}={value}" for key, value in sorted((d.media or {}).items())]
        set_text(self.facts, " · ".join(facts))
        set_text(self.action, required_action(d.action) if d.action else "")
        self.offline.setText(tr("启用") if d.offline else tr("停用"))


class TechScreen(Screen):
    nav_back = False

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._key: tuple[Any, ...] | None = None
        self.panels: dict[str, DevicePanel] = {}
        self.state = label("")
        self.toggle: QPushButton | None = None
        self.note = label("")
        self.loading = label("")

    def fill(self, m: SessionMachine) -> None:
        devices = m.desk.devices
        names = tuple(d.name for d in devices) if devices is not None else None
        key = (m.language, m.elderly, names)
        if key != self._key:
            clear_layout(self.content)
            self.state = label("")
            self.content.addWidget(self.state)
            self.toggle = self.button("", Action.TOGGLE_SERVICE)
            self.content.addWidget(row(self.toggle, self.button(tr("导出诊断包"), Action.EXPORT_DIAG),
                                       self.button(tr("刷新"), Action.REFRESH)))
            self.note = label("")
            self.loading = label("", "hint")
            self.content.addWidget(self.note)
            self.content.addWidget(self.loading)
            self.panels = {}
            for d in devices or ():
                self.panels[d.name] = DevicePanel(self, d.name)
                self.content.addWidget(self.panels[d.name])
            self.content.addStretch(1)
            self._key = key
        set_text(self.state, tr("本机状态：暂停服务（群众无法办理）") if m.maintenance else
                 tr("本机状态：正常服务"), "error" if m.maintenance else "ok")
        assert self.toggle is not None
        self.toggle.setText(tr("恢复服务") if m.maintenance else tr("暂停服务"))
        k = m.desk
        if k.busy:
            set_text(self.note, tr("正在处理，请稍候…"), "hint")
        else:
            set_text(self.note, desk_notice(k.notice, k.notice_detail) if k.notice else "",
                     "ok" if k.notice_ok else "error")
        set_text(self.loading, tr("正在读取设备状态…") if devices is None else
                 tr("没有配置任何设备。") if not devices else "")
        for d in devices or ():
            self.panels[d.name].show_report(d)

    def wipe(self) -> None:
        super().wipe()
        self._key, self.panels, self.toggle = None, {}, None

