"""The application object (contract §5.8) and the receipt content, built from a finished
session. The submission path adds the client id, the capture time, hall and device."""

from __future__ import annotations

from typing import Any

from kiosk.catalog import Matter
from kiosk.channels import CHANNEL_SELF_SERVICE
from kiosk.session import bundle
from kiosk.session.forms import convert
from kiosk.session.model import SessionData

SUBMISSION_FILE = "ELECTRONIC_FILE"
SUBMISSION_EXEMPT = "EXEMPT_DATA_SHARING"
SUBMISSION_PAPER = "PAPER_AT_WINDOW"
SUBMISSION_PROMISE = "EXEMPT_PROMISE"  # 告知承诺: the signed 承诺书 instead of the material


def material_plan(matter: Matter, data: SessionData) -> list[dict[str, Any]]:
    """Each material with how it is handed in: photographed pages, exempt, or left out."""
    plan = []
    for scoped in bundle.materials(matter, data.form):
        m = scoped.material
        pages = data.pages.get(m.code) or []
        serves = [sub.name for sub in scoped.serves]  # 一件事: the sub-matters it is for
        if m.code in data.promised and m.promisable:
            plan.append({"materialCode": m.code, "name": m.name,
                         "submission": SUBMISSION_PROMISE, "count": 0, "serves": serves})
        elif pages:
            plan.append({"materialCode": m.code, "name": m.name, "submission": SUBMISSION_FILE,
                         "count": len(pages), "serves": serves})
        elif m.code in data.exempted:
            plan.append({"materialCode": m.code, "name": m.name,
                         "submission": SUBMISSION_EXEMPT, "count": 0, "serves": serves})
        elif m.code in data.paper:
            plan.append({"materialCode": m.code, "name": m.name,
                         "submission": SUBMISSION_PAPER, "count": 0, "serves": serves})
    return plan


def missing_materials(matter: Matter, data: SessionData) -> list[str]:
    """Required materials that are neither photographed nor exempt."""
    return [m.code for m in (s.material for s in bundle.materials(matter, data.form))
            if m.required and m.code not in data.exempted and m.code not in data.paper
            and not (m.code in data.promised and m.promisable)
            and not data.pages.get(m.code)]


def form_phone(form: dict[str, Any]) -> str:
    """The citizen's phone as given in the form (keys like phone, mobile, contactPhone)."""
    for key, value in form.items():
        if ("phone" in key.lower() or "mobile" in key.lower()) and isinstance(value, str) \
                and value.strip():
            return value.strip()
    return ""


def _phone(form: dict[str, Any], data: SessionData) -> str:
    return form_phone(form) or str(data.address.get("phone", ""))


def build_application(matter: Matter, data: SessionData,
                      channel: str = CHANNEL_SELF_SERVICE) -> dict[str, Any]:
    """The contract's ``ApplicationRequest`` without ``clientApplicationId``, ``createdAt``,
    ``deviceId`` and ``hallCode`` (the submission path adds them). Materials photographed
    here are listed without ``fileIds``: the files travel separately."""
    citizen = data.citizen
    assert citizen is not None, "an application needs an identified citizen"
    form = convert(bundle.form_schema(matter, data.form), bundle.shown_form(matter, data.form))
    applicant: dict[str, Any] = {
        "applicantType": "NATURAL_PERSON", "name": citizen.name,
        "certType": citizen.cert_type, "certNo": citizen.cert_no,
    }
    phone = _phone(form, data)
    if phone:
        applicant["phone"] = phone
    if citizen.address:
        applicant["address"] = citizen.address[:200]
    method = data.delivery_mode or matter.delivery_modes[0]
    delivery: dict[str, Any] = {"method": method, "address": None}
    if method == "EXPRESS":
        delivery["address"] = {"name": data.address.get("name", citizen.name),
                               "phone": data.address.get("phone", phone),
                               "addressDetail": data.address.get("addressDetail", "")}
    app: dict[str, Any] = {
        "implCode": matter.code,
        "applicant": applicant,
        "agent": dict(data.agent) if data.agent else None,
        "form": form,
        "materials": [{"materialCode": m["materialCode"], "submission": m["submission"]}
                      for m in material_plan(matter, data)],
        "delivery": delivery,
        "channel": channel,
    }
    if matter.raw.get("version"):
        app["matterVersion"] = matter.raw["version"]
    if data.consented and data.consent_id:
        app["consentId"] = data.consent_id
    # How the applicant was identified here (contract ``identificationMethod``): IDCARD,
    # IDCARD_FACE after 人证比对, EID_QR, STAFF_VERIFIED.
    app["identificationMethod"] = citizen.method
    pay = data.payment
    if pay is not None and pay.get("status") == "PAID":  # 统一公共支付: the paid order
        app["paymentId"] = pay["paymentId"]
    if pay is not None and pay.get("clientApplicationId"):
        app["clientApplicationId"] = pay["clientApplicationId"]  # the order names it
    return app


def receipt_content(matter: Matter, data: SessionData) -> dict[str, Any]:
    """What the receipt states (the printer module lays it out and masks the applicant)."""
    assert data.citizen is not None and data.outcome is not None
    plan = material_plan(matter, data)
    return {
        "matterName": matter.name,
        "matterCode": matter.code,
        "applicantName": data.citizen.name,
        "applicantCertNo": data.citizen.cert_no,
        "materialsReceived": [(m["name"], m["count"]) for m in plan
                              if m["submission"] == SUBMISSION_FILE],
        "materialsExempted": [m["name"] for m in plan if m["submission"] == SUBMISSION_EXEMPT],
        "materialsOnPaper": [m["name"] for m in plan if m["submission"] == SUBMISSION_PAPER],
        "materialsPromised": [m["name"] for m in plan if m["submission"] == SUBMISSION_PROMISE],
        "deliveryMode": data.delivery_mode or matter.delivery_modes[0],
        "deliveryAddress": data.address.get("addressDetail", "")
        if data.delivery_mode == "EXPRESS" else "",
        "delivered": data.outcome.delivered,
        "clientApplicationId": data.outcome.client_application_id,
        "applicationId": data.outcome.application_id,
        "queryPassword": data.outcome.query_password,
        "promised": matter.promised_days,
        # 统一公共支付: what was paid, or the fee left to pay at the window
        "paidFen": int(data.payment.get("amountFen") or 0)
        if data.payment is not None and data.payment.get("status") == "PAID" else 0,
        "payAtWindowFen": matter.fee_fen if data.pay_later else 0,
        # 一件事: the sub-matters applied for and the lead department that collects them
        "subMatters": [s.name for s in bundle.chosen(matter, data.form)],
        "leadDepartment": matter.department if bundle.sub_matters(matter) else "",
        # 代办: who acted for the applicant (the receipt prints the name masked)
        "agent": {"kind": data.agent["kind"], "name": data.agent["name"]} if data.agent else None,
    }
