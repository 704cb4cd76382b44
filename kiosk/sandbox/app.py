"""The Flask application of the sandbox: request hooks (faults, signature, tus version),
problem+json for every error, the API blueprints under /uap/v1 and the loopback-only admin."""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from kiosk.api import signing
from kiosk.sandbox import progression
from kiosk.sandbox.context import PREFIX, SandboxState, sandbox
from kiosk.sandbox.problems import Problem, http_date, json_response

log = logging.getLogger("kiosk.sandbox")

GARBAGE = (b"<!DOCTYPE html><html><head><title>Portal</title></head><body>"
           b"<h1>\xe7\xbd\x91\xe7\xbb\x9c\xe8\xae\xa4\xe8\xaf\x81</h1>"  # 网络认证 (a captive portal)
           b"<p>Please log in to continue.</p></body></html>")


def _raw_path() -> str:
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        return str(raw).split("?", 1)[0]
    return request.path


def _drop_connection(limit: int) -> None:
    """Reads ``limit`` bytes of the body, then cuts the TCP connection (the fault)."""
    stream = request.environ["wsgi.input"]
    left = min(limit, request.content_length or 0)
    while left > 0:
        chunk = stream.read(min(left, 65536))
        if not chunk:
            break
        left -= len(chunk)
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _before_api() -> Response | None:
    st = sandbox()
    faults = st.faults
    s = faults.settings
    path = request.path
    if any(path == PREFIX + gone or path.startswith(PREFIX + gone + "/") for gone in s.missing):
        raise Problem(404, "NOT_FOUND", "no such operation",
                      "this platform does not offer this operation", retryable=False)
    if faults.applies(path):
        if s.latency_s:
            time.sleep(s.latency_s)
        if request.method == "PATCH" and path.startswith(PREFIX + "/uploads/"):
            limit = faults.take_upload_drop()
            if limit is not None:
                _drop_connection(limit)
                return Response(status=500)  # never reaches the client
        if faults.take_error():
            raise Problem(503, "SERVICE_UNAVAILABLE", "service temporarily unavailable",
                          "the platform is busy; retry after the indicated time",
                          retryable=True, result_status="F",
                          headers={"Retry-After": str(s.retry_after_s)})
        if faults.draw(s.garbage_rate):
            if s.garbage_kind == "json":
                return json_response({"result": "ok", "data": None})  # not this contract
            return Response(GARBAGE, status=200, content_type="text/html; charset=utf-8")
    body = request.get_data(cache=True)
    now = datetime.fromtimestamp(st.now(), UTC)
    result = signing.verify(
        request.method, _raw_path(), request.environ.get("QUERY_STRING", ""), body,
        request.headers, st.credentials.get, now=now,
        remember_nonce=lambda key, nonce: st.nonces.remember(key, nonce, st.now()))
    if not result.ok and result.code == signing.AUTH_INVALID_SIGNATURE and result.access_key:
        for old, until in st.previous_credentials.get(result.access_key, []):
            if st.now() > until:
                continue  # rotated away longer ago than the grace period
            retry = signing.verify(
                request.method, _raw_path(), request.environ.get("QUERY_STRING", ""), body,
                request.headers, _constant(old), now=now,
                remember_nonce=lambda key, nonce: st.nonces.remember(key, nonce, st.now()))
            if retry.ok:
                result = retry
                break
    if not result.ok:
        assert result.code is not None
        raise Problem(401, result.code, "authentication failed", result.detail,
                      retryable=False, headers={"Date": http_date(st.now())})
    g.access_key = result.access_key
    if path.startswith(PREFIX + "/uploads") and request.method != "OPTIONS":
        if request.headers.get("Tus-Resumable") != "1.0.0":
            raise Problem(412, "TUS_VERSION_UNSUPPORTED", "Tus-Resumable 1.0.0 required",
                          "send Tus-Resumable: 1.0.0", retryable=False,
                          headers={"Tus-Version": "1.0.0", "Tus-Resumable": "1.0.0"})
    return None


def _constant(secret: bytes) -> Callable[[str], bytes]:
    return lambda key: secret


