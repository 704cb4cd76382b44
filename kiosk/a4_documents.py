"""The citizen's A4 copy (打印A4文书): one PDF job with the application form (申请表), the
signed 承诺书 where a material was replaced by a promise (kiosk.promise), and the acceptance
notice (受理通知: receipt number, time, kiosk, lead department, promised time limit). Also
the A4 printer's technician test page. No Qt here; built on a worker, in memory only.

Privacy (docs/security.md): the copy is the applicant's own document, so it carries their
name in full; the identity-document number is masked to its first and last four characters
on the form and the notice (a sheet left in the tray shows no full number), and free-text
form answers are masked like any text (ID and mobile numbers). The 承诺书 is printed exactly
as it was attached to the application (kiosk.promise), the applicant in full.

The PDF's /Title is the receipt number (the 收件回执's reference): a printer queue shows it,
and nothing personal.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.privacy import mask_id_number, mask_text
from kiosk.promise import wrap_text


class PromiseDoc(Protocol):
    """A signed promise (kiosk.session.effects.PromiseDoc; not imported: no cycle)."""

    @property
    def material_name(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def strokes(self) -> tuple[tuple[tuple[float, float], ...], ...]: ...

PAGE_W, PAGE_H, MARGIN = 1240, 1754, 110  # A4 at 150 dpi


@dataclass(frozen=True)
class A4Copy:
    """What the citizen's A4 copy states; built by the session (kiosk.session.a4)."""

    receipt: Mapping[str, Any]  # kiosk.session.application.receipt_content
    application: Mapping[str, Any]  # the ApplicationRequest submitted (for the 承诺书 digest)
    form: tuple[tuple[str, str], ...]  # (label, answer) of the form as submitted
    department: str  # the matter's lead department
    promises: tuple[PromiseDoc, ...] = ()
    submitted_at: str = ""  # RFC 3339, when the kiosk confirmed the submission
    extra: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # citizen data stays out of tracebacks and logs
        return f"A4Copy({self.receipt.get('clientApplicationId')}, {len(self.promises)} promises)"

    @property
    def reference(self) -> str:
        return str(self.receipt.get("clientApplicationId", ""))


def _fonts() -> tuple[Any, Any, Any]:
    from PIL import ImageFont

    from devices.printer.cjk import CJK_FONT

    return (ImageFont.truetype(str(CJK_FONT), 52), ImageFont.truetype(str(CJK_FONT), 30),
            ImageFont.truetype(str(CJK_FONT), 22))


class _Pages:
    """Text laid out on A4 pages, a new page when one is full."""

    def __init__(self, title: str, footer: str) -> None:
        self.title, self.footer = title, footer
        self.pages: list[Any] = []
        self.big, self.body, self.small = _fonts()
        self._new()

    def _new(self) -> None:
        from PIL import Image, ImageDraw

        self.page = Image.new("L", (PAGE_W, PAGE_H), 255)
        self.draw = ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.draw.text((PAGE_W / 2, MARGIN), self.title, font=self.big, fill=0, anchor="mt")
        self.draw.text((MARGIN, PAGE_H - MARGIN), self.footer, font=self.small, fill=0)
        self.y = MARGIN + 100

    def line(self, text: str, small: bool = False, indent: int = 0) -> None:
        font = self.small if small else self.body
        step = 34 if small else 46
        width = PAGE_W - 2 * MARGIN - indent
        for part in wrap_text(self.draw, text, font, width):
            if self.y + step > PAGE_H - MARGIN - 60:
                self._new()
            self.draw.text((MARGIN + indent, self.y), part, font=font, fill=0)
            self.y += step

    def gap(self, h: int = 24) -> None:
        self.y += h

    def png(self) -> list[bytes]:
        out = []
        for p in self.pages:
            buf = io.BytesIO()
            p.save(buf, "PNG")
            out.append(buf.getvalue())
        return out


def _answer(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_answer(v) for v in value)
    if isinstance(value, Mapping):
        return "；".join(f"{k}：{_answer(v)}" for k, v in value.items())
    return mask_text(str(value))


def form_answers(schema: Mapping[str, Any], form: Mapping[str, Any]) -> tuple[tuple[str, str],
                                                                                ...]:
    """(label, answer) of each answered field, in the schema's order, labelled by its title."""
    props = schema.get("properties") or {}
    keys = [k for k in props if k in form] + [k for k in form if k not in props]
    out = []
    for key in keys:
        value = form[key]
        if value in (None, "", [], {}):
            continue
        title = str((props.get(key) or {}).get("title") or key)
        out.append((title, _answer(value)))
    return tuple(out)


DELIVERY = {"WINDOW_PICKUP": "窗口领取", "EXPRESS": "快递送达", "ELECTRONIC": "电子证照"}


