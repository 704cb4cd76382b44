"""Applications (收件), status query, supplements, ratings (好差评) and device heartbeat."""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from typing import Any

import jsonschema
from flask import Blueprint, Response, g, request

from kiosk.api import contract
from kiosk.privacy import mask_name, mask_staff_no
from kiosk.sandbox import bundles, demo_identities, progression, routes_payments
from kiosk.sandbox.bodies import invalid, json_body
from kiosk.sandbox.context import PREFIX, sandbox
from kiosk.sandbox.idempotency import idempotent
from kiosk.sandbox.problems import CST, Problem, json_response, parse_rfc3339, rfc3339
from kiosk.sandbox.routes_catalog import citizen_session
from kiosk.sandbox.routes_files import file_row

bp = Blueprint("applications", __name__)

EXEMPT_SUBMISSIONS = ("E_LICENCE", "EXEMPT_DATA_SHARING")
BAD_LEVELS = ("DISSATISFIED", "VERY_DISSATISFIED")


def _lead(matter: dict[str, Any]) -> dict[str, str]:
    return next((d for d in matter["departments"] if d["role"] == "LEAD"),
                matter["departments"][0])


def promised_finish(received: float, days: int) -> str:
    """Received + ``days`` working days (weekends skipped; holidays ignored), 17:00 that day;
    an instant matter (0 days) received after 17:00 is promised within the hour."""
    start = dt.datetime.fromtimestamp(received, CST)
    day = start.date()
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    due = dt.datetime.combine(day, dt.time(17, 0), CST)
    if due <= start:
        due = start.replace(microsecond=0) + dt.timedelta(hours=1)
    return due.isoformat(timespec="seconds")


def _check_form(matter: dict[str, Any], form: Any) -> None:
    schema = dict(matter["formSchema"])
    schema.pop("examples", None)
    v = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    problems = [{"pointer": "/form" + contract.pointer(e.absolute_path),
                 "code": "INVALID_" + str(e.validator).upper(), "message": e.message[:300]}
                for e in v.iter_errors(form)]
    if problems:
        raise Problem(422, "VALIDATION_FAILED", "form does not match the matter's formSchema",
                      f"{len(problems)} problem(s) in the form; see fields", retryable=False,
                      fields=problems[:50])


def _check_materials(matter: dict[str, Any], materials: list[dict[str, Any]],
                     form: dict[str, Any]) -> None:
    known = {m["materialCode"]: m for m in matter["materials"]}
    needed = bundles.needed_materials(matter, form)  # 一件事: of the chosen sub-matters
    given: set[str] = set()
    for i, entry in enumerate(materials):
        code = entry["materialCode"]
        spec = known.get(code)
        if spec is None:
            raise invalid(f"/materials/{i}/materialCode", "UNKNOWN_MATERIAL",
                          "the matter has no material with this code")
        if code in given:
            raise invalid(f"/materials/{i}/materialCode", "DUPLICATE", "material listed twice")
        given.add(code)
        submission = entry.get("submission") or "ELECTRONIC_FILE"
        file_ids = entry.get("fileIds") or []
        if submission == "ELECTRONIC_FILE":
            if not file_ids:
                raise invalid(f"/materials/{i}/fileIds", "REQUIRED",
                              "an electronic material needs at least one fileId",
                              problem_code="MATERIAL_MISSING", title="material missing")
            for j, file_id in enumerate(file_ids):
                row = file_row(file_id)
                if row is None or row["access_key"] != g.access_key:
                    raise invalid(f"/materials/{i}/fileIds/{j}", "FILE_NOT_FOUND",
                                  "no complete, verified file has this id; upload it first",
                                  problem_code="FILE_NOT_FOUND", title="file not found")
        elif submission == "EXEMPT_PROMISE":  # 告知承诺: the signed 承诺书 as its file
            if not spec.get("promisable"):
                raise invalid(f"/materials/{i}/submission", "NOT_PROMISABLE",
                              "this material cannot be replaced by a promise",
                              problem_code="MATERIAL_MISSING", title="material missing")
            if not file_ids:
                raise invalid(f"/materials/{i}/fileIds", "REQUIRED",
                              "a promise needs the signed 承诺书 as a file",
                              problem_code="MATERIAL_MISSING", title="material missing")
            for j, file_id in enumerate(file_ids):
                row = file_row(file_id)
                if row is None or row["access_key"] != g.access_key:
                    raise invalid(f"/materials/{i}/fileIds/{j}", "FILE_NOT_FOUND",
                                  "no complete, verified file has this id; upload it first",
                                  problem_code="FILE_NOT_FOUND", title="file not found")
        elif submission in EXEMPT_SUBMISSIONS and spec["exemption"] is None:
            raise invalid(f"/materials/{i}/submission", "NOT_EXEMPTABLE",
                          "this material cannot be exempted", problem_code="MATERIAL_MISSING",
                          title="material missing")
    for code, spec in known.items():
        if spec["required"] and code in needed and code not in given \
                and spec["exemption"] is None:
            raise invalid("/materials", "MATERIAL_MISSING",
                          f"required material {code} ({spec['name']}) is missing",
                          problem_code="MATERIAL_MISSING", title="material missing")


