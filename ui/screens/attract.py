"""Home screen: what the kiosk can do now, the 大字版 switch and the language."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from kiosk.session import Action, SessionMachine
from kiosk.session.gating import APPLY, QUERY
from ui.i18n import tr
from ui.screens.base import Screen, label, panel
from ui.texts import device_problem


class AttractScreen(Screen):
    nav_back = False

    def __init__(self, ctl, hall_name: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.hall_name = hall_name

    def _build_nav(self, m: SessionMachine) -> None:
        super()._build_nav(m)
        # Staff and technicians log in here; the PIN pad keeps citizens out.
        self.nav.addWidget(self.button(tr("工作人员"), Action.STAFF_ENTRY))

    def build(self, m: SessionMachine) -> None:
        services = m.services()
        if m.maintenance:
            self.content.addWidget(label(tr("本机暂停服务，请到人工窗口办理。给您带来不便，敬请谅解。"),
                                         "error"))
        self.content.addWidget(label(tr("一窗受理 · 最多跑一次：刷身份证，选事项，拍材料，当场拿回执。"),
                                     "hint"))
        count = len(m.catalog)
        apply_btn = self.button(tr("办理业务"), Action.START_APPLY, primary=True,
                                enabled=not services[APPLY])
        apply_btn.setProperty("tile", True)
        apply_note = label(device_problem(services[APPLY]) if services[APPLY]
                           else tr("可办理 {n} 项事项，支持拼音首字母搜索").format(n=count),
                           "error" if services[APPLY] else "hint")
        query_btn = self.button(tr("查询办件"), Action.START_QUERY, enabled=not services[QUERY])
        query_btn.setProperty("tile", True)
        query_note = label(device_problem(services[QUERY]) if services[QUERY]
                           else tr("刷身份证或扫描回执二维码，查看办理进度"),
                           "error" if services[QUERY] else "hint")
        row = QHBoxLayout()
        row.addWidget(panel(apply_btn, apply_note), 1)
        row.addWidget(panel(query_btn, query_note), 1)
        holder = QWidget()
        holder.setLayout(row)
        self.content.addWidget(holder)

        switches = QHBoxLayout()
        elderly = QPushButton(tr("大字版 / 关怀版") + ("  ✓" if m.elderly else ""))
        elderly.setObjectName("action:toggle_elderly")
        elderly.setCheckable(True)
        elderly.setChecked(m.elderly)
        elderly.clicked.connect(lambda: self._tap(Action.TOGGLE_ELDERLY))
        switches.addWidget(elderly, 2)
        other = "en" if m.language == "zh_CN" else "zh_CN"
        lang = self.button("English" if other == "en" else "中文", Action.SET_LANGUAGE, other)
        switches.addWidget(lang, 1)
        holder2 = QWidget()
        holder2.setLayout(switches)
        self.content.addWidget(holder2)

    def _tap(self, action: Action) -> None:
        from kiosk.session import Tap

        self.ctl.send(Tap(action))
