"""补正回执: the receipt of a supplement (补齐补正) on the receipt printer, from what the
session states (kiosk.session.supplement_receipt)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from devices.status import Result
from kiosk.receipts.data import SupplementReceiptData


def supplement_from_session(receipt: Mapping[str, Any], *, hall_name: str, device_id: str,
                            time: datetime) -> SupplementReceiptData:
    return SupplementReceiptData(
        hall_name=hall_name, device_id=device_id, time=time,
        applicant_name=str(receipt.get("applicantName", "")),
        applicant_id_number=str(receipt.get("applicantCertNo", "")),
        matter_name=str(receipt.get("matterName", "")),
        application_id=str(receipt.get("applicationId", "")),
        reference=str(receipt.get("reference", "")),
        materials=tuple((str(n), int(c)) for n, c in receipt.get("materials", ())),
        delivered=bool(receipt.get("delivered")), reason=str(receipt.get("reason", "")))


def print_supplement_receipt(printer: Any, receipt: Mapping[str, Any], *, hall_name: str,
                             device_id: str, time: datetime) -> Result[None]:
    """Lays the 补正回执 out for this printer and prints it; a fault comes back as a value."""
    from kiosk.receipts.templates import supplement_receipt

    data = supplement_from_session(receipt, hall_name=hall_name, device_id=device_id,
                                   time=time)
    r = printer.print_job(supplement_receipt(data, **printer.layout))
    return Result(fault=r.fault) if not r.ok else Result.success(None)
