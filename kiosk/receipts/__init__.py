"""Receipt composition: the data the session fills (``data``) and the templates that turn it
into ESC/POS bytes (``templates``). See docs/receipt-qr.md for the QR payload."""

from kiosk.receipts.data import (
    CaseLine,
    DeviceLine,
    ReadinessData,
    ReceiptData,
    StatusQueryData,
    TestLine,
    TestPageData,
)
from kiosk.receipts.templates import (
    STATE_DELIVERED,
    STATE_QUEUED,
    intake_receipt,
    readiness_report,
    status_query_receipt,
    technician_test_page,
)

__all__ = [
    "STATE_DELIVERED", "STATE_QUEUED", "CaseLine", "DeviceLine", "ReadinessData",
    "ReceiptData", "StatusQueryData", "TestLine", "TestPageData", "intake_receipt",
    "readiness_report", "status_query_receipt", "technician_test_page",
]