def _unique(db: Any, column: str, make: Any) -> str:
    for _ in range(20):
        value = make()
        if db.execute(f"SELECT 1 FROM applications WHERE {column} = ?", (value,)).fetchone() is None:
            return str(value)
    raise RuntimeError(f"could not mint a unique {column}")


def _receipt(app: Any, matter: dict[str, Any]) -> dict[str, Any]:
    return {
        "applicationId": app["application_id"],
        "clientApplicationId": app["client_application_id"],
        "projId": app["proj_id"], "queryPassword": app["query_password"],
        "status": "RECEIVED", "resultStatus": "S", "implCode": app["impl_code"],
        "matterName": matter["name"], "promisedDays": matter["promisedDays"],
        "promisedFinishAt": app["promised_finish_at"], "receivedAt": rfc3339(app["received_at"]),
        "links": {"self": f"{PREFIX}/applications/{app['application_id']}"},
    }


@bp.post("/applications")
@idempotent(unknown_fault=True)
def submit_application() -> Response:
    st = sandbox()
    data = json_body("ApplicationRequest")
    if data["clientApplicationId"] != g.idempotency_key:
        raise invalid("/clientApplicationId", "KEY_MISMATCH",
                      "clientApplicationId must equal the Idempotency-Key")
    existing = st.storage.one("SELECT * FROM applications WHERE client_application_id = ?",
                              data["clientApplicationId"])
    matter = st.catalog.get(data["implCode"])
    if matter is None:
        raise invalid("/implCode", "MATTER_NOT_FOUND", "no matter has this implCode",
                      problem_code="MATTER_NOT_FOUND", title="no such matter")
    if existing is not None:  # sent again after the key expired: still one case
        return json_response(_receipt(existing, matter), 202)
    if data.get("matterVersion") and data["matterVersion"] != matter["version"]:
        raise Problem(412, "MATTER_VERSION_STALE", "the matter changed",
                      f"the form was filled against {data['matterVersion']}; the catalog now has "
                      f"{matter['version']}", retryable=False)
    applicant = data["applicant"]
    if (applicant["certType"] == "RESIDENT_ID_CARD"
            and not demo_identities.valid_resident_id(applicant["certNo"])):
        raise invalid("/applicant/certNo", "INVALID_CHECK_DIGIT",
                      "not a valid resident ID number (GB 11643 check digit)")
    _check_form(matter, data["form"])
    _check_materials(matter, data["materials"], data["form"])
    routes_payments.check_paid(matter, data)
    method = data["delivery"]["method"]
    if method not in matter["deliveryModes"]:
        raise invalid("/delivery/method", "NOT_SUPPORTED",
                      f"this matter delivers by {', '.join(matter['deliveryModes'])}")
    if method == "EXPRESS" and not data["delivery"].get("address"):
        raise invalid("/delivery/address", "REQUIRED", "express delivery needs an address")
    now = st.now()
    with st.storage.tx() as db:
        app_id = _unique(db, "application_id", lambda: "app_" + secrets.token_hex(10))
        day = dt.datetime.fromtimestamp(now, CST).strftime("%Y%m%d")
        proj = _unique(db, "proj_id", lambda: f"330106{day}{secrets.randbelow(10**8):08d}")
        pw = _unique(db, "query_password", lambda: f"{secrets.randbelow(10**8):08d}")
        db.execute("INSERT INTO applications(application_id, client_application_id, access_key, "
                   "proj_id, query_password, impl_code, applicant_cert_no, payload, received_at,"
                   " promised_finish_at, track, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                   (app_id, data["clientApplicationId"], g.access_key, proj, pw,
                    data["implCode"], applicant["certNo"].upper(),
                    json.dumps(data, ensure_ascii=False), now,
                    promised_finish(now, matter["promisedDays"]),
                    progression.track_for(data["clientApplicationId"]), "RECEIVED"))
        progression.set_status(db, app_id, "RECEIVED", now, _lead(matter)["name"], "自助终端收件")
        bundles.fan_out(db, app_id, matter, data["form"], now)
        app = db.execute("SELECT * FROM applications WHERE application_id = ?",
                         (app_id,)).fetchone()
    return json_response(_receipt(app, matter), 202)


