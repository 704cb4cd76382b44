"""The application object (contract §5.8) and the receipt content, built from a finished
session. The submission path adds the client id, the capture time, hall and device."""

from __future__ import annotations

from typing import Any

from kiosk.catalog import Matter
from kiosk.session.forms import convert
from kiosk.session.model import SessionData

SUBMISSION_FILE = "ELECTRONIC_FILE"
SUBMISSION_EXEMPT = "EXEMPT_DATA_SHARING"


def material_plan(matter: Matter, data: SessionData) -> list[dict[str, Any]]:
    """Each material with how it is handed in: photographed pages, exempt, or left out."""
    plan = []
    for m in matter.materials:
        pages = data.pages.get(m.code) or []
        if pages:
            plan.append({"materialCode": m.code, "name": m.name, "submission": SUBMISSION_FILE,
                         "count": len(pages)})
        elif m.code in data.exempted:
            plan.append({"materialCode": m.code, "name": m.name,
                         "submission": SUBMISSION_EXEMPT, "count": 0})
    return plan


def missing_materials(matter: Matter, data: SessionData) -> list[str]:
    """Required materials that are neither photographed nor exempt."""
    return [m.code for m in matter.materials
            if m.required and m.code not in data.exempted and not data.pages.get(m.code)]


def build_application(matter: Matter, data: SessionData) -> dict[str, Any]:
    citizen = data.citizen
    assert citizen is not None, "an application needs an identified citizen"
    form = convert(matter.form_schema, data.form)
    phone = str(form.get("phone") or form.get("mobile") or data.address.get("phone", ""))
    applicant: dict[str, Any] = {
        "applicantType": "NATURAL_PERSON", "name": citizen.name,
        "certType": citizen.cert_type, "certNo": citizen.cert_no,
    }
    if phone:
        applicant["phone"] = phone
    if citizen.address:
        applicant["address"] = citizen.address
    delivery: dict[str, Any] = {"mode": data.delivery_mode or matter.delivery_modes[0]}
    if delivery["mode"] == "EXPRESS":
        delivery["address"] = {"name": data.address.get("name", citizen.name),
                               "phone": data.address.get("phone", phone),
                               "addressDetail": data.address.get("addressDetail", "")}
    app: dict[str, Any] = {
        "implCode": matter.code,
        "applyOrigin": "SELF_SERVICE_TERMINAL",
        "applicant": applicant,
        "agent": {"isAgent": False},
        "formData": form,
        "materials": [{k: v for k, v in m.items() if k != "count"} | {"count": m["count"]}
                      for m in material_plan(matter, data)],
        "delivery": delivery,
        "evaluationOptIn": True,
    }
    for key in ("version", "affairType", "handleItemCode"):
        if matter.raw.get(key) is not None:
            app["matterVersion" if key == "version" else key] = matter.raw[key]
    if matter.is_bundle:
        app["bundle"] = dict(matter.raw["bundle"])
    if data.consented and data.consent_id:
        app["consents"] = [{"consentId": data.consent_id,
                            "scopes": ["PERSON_BASIC", "LICENCES", "HOUSEHOLD"]}]
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
        "deliveryMode": data.delivery_mode or matter.delivery_modes[0],
        "delivered": data.outcome.delivered,
        "clientApplicationId": data.outcome.client_application_id,
        "applicationId": data.outcome.application_id,
        "queryPassword": data.outcome.query_password,
        "promised": matter.promised_days,
    }
