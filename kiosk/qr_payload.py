"""The one place where scanned QR/barcode payloads are composed and classified.

Receipt QR (printed on every 收件回执), documented in docs/receipt-qr.md:

    https://<query host>/uap/q/<ref>?pw=<query password>

``ref`` is the platform's ``applicationId`` once known, else the kiosk's
``clientApplicationId`` (a UUIDv7, the local reference of a queued application); ``pw`` is the
receipt query password. A phone opens the URL on the platform's query page; any kiosk parses it
and queries the case. Appointment codes (预约码) from the hall's booking system are
``YY`` + 12 digits, or a URL whose path contains ``/appt/<code>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs, quote, urlsplit

DEFAULT_QUERY_BASE = "https://zwfw.example.gov.cn/uap/q/"

_REF_RE = re.compile(r"^[A-Za-z0-9._~-]{6,64}$")
_PW_RE = re.compile(r"^[A-Za-z0-9]{4,16}$")
_APPT_RE = re.compile(r"^YY\d{12}$")
# e-ID codes as the platform issues them: ``EID1.`` + base64url payload + ``.`` + signature.
# Only the shape is checked here; validity, expiry and whose it is are the platform's answer.
_EID_RE = re.compile(r"^EID1\.[A-Za-z0-9_-]{8,1500}\.[A-Za-z0-9_-]{8,200}$")


class PayloadKind(StrEnum):
    EID = "eid"  # an e-ID / 网络身份码 code: only the platform can say whose (docs/identity.md)
    RECEIPT = "receipt"
    APPOINTMENT = "appointment"
    OTHER = "other"


@dataclass(frozen=True)
class ScannedPayload:
    kind: PayloadKind
    text: str
    ref: str = ""  # receipt: applicationId or clientApplicationId; appointment: the code
    password: str = ""


def receipt_url(ref: str, password: str, base: str = DEFAULT_QUERY_BASE) -> str:
    if not _REF_RE.match(ref):
        raise ValueError("receipt reference must be 6-64 URL-safe characters")
    if not _PW_RE.match(password):
        raise ValueError("query password must be 4-16 letters or digits")
    return f"{base.rstrip('/')}/{quote(ref, safe='')}?pw={password}"


def classify(text: str) -> ScannedPayload:
    t = text.strip()
    if _EID_RE.match(t):
        return ScannedPayload(PayloadKind.EID, t)
    if _APPT_RE.match(t):
        return ScannedPayload(PayloadKind.APPOINTMENT, t, ref=t)
    if t.lower().startswith(("https://", "http://")):
        try:
            parts = urlsplit(t)
        except ValueError:  # e.g. "http://[x/…": not a URL anybody could open
            return ScannedPayload(PayloadKind.OTHER, t)
        segs = [s for s in parts.path.split("/") if s]
        if len(segs) >= 2 and segs[-2] == "q" and _REF_RE.match(segs[-1]):
            pw = parse_qs(parts.query).get("pw", [""])[0]
            if _PW_RE.match(pw):
                return ScannedPayload(PayloadKind.RECEIPT, t, ref=segs[-1], password=pw)
        if len(segs) >= 2 and segs[-2] == "appt" and _APPT_RE.match(segs[-1]):
            return ScannedPayload(PayloadKind.APPOINTMENT, t, ref=segs[-1])
    return ScannedPayload(PayloadKind.OTHER, t)