def status_view(app: Any) -> dict[str, Any]:
    """The ApplicationStatus object (advancing the case first)."""
    st = sandbox()
    matter = st.catalog.get(app["impl_code"]) or {"name": app["impl_code"], "departments": [
        {"name": "", "role": "LEAD", "deptCode": ""}], "materials": [], "formSchema": {}}
    with st.storage.tx() as db:
        progression.advance(db, app, st.now(), st.status_step_s, _lead(matter)["name"])
    app = st.storage.one("SELECT * FROM applications WHERE application_id = ?",
                         app["application_id"])
    history = st.storage.all("SELECT * FROM status_history WHERE application_id = ? ORDER BY seq",
                             app["application_id"])
    accesses = st.storage.all("SELECT * FROM data_accesses WHERE application_id = ? "
                              "ORDER BY at, received_at", app["application_id"])
    payload = json.loads(app["payload"])
    status = app["status"]
    supplement = None
    if status == "SUPPLEMENT_REQUIRED":
        asked = st.storage.one("SELECT * FROM supplement_requests WHERE application_id = ?",
                               app["application_id"])
        needed = [m for m in matter["materials"] if m["required"] and m["exemption"] is None]
        mats = [{"materialCode": m["materialCode"], "name": m["name"]} for m in needed[:1]]
        reason = "材料照片不清晰，请补充清晰的照片（演示）"
        if asked is not None:  # what the back office asked for (admin: force the status)
            names = {m["materialCode"]: m["name"] for m in matter["materials"]}
            mats = [{"materialCode": c, "name": names.get(c, c)}
                    for c in json.loads(asked["materials"])]
            reason = asked["reason"] or reason
        supplement = {"mode": "MATERIAL" if mats else "FORM",
                      "reason": reason if mats else "表单信息需补充（演示）",
                      "deadline": {"value": 5, "unit": "WORKDAY"},
                      "formFields": [] if mats else [{"key": next(iter(
                          matter["formSchema"].get("properties", {"form": 0}))),
                          "message": "请核对后重新填写（演示）"}],
                      "materials": mats}
    result = None
    if status in ("FINISHED", "DELIVERED"):
        result = {"outcome": "APPROVED", "licenceNo": f"DEMO-{app['proj_id']}",
                  "description": "准予办理（演示）"}
    delivery = None
    if status == "DELIVERED":
        delivery = {"method": "EXPRESS", "logisticsCompany": "演示快递（测试）",
                    "logisticsNumber": f"SBX{app['proj_id'][-10:]}"}
    return {
        "applicationId": app["application_id"],
        "clientApplicationId": app["client_application_id"],
        "projId": app["proj_id"], "implCode": app["impl_code"], "matterName": matter["name"],
        "applicantNameMasked": mask_name(payload["applicant"]["name"]),
        "status": status,
        "statusHistory": [{"status": h["status"], "at": rfc3339(h["at"]), "dept": h["dept"],
                           "note": h["note"]} for h in history],
        "receivedAt": rfc3339(app["received_at"]),
        "promisedFinishAt": app["promised_finish_at"],
        "supplement": supplement, "result": result, "delivery": delivery,
        "dataAccesses": [{"at": rfc3339(a["at"]), "operation": a["operation"],
                          "staffNoMasked": mask_staff_no(a["staff_no"]), "hall": a["hall"],
                          "hallName": None} for a in accesses],
    }


