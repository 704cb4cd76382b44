"""Review, submitting, receipt, rating, and the status-query result."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from kiosk.device_roles import RECEIPT_PRINTER
from kiosk.privacy import mask_id_number
from kiosk.session import Action, SessionMachine
from kiosk.session.application import material_plan
from kiosk.session.forms import field_specs
from ui.i18n import tr
from ui.screens.base import Screen, label, panel
from ui.texts import (
    BAD_REASONS,
    RATING_LEVELS,
    bad_reason,
    case_status,
    delivery_mode,
    device_problem,
    message,
    print_problem,
    rating_level,
    time_limit,
)


def row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    lay = QHBoxLayout(holder)
    lay.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        lay.addWidget(w)
    return holder


class ReviewScreen(Screen):
    nav_next = True
    next_action = Action.CONFIRM

    def next_label(self) -> str:
        return tr("确认提交")

    def build(self, m: SessionMachine) -> None:
        matter, d = m.matter, m.data
        if matter is None or d.citizen is None:
            return
        self.content.addWidget(panel(
            label(tr("事项：{name}").format(name=matter.name)),
            label(tr("申请人：{name}  {cert}").format(name=d.citizen.name,
                                                  cert=mask_id_number(d.citizen.cert_no)))))
        values = []
        for spec in field_specs(matter.form_schema):
            value = d.form.get(spec.key)
            if value in (None, ""):
                continue
            shown = dict(spec.choices).get(str(value), str(value))
            values.append(label(f"{spec.title}：{shown}"))
        if values:
            self.content.addWidget(panel(*values))
        mats = []
        for item in material_plan(matter, d):
            if item["submission"] == "ELECTRONIC_FILE":
                mats.append(label(tr("{name}：已拍 {n} 页").format(name=item["name"],
                                                               n=item["count"])))
            elif item["submission"] == "PAPER_AT_WINDOW":
                mats.append(label(tr("{name}：领取结果时在窗口交验原件").format(name=item["name"])))
            else:
                mats.append(label(tr("{name}：免交").format(name=item["name"])))
        if mats:
            self.content.addWidget(panel(*mats))
        where = delivery_mode(d.delivery_mode)
        if d.delivery_mode == "EXPRESS":
            where += "：" + d.address.get("addressDetail", "")
        self.content.addWidget(panel(label(tr("领取方式：{m}").format(m=where)),
                                     label(tr("承诺时限：{t}").format(
                                         t=time_limit(matter.promised_days)))))
        printer = m.device_problems.get(RECEIPT_PRINTER)
        if printer:
            self.content.addWidget(label(
                device_problem(f"{RECEIPT_PRINTER}:{printer}") + " " +
                tr("您仍可提交，回执编号和查询密码会显示在屏幕上，请拍照或记下；也可请工作人员补打回执。"), "error"))
        if d.submit_error:
            self.content.addWidget(label(message(d.submit_error), "error"))
            self.content.addWidget(self.button(tr("重试"), Action.RETRY))


class SubmittingScreen(Screen):
    nav_back = False

    def build(self, m: SessionMachine) -> None:
        bar = QProgressBar()
        bar.setRange(0, 0)  # busy: the time depends on the network and the pages
        self.content.addWidget(bar)
        self.content.addWidget(label(tr("正在保存并上传您的申请，请不要离开…"), "hint"))


class ReceiptScreen(Screen):
    nav_back = False
    nav_next = True

    def next_label(self) -> str:
        return tr("去评价")

    def next_enabled(self, m: SessionMachine) -> bool:
        return not m.data.printing

    def build(self, m: SessionMachine) -> None:
        out = m.data.outcome
        if out is None:
            return
        if out.delivered:
            state = label(tr("已收件：您的申请已提交到政务服务平台，等待部门受理。"), "ok")
            ref = out.application_id or out.client_application_id
        else:
            state = label(tr("收件待上传：网络暂时不可用，申请已安全保存在本机，联网后自动上传。"),
                          "error")
            ref = out.client_application_id
        self.content.addWidget(state)
        facts = [label(tr("办件编号：{ref}").format(ref=ref))]
        if out.query_password:
            facts.append(label(tr("查询密码：{pw}").format(pw=out.query_password)))
        self.content.addWidget(panel(*facts))
        d = m.data
        if d.printing:
            bar = QProgressBar()
            bar.setRange(0, 0)
            self.content.addWidget(bar)
            self.content.addWidget(label(tr("正在打印回执…"), "hint"))
        elif d.printed:
            self.content.addWidget(label(tr("请取走您的回执，凭回执上的二维码可随时查询进度。"), "ok"))
        elif d.print_error:
            self.content.addWidget(label(print_problem(d.print_error), "error"))
            self.content.addWidget(self.button(tr("重新打印"), Action.RETRY))


class RatingScreen(Screen):
    nav_back = False
    nav_next = True
    next_action = Action.CONFIRM

    def next_label(self) -> str:
        return tr("提交评价")

    def build(self, m: SessionMachine) -> None:
        d = m.data
        buttons = []
        for level in RATING_LEVELS:
            b = self.button(rating_level(level), Action.RATE, level)
            b.setCheckable(True)
            b.setChecked(d.rating == level)
            buttons.append(b)
        self.content.addWidget(row(*buttons))
        if d.rating in ("DISSATISFIED", "VERY_DISSATISFIED"):
            self.content.addWidget(label(tr("请选择原因（可多选）：")))
            reasons = []
            for code in BAD_REASONS:
                b = self.button(bad_reason(code), Action.TOGGLE_REASON, code)
                b.setCheckable(True)
                b.setChecked(code in d.reasons)
                reasons.append(b)
            self.content.addWidget(row(*reasons))
        if d.rating_error:
            self.content.addWidget(label(message(d.rating_error), "error"))
        self.content.addWidget(row(self.button(tr("跳过"), Action.SKIP)))


class StatusResultScreen(Screen):
    def build(self, m: SessionMachine) -> None:
        d = m.data
        if d.status_error:
            self.content.addWidget(label(message(d.status_error), "error"))
            return
        if d.status_result is None:
            bar = QProgressBar()
            bar.setRange(0, 0)
            self.content.addWidget(bar)
            self.content.addWidget(label(tr("正在查询…"), "hint"))
            return
        items: list[Any] = (d.status_result["items"] if "items" in d.status_result
                            else [d.status_result])
        if not items:
            self.content.addWidget(label(message("not_found"), "hint"))
        for item in items:
            if not isinstance(item, dict):
                continue
            lines = [label(tr("办件：{name}").format(
                         name=item.get("matterName") or item.get("implCode") or "")),
                     label(tr("状态：{s}").format(s=case_status(str(item.get("status", ""))))),
                     label(tr("编号：{ref}").format(ref=item.get("projId") or item.get(
                         "applicationId") or item.get("clientApplicationId") or ""))]
            if item.get("promisedFinishAt"):
                lines.append(label(tr("承诺办结：{t}").format(t=str(item["promisedFinishAt"])[:10])))
            supplement = item.get("supplement")
            if isinstance(supplement, dict) and supplement.get("reason"):
                lines.append(label(tr("需补正：{r}").format(r=supplement["reason"]), "error"))
            self.content.addWidget(panel(*lines))
