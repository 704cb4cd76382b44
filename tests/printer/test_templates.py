"""Golden bytes for every template on both paper widths, and what each document must (not)
say. Regenerate the goldens after an intended change with

    PRINTER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/printer/test_templates.py

and review the PNGs (``kiosk receipt render``) before committing them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from devices.printer.render import render
from devices.printer.stream import tokenize
from devices.printer.types import PaperWidth
from kiosk.qr_payload import receipt_url
from kiosk.receipts import (
    STATE_DELIVERED,
    STATE_QUEUED,
    ReceiptData,
    intake_receipt,
    readiness_report,
    samples,
    status_query_receipt,
    technician_test_page,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PRINTER_UPDATE_GOLDEN") == "1"

TEMPLATES: dict[str, Callable[[int], bytes]] = {
    "intake-queued": lambda w: intake_receipt(samples.sample_receipt(), w),
    "intake-delivered": lambda w: intake_receipt(samples.sample_receipt(delivered=True), w),
    "reprint": lambda w: intake_receipt(samples.sample_reprint(), w),
    "status-query": lambda w: status_query_receipt(samples.sample_status_query(), w),
    "test-page": lambda w: technician_test_page(samples.sample_test_page(), w),
    "readiness": lambda w: readiness_report(samples.sample_readiness(), w),
}


def text_of(data: bytes, width: int = 80) -> str:
    return render(data, PaperWidth(width).dots).text


@pytest.mark.parametrize("width", [80, 58])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_bytes_match_golden(name: str, width: int) -> None:
    data = TEMPLATES[name](width)
    path = GOLDEN / f"{name}-{width}.bin"
    if UPDATE:
        path.write_bytes(data)
    assert path.exists(), f"missing golden {path.name}: run with PRINTER_UPDATE_GOLDEN=1"
    golden = path.read_bytes()
    if data != golden:
        ours, theirs = tokenize(data)[0], tokenize(golden)[0]
        first = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False))
                      if a != b), min(len(ours), len(theirs)))
        pytest.fail(f"{path.name}: differs at token {first}: "
                    f"{ours[first:first + 1]!r} vs golden {theirs[first:first + 1]!r}")


@pytest.mark.parametrize("width", [80, 58])
def test_every_template_ends_with_a_cut(width: int) -> None:
    for name, make in TEMPLATES.items():
        assert render(make(width)).cuts == 1, name


def test_queued_receipt_says_waiting_for_upload_and_never_accepted() -> None:
    text = text_of(intake_receipt(samples.sample_receipt(delivered=False), 80))
    assert STATE_QUEUED in text and "本地编号" in text and samples.DEMO_REFERENCE in text
    assert "已受理" not in text and STATE_DELIVERED + "\n" not in text


def test_delivered_receipt_says_received_with_the_platform_number() -> None:
    text = text_of(intake_receipt(samples.sample_receipt(delivered=True), 80))
    assert "当前状态  已收件" in text and "ZJ330106-2026-000123" in text
    assert "已受理" not in text and STATE_QUEUED not in text


@pytest.mark.parametrize("width", [80, 58])
def test_receipt_masks_the_applicant(width: int) -> None:
    data = intake_receipt(samples.sample_receipt(), width)
    text = text_of(data, width)
    assert "张*" in text and "9901**********0012" in text
    for encoding in ("gb18030", "utf-8"):
        assert samples.DEMO_ID_NUMBER.encode(encoding) not in data
        assert samples.DEMO_NAME.encode(encoding) not in data


def test_receipt_lists_materials_exemptions_delivery_limit_password_and_rating() -> None:
    text = text_of(intake_receipt(samples.sample_receipt(), 80))
    for expected in ("居民身份证", "2页", "户籍证明（数据共享已获取）", "窗口领取",
                     "5个工作日", "K7Q2M9", "好差评", "终端编号  DEMO-KIOSK-0001",
                     "收件时间  2026-11-22 10:30", "城乡居民基本医疗保险参保登记"):
        assert expected in text, expected


def test_reprint_is_marked_as_a_copy() -> None:
    text = text_of(intake_receipt(samples.sample_reprint(), 80))
    assert text.startswith("收件回执（副本）") and "—— 副本 ——" in text
    assert "补打时间  2026-11-23 09:05" in text
    original = text_of(intake_receipt(samples.sample_receipt(delivered=True), 80))
    assert "副本" not in original


def test_readiness_report_lists_devices_tests_and_queue() -> None:
    text = text_of(readiness_report(samples.sample_readiness(), 80))
    for expected in ("打印机 KIOSK-SIM80", "未连接", "就绪", "读卡测试", "失败",
                     "待上传    2", "上传失败  0", "受理平台  无法连接"):
        assert expected in text, expected


def test_status_query_shows_the_platform_states() -> None:
    text = text_of(status_query_receipt(samples.sample_status_query(), 58), 58)
    assert "已受理" in text and "收件待上传" in text and "ZJ330106-2026-000123" in text


def test_platform_id_unfit_for_the_url_falls_back_to_our_reference_in_the_qr() -> None:
    data = replace(samples.sample_receipt(delivered=True), application_id="浙办/2026/123")
    r = render(intake_receipt(data, 80))
    assert r.qr_payloads == [receipt_url(samples.DEMO_REFERENCE, samples.DEMO_PASSWORD)
                             .encode()]
    assert "浙办/2026/123" in r.text  # still printed as the case number


def test_receipt_without_password_prints_no_qr() -> None:
    data = replace(samples.sample_receipt(), query_password="")
    r = render(intake_receipt(data, 58), 384)
    assert r.qr_payloads == [] and "查询密码" not in r.text and r.cuts == 1


def test_masked_copy_kept_for_reprints_prints_the_same_and_holds_no_clear_data() -> None:
    data = samples.sample_receipt(delivered=True)
    kept = data.masked()
    stored = json.dumps(kept.to_dict(), ensure_ascii=False)
    assert samples.DEMO_ID_NUMBER not in stored and samples.DEMO_NAME not in stored
    back = ReceiptData.from_dict(json.loads(stored))
    assert back == kept
    assert intake_receipt(back, 80) == intake_receipt(data, 80)
    reprint = replace(back, copy=True)
    assert "副本" in render(intake_receipt(reprint, 80)).text


def test_receipt_data_reprs_leave_out_the_citizen_and_the_query_password() -> None:
    for data in (samples.sample_receipt(delivered=True), samples.sample_status_query()):
        shown = repr(data)
        assert samples.DEMO_NAME not in shown and samples.DEMO_ID_NUMBER not in shown
        assert samples.DEMO_PASSWORD not in shown and "DEMO-KIOSK-0001" in shown


def test_bundle_receipt_lists_the_sub_matters_and_the_lead_department() -> None:
    data = replace(samples.sample_receipt(delivered=True), matter_name="新生儿出生“一件事”",
                   sub_matters=("出生医学证明办理", "新生儿户口登记（出生登记）", "预防接种证办理"),
                   lead_department="西湖区卫生健康局")
    text = text_of(intake_receipt(data, 80))
    assert "同时办理（3项）" in text and "3. 预防接种证办理" in text
    assert "牵头部门  西湖区卫生健康局" in text
    kept = ReceiptData.from_dict(data.masked().to_dict())  # the copy kept for a reprint
    assert kept.sub_matters == data.sub_matters and kept.lead_department == "西湖区卫生健康局"


def test_receipt_shows_the_fee_paid_at_the_kiosk_or_left_for_the_window() -> None:
    paid = text_of(intake_receipt(replace(samples.sample_receipt(delivered=True),
                                          paid_fen=8000), 80))
    assert "80元（统一公共支付）" in paid and "已缴费" in paid
    later = text_of(intake_receipt(replace(samples.sample_receipt(delivered=True),
                                           pay_at_window_fen=1050), 80))
    assert "10.50元，请到窗口缴纳" in later and "已缴费" not in later