def _find(ident: str) -> Any:
    st = sandbox()
    return (st.storage.one("SELECT * FROM applications WHERE application_id = ?", ident)
            or st.storage.one("SELECT * FROM applications WHERE proj_id = ?", ident))


@bp.get("/applications/<ident>")
def get_application(ident: str) -> Response:
    app = _find(ident)
    if app is None:
        raise Problem(404, "APPLICATION_NOT_FOUND", "no such application",
                      "no application has this applicationId or projId", retryable=False)
    return json_response(status_view(app))


@bp.get("/applications")
def search_applications() -> Response:
    st = sandbox()
    args = request.args
    rows: list[Any]
    if args.get("clientApplicationId"):
        rows = st.storage.all("SELECT * FROM applications WHERE client_application_id = ? "
                              "AND access_key = ?", args["clientApplicationId"], g.access_key)
    elif args.get("projId"):
        rows = st.storage.all("SELECT * FROM applications WHERE proj_id = ?", args["projId"])
    elif args.get("queryPassword"):
        now = st.now()
        wait = st.password_misses.wait_s(g.access_key, now)
        if wait > 0:
            raise Problem(429, "TOO_MANY_ATTEMPTS", "too many wrong query passwords",
                          "too many receipt passwords were wrong; wait before trying again",
                          retryable=True, headers={"Retry-After": str(math.ceil(wait))})
        rows = st.storage.all("SELECT * FROM applications WHERE query_password = ?",
                              args["queryPassword"])
        if not rows:
            st.password_misses.miss(g.access_key, now)
    elif args.get("certNo"):
        session = citizen_session()
        if session["cert_no"] != args["certNo"].strip().upper():
            raise Problem(403, "CITIZEN_MISMATCH", "not the session's citizen",
                          "a citizen may only list their own applications", retryable=False)
        rows = st.storage.all("SELECT * FROM applications WHERE applicant_cert_no = ? "
                              "ORDER BY received_at DESC LIMIT 50", session["cert_no"])
    else:
        raise Problem(400, "INVALID_PARAMETER", "a search key is required",
                      "give clientApplicationId, projId, queryPassword or certNo", retryable=False)
    return json_response({"items": [status_view(r) for r in rows]})


@bp.post("/applications/<ident>/data-accesses")
@idempotent()
def report_data_access(ident: str) -> Response:
    """数据使用记录: a kiosk reports its staff's use of the application's data."""
    st = sandbox()
    app = _find(ident) or st.storage.one(  # a kiosk's own clientApplicationId
        "SELECT * FROM applications WHERE client_application_id = ? AND access_key = ?",
        ident, g.access_key)
    if app is None:
        raise Problem(404, "APPLICATION_NOT_FOUND", "no such application",
                      "no application has this applicationId, projId or clientApplicationId",
                      retryable=False)
    data = json_body("DataAccessReport")
    at = parse_rfc3339(data["at"])
    if at is None:
        raise invalid("/at", "INVALID_FORMAT", "at must be an RFC 3339 time")
    with st.storage.tx() as db:
        db.execute("INSERT INTO data_accesses(access_id, application_id, at, operation, "
                   "staff_no, device_id, hall, received_at) VALUES (?,?,?,?,?,?,?,?)",
                   ("da_" + secrets.token_hex(8), app["application_id"], at,
                    data["operation"], data["staffNo"], data["deviceId"], data["hall"],
                    st.now()))
    return json_response({"at": rfc3339(at), "operation": data["operation"],
                          "staffNoMasked": mask_staff_no(data["staffNo"]),
                          "hall": data["hall"], "hallName": None}, 201)