def _form_pages(doc: A4Copy, hall: str, device_id: str, printed_at: str) -> list[bytes]:
    r = doc.receipt
    p = _Pages("申请表", f"{hall}  自助终端 {device_id}  打印时间 {printed_at}  "
                        f"收件编号 {doc.reference}")
    p.line(f"办理事项：{r.get('matterName', '')}（{r.get('matterCode', '')}）")
    if r.get("subMatters"):
        p.line("一件事：" + "、".join(str(s) for s in r["subMatters"]))
    p.line(f"申请人：{r.get('applicantName', '')}")
    p.line(f"证件号码：{mask_id_number(str(r.get('applicantCertNo', '')))}")
    agent = r.get("agent") or {}
    if agent:
        p.line(f"代办人：{agent.get('name', '')}")
    p.gap()
    p.line("申请内容")
    for label, answer in doc.form:
        p.line(f"{label}：{answer}", indent=30)
    p.gap()
    p.line("提交材料")
    for name, count in r.get("materialsReceived") or ():
        p.line(f"{name}（{count} 页，已拍照上传）", indent=30)
    for name in r.get("materialsExempted") or ():
        p.line(f"{name}（数据共享，免交）", indent=30)
    for name in r.get("materialsPromised") or ():
        p.line(f"{name}（告知承诺，以承诺书代替）", indent=30)
    for name in r.get("materialsOnPaper") or ():
        p.line(f"{name}（请到窗口交验原件）", indent=30)
    p.gap()
    mode = str(r.get("deliveryMode", ""))
    p.line(f"取件方式：{DELIVERY.get(mode, mode)}")
    if r.get("deliveryAddress"):
        p.line(f"送达地址：{r['deliveryAddress']}", indent=30)
    return p.png()


def _notice_pages(doc: A4Copy, hall: str, device_id: str, printed_at: str) -> list[bytes]:
    r = doc.receipt
    delivered = bool(r.get("delivered")) and bool(r.get("applicationId"))
    # Acceptance is the back office's act: a case still in the queue is not called accepted.
    title = "受理通知" if delivered else "收件通知（待上传）"
    p = _Pages(title, f"{hall}  自助终端 {device_id}  打印时间 {printed_at}")
    p.line(f"申请人：{r.get('applicantName', '')}（证件号码 "
           f"{mask_id_number(str(r.get('applicantCertNo', '')))}）")
    p.line(f"办理事项：{r.get('matterName', '')}")
    p.line(f"收件编号：{doc.reference}")
    if r.get("applicationId"):
        p.line(f"平台申请号：{r['applicationId']}")
    p.line(f"提交时间：{doc.submitted_at or printed_at}")
    p.line(f"自助终端：{device_id}（{hall}）")
    p.line(f"牵头部门：{r.get('leadDepartment') or doc.department or '—'}")
    promised = str(r.get("promised") or "")
    days = promised.split(" ")[0]
    p.line("承诺办结时限：" + (f"{days} 个工作日" if days.isdigit() else "即办"))
    p.gap()
    if delivered:
        p.line("您的申请已由统一受理平台接收，受理与审批结果以承办部门的通知为准。")
    else:
        p.line("网络暂不可用：申请已安全保存在本终端，联网后自动上传；上传前不视为已受理。")
    if r.get("queryPassword"):
        p.line("可凭收件回执上的二维码或查询密码在自助终端、政务服务网查询办理进度。")
    if r.get("payAtWindowFen"):
        p.line(f"请到窗口缴纳费用 {int(r['payAtWindowFen']) / 100:.2f} 元。")
    return p.png()


def _promise_pages(doc: A4Copy, device_id: str) -> list[bytes]:
    from kiosk.promise import payload_digest, promise_page

    if not doc.promises:
        return []
    applicant = doc.application.get("applicant") or {}
    digest = payload_digest(doc.application)
    return [promise_page(
        matter_name=str(doc.receipt.get("matterName", "")), material_name=x.material_name,
        text=x.text, applicant_name=str(applicant.get("name", "")),
        cert_no=str(applicant.get("certNo", "")), signed_at=doc.submitted_at,
        device_id=device_id, payload_sha256=digest, strokes=x.strokes) for x in doc.promises]


def pages_pdf(pages: Sequence[bytes], title: str) -> bytes:
    """A4 page images (PNG) as one PDF whose /Title is ``title``."""
    import img2pdf

    layout = img2pdf.get_layout_fun((img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)))
    return bytes(img2pdf.convert(list(pages), layout_fun=layout, title=title,
                                 producer="hall-kiosk", creator="hall-kiosk"))


def a4_copy_pdf(doc: A4Copy, *, hall_name: str, device_id: str, printed_at: str) -> bytes:
    """The application form, the 承诺书 (one page per promise) and the notice, as one PDF."""
    pages = (_form_pages(doc, hall_name, device_id, printed_at)
             + _promise_pages(doc, device_id)
             + _notice_pages(doc, hall_name, device_id, printed_at))
    return pages_pdf(pages, doc.reference)


def a4_page_count(doc: A4Copy) -> int:
    """Pages the copy will have at least (form and notice one each, one per promise)."""
    return 2 + len(doc.promises)


def a4_test_page_pdf(*, hall_name: str, device_id: str, software: str, printed_at: str,
                  facts: Sequence[tuple[str, str]] = ()) -> bytes:
    """The A4 printer's technician test page: kiosk, time, printer facts; no citizen data."""
    p = _Pages("A4 文书打印机测试页", f"{hall_name}  自助终端 {device_id}")
    p.line(f"大厅：{hall_name}")
    p.line(f"自助终端：{device_id}")
    p.line(f"软件：{software}")
    p.line(f"时间：{printed_at}")
    for k, v in facts:
        p.line(f"{k}：{v}")
    p.gap()
    p.line("中文字样：一窗受理 集成服务 最多跑一次")
    return pages_pdf(p.png(), f"test page {device_id}")
