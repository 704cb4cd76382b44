"""The session's receipt dict → ``ReceiptData``, and printing it on the kiosk's printer.

One function for both the printed receipt (``AppServices.print_receipt``) and the copy kept
for a staff reprint (``kiosk.receipts.store``), so the two can never drift apart. The dict
is what ``kiosk.session.application.receipt_content`` builds, plus an optional ``agent``
(the contract's ``Agent`` object, or at least ``{"kind": …, "name": …}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from devices.status import Result
from kiosk.receipts.data import ReceiptData

DELIVERY_TEXT = {"WINDOW": "窗口领取", "WINDOW_PICKUP": "窗口领取", "EXPRESS": "快递送达",
                 "ELECTRONIC": "电子证照"}
EXEMPT_REASON = "数据共享已获取"
PAPER_REASON = "领取时窗口交验原件"
PROMISE_REASON = "告知承诺，已签署承诺书"


def delivery_text(mode: str) -> str:
    return DELIVERY_TEXT.get(mode, mode)


def receipt_from_session(receipt: Mapping[str, Any], *, hall_name: str, device_id: str,
                         time: datetime) -> ReceiptData:
    """The 收件回执 of one confirmed application. Citizen data stays in clear here (the
    templates mask it); call ``.masked()`` before keeping it anywhere. A missing required
    key is a bug of the caller (``KeyError``)."""
    promised = str(receipt.get("promised", "")).split(" ")[0]
    agent = receipt.get("agent") or {}
    return ReceiptData(
        hall_name=hall_name, device_id=device_id, time=time,
        applicant_name=receipt["applicantName"],
        applicant_id_number=receipt["applicantCertNo"], matter_name=receipt["matterName"],
        impl_code=receipt["matterCode"],
        materials=tuple((name, int(n)) for name, n in receipt["materialsReceived"]),
        exempted=tuple((name, EXEMPT_REASON) for name in receipt["materialsExempted"])
        + tuple((name, PAPER_REASON) for name in receipt.get("materialsOnPaper", ()))
        + tuple((name, PROMISE_REASON) for name in receipt.get("materialsPromised", ())),
        delivery=delivery_text(receipt["deliveryMode"]),
        reference=receipt["clientApplicationId"],
        application_id=receipt.get("applicationId", "") or "",
        delivered=bool(receipt["delivered"]),
        promised_days=int(promised) if promised.isdigit() else 0,
        query_password=receipt.get("queryPassword", "") or "",
        agent_name=str(agent.get("name", "") or ""),
        agent_kind=str(agent.get("kind", "") or ""),
        sub_matters=tuple(str(n) for n in receipt.get("subMatters") or ()),
        lead_department=str(receipt.get("leadDepartment") or ""),
        paid_fen=int(receipt.get("paidFen") or 0),
        pay_at_window_fen=int(receipt.get("payAtWindowFen") or 0))


def print_intake(printer: Any, data: ReceiptData) -> Result[None]:
    """Lays the receipt out for this printer (paper width, charset, native or raster QR,
    cut) and prints it; a printer fault comes back as the result's fault."""
    from kiosk.receipts.templates import intake_receipt

    r = printer.print_job(intake_receipt(data, **printer.layout))
    return Result(fault=r.fault) if not r.ok else Result.success(None)