@bp.post("/applications/<ident>/supplements")
@idempotent()
def submit_supplement(ident: str) -> Response:
    st = sandbox()
    app = _find(ident)
    if app is None:
        raise Problem(404, "APPLICATION_NOT_FOUND", "no such application",
                      "no application has this applicationId or projId", retryable=False)
    data = json_body("SupplementRequest")
    view = status_view(app)
    if view["status"] != "SUPPLEMENT_REQUIRED":
        raise Problem(422, "SUPPLEMENT_NOT_REQUESTED", "no supplement requested",
                      f"the application is {view['status']}; nothing to supplement",
                      retryable=False)
    matter = st.catalog.get(app["impl_code"])
    if matter is not None and data.get("form") is not None:
        merged = dict(json.loads(app["payload"])["form"])
        merged.update(data["form"])
        _check_form(matter, merged)
    for i, entry in enumerate(data.get("materials") or []):
        for j, file_id in enumerate(entry.get("fileIds") or []):
            row = file_row(file_id)
            if row is None or row["access_key"] != g.access_key:
                raise invalid(f"/materials/{i}/fileIds/{j}", "FILE_NOT_FOUND",
                              "no complete, verified file has this id; upload it first",
                              problem_code="FILE_NOT_FOUND", title="file not found")
    now = st.now()
    sid = "sup_" + secrets.token_hex(8)
    with st.storage.tx() as db:
        db.execute("INSERT INTO supplements(supplement_id, application_id, payload, received_at)"
                   " VALUES (?,?,?,?)", (sid, app["application_id"],
                                         json.dumps(data, ensure_ascii=False), now))
        progression.set_status(db, app["application_id"], "SUPPLEMENT_SUBMITTED", now, None,
                               "自助终端补正")
    return json_response({"supplementId": sid, "applicationId": app["application_id"],
                          "status": "SUPPLEMENT_SUBMITTED", "receivedAt": rfc3339(now)}, 202)


@bp.post("/evaluations")
@idempotent()
def submit_evaluation() -> Response:
    st = sandbox()
    data = json_body("EvaluationRequest")
    app = None
    if data.get("applicationId"):
        app = st.storage.one("SELECT * FROM applications WHERE application_id = ?",
                             data["applicationId"])
    elif data.get("projId"):
        app = st.storage.one("SELECT * FROM applications WHERE proj_id = ?", data["projId"])
    elif data.get("clientApplicationId"):
        app = st.storage.one("SELECT * FROM applications WHERE client_application_id = ? AND "
                             "access_key = ?", data["clientApplicationId"], g.access_key)
    if app is None:
        raise invalid("", "APPLICATION_NOT_FOUND", "the rated application is unknown",
                      problem_code="APPLICATION_NOT_FOUND", title="no such application")
    if data["satisfaction"] in BAD_LEVELS and not data.get("reasons"):
        raise invalid("/reasons", "REQUIRED", "reasons are required for a bad rating")
    rnd = data.get("round", 1)
    if st.storage.one("SELECT 1 FROM evaluations WHERE application_id = ? AND round = ?",
                      app["application_id"], rnd):
        raise Problem(422, "EVALUATION_DUPLICATE", "already rated",
                      f"this application already has a round-{rnd} rating", retryable=False)
    now = st.now()
    eid = "ev_" + secrets.token_hex(8)
    with st.storage.tx() as db:
        db.execute("INSERT INTO evaluations(evaluation_id, application_id, round, payload, "
                   "received_at) VALUES (?,?,?,?,?)",
                   (eid, app["application_id"], rnd, json.dumps(data, ensure_ascii=False), now))
    return json_response({"evaluationId": eid, "applicationId": app["application_id"],
                          "receivedAt": rfc3339(now),
                          "followUpRequired": data["satisfaction"] in BAD_LEVELS}, 201)


ROTATION_GRACE_S = 600.0


