"""Staff (帮办/代办) screens: PIN login, the staff menu, 代办 agent details, a staff-typed
identity, the offline queue and receipt reprints. They render ``machine.desk`` and send taps;
every rule is in ``kiosk.session.desk``."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.session import Action, SessionMachine
from kiosk.session.desk import PIN_MAX, PIN_MIN
from kiosk.session.forms import FieldSpec
from kiosk.session.identity import AGENT_KINDS, CERT_TYPES
from ui.i18n import tr
from ui.screens.base import Screen, clear_layout, grid, label, panel
from ui.screens.finish import row
from ui.screens.form import FieldRow
from ui.texts import (
    agent_kind,
    cert_type,
    desk_notice,
    device_problem,
    login_problem,
    queue_state,
)


def notice_label(m: SessionMachine) -> QLabel | None:
    k = m.desk
    if k.busy:
        return label(tr("正在处理，请稍候…"), "hint")
    if not k.notice:
        return None
    return label(desk_notice(k.notice, k.notice_detail), "ok" if k.notice_ok else "error")


def age_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return tr("刚刚")
    if minutes < 60:
        return tr("{n} 分钟前").format(n=minutes)
    if minutes < 48 * 60:
        return tr("{n} 小时前").format(n=minutes // 60)
    return tr("{n} 天前").format(n=minutes // (24 * 60))


class LoginScreen(Screen):
    """Role, then the PIN on a large digit pad (no system keyboard: digits only, and the PIN
    never sits in a text field another widget could read)."""

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._key: tuple[Any, ...] | None = None
        self.roles: dict[str, QPushButton] = {}
        self.dots = label("", "title")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem = label("", "error")

    def fill(self, m: SessionMachine) -> None:
        key = (m.language, m.elderly)
        if key != self._key:
            clear_layout(self.content)
            self.roles = {}
            for role, text in (("staff", tr("工作人员（帮办代办）")), ("technician", tr("运维人员"))):
                b = self.button(text, Action.CHOOSE_ROLE, role)
                b.setCheckable(True)
                self.roles[role] = b
            self.content.addWidget(row(*self.roles.values()))
            self.dots = label("", "title")
            self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.content.addWidget(self.dots)
            self.problem = label("", "error")
            self.content.addWidget(self.problem)
            keys: list[QWidget] = [self.button(str(n), Action.PIN_DIGIT, str(n))
                                   for n in range(1, 10)]
            keys += [self.button("⌫", Action.PIN_DELETE), self.button("0", Action.PIN_DIGIT, "0"),
                     self.button(tr("登录"), Action.CONFIRM, primary=True)]
            pad = grid(keys, 3)
            pad.setMaximumWidth(720)
            self.content.addWidget(pad, 0, Qt.AlignmentFlag.AlignHCenter)
            self.content.addStretch(1)
            self._key = key
        k = m.desk
        for role, b in self.roles.items():
            b.setChecked(role == k.login_role)
        self.dots.setText("●" * len(k.pin) if k.pin else
                          tr("请输入 {a}–{b} 位数字密码").format(a=PIN_MIN, b=PIN_MAX))
        self.problem.setText(tr("正在验证…") if k.busy else
                             login_problem(k.login_error, k.login_detail))

    def wipe(self) -> None:
        super().wipe()
        self._key, self.roles = None, {}


class StaffMenuScreen(Screen):
    nav_back = False

    def build(self, m: SessionMachine) -> None:
        self.content.addWidget(label(tr("已登录：工作人员。协助或代他人办理的每一步都会记入审计日志。"), "hint"))
        tiles: list[QWidget] = []
        for text, note, action in (
                (tr("帮办：协助群众办理"), tr("群众本人办理，读不了卡时可手工录入证件"), Action.ASSIST),
                (tr("代办：代他人办理"), tr("先登记代办人，再为申请人办理"), Action.ACT_FOR),
                (tr("离线队列"), tr("待上传和被退回的申请：重试、作废"), Action.OPEN_QUEUE),
                (tr("补打回执"), tr("最近的收件回执，补打为副本"), Action.OPEN_REPRINT),
                (tr("办件查询"), tr("刷身份证或扫描回执二维码"), Action.START_QUERY)):
            closed = m.maintenance and action in (Action.ASSIST, Action.ACT_FOR,
                                                  Action.START_QUERY)
            b = self.button(text + "\n" + note, action, primary=action is Action.ASSIST,
                            enabled=not closed)
            b.setProperty("tile", True)
            tiles.append(b)
        if m.maintenance:
            self.content.addWidget(label(tr("本机已暂停服务：运维人员恢复服务前不能办理。"), "error"))
        notice = notice_label(m)
        if notice is not None:
            self.content.addWidget(notice)
        self.content.addWidget(grid(tiles, 2))
        problems = [device_problem(f"{cls}:{code}") for cls, code in
                    sorted(m.device_problems.items()) if code != "STARTING"]
        if problems:
            self.content.addWidget(panel(label(tr("设备提示：")), *(label(p, "error")
                                                                   for p in problems)))


class FieldsScreen(Screen):
    """A short form of identity fields, built once per set of fields (typing keeps the
    focus and the keyboard), then only values and error lines are refreshed."""

    nav_next = True

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._key: tuple[Any, ...] | None = None
        self.rows: list[FieldRow] = []

    def specs(self, m: SessionMachine) -> list[FieldSpec]:
        raise NotImplementedError

    def intro(self, m: SessionMachine) -> list[QWidget]:
        return []

    def values(self, m: SessionMachine) -> dict[str, str]:
        raise NotImplementedError

    def errors(self, m: SessionMachine) -> dict[str, str]:
        raise NotImplementedError

    def fill(self, m: SessionMachine) -> None:
        specs = self.specs(m)
        key = (tuple(s.key for s in specs), m.language, m.elderly)
        if key != self._key:
            clear_layout(self.content)
            for w in self.intro(m):
                self.content.addWidget(w)
            self.rows = [FieldRow(s, self.ctl.send, Action.SET_FIELD) for s in specs]
            for r in self.rows:
                self.content.addWidget(r)
            self.content.addStretch(1)
            self._key = key
        values, errors = self.values(m), self.errors(m)
        for r in self.rows:
            r.show_value(values.get(r.spec.key, ""), "", True, errors.get(r.spec.key, ""))

    def wipe(self) -> None:
        super().wipe()
        self._key, self.rows = None, []


def _cert_specs() -> list[FieldSpec]:
    return [FieldSpec("certType", tr("证件类型"), "choice", True,
                      tuple((c, cert_type(c)) for c in CERT_TYPES)),
            FieldSpec("name", tr("姓名"), "text", True),
            FieldSpec("certNo", tr("证件号码"), "text", True)]


class AgentScreen(FieldsScreen):
    """代办: who acts for the applicant. A 受委托人 lays their own ID card to fill it."""

    def specs(self, m: SessionMachine) -> list[FieldSpec]:
        kind = m.data.agent_form.get("kind", "")
        out = [FieldSpec("kind", tr("代办人身份"), "choice", True,
                         tuple((k, agent_kind(k)) for k in AGENT_KINDS)),
               *_cert_specs(), FieldSpec("phone", tr("代办人联系电话"), "phone", True)]
        if kind == "HALL_STAFF":
            out.append(FieldSpec("staffId", tr("工号"), "text", True))
        else:
            out.append(FieldSpec("relation", tr("与申请人关系（如 配偶、子女）"), "text", True))
        return out

    def intro(self, m: SessionMachine) -> list[QWidget]:
        return [label(tr("请代办人将本人身份证放在感应区，可自动填写姓名和证件号码；也可手工录入。"
                         "申请人的身份证在下一步读取。"), "hint")]

    def values(self, m: SessionMachine) -> dict[str, str]:
        return m.data.agent_form

    def errors(self, m: SessionMachine) -> dict[str, str]:
        return m.data.agent_errors


class ManualIdScreen(FieldsScreen):
    def specs(self, m: SessionMachine) -> list[FieldSpec]:
        return _cert_specs()

    def intro(self, m: SessionMachine) -> list[QWidget]:
        return [label(tr("请先核验申请人的证件原件，再录入。录入的身份记为“工作人员核验”。"), "hint")]

    def values(self, m: SessionMachine) -> dict[str, str]:
        return m.data.manual

    def errors(self, m: SessionMachine) -> dict[str, str]:
        return m.data.manual_errors


def desk_key(m: SessionMachine, items: list[Any] | None) -> tuple[Any, ...]:
    k = m.desk
    return (m.language, m.elderly, tuple(items) if items is not None else None, k.busy,
            k.notice, k.notice_ok, k.notice_detail, k.confirm, m.maintenance)


class QueueScreen(Screen):
    """The offline queue: what waits, what the platform refused, and what staff can do."""

    def render_key(self, m: SessionMachine) -> object:
        # The age line changes every minute, so a refresh shows it then.
        return (desk_key(m, m.desk.queue), int(time.time() // 60))

    def build(self, m: SessionMachine) -> None:
        k = m.desk
        note = notice_label(m)
        if note is not None:
            self.content.addWidget(note)
        if k.queue is None:
            self.content.addWidget(label(tr("正在读取…"), "hint"))
            return
        open_items = [q for q in k.queue if q.state in ("pending", "sending", "dead")]
        done = sorted((q for q in k.queue if q.state == "delivered"), key=lambda q: q.age_s)
        counts = {s: sum(1 for q in k.queue if q.state == s)
                  for s in ("pending", "sending", "dead")}
        self.content.addWidget(label(tr("待上传 {p} 件，发送中 {s} 件，被退回 {d} 件").format(
            p=counts["pending"], s=counts["sending"], d=counts["dead"])))
        self.content.addWidget(row(
            self.button(tr("立即上传"), Action.QUEUE_SYNC, primary=bool(counts["pending"])),
            self.button(tr("刷新"), Action.REFRESH)))
        if not open_items:
            self.content.addWidget(label(tr("没有等待上传或被退回的申请。"), "ok"))
        for q in sorted(open_items, key=lambda q: (q.state != "dead", -q.age_s)):
            self.content.addWidget(self._entry(m, q, actions=True))
        if done:
            self.content.addWidget(label(tr("最近已送达："), "hint"))
            for q in done[:10]:
                self.content.addWidget(self._entry(m, q, actions=False))

    def _entry(self, m: SessionMachine, q: Any, actions: bool) -> QWidget:
        matter = m.catalog.get(q.impl_code) if q.impl_code else None
        lines: list[QWidget] = [
            label(tr("{matter} · 编号 …{ref}").format(
                matter=matter.name if matter else (q.impl_code or tr("申请")),
                ref=(q.platform_id or q.item_id)[-8:])),
            label(" · ".join([queue_state(q.state), *([tr("已尝试 {n} 次").format(n=q.attempts)]
                                                     if q.attempts else []), age_text(q.age_s)]),
                  "error" if q.state == "dead" else "hint")]
        if q.last_error and q.state != "delivered":
            lines.append(label(tr("原因：{e}").format(e=q.last_error), "hint"))
        if actions:
            confirm = m.desk.confirm == q.item_id
            lines.append(row(
                self.button(tr("重试"), Action.QUEUE_RETRY, q.item_id),
                self.button(tr("再点一次确认作废") if confirm else tr("作废"), Action.QUEUE_VOID,
                            q.item_id, primary=confirm)))
        return panel(*lines)


class ReprintScreen(Screen):
    def render_key(self, m: SessionMachine) -> object:
        return desk_key(m, m.desk.receipts)

    def build(self, m: SessionMachine) -> None:
        k = m.desk
        note = notice_label(m)
        if note is not None:
            self.content.addWidget(note)
        if k.receipts is None:
            self.content.addWidget(label(tr("正在读取…"), "hint"))
            return
        if not k.receipts:
            self.content.addWidget(label(tr("本机没有可补打的回执。"), "hint"))
        for r in k.receipts:
            when = time.strftime("%m-%d %H:%M", time.localtime(r.printed_at))
            state = tr("已收件") if r.delivered else tr("收件待上传")
            self.content.addWidget(panel(
                label(f"{when}  {r.matter_name}"),
                label(tr("申请人 {who} · 编号 {ref} · {state}").format(
                    who=r.applicant, ref=r.case_ref, state=state), "hint"),
                row(self.button(tr("补打回执（副本）"), Action.REPRINT, r.reference))))
