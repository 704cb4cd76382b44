"""Home screen: what the kiosk can do now, the 大字版 switch and the language."""

from __future__ import annotations

from kiosk.session import Action, SessionMachine
from kiosk.session.gating import APPLY, QUERY
from ui.i18n import tr
from ui.screens.base import Screen
from ui.texts import device_problem
from ui.view import Button, Label, Node, Panel, Row, Stretch


class AttractScreen(Screen):
    nav_back = False

    def __init__(self, ctl, hall_name: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.hall_name = hall_name

    def nav_buttons(self, m: SessionMachine) -> list[Node]:
        if m.farewell():
            return []
        # Staff and technicians log in here; the PIN pad keeps citizens out.
        return [Stretch("nav-gap"), Button(tr("工作人员"), Action.STAFF_ENTRY, role="quiet")]

    def title(self, m: SessionMachine) -> str:
        return tr("感谢使用") if m.farewell() else super().title(m)

    def body(self, m: SessionMachine) -> list[Node]:
        if m.farewell():
            return self._thanks(m.farewell())
        services = m.services()
        out: list[Node] = []
        if m.maintenance:
            out.append(Label(tr("本机暂停服务，请到人工窗口办理。给您带来不便，敬请谅解。"), "error",
                             key="maintenance"))
        out.append(Label(tr("一窗受理 · 最多跑一次：刷身份证，选事项，拍材料，当场拿回执。"), "hint",
                         key="intro"))
        apply_note = (device_problem(services[APPLY]) if services[APPLY]
                      else tr("可办理 {n} 项事项，支持拼音首字母搜索").format(n=len(m.catalog)))
        query_note = (device_problem(services[QUERY]) if services[QUERY]
                      else tr("刷身份证或扫描回执二维码，查看办理进度"))
        out.append(Row(
            Panel(Button(tr("办理业务"), Action.START_APPLY, primary=True, tile=True,
                         enabled=not services[APPLY], icon="apply"),
                  Label(apply_note, "error" if services[APPLY] else "hint", key="apply-note"),
                  key="apply", stretch=1),
            Panel(Button(tr("查询办件"), Action.START_QUERY, tile=True,
                         enabled=not services[QUERY], icon="query"),
                  Label(query_note, "error" if services[QUERY] else "hint", key="query-note"),
                  key="query", stretch=1),
            key="services"))
        other = "en" if m.language == "zh_CN" else "zh_CN"
        out.append(Row(
            Button(tr("大字版 / 关怀版"), Action.TOGGLE_ELDERLY, checkable=True,
                   checked=m.elderly, stretch=2, icon="elderly"),
            Button("English" if other == "en" else "中文", Action.SET_LANGUAGE, other, stretch=1,
                   accessible="English" if other == "en" else "中文", icon="language"),
            key="switches"))
        return out

    def _thanks(self, reason: str) -> list[Node]:
        """After a session: thanks, and what to take along. The citizen's data is already
        gone; this is all the next person sees until they touch the screen."""
        thanks = tr("感谢您的评价！") if reason == "rated" else tr("感谢您的使用！")
        return [Panel(
            Label(thanks, "title", key="thanks", align="center"),
            Label(tr("请取走您的身份证、材料原件和回执。凭回执上的二维码或查询密码可随时查询办理进度。"),
                  "hint", key="take-along", align="center", wrap=True),
            Row(Stretch("l"), Button(tr("返回首页"), Action.DISMISS, primary=True), Stretch("r"),
                key="home"),
            key="farewell")]
