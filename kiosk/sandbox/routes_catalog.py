"""Matters catalog, citizen sessions and prefill (免填 / 免交)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import Blueprint, Response, g, request

from kiosk.sandbox import demo_identities
from kiosk.sandbox.bodies import invalid, json_body
from kiosk.sandbox.catalog import etag_of, summary
from kiosk.sandbox.context import SESSION_TTL_S, sandbox
from kiosk.sandbox.idempotency import idempotent
from kiosk.sandbox.problems import Problem, json_response, rfc3339

bp = Blueprint("catalog", __name__)

CATEGORIES = ("PERSONAL", "CORPORATE")
SERVICE_OBJECTS = ("NATURAL_PERSON", "LEGAL_PERSON")


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise Problem(400, "INVALID_PARAMETER", f"{name} is not valid",
                      f"{name} must be an integer from {low} to {high}", retryable=False)
    return value


def _enum_arg(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name)
    if value is not None and value not in allowed:
        raise Problem(400, "INVALID_PARAMETER", f"{name} is not valid",
                      f"{name} must be one of {', '.join(allowed)}", retryable=False)
    return value


def _cached(body: dict[str, Any]) -> Response:
    etag = etag_of(body)
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        resp = Response(status=304)
    else:
        resp = json_response(body)
    resp.headers["ETag"] = etag
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/matters")
def list_matters() -> Response:
    st = sandbox()
    page = _int_arg("page", 1, 1, 10000)
    size = _int_arg("pageSize", 20, 1, 100)
    found = st.catalog.find(
        request.args.get("q"), category=_enum_arg("category", CATEGORIES),
        theme=request.args.get("theme"),
        service_object=_enum_arg("serviceObject", SERVICE_OBJECTS),
        dept_code=request.args.get("deptCode"))
    start = (page - 1) * size
    items = [summary(m) for m in found[start:start + size]]  # only the page's summaries
    return _cached({"items": items, "total": len(found), "page": page,
                    "pageSize": size, "catalogVersion": st.catalog.version})


@bp.get("/matter-details")
def list_matter_details() -> Response:
    st = sandbox()
    page = _int_arg("page", 1, 1, 10000)
    size = _int_arg("pageSize", 20, 1, 100)
    found = st.catalog.find(None)
    start = (page - 1) * size
    # the matters themselves, only serialized (get() would copy each one first)
    return json_response({"items": found[start:start + size], "total": len(found),
                          "page": page, "pageSize": size,
                          "catalogVersion": st.catalog.version})


@bp.get("/matters/<impl_code>")
def get_matter(impl_code: str) -> Response:
    matter = sandbox().catalog.get(impl_code)
    if matter is None:
        raise Problem(404, "MATTER_NOT_FOUND", "no such matter",
                      "no matter has this implCode in the catalog", retryable=False)
    return _cached(matter)


@bp.post("/citizen-sessions")
@idempotent()
def create_citizen_session() -> Response:
    st = sandbox()
    data = json_body("CitizenSessionRequest")
    cert_no = data["certNo"].strip().upper()
    if data["certType"] == "RESIDENT_ID_CARD" and not demo_identities.valid_resident_id(cert_no):
        raise invalid("/certNo", "INVALID_CHECK_DIGIT",
                      "not a valid resident ID number (GB 11643 check digit)")
    token = "cs_" + secrets.token_urlsafe(24)
    consent_id = "cst_" + secrets.token_hex(8)
    expires = st.now() + SESSION_TTL_S
    scopes = sorted(set(data["consentScopes"]))
    with st.storage.tx() as db:
        db.execute("INSERT INTO citizen_sessions(token, access_key, cert_type, cert_no, name, "
                   "scopes, consent_id, method, expires_at) VALUES (?,?,?,?,?,?,?,?,?)",
                   (token, g.access_key, data["certType"], cert_no, data.get("name"),
                    json.dumps(scopes), consent_id, data["method"], expires))
    return json_response({"sessionToken": token, "consentId": consent_id, "scopes": scopes,
                          "expiresAt": rfc3339(expires)}, 201)


def citizen_session(*, required: bool = True) -> Any:
    """The session named by ``X-Citizen-Authorization: Bearer …`` (403 when bad)."""
    raw = request.headers.get("X-Citizen-Authorization", "")
    if not raw:
        if required:
            raise Problem(403, "CITIZEN_SESSION_REQUIRED", "citizen authorization required",
                          "send X-Citizen-Authorization: Bearer <sessionToken>", retryable=False)
        return None
    token = raw[7:].strip() if raw.lower().startswith("bearer ") else ""
    row = sandbox().storage.one("SELECT * FROM citizen_sessions WHERE token = ?", token)
    if row is None or row["expires_at"] < sandbox().now() or row["access_key"] != g.access_key:
        raise Problem(403, "CITIZEN_SESSION_INVALID", "citizen session invalid or expired",
                      "start a new citizen session (read the ID card again)", retryable=False)
    return row


def _resolve(person: demo_identities.DemoIdentity, key: str) -> tuple[Any, str] | None:
    kind, _, name = key.partition(".")
    if kind == "person":
        value = {
            "name": person.name, "certNo": person.cert_no, "gender": person.gender,
            "birthDate": person.birth_date, "householdAddress": person.household_address,
            "residenceAddress": person.residence_address, "phone": person.phone,
            "maritalStatus": person.marital_status, "nation": person.nation,
        }.get(name)
        source = "ID_CARD" if name in ("name", "certNo", "gender", "birthDate",
                                       "householdAddress", "nation") else "PUBLIC_DATA"
        return (value, source) if value is not None else None
    if kind == "facts":
        value = person.facts.get(name)
        return (value, "PUBLIC_DATA") if value is not None else None
    if kind == "licence":
        for lic in person.licences:
            if lic["licenceTypeCode"] == name and lic.get("licenceNo"):
                return lic["licenceNo"], "E_LICENCE"
    return None


def _has_dataset(person: demo_identities.DemoIdentity, dataset: str) -> bool:
    # Demo people have every shared record, except a marriage record for the unmarried and
    # a birth record for people without a newborn.
    if dataset == "DS-MARRIAGE":
        return person.marital_status == "MARRIED"
    if dataset == "DS-BIRTH-MEDICAL":
        return "newbornName" in person.facts
    return True


@bp.post("/prefill")
def prefill() -> Response:
    st = sandbox()
    session = citizen_session()
    data = json_body("PrefillRequest")
    subject = data["subject"]
    if subject["certNo"].strip().upper() != session["cert_no"]:
        raise Problem(403, "CITIZEN_MISMATCH", "subject is not the session's citizen",
                      "prefill only for the citizen who opened the session", retryable=False)
    granted = set(json.loads(session["scopes"]))
    asked = set(data["consent"]["scopes"])
    consent_id = data["consent"].get("consentId")
    if (consent_id is not None and consent_id != session["consent_id"]) or not asked <= granted:
        raise invalid("/consent", "CONSENT_REQUIRED",
                      "the citizen has not consented to these scopes", problem_code="CONSENT_REQUIRED",
                      title="consent required")
    matter = st.catalog.get(data["implCode"])
    if matter is None:
        raise invalid("/implCode", "MATTER_NOT_FOUND", "no matter has this implCode",
                      problem_code="MATTER_NOT_FOUND", title="no such matter")
    person = demo_identities.find(session["cert_no"])
    fields: dict[str, Any] = {}
    licences: list[dict[str, Any]] = []
    exempted: list[str] = []
    if person is not None:
        props = matter["formSchema"].get("properties", {})
        for name, prop in props.items():
            key = prop.get("x-prefill")
            if not key:
                continue
            kind = key.partition(".")[0]
            if kind == "licence" and "LICENCES" not in asked:
                continue
            if kind == "facts" and "HOUSEHOLD" not in asked and "PERSON_BASIC" not in asked:
                continue
            found = _resolve(person, key)
            if found is not None:
                fields[name] = {"value": found[0], "source": found[1],
                                "editable": found[1] == "PUBLIC_DATA"}
        for material in matter["materials"]:
            ex = material["exemption"]
            if not ex:
                continue
            lic = ex.get("byLicence")
            hit = None
            if lic and "LICENCES" in asked:
                hit = next((x for x in person.licences
                            if x["licenceTypeCode"] == lic["licenceTypeCode"]), None)
            if hit is not None:
                exempted.append(material["materialCode"])
                licences.append({
                    "licenceTypeCode": hit["licenceTypeCode"], "name": hit["name"],
                    "licenceNo": hit.get("licenceNo"),
                    "licenceIdentifier": f"LID-{hit['licenceTypeCode']}-{person.cert_no[-6:]}",
                    "satisfiesMaterialCodes": [material["materialCode"]]})
                continue
            share = ex.get("byDataSharing")
            if share and "HOUSEHOLD" in asked and _has_dataset(person, share["datasetId"]):
                exempted.append(material["materialCode"])
    return json_response({
        "implCode": matter["implCode"], "fields": fields, "licences": licences,
        "exemptedMaterialCodes": exempted, "expiresAt": rfc3339(st.now() + SESSION_TTL_S)})
