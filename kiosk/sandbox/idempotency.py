"""``Idempotency-Key`` handling (draft-ietf-httpapi-idempotency-key-header):

- missing → 400 ``IDEMPOTENCY_KEY_MISSING``; malformed or > 64 chars → 400 ``…_INVALID``;
- same key, same request (method, path, query, body; for tus creation its Upload-Length and
  Upload-Metadata), finished → the stored answer, ``Idempotent-Replayed: true``;
- same key, other body → 422 ``IDEMPOTENCY_KEY_REUSED``; first one still running → 409
  ``IDEMPOTENCY_IN_FLIGHT`` (retryable, Retry-After: 1).

Successful (2xx) answers are stored for 30 days. Refusals (4xx) and failures (5xx) are not
stored, so a corrected request may use the key again (as Stripe does for validation errors).
The composite key is (access key, idempotency key): kiosks cannot see each other's answers.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from flask import Response, g, request

from kiosk.api.signing import canonical_query
from kiosk.sandbox.context import IDEMPOTENCY_RETENTION_S, sandbox
from kiosk.sandbox.problems import Problem

REPLAYED = "Idempotent-Replayed"
_KEPT_HEADERS = ("Content-Type", "Location", "Upload-Expires", "Upload-Offset",
                 "Tus-Resumable", "ETag")


def parse_key(raw: str | None) -> str:
    """The key inside an sf-string (``"…"``); a bare token is tolerated."""
    if raw is None or not raw.strip():
        raise Problem(400, "IDEMPOTENCY_KEY_MISSING", "Idempotency-Key is required",
                      "every creating POST needs an Idempotency-Key header (an sf-string)",
                      retryable=False)
    value = raw.strip()
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            value = ""
        else:
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    ok = 0 < len(value) <= 64 and all(0x20 < ord(c) < 0x7F for c in value)
    if not ok:
        raise Problem(400, "IDEMPOTENCY_KEY_INVALID", "Idempotency-Key is malformed",
                      "the key must be an sf-string of 1 to 64 visible ASCII characters",
                      retryable=False)
    return value


# Request parts besides the body that carry what is being created (tus creation has an empty
# body: its size and metadata are headers; POST /files has its metadata in the query).
_FINGERPRINT_HEADERS = ("Content-Type", "Upload-Length", "Upload-Metadata")


def fingerprint(method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> str:
    h = hashlib.sha256()
    h.update(f"{method} {path}\n{canonical_query(query)}\n".encode())
    for name in _FINGERPRINT_HEADERS:
        h.update(f"{name}: {headers.get(name, '')}\n".encode())
    h.update(body)
    return h.hexdigest()


def idempotent(*, unknown_fault: bool = False) -> Callable[[Callable[..., Response]],
                                                            Callable[..., Response]]:
    """Decorates a creating POST handler. With ``unknown_fault`` the handler's success may be
    answered as 504 ``resultStatus: U`` (the ``unknown_rate`` fault) after it is stored."""

    def wrap(fn: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(fn)
        def handler(*args: Any, **kwargs: Any) -> Response:
            st = sandbox()
            key = parse_key(request.headers.get("Idempotency-Key"))
            access_key: str = g.access_key
            fp = fingerprint(request.method, request.path,
                             request.environ.get("QUERY_STRING", ""),
                             {k: request.headers.get(k, "") for k in _FINGERPRINT_HEADERS},
                             request.get_data(cache=True))
            now = st.now()
            with st.storage.tx() as db:
                row = db.execute("SELECT * FROM idempotency WHERE access_key = ? AND idem_key = ?",
                                 (access_key, key)).fetchone()
                if row is not None and now - row["created_at"] > IDEMPOTENCY_RETENTION_S:
                    db.execute("DELETE FROM idempotency WHERE access_key = ? AND idem_key = ?",
                               (access_key, key))
                    row = None
                if row is None:
                    db.execute("INSERT INTO idempotency(access_key, idem_key, fingerprint, state,"
                               " created_at) VALUES (?, ?, ?, 'in_flight', ?)",
                               (access_key, key, fp, now))
            if row is not None:
                if row["fingerprint"] != fp:
                    raise Problem(422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key is already used",
                                  "this key was used with another request body; mint a new key",
                                  retryable=False)
                if row["state"] == "in_flight":
                    raise Problem(409, "IDEMPOTENCY_IN_FLIGHT", "request still in progress",
                                  "a request with this key is still being processed; retry later",
                                  retryable=True, result_status="U",
                                  headers={"Retry-After": "1"})
                return _replay(row)
            g.idempotency_key = key
            hold = st.faults.settings.hold_s
            if hold and st.faults.applies(request.path):
                st.faults.hold(hold)
            try:
                resp = fn(*args, **kwargs)
            except BaseException:
                _release(access_key, key)
                raise
            if not 200 <= resp.status_code < 300:
                _release(access_key, key)
                return resp
            headers = {k: resp.headers[k] for k in _KEPT_HEADERS if k in resp.headers}
            with st.storage.tx() as db:
                db.execute("UPDATE idempotency SET state = 'done', status = ?, headers = ?, "
                           "body = ? WHERE access_key = ? AND idem_key = ?",
                           (resp.status_code, json.dumps(headers), resp.get_data(),
                            access_key, key))
            if (unknown_fault and st.faults.applies(request.path)
                    and st.faults.draw(st.faults.settings.unknown_rate)):
                raise Problem(504, "UPSTREAM_RESULT_UNKNOWN", "outcome unknown",
                              "the platform did not confirm in time; look the application up "
                              "by clientApplicationId before sending it again",
                              retryable=True, result_status="U")
            return resp

        return handler

    return wrap


def _release(access_key: str, key: str) -> None:
    with sandbox().storage.tx() as db:
        db.execute("DELETE FROM idempotency WHERE access_key = ? AND idem_key = ? "
                   "AND state = 'in_flight'", (access_key, key))


def _replay(row: Any) -> Response:
    headers = json.loads(row["headers"] or "{}")
    resp = Response(row["body"] or b"", status=row["status"])
    for k, v in headers.items():
        resp.headers[k] = v
    resp.headers[REPLAYED] = "true"
    return resp
