"""Review, submitting, receipt, rating, and the status-query result."""

from __future__ import annotations

from typing import Any

from kiosk.device_roles import RECEIPT_PRINTER
from kiosk.privacy import mask_id_number, mask_name, mask_staff_no
from kiosk.ratings import BAD_RATINGS, BAD_REASONS, RATINGS
from kiosk.session import Action, SessionMachine, bundle
from kiosk.session.a4 import a4_offer
from kiosk.session.application import material_plan
from kiosk.session.forms import field_specs
from ui.i18n import tr
from ui.screens.base import Screen
from ui.texts import (
    agent_kind,
    amount_text,
    bad_reason,
    case_status,
    data_access_operation,
    delivery_mode,
    device_problem,
    fault_word,
    fees_text,
    message,
    message_style,
    print_problem,
    rating_level,
    time_limit,
)
from ui.view import Busy, Button, Grid, Image, Label, Node, Panel, Row


def serves_line(names: list[str]) -> str:
    """一件事: which chosen sub-matters a material is for."""
    return tr("用于：{subs}").format(subs="、".join(names))


def bundle_lines(matter: Any, subs: tuple[bundle.SubMatter, ...], lang: str) -> list[Node]:
    """一件事: each chosen sub-matter with its department, and the lead department."""
    lines: list[Node] = [Label(tr("同时办理 {n} 项：").format(n=len(subs)), key="subs-title")]
    lines += [Label(f"• {s.name_in(lang)}（{s.dept_in(lang)}）", key=f"sub:{s.code}")
              for s in subs]
    lead = matter.text(lang).department
    if lead:
        lines.append(Label(tr("牵头部门：{d}（统一受理，结果一并告知）").format(d=lead),
                           key="lead"))
    return lines


class ReviewScreen(Screen):
    nav_next = True
    next_action = Action.CONFIRM

    def next_label(self) -> str:
        return tr("确认提交")

    def body(self, m: SessionMachine) -> list[Node]:
        matter, d = m.matter, m.data
        if matter is None or d.citizen is None:
            return []
        who = [Label(tr("事项：{name}").format(name=matter.name_in(m.language)), key="matter"),
               Label(tr("申请人：{name}  {cert}").format(name=d.citizen.name,
                                                     cert=mask_id_number(d.citizen.cert_no)),
                     key="applicant")]
        if d.agent:
            who.append(Label(tr("代办人：{name}  {cert}（{kind}）").format(
                name=mask_name(str(d.agent.get("name", ""))),
                cert=mask_id_number(str(d.agent.get("certNo", ""))),
                kind=agent_kind(str(d.agent.get("kind", "")))), key="agent"))
        out: list[Node] = [Panel(*who, key="who")]
        values = []
        for spec in field_specs(m.form_schema()):
            value = d.form.get(spec.key)
            if value in (None, ""):
                continue
            names = dict(spec.choices_for(m.language))
            shown = ("、".join(names.get(str(v), str(v)) for v in value)
                     if isinstance(value, list | tuple) else names.get(str(value), str(value)))
            values.append(Label(f"{spec.title_for(m.language)}：{shown}",
                                key=f"value:{spec.key}"))
        if values:
            out.append(Panel(*values, key="values"))
        mats = []
        names = {s.code: s.material.name_in(m.language) for s in m.materials()}
        serves = {s.code: [sub.name_in(m.language) for sub in s.serves] for s in m.materials()}
        for item in material_plan(matter, d):
            key = f"material:{item['materialCode']}"
            name = names.get(item["materialCode"], item["name"])
            if item["submission"] == "ELECTRONIC_FILE":
                mats.append(Label(tr("{name}：已拍 {n} 页").format(name=name, n=item["count"]),
                                  key=key))
            elif item["submission"] == "PAPER_AT_WINDOW":
                mats.append(Label(tr("{name}：领取结果时在窗口交验原件").format(name=name),
                                  key=key))
            else:
                mats.append(Label(tr("{name}：免交").format(name=name), key=key))
            if serves.get(item["materialCode"]):
                mats.append(Label(serves_line(serves[item["materialCode"]]), "hint",
                                  key=key + ":serves"))
        if mats:
            out.append(Panel(*mats, key="materials"))
        subs = bundle.chosen(matter, d.form)
        if subs:  # 一件事: who does what, and who collects the results
            out.append(Panel(*bundle_lines(matter, subs, m.language), key="bundle"))
        where = delivery_mode(d.delivery_mode)
        if d.delivery_mode == "EXPRESS":
            where += "：" + d.address.get("addressDetail", "")
        out.append(Panel(Label(tr("领取方式：{m}").format(m=where), key="delivery"),
                         Label(tr("承诺时限：{t}").format(t=time_limit(matter.promised_days)),
                               key="limit"), key="when"))
        if matter.fee_items:  # 统一公共支付: what it costs, paid after 确认提交
            out.append(Panel(Label(tr("收费：{f}").format(f=fees_text(matter, m.language)),
                                   key="fee"),
                             *([Label(tr("确认提交后请用手机扫码缴费"), "hint", key="pay-next")]
                               if m.pays_at_kiosk() and not m.payment_paid() else []),
                             key="fees"))
        printer = m.device_problems.get(RECEIPT_PRINTER)
        if printer:
            out.append(Label(
                device_problem(f"{RECEIPT_PRINTER}:{printer}") + " " +
                tr("您仍可提交，回执编号和查询密码会显示在屏幕上，请拍照或记下；也可请工作人员补打回执。"),
                "error", key="printer"))
        if d.submit_error:
            out.append(Label(message(d.submit_error), "error", key="submit-error"))
            out.append(Button(tr("重试"), Action.RETRY))
        return out


