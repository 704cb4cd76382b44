"""Fictitious sample documents (demo identities, clearly marked) for ``kiosk receipt sample``,
the test page and the golden-byte tests. Nothing here is a real person or case."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from kiosk.receipts.data import (
    CaseLine,
    DeviceLine,
    ReadinessData,
    ReceiptData,
    StatusQueryData,
    TestLine,
    TestPageData,
)
from kiosk.receipts.templates import CST

DEMO_HALL = "西湖区民生服务中心（演示）"
DEMO_DEVICE = "DEMO-KIOSK-0001"
DEMO_TIME = datetime(2026, 11, 22, 10, 30, tzinfo=CST)
# Demo identity: region code 99xxxx does not exist, so this cannot be anybody's number.
DEMO_NAME = "张三"
DEMO_ID_NUMBER = "990101199001010012"
DEMO_REFERENCE = "0196f0a2-7c1e-7b3a-9d2e-2f6a1b3c4d5e"  # a clientApplicationId (UUIDv7)
DEMO_PASSWORD = "K7Q2M9"


def sample_receipt(hall: str = DEMO_HALL, device: str = DEMO_DEVICE,
                   delivered: bool = False) -> ReceiptData:
    return ReceiptData(
        hall_name=hall, device_id=device, time=DEMO_TIME,
        applicant_name=DEMO_NAME, applicant_id_number=DEMO_ID_NUMBER,
        matter_name="城乡居民基本医疗保险参保登记（演示事项）",
        impl_code="11330106MB0000000X4330106001000",
        materials=(("居民身份证", 2), ("户口簿首页及本人页", 2), ("参保登记表（No.2026-A）", 1)),
        exempted=(("户籍证明", "数据共享已获取"), ("婚姻状况证明", "告知承诺免交")),
        delivery="窗口领取",
        reference=DEMO_REFERENCE,
        application_id="ZJ330106-2026-000123" if delivered else "",
        delivered=delivered, promised_days=5, query_password=DEMO_PASSWORD)


def sample_reprint() -> ReceiptData:
    return replace(sample_receipt(delivered=True), copy=True,
                   reprinted_at=datetime(2026, 11, 23, 9, 5, tzinfo=CST))


def sample_status_query() -> StatusQueryData:
    return StatusQueryData(
        hall_name=DEMO_HALL, device_id=DEMO_DEVICE, time=DEMO_TIME,
        applicant_name=DEMO_NAME, applicant_id_number=DEMO_ID_NUMBER,
        cases=(CaseLine("城乡居民基本医疗保险参保登记（演示事项）", "ZJ330106-2026-000123",
                        "已受理", datetime(2026, 11, 22, 14, 0, tzinfo=CST)),
               CaseLine("个人公积金缴存证明（演示事项）", DEMO_REFERENCE, "收件待上传",
                        None, "网络恢复后自动上传")))


def sample_readiness() -> ReadinessData:
    return ReadinessData(
        hall_name=DEMO_HALL, device_id=DEMO_DEVICE, time=DEMO_TIME,
        devices=(DeviceLine("身份证阅读器", "READY", model="SIM-GA467"),
                 DeviceLine("高拍仪", "READY"),
                 DeviceLine("打印机", "READY", "纸将尽（PAPER_LOW）", "KIOSK-SIM80"),
                 DeviceLine("扫码器", "DISCONNECTED", "没有应答，正在重连")),
        last_tests=(TestLine("打印测试页", True, DEMO_TIME),
                    TestLine("读卡测试", False, DEMO_TIME, "未放卡")),
        queue_pending=2, queue_dead=0, queue_oldest=DEMO_TIME, platform_reachable=False,
        version="0.1.0")


def sample_test_page() -> TestPageData:
    return TestPageData(DEMO_HALL, DEMO_DEVICE, DEMO_TIME,
                        (("型号", "KIOSK-SIM80"), ("厂商", "Simulated"), ("固件", "1.0"),
                         ("端口", "simulator")))
