"""补正回执 (kiosk.receipts.templates.supplement_receipt): what a supplement handed in, the case
it belongs to, received or waiting for upload — never 已受理 — and the applicant masked like
the 收件回执's. Read back through the ESC/POS renderer, as the paper would show it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devices.printer.render import render
from devices.printer.types import PaperWidth
from kiosk.receipts import samples
from kiosk.receipts.supplement import supplement_from_session
from kiosk.receipts.templates import STATE_DELIVERED, STATE_QUEUED, supplement_receipt

SESSION = {"applicantName": samples.DEMO_NAME, "applicantCertNo": samples.DEMO_ID_NUMBER,
           "matterName": "提取住房公积金", "applicationId": "ZJ330106-2026-000123",
           "reason": "提取原因证明不清晰，请重新拍摄", "materials": [("提取原因证明", 2)],
           "reference": "019b0d3c-5e2a-7a41-8c3e-000000000001", "delivered": True}


def _receipt(width: int = 80, **changes: object) -> tuple[bytes, str]:
    data = supplement_from_session({**SESSION, **changes}, hall_name="测试政务服务中心",
                                   device_id="KIOSK-TEST-01",
                                   time=datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    raw = supplement_receipt(data, width)
    return raw, render(raw, PaperWidth(width).dots).text


@pytest.mark.parametrize("width", [80, 58])
def test_supplement_receipt_names_the_case_the_materials_and_masks_the_applicant(
        width: int) -> None:
    raw, text = _receipt(width)
    assert "补正回执" in text and "ZJ330106-2026-000123" in text
    assert "提取原因证明" in text and "2页" in text and "16:00" in text  # CST
    assert "张*" in text and "9901**********0012" in text
    for encoding in ("gb18030", "utf-8"):
        assert samples.DEMO_ID_NUMBER.encode(encoding) not in raw
        assert samples.DEMO_NAME.encode(encoding) not in raw
    assert render(raw, PaperWidth(width).dots).cuts == 1


def test_supplement_receipt_says_received_or_waiting_and_never_accepted() -> None:
    _raw, delivered = _receipt(delivered=True)
    _raw, queued = _receipt(delivered=False)
    assert STATE_DELIVERED in delivered and STATE_QUEUED not in delivered
    assert STATE_QUEUED in queued
    assert "已受理" not in delivered + queued