class SubmittingScreen(Screen):
    nav_back = False

    def body(self, m: SessionMachine) -> list[Node]:
        return [Busy(), Label(tr("正在保存并上传您的申请，请不要离开…"), "hint", key="hint")]


def receipt_qr_png(ref: str, password: str) -> bytes:
    """The receipt's QR code on screen too (a citizen without the paper can photograph it)."""
    if not password:
        return b""
    import io

    import segno

    from kiosk.qr_payload import receipt_url

    try:
        url = receipt_url(ref, password)
    except ValueError:
        return b""
    buf = io.BytesIO()
    segno.make_qr(url, error="m").save(buf, kind="png", scale=5, border=2)
    return buf.getvalue()


def case_ref_label() -> str:
    """One name for the case number, on the receipt screen, the printed receipt and the
    status query alike."""
    return tr("办件编号")


class ReceiptScreen(Screen):
    nav_back = False
    nav_next = True

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._qr: tuple[tuple[str, str], bytes] = (("", ""), b"")

    def next_label(self) -> str:
        return tr("去评价")

    def wipe(self) -> None:
        super().wipe()
        self._qr = (("", ""), b"")

    def next_enabled(self, m: SessionMachine) -> bool:
        return m.receipt_ready()

    def body(self, m: SessionMachine) -> list[Node]:
        out_ = m.data.outcome
        if out_ is None:
            return []
        d = m.data
        if out_.delivered:
            state = Label(tr("已收件：您的申请已提交到政务服务平台，等待部门受理。"), "ok", key="state")
            ref = out_.application_id or out_.client_application_id
        else:
            state = Label(tr("收件待上传：网络暂时不可用，申请已安全保存在本机，联网后自动上传。"),
                          "error", key="state")
            ref = out_.client_application_id
        out: list[Node] = []
        if d.citizen is not None:
            out.append(Label(tr("{name}，您好：").format(name=mask_name(d.citizen.name)),
                             key="greet"))
        out.append(state)
        facts = [Label(f"{case_ref_label()}：{ref}", key="ref")]
        if out_.query_password:
            facts.append(Label(tr("查询密码：{pw}").format(pw=out_.query_password), key="pw"))
        if self._qr[0] != (ref, out_.query_password):  # made once per receipt
            self._qr = ((ref, out_.query_password), receipt_qr_png(ref, out_.query_password))
        qr = self._qr[1]
        row_items: list[Node] = [Panel(*facts, key="facts", stretch=1)]
        if qr:
            row_items.append(Image(qr, key="qr", name="receipt-qr"))
        out.append(Row(*row_items, key="facts-row"))
        matter = m.matter
        paid = d.payment if d.payment is not None and d.payment.get("status") == "PAID" else None
        if paid is not None:
            out.append(Label(tr("已缴费 {amount}（统一公共支付）").format(
                amount=amount_text(int(paid.get("amountFen") or 0))), "ok", key="paid"))
        elif d.pay_later and matter is not None:
            out.append(Label(tr("待缴费 {amount}：请在领取结果前到窗口缴纳").format(
                amount=amount_text(matter.fee_fen)), "hint", key="pay-later"))
        subs = bundle.chosen(matter, d.form) if matter is not None else ()
        if matter is not None and subs:
            out.append(Panel(*bundle_lines(matter, subs, m.language), key="bundle"))
        if d.printing:
            out += [Busy(), Label(tr("正在打印回执…"), "hint", key="printing")]
        elif d.printed:
            out.append(Label(tr("请取走您的回执，凭回执上的二维码可随时查询进度。"), "ok",
                             key="printed"))
        elif d.print_error:
            out.append(Label(print_problem(d.print_error), "error", key="print-error"))
            out.append(Button(tr("重新打印"), Action.RETRY))
        out += a4_nodes(m)
        return out


