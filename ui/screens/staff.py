"""Staff (帮办/代办) screens: PIN login, the staff menu, 代办 agent details, a staff-typed
identity, the offline queue and receipt reprints. They render ``machine.desk`` and send taps;
every rule is in ``kiosk.session.desk``."""

from __future__ import annotations

import time
from typing import Any

from kiosk.availability import OPTIONAL
from kiosk.session import Action, SessionMachine
from kiosk.session.desk import PIN_MAX, PIN_MIN
from kiosk.session.forms import FieldSpec
from kiosk.session.identity import AGENT_KINDS, CERT_TYPES
from ui.i18n import tr
from ui.screens.base import Screen
from ui.screens.fields import field_node
from ui.texts import (
    agent_kind,
    cert_type,
    desk_notice,
    device_problem,
    login_problem,
    queue_state,
)
from ui.view import Button, Grid, Image, Label, Node, Panel, Row, Stretch


def notice_node(m: SessionMachine) -> Node | None:
    k = m.desk
    if k.busy:
        return Label(tr("正在处理，请稍候…"), "hint", key="notice")
    if not k.notice:
        return None
    return Label(desk_notice(k.notice, k.notice_detail), "ok" if k.notice_ok else "error",
                 key="notice")


def age_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return tr("刚刚")
    if minutes < 60:
        return tr("{n} 分钟前").format(n=minutes)
    if minutes < 48 * 60:
        return tr("{n} 小时前").format(n=minutes // 60)
    return tr("{n} 天前").format(n=minutes // (24 * 60))


def login_qr_png(text: str) -> bytes:
    """The log-in challenge as a QR code for the work app to scan."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make_qr(text, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


class LoginScreen(Screen):
    """Role, then the staff number and PIN on a large digit pad (no system keyboard: digits
    only, and the PIN never sits in a text field another widget could read), or a QR code
    scanned with the government work app."""

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._qr: tuple[str, bytes] = ("", b"")

    def _qr_png(self, text: str) -> bytes:
        if self._qr[0] != text:  # drawn once per challenge, not at every render
            self._qr = (text, login_qr_png(text))
        return self._qr[1]

    def body(self, m: SessionMachine) -> list[Node]:
        k = m.desk
        roles = [Button(text, Action.CHOOSE_ROLE, role, checkable=True,
                        checked=role == k.login_role, stretch=1)
                 for role, text in (("staff", tr("工作人员（帮办代办）")),
                                    ("technician", tr("运维人员")))]
        problem = tr("正在验证…") if k.busy else login_problem(k.login_error, k.login_detail)
        out: list[Node] = [Row(*roles, key="roles")]
        if k.qr is not None:
            out.append(Label(tr("请用政务工作App扫描二维码，并在手机上确认登录"), "hint",
                             key="qr-hint", align="center"))
            out.append(Row(Stretch("qr-left"),
                           Image(self._qr_png(k.qr["qrText"]), key="qr", name="login-qr",
                                 fit=(300, 300)),
                           Stretch("qr-right"), key="qr-row"))
            if problem:
                out.append(Label(problem, "error", key="problem", align="center"))
            out.append(Row(Button(tr("改用工号和密码登录"), Action.LOGIN_FIELD, "staff_no",
                                  stretch=1), key="qr-actions"))
            return out
        staff_text = k.staff_input or tr("未输入（演示模式可只用角色密码）")
        dots = "●" * len(k.pin) if k.pin else tr("{a}–{b} 位数字").format(a=PIN_MIN, b=PIN_MAX)
        fields = [Button(tr("工号：{n}").format(n=staff_text), Action.LOGIN_FIELD, "staff_no",
                         checkable=True, checked=k.login_field == "staff_no", stretch=1,
                         accessible=tr("工号：{n}").format(n=k.staff_input or tr("未输入"))),
                  Button(tr("密码：{d}").format(d=dots), Action.LOGIN_FIELD, "pin",
                         checkable=True, checked=k.login_field == "pin", stretch=1,
                         accessible=tr("密码，已输入 {n} 位").format(n=len(k.pin)))]
        keys = [Button(str(n), Action.PIN_DIGIT, str(n), accessible=str(n)) for n in range(1, 10)]
        keys += [Button("⌫", Action.PIN_DELETE, accessible=tr("删除一位")),
                 Button("0", Action.PIN_DIGIT, "0", accessible="0"),
                 Button(tr("登录"), Action.CONFIRM, primary=True)]
        out.append(Row(*fields, key="fields"))
        if problem:
            out.append(Label(problem, "error", key="problem", align="center"))
        out.append(Grid(*keys, key="pad", columns=3, max_width=720, align="hcenter"))
        out.append(Row(Button(tr("扫码登录（政务工作App）"), Action.QR_LOGIN, enabled=not k.busy,
                              stretch=1), key="qr-actions"))
        return out


class StaffMenuScreen(Screen):
    nav_back = False

    def body(self, m: SessionMachine) -> list[Node]:
        out: list[Node] = [Label(tr("已登录：工作人员。协助或代他人办理的每一步都会记入审计日志。"),
                                 "hint", key="intro")]
        tiles: list[Node] = []
        for text, note, action in (
                (tr("帮办：协助群众办理"), tr("群众本人办理，读不了卡时可手工录入证件"), Action.ASSIST),
                (tr("代办：代他人办理"), tr("先登记代办人，再为申请人办理"), Action.ACT_FOR),
                (tr("离线队列"), tr("待上传和被退回的申请：重试、作废"), Action.OPEN_QUEUE),
                (tr("补打回执"), tr("最近的收件回执，补打为副本"), Action.OPEN_REPRINT),
                (tr("办件查询"), tr("刷身份证或扫描回执二维码"), Action.START_QUERY)):
            closed = m.maintenance and action in (Action.ASSIST, Action.ACT_FOR,
                                                  Action.START_QUERY)
            tiles.append(Button(text + "\n" + note, action, primary=action is Action.ASSIST,
                                enabled=not closed, tile=True))
        if m.maintenance:
            out.append(Label(tr("本机已暂停服务：运维人员恢复服务前不能办理。"), "error",
                             key="maintenance"))
        notice = notice_node(m)
        if notice is not None:
            out.append(notice)
        # A tile's second line does not wrap: English needs the full width (tests/ui/test_fit).
        out.append(Grid(*tiles, key="tiles", columns=1 if m.elderly or m.language != "zh_CN"
                        else 2))
        problems = [device_problem(f"{cls}:{code}") for cls, code in
                    sorted(m.device_problems.items()) if code != "STARTING"
                    and (cls not in OPTIONAL or code != "NOT_CONFIGURED")]
        if problems:
            out.append(Panel(Label(tr("设备提示："), key="title"),
                             *(Label(p, "error", key=f"p:{i}") for i, p in enumerate(problems)),
                             key="devices"))
        return out


class FieldsScreen(Screen):
    """A short form of identity fields; typing keeps the focus (fields keyed by name)."""

    nav_next = True

    def specs(self, m: SessionMachine) -> list[FieldSpec]:
        raise NotImplementedError

    def intro(self, m: SessionMachine) -> list[Node]:
        return []

    def values(self, m: SessionMachine) -> dict[str, str]:
        raise NotImplementedError

    def errors(self, m: SessionMachine) -> dict[str, str]:
        raise NotImplementedError

    def body(self, m: SessionMachine) -> list[Node]:
        values, errors = self.values(m), self.errors(m)
        return [*self.intro(m),
                *(field_node(s, Action.SET_FIELD, values.get(s.key, ""),
                             error=errors.get(s.key, "")) for s in self.specs(m))]


def _cert_specs() -> list[FieldSpec]:
    return [FieldSpec("certType", tr("证件类型"), "choice", True,
                      tuple((c, cert_type(c)) for c in CERT_TYPES)),
            FieldSpec("name", tr("姓名"), "text", True, max_length=30),
            FieldSpec("certNo", tr("证件号码"), "text", True, max_length=20)]


class AgentScreen(FieldsScreen):
    """代办: who acts for the applicant. Staff ask for the agent's card to be read."""

    def specs(self, m: SessionMachine) -> list[FieldSpec]:
        kind = m.data.agent_form.get("kind", "")
        out = [FieldSpec("kind", tr("代办人身份"), "choice", True,
                         tuple((k, agent_kind(k)) for k in AGENT_KINDS)),
               *_cert_specs(), FieldSpec("phone", tr("代办人联系电话"), "phone", True,
                                         max_length=20)]
        if kind == "HALL_STAFF":
            out.append(FieldSpec("staffId", tr("工号"), "text", True, max_length=20))
        else:
            out.append(FieldSpec("relation", tr("与申请人关系（如 配偶、子女）"), "text", True,
                                 max_length=20))
        return out

    def intro(self, m: SessionMachine) -> list[Node]:
        reading = m.data.reading_agent_card
        return [Label(tr("请代办人将本人身份证放在感应区，再点“读取代办人身份证”，可自动填写姓名和证件号码；"
                         "也可手工录入。申请人的身份证在下一步读取。"), "hint", key="intro"),
                Row(Button(tr("正在读取…") if reading else tr("读取代办人身份证"),
                           Action.READ_AGENT_CARD, enabled=not reading, icon="idcard"),
                    key="read")]

    def values(self, m: SessionMachine) -> dict[str, str]:
        return m.data.agent_form

    def errors(self, m: SessionMachine) -> dict[str, str]:
        return m.data.agent_errors


class ManualIdScreen(FieldsScreen):
    def specs(self, m: SessionMachine) -> list[FieldSpec]:
        return _cert_specs()

    def intro(self, m: SessionMachine) -> list[Node]:
        return [Label(tr("请先核验申请人的证件原件，再录入。录入的身份记为“工作人员核验”。"), "hint",
                      key="intro")]

    def values(self, m: SessionMachine) -> dict[str, str]:
        return m.data.manual

    def errors(self, m: SessionMachine) -> dict[str, str]:
        return m.data.manual_errors


class QueueScreen(Screen):
    """The offline queue: what waits, what the platform refused, and what staff can do."""

    def body(self, m: SessionMachine) -> list[Node]:
        k = m.desk
        out: list[Node] = []
        note = notice_node(m)
        if note is not None:
            out.append(note)
        if k.queue is None:
            return [*out, Label(tr("正在读取…"), "hint", key="loading")]
        open_items = [q for q in k.queue if q.state in ("pending", "sending", "dead")]
        done = sorted((q for q in k.queue if q.state == "delivered"), key=lambda q: q.age_s)
        counts = {s: sum(1 for q in k.queue if q.state == s)
                  for s in ("pending", "sending", "dead")}
        out.append(Label(tr("待上传 {p} 件，发送中 {s} 件，被退回 {d} 件").format(
            p=counts["pending"], s=counts["sending"], d=counts["dead"]), key="counts"))
        out.append(Row(Button(tr("立即上传"), Action.QUEUE_SYNC, primary=bool(counts["pending"])),
                       Button(tr("刷新"), Action.REFRESH), key="actions"))
        if not open_items:
            out.append(Label(tr("没有等待上传或被退回的申请。"), "ok", key="empty"))
        for q in sorted(open_items, key=lambda q: (q.state != "dead", -q.age_s)):
            out.append(self._entry(m, q, actions=True))
        if done:
            out.append(Label(tr("最近已送达："), "hint", key="done-title"))
            out += [self._entry(m, q, actions=False) for q in done[:10]]
        return out

    def _entry(self, m: SessionMachine, q: Any, actions: bool) -> Node:
        matter = m.catalog.get(q.impl_code) if q.impl_code else None
        lines: list[Node] = [
            Label(tr("{matter} · 编号 …{ref}").format(
                matter=matter.name if matter else (q.impl_code or tr("申请")),
                ref=(q.platform_id or q.item_id)[-8:]), key="what"),
            Label(" · ".join([queue_state(q.state), *([tr("已尝试 {n} 次").format(n=q.attempts)]
                                                     if q.attempts else []), age_text(q.age_s)]),
                  "error" if q.state == "dead" else "hint", key="state")]
        if q.last_error and q.state != "delivered":
            lines.append(Label(tr("原因：{e}").format(e=q.last_error), "hint", key="why"))
        if actions:
            confirm = m.desk.confirm == q.item_id
            lines.append(Row(
                Button(tr("重试"), Action.QUEUE_RETRY, q.item_id),
                Button(tr("再点一次确认作废") if confirm else tr("作废"), Action.QUEUE_VOID,
                       q.item_id, primary=confirm, role="danger"), key="buttons"))
        return Panel(*lines, key=f"item:{q.item_id}")


class ReprintScreen(Screen):
    def body(self, m: SessionMachine) -> list[Node]:
        k = m.desk
        out: list[Node] = []
        note = notice_node(m)
        if note is not None:
            out.append(note)
        if k.receipts is None:
            return [*out, Label(tr("正在读取…"), "hint", key="loading")]
        if not k.receipts:
            out.append(Label(tr("本机没有可补打的回执。"), "hint", key="empty"))
        for r in k.receipts:
            when = time.strftime("%m-%d %H:%M", time.localtime(r.printed_at))
            state = tr("已收件") if r.delivered else tr("收件待上传")
            out.append(Panel(
                Label(f"{when}  {r.matter_name}", key="what"),
                Label(tr("申请人 {who} · 办件编号 {ref} · {state}").format(
                    who=r.applicant, ref=r.case_ref, state=state), "hint", key="who"),
                Row(Button(tr("补打回执（副本）"), Action.REPRINT, r.reference), key="buttons"),
                key=f"receipt:{r.reference}"))
        return out
