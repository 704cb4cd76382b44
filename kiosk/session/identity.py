"""Identities typed by staff: the applicant when no card can be read (帮办, staff-verified),
and the agent of a 代办 application (the contract's ``Agent``). The rules live here, so the
screens only show the error codes next to the fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from devices.idcard.checkdigit import is_valid as gb11643_valid
from kiosk.session.forms import PHONE_RE
from kiosk.session.model import Citizen

# The document types staff can type in (contract CertType), in the order offered on screen.
CERT_TYPES = ("RESIDENT_ID_CARD", "HK_MACAO_TW_RESIDENCE_PERMIT", "FOREIGN_PERMANENT_RESIDENCE_ID",
              "HK_MACAO_TRAVEL_PERMIT", "TAIWAN_TRAVEL_PERMIT", "PASSPORT")
AGENT_KINDS = ("CITIZEN_AGENT", "HALL_STAFF")  # 受委托人 (a relative…), 帮办代办人员
# Card faults after which the reader keeps waiting (the citizen can simply try again).
CARD_RETRY_CODES = ("CARD_LIFTED", "TIMEOUT", "NO_CARD", "READ_FAILED", "BAD_CHECKSUM",
                    "BAD_CHECK_DIGIT", "UNSUPPORTED_CARD")

# Numbers that are not GB 11643: 2017 foreign permanent residence card (3 letters, 12 digits),
# 回乡证 (H/M + 8 or 10 digits), 台胞证 (8 or 10 digits), passports (5–17 letters and digits).
_PATTERNS = {
    "FOREIGN_PERMANENT_RESIDENCE_ID": re.compile(r"^[A-Z]{3}\d{12}$"),
    "HK_MACAO_TRAVEL_PERMIT": re.compile(r"^[HM]\d{8}(\d{2})?$"),
    "TAIWAN_TRAVEL_PERMIT": re.compile(r"^\d{8}(\d{2})?$"),
    "PASSPORT": re.compile(r"^[A-Z0-9]{5,17}$"),
}
_CARD_KINDS = {"RESIDENT_ID_CARD": "resident", "HK_MACAO_TW_RESIDENCE_PERMIT": "hk_mo_tw_permit",
               "FOREIGN_PERMANENT_RESIDENCE_ID": "foreign_permanent"}


def normalise_cert_no(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def cert_no_error(cert_type: str, cert_no: str) -> str:
    """"" when the number fits the document type, else an error code for the screen."""
    if not cert_no:
        return "required"
    if cert_type == "RESIDENT_ID_CARD":
        return "" if gb11643_valid(cert_no) else "cert_no"
    if cert_type == "HK_MACAO_TW_RESIDENCE_PERMIT":  # 18 digits from 81/82/83, GB 11643 too
        return "" if cert_no[:2] in ("81", "82", "83") and gb11643_valid(cert_no) else "cert_no"
    if cert_type == "FOREIGN_PERMANENT_RESIDENCE_ID" and len(cert_no) == 18:  # 2023: from 9
        return "" if cert_no.startswith("9") and gb11643_valid(cert_no) else "cert_no"
    pattern = _PATTERNS.get(cert_type)
    return "" if pattern is not None and pattern.match(cert_no) else "cert_no"


def name_error(name: str) -> str:
    if not name:
        return "required"
    if len(name) > 60 or any(ch.isdigit() for ch in name):
        return "name"
    return ""


def manual_errors(values: Mapping[str, str]) -> dict[str, str]:
    """Keys: certType, certNo, name."""
    errors: dict[str, str] = {}
    cert_type = values.get("certType") or "RESIDENT_ID_CARD"
    if cert_type not in CERT_TYPES:
        errors["certType"] = "enum"
    if e := name_error(values.get("name", "").strip()):
        errors["name"] = e
    if e := cert_no_error(cert_type, normalise_cert_no(values.get("certNo", ""))):
        errors["certNo"] = e
    return errors


def manual_citizen(values: Mapping[str, str]) -> Citizen:
    """The applicant as staff typed and checked them (contract method STAFF_VERIFIED)."""
    cert_type = values.get("certType") or "RESIDENT_ID_CARD"
    return Citizen(name=values["name"].strip(), cert_no=normalise_cert_no(values["certNo"]),
                   cert_type=cert_type, card_type=_CARD_KINDS.get(cert_type, "other"),
                   method="STAFF_VERIFIED")


def agent_errors(values: Mapping[str, str]) -> dict[str, str]:
    """Keys: kind, name, certType, certNo, phone, relation (受委托人), staffId (工作人员)."""
    errors = manual_errors(values)
    if values.get("kind") not in AGENT_KINDS:
        errors["kind"] = "required"
    phone = values.get("phone", "").strip()
    if not phone:
        errors["phone"] = "required"
    elif not PHONE_RE.match(phone):
        errors["phone"] = "phone"
    if values.get("kind") == "CITIZEN_AGENT" and not values.get("relation", "").strip():
        errors["relation"] = "required"
    if values.get("kind") == "HALL_STAFF" and not values.get("staffId", "").strip():
        errors["staffId"] = "required"
    for key, limit in (("relation", 30), ("staffId", 64)):
        if len(values.get(key, "").strip()) > limit:
            errors[key] = f"maxLength|{limit}"
    return errors


def agent_record(values: Mapping[str, str]) -> dict[str, Any]:
    """The contract's ``Agent`` object."""
    kind = values["kind"]
    staff_id = values.get("staffId", "").strip() if kind == "HALL_STAFF" else ""
    relation = values.get("relation", "").strip() if kind == "CITIZEN_AGENT" else ""
    return {"kind": kind, "name": values["name"].strip(),
            "certType": values.get("certType") or "RESIDENT_ID_CARD",
            "certNo": normalise_cert_no(values["certNo"]), "phone": values["phone"].strip(),
            "staffId": staff_id or None, "relation": relation or None}
