"""The citizen's A4 copy (kiosk.a4_documents): the form, one 承诺书 per promise and the notice
as A4 pages of one PDF titled with the receipt number; a long form runs onto more pages."""

from __future__ import annotations

import re

from devices.document_printer.types import pdf_page_count
from kiosk.a4_documents import A4Copy, a4_copy_pdf, a4_test_page_pdf, form_answers
from kiosk.session.effects import PromiseDoc

REF = "019b0d3c-5e2a-7a41-8c3e-000000000001"
RECEIPT = {"matterName": "提取住房公积金", "matterCode": "TEST-GJJ-001",
           "applicantName": "测试张三", "applicantCertNo": "990101190001010011",
           "materialsReceived": [("身份证", 2)], "materialsExempted": [],
           "materialsOnPaper": [], "materialsPromised": ["提取原因证明"],
           "deliveryMode": "WINDOW_PICKUP", "delivered": True, "clientApplicationId": REF,
           "applicationId": "ZJ-1", "queryPassword": "123456", "promised": "3 WORKDAY"}
APPLICATION = {"implCode": "TEST-GJJ-001",
               "applicant": {"name": "测试张三", "certNo": "990101190001010011"}}
STROKES = (tuple((0.1 + 0.8 * i / 23, 0.3 if i % 2 else 0.7) for i in range(24)),)


def _pages(pdf: bytes) -> int:
    return pdf_page_count(pdf)


def _copy(**changes: object) -> A4Copy:
    base: dict[str, object] = dict(receipt=RECEIPT, application=APPLICATION,
                                   form=(("提取金额", "5000"),), department="测试公积金中心")
    base.update(changes)
    return A4Copy(**base)  # type: ignore[arg-type]


def test_the_copy_is_form_and_notice_titled_with_the_receipt_number() -> None:
    pdf = a4_copy_pdf(_copy(), hall_name="测试大厅", device_id="KIOSK-TEST-01",
                      printed_at="2026-12-07T16:00:00+08:00")
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 2
    assert re.search(rb"/Title\s*\(" + REF.encode() + rb"\)", pdf)
    assert b"990101190001010011" not in pdf and "测试张三".encode("utf-16-be") not in pdf


def test_a_signed_promise_adds_its_page() -> None:
    promise = PromiseDoc("M0003-02", "提取原因证明", "本人承诺所述提取原因真实。", STROKES)
    pdf = a4_copy_pdf(_copy(promises=(promise,)), hall_name="测试大厅",
                      device_id="KIOSK-TEST-01", printed_at="2026-12-07T16:00:00+08:00")
    assert _pages(pdf) == 3


def test_a_long_form_runs_onto_another_page() -> None:
    form = tuple((f"字段{i}", "很长的回答" * 8) for i in range(60))
    pdf = a4_copy_pdf(_copy(form=form), hall_name="测试大厅", device_id="KIOSK-TEST-01",
                      printed_at="2026-12-07T16:00:00+08:00")
    assert _pages(pdf) >= 4


def test_form_answers_use_titles_and_mask_numbers_in_free_text() -> None:
    schema = {"properties": {"phone": {"title": "手机号"}, "subs": {"title": "一件事"},
                             "ok": {"title": "同意"}}}
    answers = form_answers(schema, {"phone": "13800000000", "subs": ["出生医学证明", "户口"],
                                    "ok": True, "empty": ""})
    assert answers == (("手机号", "138****0000"), ("一件事", "出生医学证明、户口"), ("同意", "是"))


def test_the_a4_test_page_is_one_page() -> None:
    pdf = a4_test_page_pdf(hall_name="测试大厅", device_id="KIOSK-TEST-01", software="1.0",
                        printed_at="2026-12-07T16:00:00+08:00", facts=(("型号", "sink"),))
    assert _pages(pdf) == 1