def a4_nodes(m: SessionMachine) -> list[Node]:
    """打印A4文书: the button where the kiosk has an A4 printer, greyed with the reason while it
    cannot print; the job's progress and outcome."""
    shown, problem = a4_offer(m)
    if not shown:
        return []
    d = m.data
    out: list[Node] = []
    if d.a4_printing:
        out += [Busy(key="a4-busy"), Label(tr("正在打印A4文书…"), "hint", key="a4-printing")]
    elif d.a4_printed:
        out.append(Label(tr("A4文书（申请表、受理通知）已打印，请在文书打印机取走。"), "ok",
                         key="a4-printed"))
    if problem:
        out.append(Label(tr("文书打印机{what}，暂时不能打印A4文书；回执不受影响。").format(
            what=fault_word(problem) or tr("暂不可用")), "hint", key="a4-problem"))
    elif d.a4_error:
        out.append(Label(tr("A4文书未能打印，请重试或请工作人员帮助。"), "error", key="a4-error"))
    if not d.a4_printing:
        out.append(Row(Button(tr("打印A4文书"), Action.PRINT_A4, enabled=not problem,
                              icon="print"), key="a4"))
    return out


class RatingScreen(Screen):
    nav_back = False
    nav_next = True
    next_action = Action.CONFIRM

    def next_label(self) -> str:
        return tr("提交评价")

    def body(self, m: SessionMachine) -> list[Node]:
        d = m.data
        out: list[Node] = [Grid(*(Button(rating_level(level), Action.RATE, level, tile=True,
                                         checkable=True, checked=d.rating == level,
                                         icon=f"rate-{i}")
                                  for i, level in enumerate(RATINGS)),
                                key="levels", columns=1 if m.elderly else 5)]
        if d.rating in BAD_RATINGS:
            out.append(Label(tr("请选择原因（可多选）："), key="reasons-title"))
            out.append(Grid(*(Button(bad_reason(code), Action.TOGGLE_REASON, code,
                                     checkable=True, checked=code in d.reasons)
                              for code in BAD_REASONS), key="reasons",
                            columns=2 if m.elderly else 4))
        if d.rating_error:
            out.append(Label(message(d.rating_error), "error", key="rating-error"))
        return out

    def nav_buttons(self, m: SessionMachine) -> list[Node]:
        # 跳过 bottom left, where it stays: in the body it moved down under the finger
        # when the reasons of a bad rating appeared.
        return [Button(tr("跳过"), Action.SKIP, role="quiet"), *super().nav_buttons(m)]


class StatusResultScreen(Screen):
    def body(self, m: SessionMachine) -> list[Node]:
        d = m.data
        if d.status_error:
            return [Label(message(d.status_error), "error", key="status-error")]
        if d.status_result is None:
            return [Busy(), Label(tr("正在查询…"), "hint", key="querying")]
        items: list[Any] = (d.status_result["items"] if "items" in d.status_result
                            else [d.status_result])
        out: list[Node] = []
        if d.citizen is not None:
            out.append(Label(tr("{name} 的办件：").format(name=mask_name(d.citizen.name)),
                             key="whose"))
        if not items:
            out.append(Label(message("not_found"), "hint", key="none"))
        if d.supplement_pending:  # found by the receipt QR: the applicant identifies first
            out.append(Label(tr("补交材料需申请人本人办理：请把申请人的身份证放在读卡区"), "hint",
                             key="lay-card"))
        if d.message:
            out.append(Label(message(d.message), message_style(d.message), key="message"))
        can = {c["applicationId"] for c in m.supplementable()}
        for i, item in enumerate(items):
            if isinstance(item, dict):
                out.append(status_panel(item, f"case:{i}"))
                ref = str(item.get("applicationId") or "")
                if ref in can:  # 补齐补正 here, not at a window (最多跑一次)
                    names = "、".join(str(x.get("name") or x.get("materialCode"))
                                     for x in (item.get("supplement") or {}).get("materials")
                                     or ())
                    out.append(Label(tr("需补交：{m}").format(m=names), key=f"asked:{i}"))
                    out.append(Button(tr("现在补交材料"), Action.START_SUPPLEMENT, ref,
                                      primary=True, name=f"action:start_supplement:{ref}"))
        return out