_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _loopback_only() -> None:
    """The admin answers a peer on loopback that names loopback as the Host: a web page
    whose name was rebound to 127.0.0.1 (DNS rebinding) sends its own name as the Host."""
    try:
        ok = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise Problem(403, "ADMIN_LOOPBACK_ONLY", "admin is loopback only",
                      "the admin endpoint answers only on 127.0.0.1", retryable=False)
    host = (request.headers.get("Host") or "").strip().lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    port = host[len(name) + 1:] if len(host) > len(name) else ""
    if name not in _LOOPBACK_NAMES or (port and not (port.isascii() and port.isdigit())):
        raise Problem(403, "ADMIN_HOST_REFUSED", "admin host refused",
                      "the admin endpoint answers only to Host 127.0.0.1, localhost or [::1]",
                      retryable=False)


def _admin_blueprint() -> Blueprint:
    admin = Blueprint("admin", __name__, url_prefix="/__admin")
    admin.before_request(_loopback_only)

    @admin.get("/faults")
    def get_faults() -> Response:
        return json_response(sandbox().faults.settings.to_json())

    @admin.route("/faults", methods=["PUT", "POST", "PATCH"])
    def set_faults() -> Response:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise Problem(400, "MALFORMED_BODY", "JSON object expected", retryable=False)
        faults = sandbox().faults
        if request.method == "PUT":
            faults.reset()
        try:
            settings = faults.set(**data)
        except (TypeError, ValueError) as exc:
            raise Problem(422, "VALIDATION_FAILED", "bad fault settings", str(exc),
                          retryable=False) from None
        return json_response(settings.to_json())

    @admin.delete("/faults")
    def reset_faults() -> Response:
        return json_response(sandbox().faults.reset().to_json())

    @admin.get("/dump")
    def dump() -> Response:
        return json_response(sandbox().storage.dump())

    @admin.post("/applications/<ident>/status")
    def force_status(ident: str) -> Response:
        st = sandbox()
        data = request.get_json(silent=True) or {}
        status = data.get("status")
        if status not in progression.ALL_STATUSES:
            raise Problem(422, "VALIDATION_FAILED", "unknown status",
                          "status must be one of " + ", ".join(progression.ALL_STATUSES),
                          retryable=False)
        app = (st.storage.one("SELECT * FROM applications WHERE application_id = ?", ident)
               or st.storage.one("SELECT * FROM applications WHERE proj_id = ?", ident))
        if app is None:
            raise Problem(404, "APPLICATION_NOT_FOUND", "no such application", retryable=False)
        materials = data.get("materials")
        if materials is not None and (status != "SUPPLEMENT_REQUIRED" or not isinstance(
                materials, list) or not all(isinstance(c, str) for c in materials)):
            raise Problem(422, "VALIDATION_FAILED", "bad materials",
                          "materials: a list of materialCodes, with SUPPLEMENT_REQUIRED only",
                          retryable=False)
        if materials:
            matter = st.catalog.get(app["impl_code"]) or {}
            known = {m.get("materialCode") for m in matter.get("materials") or ()}
            unknown = [c for c in materials if c not in known]
            if unknown:
                raise Problem(422, "VALIDATION_FAILED", "unknown materials",
                              f"the matter {app['impl_code']} has no material "
                              + ", ".join(unknown[:5]), retryable=False)
        with st.storage.tx() as db:
            progression.set_status(db, app["application_id"], status, st.now(), None,
                                   data.get("note"))
            if materials is not None:  # 补齐补正: what the citizen is asked to bring
                db.execute("INSERT OR REPLACE INTO supplement_requests(application_id, reason,"
                           " materials, requested_at) VALUES (?,?,?,?)",
                           (app["application_id"], str(data.get("reason") or ""),
                            json.dumps(materials), st.now()))
        return json_response({"applicationId": app["application_id"], "status": status})

    @admin.post("/payments/<payment_id>")
    def settle_payment(payment_id: str) -> Response:
        from kiosk.sandbox.routes_payments import admin_settle

        data = request.get_json(silent=True) or {}
        return json_response(admin_settle(payment_id, str(data.get("status", ""))))

    @admin.post("/devices/<device_id>/commands")
    def add_command(device_id: str) -> Response:
        import secrets

        st = sandbox()
        data = request.get_json(silent=True) or {}
        kind = data.get("type")
        if kind not in ("REFRESH_CATALOG", "MAINTENANCE_MODE", "UPLOAD_LOGS", "ROTATE_KEY",
                        "INSTALL_VERSION"):
            raise Problem(422, "VALIDATION_FAILED", "unknown command type", retryable=False)
        args = data.get("args") or {}
        if not isinstance(args, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and len(v) <= 200
                for k, v in args.items()):
            raise Problem(422, "VALIDATION_FAILED", "args must map names to short strings",
                          retryable=False)
        cid = "cmd_" + secrets.token_hex(6)
        with st.storage.tx() as db:
            db.execute("INSERT INTO device_commands(command_id, device_id, type, created_at, args)"
                       " VALUES (?,?,?,?,?)", (cid, device_id, kind, st.now(),
                                               json.dumps(args) if args else None))
        return json_response({"id": cid, "type": kind, **({"args": args} if args else {})}, 201)

    @admin.get("/devices/<device_id>")
    def device_view(device_id: str) -> Response:
        """The platform's view of one kiosk: its last heartbeat and its commands' results."""
        st = sandbox()
        beat = st.storage.one("SELECT payload, received_at FROM heartbeats WHERE device_id = ?",
                              device_id)
        commands = [{"id": r["command_id"], "type": r["type"],
                     "delivered": r["delivered_at"] is not None,
                     "result": r["result"], "detail": r["detail"]}
                    for r in st.storage.all(
                        "SELECT c.command_id, c.type, c.delivered_at, r.result, r.detail "
                        "FROM device_commands c LEFT JOIN device_command_results r "
                        "ON r.command_id = c.command_id WHERE c.device_id = ? "
                        "ORDER BY c.created_at", device_id)]
        return json_response({"deviceId": device_id,
                              "lastHeartbeat": json.loads(beat["payload"]) if beat else None,
                              "commands": commands})

    from kiosk.sandbox import staff

    staff.admin_routes(admin)
    return admin