@bp.post("/devices/<device_id>/credentials")
@idempotent()
def rotate_credentials(device_id: str) -> Response:
    """A new secret for the calling access key; the previous one stays valid for
    ``ROTATION_GRACE_S`` (requests already signed with it still pass)."""
    st = sandbox()
    json_body("CredentialsRotationRequest")
    access_key: str = g.access_key
    new = secrets.token_urlsafe(32)
    until = st.now() + ROTATION_GRACE_S
    now = st.now()
    kept = [(old, t) for old, t in st.previous_credentials.get(access_key, []) if t >= now]
    st.previous_credentials[access_key] = [*kept, (st.credentials[access_key], until)]
    st.credentials[access_key] = new.encode("ascii")
    return json_response({"accessKey": access_key, "secret": new,
                          "previousValidUntil": rfc3339(until)}, 201)


@bp.post("/devices/<device_id>/heartbeat")
def heartbeat(device_id: str) -> Response:
    st = sandbox()
    data = json_body("HeartbeatRequest")
    now = st.now()
    sent = parse_rfc3339(data["sentAt"])
    skew = round(now - sent) if sent is not None else 0
    head = data.get("auditHead")
    with st.storage.tx() as db:
        db.execute("INSERT OR REPLACE INTO heartbeats(device_id, access_key, payload, received_at)"
                   " VALUES (?,?,?,?)", (device_id, g.access_key, json.dumps(data), now))
        if head is not None:
            # The anchor only moves forward: a kiosk whose log was cut or rewritten cannot
            # move it back (a lower sequence, or another hash for the same one, is ignored).
            db.execute("INSERT INTO audit_heads(device_id, access_key, seq, hash, received_at)"
                       " VALUES (?,?,?,?,?) ON CONFLICT(device_id) DO UPDATE SET"
                       " seq = excluded.seq, hash = excluded.hash,"
                       " received_at = excluded.received_at"
                       " WHERE excluded.seq > audit_heads.seq"
                       " AND excluded.access_key = audit_heads.access_key",
                       (device_id, g.access_key, head["seq"], head["hash"], now))
        anchor = db.execute("SELECT seq, hash FROM audit_heads WHERE device_id = ? AND "
                            "access_key = ?", (device_id, g.access_key)).fetchone()
        for r in data.get("commandResults") or []:
            db.execute("INSERT OR IGNORE INTO device_command_results(command_id, device_id, type, "
                       "result, detail, finished_at, received_at) VALUES (?,?,?,?,?,?,?)",
                       (r["id"], device_id, r["type"], r["result"], r.get("detail", ""),
                        r["finishedAt"], now))
        rows = db.execute("SELECT command_id, type, args FROM device_commands WHERE device_id = ?"
                          " AND delivered_at IS NULL ORDER BY created_at", (device_id,)).fetchall()
        db.execute("UPDATE device_commands SET delivered_at = ? WHERE device_id = ? AND "
                   "delivered_at IS NULL", (now, device_id))
    commands = []
    for r in rows:
        command = {"id": r["command_id"], "type": r["type"]}
        if r["args"]:
            command["args"] = json.loads(r["args"])
        commands.append(command)
    answer: dict[str, Any] = {
        "serverTime": rfc3339(now), "clockSkewSec": skew, "catalogVersion": st.catalog.version,
        "commands": commands}
    if anchor is not None:
        answer["auditHead"] = {"seq": anchor["seq"], "hash": anchor["hash"]}
    return json_response(answer)


@bp.get("/devices/<device_id>/audit-head")
def audit_head(device_id: str) -> Response:
    st = sandbox()
    row = st.storage.one("SELECT seq, hash, received_at FROM audit_heads WHERE device_id = ? "
                         "AND access_key = ?", device_id, g.access_key)
    if row is None:
        raise Problem(404, "AUDIT_HEAD_UNKNOWN", "no audit head yet",
                      "no heartbeat of this device has carried an auditHead", retryable=False)
    return json_response({"seq": row["seq"], "hash": row["hash"],
                          "receivedAt": rfc3339(row["received_at"])})