class SupplementDoneScreen(Screen):
    """补齐补正 sent (or stored, to be sent): the case number and what happens next."""

    nav_back = False
    nav_next = True

    def next_label(self) -> str:
        return tr("完成")

    def body(self, m: SessionMachine) -> list[Node]:
        d = m.data
        out_ = d.supplement_outcome
        sup = d.supplement or {}
        if out_ is None:
            return []
        state = (Label(tr("补正材料已提交，部门将继续办理，结果会通知您。"), "ok", key="state")
                 if out_.delivered else
                 Label(tr("补正材料已安全保存在本机，网络恢复后自动提交，无需再次办理。"), "error",
                       key="state"))
        out: list[Node] = [state, Panel(
            Label(tr("办件：{name}").format(name=sup.get("matterName") or ""), key="name"),
            Label(f"{case_ref_label()}：{sup.get('applicationId', '')}", key="ref"),
            key="facts")]
        if d.supplement_printing:
            out += [Busy(), Label(tr("正在打印补正回执…"), "hint", key="printing")]
        elif d.supplement_printed:
            out.append(Label(tr("请取走您的补正回执。"), "ok", key="printed"))
        elif d.supplement_print_error:
            out.append(Label(print_problem(d.supplement_print_error), "error",
                             key="print-error"))
            out.append(Button(tr("重新打印"), Action.RETRY))
        return out


TIMELINE = ("RECEIVED", "ACCEPTED", "IN_PROGRESS", "FINISHED", "DELIVERED")


def status_panel(item: dict[str, Any], key: str) -> Node:
    status = str(item.get("status", ""))
    ref = (item.get("applicationId") or item.get("clientApplicationId") or "")
    lines: list[Node] = [
        Label(tr("办件：{name}").format(name=item.get("matterName") or item.get("implCode") or ""),
              key="name"),
        Label(f"{case_ref_label()}：{ref}", key="ref")]
    if item.get("projId"):
        lines.append(Label(tr("统一收件码：{p}").format(p=item["projId"]), "hint", key="proj"))
    owner = item.get("applicantName")
    if owner:
        lines.append(Label(tr("申请人：{n}").format(n=mask_name(str(owner))), key="owner"))
    lines.append(Label(tr("状态：{s}").format(s=case_status(status)), key="status"))
    if status in TIMELINE:
        reached = TIMELINE.index(status)
        lines.append(Label("  →  ".join(("● " if i <= reached else "○ ") + case_status(s)
                                        for i, s in enumerate(TIMELINE)), "hint",
                           key="timeline"))
    if item.get("promisedFinishAt"):
        lines.append(Label(tr("承诺办结：{t}").format(t=str(item["promisedFinishAt"])[:10]),
                           key="promised"))
    supplement = item.get("supplement")
    if isinstance(supplement, dict) and supplement.get("reason"):
        lines.append(Label(tr("需补正：{r}").format(r=supplement["reason"]), "error",
                           key="supplement"))
    lines += data_access_lines(item.get("dataAccesses"))
    return Panel(*lines, key=key)


DATA_ACCESS_SHOWN = 5  # the latest ones; the platform's list keeps them all


def data_access_lines(accesses: object) -> list[Node]:
    """数据使用记录: who (staff number, masked) used this application's data, when, where."""
    if not isinstance(accesses, list) or not accesses:
        return []
    out: list[Node] = [Label(tr("数据使用记录："), key="accesses")]
    shown = [a for a in accesses if isinstance(a, dict)][-DATA_ACCESS_SHOWN:]
    for i, a in enumerate(shown):
        when = str(a.get("at", ""))[:16].replace("T", " ")
        where = str(a.get("hallName") or a.get("hall") or "")
        out.append(Label(tr("{t}  {op}  工号 {n}  {hall}").format(
            t=when, op=data_access_operation(str(a.get("operation", ""))),
            n=mask_staff_no(str(a.get("staffNoMasked", ""))), hall=where), "hint",
            key=f"access:{i}"))
    return out

