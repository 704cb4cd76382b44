"""The technician's screen (运维): every configured device with its status, model and faults,
a test action and take-out-of-service per device; the kiosk in or out of service; the masked
diagnostic bundle. The list follows the device poll while it is on screen; each device panel
is keyed by the device's name, so a refresh never replaces a button under a finger, and the
outcome of a device's test is shown in that device's own panel, where the technician looks."""

from __future__ import annotations

from typing import Any

from kiosk.session import Action, SessionMachine
from ui.i18n import tr
from ui.screens.base import Screen
from ui.texts import (
    availability,
    desk_notice,
    device_class,
    device_test_report,
    fault_word,
    required_action,
)
from ui.view import Button, Label, Node, Panel, Row

DEVICE_OPS = ("device_test", "set_device_offline")


def device_panel(m: SessionMachine, d: Any) -> Node:
    ok = d.availability == "READY" and not d.fault_code and not d.offline
    k = m.desk
    lines: list[Node] = [
        Label(tr("{cls} “{name}” · 驱动 {driver}").format(
            cls=device_class(d.device_class), name=d.name, driver=d.driver), key="title"),
        Label(availability(d.availability, d.offline) +
              (" · " + (fault_word(d.fault_code) or d.fault_code)
               if d.fault_code and not d.offline else ""),
              "ok" if ok else "error", key="status")]
    facts = [f"{key} {value}" for key, value in ((tr("型号"), d.model), (tr("序列号"), d.serial),
                                                 (tr("固件"), d.firmware)) if value]
    if d.fault_code and not d.offline:  # the driver's own words, for the technician's report
        facts.append(tr("驱动信息：{code} {message}").format(code=d.fault_code,
                                                       message=d.fault_message))
    facts += [f"{key}={value}" for key, value in sorted((d.media or {}).items())]
    if facts:
        lines.append(Label(" · ".join(facts), "hint", key="facts"))
    if d.action:
        lines.append(Label(required_action(d.action), "hint", key="action"))
    if k.notice_device == d.name:
        if k.busy in DEVICE_OPS:
            lines.append(Label(tr("正在测试，请按提示操作（扫码器：请在 30 秒内扫描任意二维码）…")
                               if k.busy == "device_test" else tr("正在处理，请稍候…"),
                               "hint", key="result"))
        elif k.notice:
            text = desk_notice(k.notice, k.notice_detail)
            if k.test_report is not None:
                text += tr("：") + device_test_report(k.test_report)
            lines.append(Label(text, "ok" if k.notice_ok else "error", key="result"))
    confirm = k.confirm == f"offline:{d.name}"
    lines.append(Row(
        Button(tr("测试"), Action.DEVICE_TEST, d.name, enabled=not k.busy),
        Button(tr("启用") if d.offline else
               (tr("再点一次确认停用") if confirm else tr("停用")),
               Action.DEVICE_OFFLINE, d.name, primary=confirm, role="danger",
               enabled=not k.busy),
        key="buttons"))
    return Panel(*lines, key=f"device:{d.name}")


class TechScreen(Screen):
    nav_back = False

    def body(self, m: SessionMachine) -> list[Node]:
        k = m.desk
        devices = m.desk.devices
        confirm = k.confirm == "service"
        out: list[Node] = [
            Label(tr("本机状态：暂停服务（群众无法办理）") if m.maintenance else tr("本机状态：正常服务"),
                  "error" if m.maintenance else "ok", key="state"),
            Row(Button(tr("恢复服务") if m.maintenance else
                       (tr("再点一次确认暂停服务") if confirm else tr("暂停服务")),
                       Action.TOGGLE_SERVICE, primary=confirm, role="danger"),
                Button(tr("导出诊断包"), Action.EXPORT_DIAG),
                Button(tr("刷新"), Action.REFRESH), key="actions")]
        if k.busy and not k.notice_device:
            out.append(Label(tr("正在处理，请稍候…"), "hint", key="note"))
        elif k.notice and not k.notice_device:
            out.append(Label(desk_notice(k.notice, k.notice_detail),
                             "ok" if k.notice_ok else "error", key="note"))
        if devices is None:
            out.append(Label(tr("正在读取设备状态…"), "hint", key="loading"))
        elif not devices:
            out.append(Label(tr("没有配置任何设备。"), "hint", key="loading"))
        out += [device_panel(m, d) for d in devices or ()]
        return out