def create_app(state: SandboxState) -> Flask:
    from kiosk.sandbox import (
        routes_applications,
        routes_catalog,
        routes_files,
        routes_help,
        routes_identity,
        routes_payments,
        staff,
    )

    app = Flask("kiosk.sandbox")
    app.config["MAX_CONTENT_LENGTH"] = 80 * 1024 * 1024
    app.extensions["kiosk_sandbox"] = state

    api = Blueprint("api", __name__, url_prefix=PREFIX)
    api.before_request(_before_api)
    api.register_blueprint(routes_catalog.bp)
    api.register_blueprint(routes_files.bp)
    api.register_blueprint(routes_applications.bp)
    api.register_blueprint(routes_payments.bp)
    api.register_blueprint(routes_help.bp)
    api.register_blueprint(routes_identity.bp)
    api.register_blueprint(staff.bp)
    app.register_blueprint(api)
    app.register_blueprint(_admin_blueprint())

    @app.errorhandler(Problem)
    def on_problem(p: Problem) -> Response:
        return p.response()

    @app.errorhandler(HTTPException)
    def on_http(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "BODY_TOO_LARGE",
                400: "BAD_REQUEST"}.get(status, f"HTTP_{status}")
        return Problem(status, code, exc.name, exc.description or "", retryable=False).response()

    @app.errorhandler(Exception)
    def on_bug(exc: Exception) -> Response:
        log.exception("sandbox bug on %s %s", request.method, request.path)
        return Problem(500, "INTERNAL_ERROR", "internal error",
                       "the sandbox failed; see its log", retryable=True,
                       result_status="U").response()

    @app.teardown_request
    def release_db(exc: BaseException | None) -> None:
        state.storage.release()

    @app.after_request
    def server_date(resp: Response) -> Response:
        # The Date header tells a kiosk with a wrong clock how far off it is.
        resp.headers["Date"] = http_date(sandbox().now())
        return resp

    return app


def describe(state: SandboxState) -> dict[str, Any]:
    return {"faults": state.faults.settings.to_json(), "statusStepS": state.status_step_s}
