"""Every printed document of the kiosk, in one place: data in, ESC/POS bytes out.

收件回执 (and its reprint, marked 副本), the 补正回执 of a supplement, the status-query result, the technician's test page
and readiness report. Wording rules: the kiosk states what it received (已收件) or that the
application waits for upload (收件待上传) — never 已受理; names and ID numbers are masked.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from devices.printer.builder import ReceiptBuilder
from devices.printer.types import PaperWidth
from kiosk.privacy import mask_id_number, mask_name
from kiosk.qr_payload import receipt_url
from kiosk.receipts.data import (
    ReadinessData,
    ReceiptData,
    StatusQueryData,
    SupplementReceiptData,
    TestPageData,
)

CST = timezone(timedelta(hours=8), "CST")  # China Standard Time, no DST

# Device availability (devices.status.Availability values) in words for the report.
_STATES = {"READY": "就绪", "BUSY": "忙", "STARTING": "启动中", "DISCONNECTED": "未连接",
           "HARDWARE_ERROR": "故障", "USER_ERROR": "待操作", "OFFLINE": "已停用",
           "NOT_CONFIGURED": "未配置"}

# Agent.kind of the contract, as printed after the 代办人's masked name.
AGENT_KINDS = {"HALL_STAFF": "帮办代办人员", "CITIZEN_AGENT": "受委托人"}

STATE_DELIVERED = "已收件"
STATE_QUEUED = "收件待上传"


def _time(t: datetime) -> str:
    if t.tzinfo is not None:
        t = t.astimezone(CST)
    return t.strftime("%Y-%m-%d %H:%M")


def _builder(paper: int | PaperWidth, charset: str, native_qr: bool,
             cut: str = "full") -> ReceiptBuilder:
    return ReceiptBuilder(PaperWidth.parse(int(paper)), charset, native_qr, cut=cut)


def _header(b: ReceiptBuilder, title: str, hall: str) -> None:
    b.size(2).para(title, "center").size(1)
    b.para(hall, "center")
    b.rule()


def _applicant(b: ReceiptBuilder, name: str, id_number: str) -> None:
    b.kv("申请人", mask_name(name))
    if id_number:
        b.kv("证件号码", mask_id_number(id_number))


def _receipt_qr(data: ReceiptData) -> str:
    """The case URL (docs/receipt-qr.md), or "" when there is nothing valid to encode: the
    platform's id is opaque and may not fit the URL rules, so fall back to our own
    reference rather than fail the receipt."""
    for ref in dict.fromkeys((data.case_ref, data.reference)):
        try:
            return receipt_url(ref, data.query_password, data.query_base)
        except ValueError:
            continue
    return ""


def _yuan(fen: int) -> str:
    whole, cents = divmod(int(fen), 100)
    return f"{whole}" if not cents else f"{whole}.{cents:02d}"


def intake_receipt(data: ReceiptData, paper: int | PaperWidth = 80, charset: str = "gb2312",
                   native_qr: bool = True, cut: str = "full") -> bytes:
    """收件回执. With ``data.copy`` it is the reprint: titled 副本 and marked at the end."""
    b = _builder(paper, charset, native_qr, cut)
    _header(b, "收件回执（副本）" if data.copy else "收件回执", data.hall_name)
    b.kv("终端编号", data.device_id)
    b.kv("收件时间", _time(data.time))
    if data.copy and data.reprinted_at is not None:
        b.kv("补打时间", _time(data.reprinted_at))
    _applicant(b, data.applicant_name, data.applicant_id_number)
    if data.agent_name:
        kind = AGENT_KINDS.get(data.agent_kind, "")
        b.kv("代办人", mask_name(data.agent_name) + (f"（{kind}）" if kind else ""))
    b.kv("办理事项", data.matter_name)
    if data.impl_code:
        b.kv("事项编码", data.impl_code)
    if data.sub_matters:  # 一件事: one application, several departments
        b.line(f"同时办理（{len(data.sub_matters)}项）")
        for i, name in enumerate(data.sub_matters, 1):
            b.para(f"{i}. {name}", indent=3)
    if data.lead_department:
        b.kv("牵头部门", data.lead_department)
    b.rule()
    b.columns2("已收材料", "页数")
    if not data.materials:
        b.line("（无）")
    for i, (name, pages) in enumerate(data.materials, 1):
        b.columns2(f"{i}. {name}", f"{pages}页")
    if data.exempted:
        b.line("免交材料")
        for i, (name, reason) in enumerate(data.exempted, 1):
            b.para(f"{i}. {name}（{reason}）", indent=3)
    b.rule()
    if data.paid_fen:
        b.kv("已缴费", f"{_yuan(data.paid_fen)}元（统一公共支付）")
    if data.pay_at_window_fen:
        b.kv("待缴费", f"{_yuan(data.pay_at_window_fen)}元，请到窗口缴纳")
    b.kv("送达方式", data.delivery)
    if data.application_id:
        b.kv("办件编号", data.application_id)
    else:
        b.kv("本地编号", data.reference)
    if data.delivered:
        b.kv("当前状态", STATE_DELIVERED)
        b.kv("", "材料已提交统一受理平台，由部门审查后受理，受理结果另行通知。")
    else:
        b.kv("当前状态", STATE_QUEUED)
        b.kv("", "网络暂不可用，申请已安全保存在本机，恢复后自动上传，无需再次办理。")
    if data.promised_days > 0:
        b.kv("承诺时限", f"{data.promised_days}个工作日（自受理之日起计算）")
    else:
        b.kv("承诺时限", "即办（受理后当场办结）")
    if data.query_password:
        b.kv("查询密码", data.query_password)
    b.rule()
    url = _receipt_qr(data)
    if url:
        b.feed(1)
        b.qr(url)
        b.feed(1)
        b.para("扫码或在任一自助终端扫描此码查询办理进度", "center")
    b.para("请对本次服务作出评价（好差评）：在屏幕上评价，或查询进度时评价。", "left")
    b.para("本回执为收件凭证，请妥善保管；受理与办理结果以部门通知为准。", "left")
    if data.copy:
        b.line("—— 副本 ——", "center")
    b.cut()
    return b.bytes()


def supplement_receipt(data: SupplementReceiptData, paper: int | PaperWidth = 80,
                       charset: str = "gb2312", native_qr: bool = True,
                       cut: str = "full") -> bytes:
    """补正回执: the materials handed in for a case a department asked to supplement. The same
    wording rules as the 收件回执: received (已收件) or waiting for upload, never 已受理."""
    b = _builder(paper, charset, native_qr, cut)
    _header(b, "补正回执", data.hall_name)
    b.kv("终端编号", data.device_id)
    b.kv("补正时间", _time(data.time))
    _applicant(b, data.applicant_name, data.applicant_id_number)
    b.kv("办理事项", data.matter_name)
    b.kv("办件编号", data.application_id)
    if data.reason:
        b.kv("补正原因", data.reason)
    b.rule()
    b.columns2("补交材料", "页数")
    if not data.materials:
        b.line("（无）")
    for i, (name, pages) in enumerate(data.materials, 1):
        b.columns2(f"{i}. {name}", f"{pages}页")
    b.rule()
    b.kv("补正编号", data.reference)
    if data.delivered:
        b.kv("当前状态", f"补正材料{STATE_DELIVERED}")
        b.kv("", "补正材料已提交统一受理平台，由部门审查，结果另行通知。")
    else:
        b.kv("当前状态", f"补正材料{STATE_QUEUED}")
        b.kv("", "网络暂不可用，补正材料已安全保存在本机，恢复后自动上传，无需再次办理。")
    b.rule()
    b.para("本回执为补正材料的收件凭证，请妥善保管；办理结果以部门通知为准。", "left")
    b.cut()
    return b.bytes()


def status_query_receipt(data: StatusQueryData, paper: int | PaperWidth = 80,
                         charset: str = "gb2312", native_qr: bool = True,
                         cut: str = "full") -> bytes:
    """办件查询结果: the cases found for the citizen and their state as the platform said."""
    b = _builder(paper, charset, native_qr, cut)
    _header(b, "办件查询结果", data.hall_name)
    b.kv("终端编号", data.device_id)
    b.kv("查询时间", _time(data.time))
    _applicant(b, data.applicant_name, data.applicant_id_number)
    if data.offline:
        b.para("（网络暂不可用：仅显示本机待上传的申请）")
    b.rule()
    if not data.cases:
        b.line("未查到办件记录。")
    for i, case in enumerate(data.cases, 1):
        b.para(f"{i}. {case.matter_name}", indent=3)
        b.kv("   编号", case.case_ref)
        b.kv("   状态", case.status)
        if case.updated is not None:
            b.kv("   更新", _time(case.updated))
        if case.note:
            b.kv("   说明", case.note)
    b.rule()
    b.para("办理进度以统一受理平台为准。", "left")
    b.cut()
    return b.bytes()


def technician_test_page(data: TestPageData, paper: int | PaperWidth = 80,
                         charset: str = "gb2312", native_qr: bool = True,
                         cut: str = "full") -> bytes:
    """The technician's test page: identity, width rulers, Chinese in both sizes, a raster
    line with characters outside GB2312, alignment, QR and barcode, cut."""
    b = _builder(paper, charset, native_qr, cut)
    _header(b, "打印机测试页", data.hall_name)
    b.kv("终端编号", data.device_id)
    b.kv("时间", _time(data.time))
    for key, value in data.printer:
        b.kv(key, value or "-")
    b.kv("纸宽", f"{b.paper.value}mm，{b.paper.columns}列")
    b.rule()
    digits = "".join(str(i % 10) for i in range(1, b.columns + 1))
    b.line(digits)
    b.line("中" * (b.columns // 2))
    b.line("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789")
    b.line("全角标点：，。；：？！“”（）【】￥")
    b.line("左对齐", "left").line("居中", "center").line("右对齐", "right").align("left")
    b.size(2).line("倍高倍宽").size(1)
    b.line("生僻字（图像打印）：喆堃镕", "left")
    b.columns2("标签/值对齐 Label", "值 Value")
    b.rule()
    b.qr("https://zwfw.example.gov.cn/uap/q/TESTPAGE01?pw=TEST01")
    b.barcode("TEST-1234")
    b.line("测试结束", "center")
    b.cut()
    return b.bytes()


def readiness_report(data: ReadinessData, paper: int | PaperWidth = 80,
                     charset: str = "gb2312", native_qr: bool = True,
                     cut: str = "full") -> bytes:
    """就绪报告: device states, the last test actions, the offline queue."""
    b = _builder(paper, charset, native_qr, cut)
    _header(b, "终端就绪报告", data.hall_name)
    b.kv("终端编号", data.device_id)
    b.kv("时间", _time(data.time))
    if data.version:
        b.kv("软件版本", data.version)
    if data.platform_reachable is not None:
        b.kv("受理平台", "可连接" if data.platform_reachable else "无法连接")
    b.rule()
    b.line("设备状态")
    for d in data.devices:
        b.columns2(f"{d.name}" + (f" {d.model}" if d.model else ""),
                   _STATES.get(d.state, d.state))
        if d.detail:
            b.para("  " + d.detail, indent=2)
    b.rule()
    b.line("最近测试")
    if not data.last_tests:
        b.line("（无记录）")
    for t in data.last_tests:
        when = _time(t.time) if t.time else ""
        b.columns2(f"{t.name} {when}".strip(), "通过" if t.passed else "失败")
        if t.detail:
            b.para("  " + t.detail, indent=2)
    b.rule()
    b.line("离线队列")
    b.kv("待上传", str(data.queue_pending))
    b.kv("上传失败", str(data.queue_dead))
    if data.queue_oldest is not None:
        b.kv("最早一笔", _time(data.queue_oldest))
    b.cut()
    return b.bytes()
