"""``ApiClient``: the kiosk's client of the acceptance gateway (docs/api/openapi.yaml).

- One ``requests.Session`` (connection reuse), connect/read timeouts on every call, TLS
  verification always on (a CA bundle path may be given), optional client certificate.
- Every request is signed when it is sent (``HmacAuth``, a ``requests`` auth hook), so a
  request queued offline is signed with a fresh date and nonce on each attempt.
- Creating POSTs carry an ``Idempotency-Key``; ``ApiResponse.replayed`` tells a replay.
- Failures are typed (``kiosk.api.errors``): retryable or not, ``S``/``F``/``U`` outcome,
  ``Retry-After``. A short ``Retry-After`` (≤ ``max_retry_wait`` s) is honoured inside the call
  for requests that are safe to repeat; longer ones are left to the caller (the queue).
- A clock-skew refusal is corrected once from the server's ``Date`` and the request re-signed
  (``correct_clock``); ``clock_offset_s`` keeps the correction for later calls.

Thread safety: one ``ApiClient`` may be shared by threads for plain calls (requests' Session
is used so in practice); give each long-running upload worker its own client to be safe.
"""

from __future__ import annotations

import json as jsonlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from kiosk import __version__
from kiosk.api import contract, errors, signing
from kiosk.api.uuid7 import uuid7

if TYPE_CHECKING:
    from kiosk.config import Settings

log = logging.getLogger("kiosk.api")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_TYPES = ("application/json", "application/problem+json")


@dataclass(frozen=True)
class ApiResponse:
    """A successful answer: HTTP ``status``, ``headers`` (case-insensitive), parsed ``json``
    (None when the body is empty, e.g. 204/304) and ``replayed`` (``Idempotent-Replayed``)."""

    status: int
    headers: Mapping[str, str]
    json: Any = field(repr=False)  # prefill values, receipt passwords: not for reprs and logs
    replayed: bool = False

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")


_LIVE_AUTH: weakref.WeakSet[HmacAuth] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


def use_secret(access_key: str, secret: bytes) -> int:
    """Every live client of ``access_key`` signs with ``secret`` from its next request on
    (ROTATE_KEY, kiosk.credentials). Returns how many were switched."""
    with _LIVE_LOCK:
        live = [a for a in _LIVE_AUTH if a.access_key == access_key]
    for auth in live:
        auth.secret = secret
    return len(live)


class HmacAuth(requests.auth.AuthBase):
    """Signs a prepared request (called by requests just before it is sent)."""

    def __init__(self, access_key: str, secret: bytes,
                 clock: Callable[[], float] = time.time) -> None:
        self.access_key = access_key
        self.secret = secret
        self.clock = clock
        with _LIVE_LOCK:
            _LIVE_AUTH.add(self)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body
        if body is None:
            raw = b""
        elif isinstance(body, bytes):
            raw = body
        elif isinstance(body, str):
            raw = body.encode("utf-8")
        else:  # a stream cannot be digested without reading it: callers pass bytes
            raise TypeError("signed requests need the body as bytes")
        url = urlsplit(r.url or "")
        headers = signing.sign_headers(r.method or "GET", url.path or "/", url.query, raw,
                                       self.access_key, self.secret,
                                       date=signing.http_date(self.clock()))
        r.headers.update(headers)
        return r


def sf_string(value: str) -> str:
    """RFC 8941 sf-string: quoted, with backslash and quote escaped."""
    if not value or len(value) > 64 or any(not 0x20 <= ord(c) < 0x7F for c in value):
        raise ValueError("an idempotency key is 1-64 printable ASCII characters")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ApiClient:
    """Client of the gateway API v1. ``base_url`` includes the prefix
    (``https://gateway/uap/v1``); paths given to ``request`` are relative to it."""

    def __init__(self, base_url: str, access_key: str, secret: bytes, *,
                 connect_timeout: float = 3.05, read_timeout: float = 15,
                 verify: bool | str | Path = True,
                 cert: str | tuple[str, str] | None = None,
                 max_retries: int = 2, max_retry_wait: float = 5.0,
                 correct_clock: bool = True, validate_responses: bool = True,
                 chunk_size: int = 1024 * 1024, upload_backoff_s: tuple[float, ...] | None = None,
                 user_agent: str | None = None) -> None:
        if verify is False:
            raise ValueError("TLS verification is always on (give a CA bundle path instead)")
        if not secret:
            raise ValueError("the API secret is empty")
        self.base_url = base_url.rstrip("/")
        self.base_path = urlsplit(self.base_url).path.rstrip("/")
        self.access_key = access_key
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.correct_clock = correct_clock
        self.validate_responses = validate_responses
        self.chunk_size = chunk_size
        # Pauses between attempts of a stalled upload (then it gives up; calling upload again
        # resumes). None: kiosk.api.uploads.BACKOFF_S.
        self.upload_backoff_s = upload_backoff_s
        self.clock_offset_s = 0.0  # added to the local clock when signing
        self.session = requests.Session()
        self.session.auth = HmacAuth(access_key, secret, self._clock)
        self.session.verify = str(verify) if isinstance(verify, Path) else verify
        self.session.cert = cert
        self.session.trust_env = False  # no proxy surprises from the environment on a kiosk
        self.session.headers["User-Agent"] = user_agent or f"hall-kiosk/{__version__}"
        self.session.headers["Accept"] = "application/json, application/problem+json"

    @classmethod
    def from_settings(cls, settings: Settings, *, base_url: str | None = None,
                      **kwargs: Any) -> ApiClient:
        """A client for ``settings.api``; with ``base_url = "embedded"`` the caller passes
        the running sandbox's URL (``start_embedded(settings).base_url``). A missing or
        empty secret file raises ``kiosk.config.ConfigError`` (one line for people)."""
        api = settings.api
        url = base_url or api.base_url
        if url == "embedded":
            raise ValueError('api.base_url is "embedded": start the sandbox and pass its base_url')
        cert: str | tuple[str, str] | None = None
        if api.client_cert and api.client_key:
            cert = (str(api.client_cert), str(api.client_key))
        elif api.client_cert:
            cert = str(api.client_cert)
        kwargs.setdefault("connect_timeout", api.connect_timeout_s)
        kwargs.setdefault("read_timeout", api.read_timeout_s)
        from kiosk.config import ConfigError
        from kiosk.credentials import current_secret

        try:
            secret = current_secret(settings)  # the rotated one (ROTATE_KEY) when there is one
        except OSError as exc:
            raise ConfigError(settings.source, "api.secret_file", str(api.secret_file),
                              f"a readable file holding the API secret ({exc.strerror})"
                              ) from None
        if not secret:
            raise ConfigError(settings.source, "api.secret_file", str(api.secret_file),
                              "a file holding the API secret (it is empty)")
        return cls(url, api.access_key, secret,
                   verify=str(api.ca_bundle) if api.ca_bundle else True, cert=cert, **kwargs)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _clock(self) -> float:
        return time.time() + self.clock_offset_s

    # -- the one way out ---------------------------------------------------------------------

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, idempotency_key: str | None = None,
                schema: str | None = None, retry_safe: bool | None = None) -> ApiResponse:
        """Sends one signed request and returns the successful answer or raises ``ApiError``.

        ``json`` is serialized compactly (UTF-8); ``body`` is sent as is (the queue re-sends
        the exact bytes it stored). ``schema`` names the contract schema the answer must
        match (else ``ProtocolError``). ``retry_safe`` overrides whether a 503/429 with a
        short Retry-After may be retried inside this call (default: safe methods, requests
        with an idempotency key, and answers that say nothing was applied)."""
        method = method.upper()
        hdrs = dict(headers or {})
        data = body
        if json is not None:
            if body is not None:
                raise ValueError("give json or body, not both")
            data = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        if idempotency_key is not None:
            hdrs["Idempotency-Key"] = sf_string(idempotency_key)
        url = self.base_url + path
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        corrected = False
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self._send(method, url, clean_params, data, hdrs)
                return self._answer(method, path, resp, schema)
            except errors.ClockSkewError as err:
                if not self.correct_clock or corrected or err.server_date is None:
                    raise
                corrected = True
                self.clock_offset_s = (err.server_date - datetime.now(UTC)).total_seconds()
                log.warning("kiosk clock is %+.0f s off the gateway; signing with the "
                            "gateway's time", self.clock_offset_s)
            except errors.ApiError as err:
                safe = retry_safe
                if safe is None:
                    safe = (method in SAFE_METHODS or idempotency_key is not None
                            or err.result_status == "F")
                wait = err.retry_after
                # 429/503 say "later"; 409 IDEMPOTENCY_IN_FLIGHT says "the first one is still
                # running" — after the wait, the same key gets the stored answer.
                in_flight = err.code == "IDEMPOTENCY_IN_FLIGHT" and idempotency_key is not None
                if (not safe or not err.retryable or wait is None or wait > self.max_retry_wait
                        or attempt > self.max_retries
                        or (err.status not in (429, 503) and not in_flight)):
                    raise
                log.info("%s %s answered %s; retrying in %.1f s", method, path, err.status, wait)
                time.sleep(wait)

    def _send(self, method: str, url: str, params: Mapping[str, Any], data: bytes | None,
              headers: Mapping[str, str]) -> requests.Response:
        try:
            return self.session.request(method, url, params=params, data=data, headers=headers,
                                        timeout=self.timeout, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise errors.NetworkError(errors.NET_TLS, f"TLS failed: {_short(exc)}") from None
        except requests.exceptions.ConnectTimeout:
            raise errors.NetworkError(errors.NET_UNREACHABLE,
                                      f"no connection to {self._host()} within "
                                      f"{self.timeout[0]} s") from None
        except requests.exceptions.ReadTimeout:
            raise errors.NetworkError(errors.NET_TIMEOUT,
                                      f"{self._host()} did not answer within "
                                      f"{self.timeout[1]} s") from None
        except requests.exceptions.ChunkedEncodingError as exc:
            raise errors.NetworkError(errors.NET_DROPPED,
                                      f"connection dropped: {_short(exc)}") from None
        except requests.exceptions.ConnectionError as exc:
            text = str(exc)
            dropped = any(s in text for s in ("reset", "aborted", "RemoteDisconnected",
                                              "Broken pipe", "BrokenPipe"))
            if dropped:
                raise errors.NetworkError(errors.NET_DROPPED,
                                          f"connection to {self._host()} dropped") from None
            raise errors.NetworkError(errors.NET_UNREACHABLE,
                                      f"cannot reach {self._host()}") from None

    def _host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _answer(self, method: str, path: str, resp: requests.Response,
                schema: str | None) -> ApiResponse:
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        content = resp.content
        log.debug("%s %s -> %s", method, path.split("?")[0], resp.status_code)
        if resp.status_code < 300 or resp.status_code == 304:
            parsed: Any = None
            if content and method != "HEAD":
                if ctype not in JSON_TYPES:
                    raise errors.ProtocolError(resp.status_code,
                                               f"expected JSON, got {ctype or 'no type'}")
                try:
                    parsed = jsonlib.loads(content.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    raise errors.ProtocolError(resp.status_code, "the body is not JSON") from None
            if schema and self.validate_responses and resp.status_code != 304:
                try:
                    problems = contract.errors(schema, parsed)
                except contract.ContractMissing:
                    log.warning("API contract file missing: answers are not checked")
                    self.validate_responses = False
                    problems = []
                if problems:
                    first = problems[0]
                    raise errors.ProtocolError(
                        resp.status_code, f"answer does not match {schema}: "
                        f"{first['pointer'] or '/'} {first['message'][:120]}")
            return ApiResponse(resp.status_code, CaseInsensitiveDict(resp.headers), parsed,
                               resp.headers.get("Idempotent-Replayed", "").lower() == "true")
        retry_after = errors.parse_retry_after(resp.headers.get("Retry-After"))
        problem: Any = None
        if content and ctype in JSON_TYPES:
            try:
                problem = jsonlib.loads(content.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                problem = None
        if not isinstance(problem, dict):
            if resp.status_code >= 500 or method == "HEAD":
                return self._raise(errors.ApiError(
                    resp.status_code, f"HTTP_{resp.status_code}", resp.reason or "error",
                    f"{resp.status_code} without a problem document",
                    retryable=resp.status_code in errors.RETRYABLE_STATUS,
                    result_status="U" if resp.status_code >= 500 else "F",
                    retry_after=retry_after))
            return self._raise(errors.ProtocolError(
                resp.status_code, f"{resp.status_code} answer is not problem+json"))
        server_date = None
        if resp.headers.get("Date"):
            try:
                server_date = parsedate_to_datetime(resp.headers["Date"])
            except (TypeError, ValueError, IndexError):
                server_date = None
            if server_date is not None and server_date.tzinfo is None:
                server_date = server_date.replace(tzinfo=UTC)  # "-0000" dates are UTC too
        return self._raise(errors.from_problem(resp.status_code, problem,
                                               retry_after=retry_after, server_date=server_date,
                                               kiosk_date=datetime.fromtimestamp(self._clock(),
                                                                                 UTC)))

    @staticmethod
    def _raise(err: errors.ApiError) -> ApiResponse:
        raise err

    # -- catalog -----------------------------------------------------------------------------

    _FILTERS = {"category": "category", "theme": "theme", "service_object": "serviceObject",
                "serviceObject": "serviceObject", "dept_code": "deptCode",
                "deptCode": "deptCode", "page": "page", "page_size": "pageSize",
                "pageSize": "pageSize"}

    def list_matters(self, q: str | None = None, *, etag: str | None = None,
                     **filters: Any) -> ApiResponse:
        """GET /matters → ``MatterList`` (status 304 and ``json`` None when ``etag`` still
        matches). Filters: category, theme, service_object, dept_code, page, page_size."""
        params: dict[str, Any] = {"q": q}
        for key, value in filters.items():
            if key not in self._FILTERS:
                raise TypeError(f"unknown matters filter {key!r}")
            params[self._FILTERS[key]] = value
        headers = {"If-None-Match": etag} if etag else None
        return self.request("GET", "/matters", params=params, headers=headers,
                            schema="MatterList")

    def get_matter(self, impl_code: str, *, etag: str | None = None) -> ApiResponse:
        """GET /matters/{implCode} → ``Matter`` (materials, exemptions, formSchema)."""
        headers = {"If-None-Match": etag} if etag else None
        return self.request("GET", "/matters/" + quote(impl_code, safe=""), headers=headers,
                            schema="Matter")

    def list_matter_details(self, *, page: int = 1, page_size: int = 100) -> ApiResponse:
        """GET /matter-details → ``MatterPage``: full matters, a page at a time."""
        return self.request("GET", "/matter-details",
                            params={"page": page, "pageSize": page_size}, schema="MatterPage")

    # -- citizen -----------------------------------------------------------------------------

    def create_citizen_session(self, *, cert_type: str, cert_no: str, name: str, method: str,
                               consent_scopes: list[str], device_id: str | None = None,
                               idempotency_key: str | None = None) -> ApiResponse:
        """POST /citizen-sessions → ``CitizenSession`` (``sessionToken`` for prefill)."""
        payload: dict[str, Any] = {"certType": cert_type, "certNo": cert_no, "name": name,
                                   "method": method, "consentScopes": consent_scopes}
        if device_id:
            payload["deviceId"] = device_id
        return self.request("POST", "/citizen-sessions", json=payload,
                            idempotency_key=idempotency_key or uuid7(), schema="CitizenSession")

    def prefill(self, session_token: str, impl_code: str, *, cert_type: str, cert_no: str,
                method: str, scopes: list[str], consent_id: str | None = None) -> ApiResponse:
        """POST /prefill → ``Prefill`` (form values, licences, exempted material codes)."""
        consent: dict[str, Any] = {"method": method, "scopes": scopes}
        if consent_id:
            consent["consentId"] = consent_id
        payload = {"implCode": impl_code, "subject": {"certType": cert_type, "certNo": cert_no},
                   "consent": consent}
        return self.request("POST", "/prefill", json=payload,
                            headers={"X-Citizen-Authorization": f"Bearer {session_token}"},
                            schema="Prefill", retry_safe=True)

    # -- identity ----------------------------------------------------------------------------

    def verify_face(self, payload: Mapping[str, Any]) -> ApiResponse:
        """POST /identity/face-verifications → ``FaceVerification`` (人证比对: live images,
        liveness evidence, certificate number → decision, score, reason codes)."""
        return self.request("POST", "/identity/face-verifications", json=payload,
                            schema="FaceVerification", retry_safe=True)

    def verify_eid(self, code: str, device_id: str | None = None) -> ApiResponse:
        """POST /identity/eid-verifications → ``EidVerification`` (a scanned e-ID code)."""
        payload: dict[str, Any] = {"code": code}
        if device_id:
            payload["deviceId"] = device_id
        return self.request("POST", "/identity/eid-verifications", json=payload,
                            schema="EidVerification", retry_safe=True)

    # -- files -------------------------------------------------------------------------------

    def upload(self, data_or_path: bytes | str | Path | BinaryIO, *, sha256: str, filename: str,
               content_type: str, on_progress: Callable[[int, int], None] | None = None,
               material_code: str | None = None, client_application_id: str | None = None,
               idempotency_key: str | None = None, small_file_max: int | None = None) -> str:
        """Uploads one material file and returns its ``fileId`` (see ``kiosk.api.uploads``)."""
        from kiosk.api import uploads

        return uploads.upload(self, data_or_path, sha256=sha256, filename=filename,
                              content_type=content_type, on_progress=on_progress,
                              material_code=material_code,
                              client_application_id=client_application_id,
                              idempotency_key=idempotency_key, small_file_max=small_file_max)

    # -- applications ------------------------------------------------------------------------

    def submit_application(self, payload: Mapping[str, Any] | bytes,
                           idempotency_key: str) -> ApiResponse:
        """POST /applications → 202 ``ApplicationReceipt``. ``payload`` is the application
        object or its exact JSON bytes; ``idempotency_key`` is its ``clientApplicationId``.
        On ``ApiError`` with ``result_status == "U"`` or a ``NetworkError``, call
        ``find_application`` before anything else."""
        return self._create("/applications", payload, idempotency_key, "ApplicationReceipt")

    def get_application(self, application_id: str) -> ApiResponse:
        """GET /applications/{id} (applicationId or projId) → ``ApplicationStatus``."""
        return self.request("GET", "/applications/" + quote(application_id, safe=""),
                            schema="ApplicationStatus")

    def find_application(self, client_application_id: str) -> dict[str, Any] | None:
        """Reconciliation: the ``ApplicationStatus`` of this kiosk's application with that
        ``clientApplicationId``, or None when the gateway never received it."""
        resp = self.request("GET", "/applications",
                            params={"clientApplicationId": client_application_id},
                            schema="ApplicationList")
        items = resp.json["items"]
        return items[0] if items else None

    def query_status(self, *, application_id: str | None = None, proj_id: str | None = None,
                     query_password: str | None = None, cert_no: str | None = None,
                     citizen_token: str | None = None) -> list[dict[str, Any]]:
        """办件查询: the matching ``ApplicationStatus`` objects (empty when none). Give one of
        application_id, proj_id, query_password (from the receipt) or cert_no (with the
        citizen's session token)."""
        if application_id:
            try:
                return [self.get_application(application_id).json]
            except errors.ApiError as err:
                if err.status == 404:
                    return []
                raise
        params = {"projId": proj_id, "queryPassword": query_password, "certNo": cert_no}
        if sum(v is not None for v in params.values()) != 1:
            raise ValueError("give exactly one of application_id, proj_id, query_password, cert_no")
        headers = {"X-Citizen-Authorization": f"Bearer {citizen_token}"} if citizen_token else None
        resp = self.request("GET", "/applications", params=params, headers=headers,
                            schema="ApplicationList")
        items: list[dict[str, Any]] = resp.json["items"]
        return items

    def submit_supplement(self, application_id: str, payload: Mapping[str, Any] | bytes,
                          idempotency_key: str) -> ApiResponse:
        """POST /applications/{id}/supplements → 202 ``SupplementReceipt``."""
        path = f"/applications/{quote(application_id, safe='')}/supplements"
        return self._create(path, payload, idempotency_key, "SupplementReceipt")

    def report_data_access(self, application: str, report: Mapping[str, Any],
                           idempotency_key: str) -> ApiResponse:
        """POST /applications/{id}/data-accesses → ``DataAccessEntry`` (数据使用记录); ``id``
        may be the kiosk's clientApplicationId."""
        return self._create(f"/applications/{quote(application, safe='')}/data-accesses",
                            report, idempotency_key, "DataAccessEntry")

    def evaluate(self, payload: Mapping[str, Any] | bytes, idempotency_key: str) -> ApiResponse:
        """POST /evaluations (好差评) → 201 ``EvaluationReceipt``."""
        return self._create("/evaluations", payload, idempotency_key, "EvaluationReceipt")

    def _create(self, path: str, payload: Mapping[str, Any] | bytes, idempotency_key: str,
                schema: str) -> ApiResponse:
        """A creating POST of a JSON object, or of the exact JSON bytes the queue stored."""
        if isinstance(payload, bytes):
            return self.request("POST", path, body=payload,
                                headers={"Content-Type": "application/json"},
                                idempotency_key=idempotency_key, schema=schema)
        return self.request("POST", path, json=dict(payload), idempotency_key=idempotency_key,
                            schema=schema)

    # -- payments (统一公共支付) ----------------------------------------------------------------

    def create_payment(self, payload: Mapping[str, Any], idempotency_key: str) -> ApiResponse:
        """POST /payments → 201 ``PaymentOrder`` (PENDING, with the pay QR's ``payUrl``)."""
        return self._create("/payments", payload, idempotency_key, "PaymentOrder")

    def get_payment(self, payment_id: str) -> ApiResponse:
        """GET /payments/{id} → ``PaymentOrder`` (polled while the citizen pays)."""
        return self.request("GET", "/payments/" + quote(payment_id, safe=""),
                            schema="PaymentOrder")

    def cancel_payment(self, payment_id: str) -> ApiResponse:
        """POST /payments/{id}/cancel → ``PaymentOrder`` (a paid order stays PAID)."""
        return self.request("POST", "/payments/" + quote(payment_id, safe="") + "/cancel",
                            schema="PaymentOrder", retry_safe=True)

    # -- 呼叫帮办 ------------------------------------------------------------------------------

    def create_help_request(self, device_id: str, step: str,
                            idempotency_key: str) -> ApiResponse:
        """POST /devices/{id}/help-requests → 201 ``HelpTicket`` (kiosk and step only)."""
        return self._create(f"/devices/{quote(device_id, safe='')}/help-requests",
                            {"step": step}, idempotency_key, "HelpTicket")

    def mark_help_handled(self, device_id: str, request_id: str) -> ApiResponse:
        """POST /devices/{id}/help-requests/{requestId}/handled → ``HelpTicket``."""
        return self.request("POST", f"/devices/{quote(device_id, safe='')}/help-requests/"
                            f"{quote(request_id, safe='')}/handled", schema="HelpTicket",
                            retry_safe=True)

    # -- device ------------------------------------------------------------------------------

    def rotate_credentials(self, *, device_id: str | None = None,
                           idempotency_key: str | None = None) -> ApiResponse:
        """POST /devices/{deviceId}/credentials → ``CredentialsRotated`` (a new ``secret``;
        the previous one is accepted until ``previousValidUntil``). ROTATE_KEY."""
        device = device_id or self.access_key
        return self.request("POST", f"/devices/{quote(device, safe='')}/credentials", json={},
                            idempotency_key=idempotency_key or uuid7(),
                            schema="CredentialsRotated")

    def heartbeat(self, payload: Mapping[str, Any] | None = None, *,
                  device_id: str | None = None) -> ApiResponse:
        """POST /devices/{deviceId}/heartbeat → ``HeartbeatResponse`` (``serverTime``,
        ``clockSkewSec``, ``commands``). ``sentAt`` and ``appVersion`` are filled in."""
        body = dict(payload or {})
        body.setdefault("sentAt", datetime.fromtimestamp(self._clock(), UTC)
                        .astimezone().isoformat(timespec="seconds"))
        body.setdefault("appVersion", __version__)
        device = device_id or self.access_key
        return self.request("POST", f"/devices/{quote(device, safe='')}/heartbeat", json=body,
                            schema="HeartbeatResponse", retry_safe=True)

    def audit_head(self, device_id: str | None = None) -> ApiResponse:
        """GET /devices/{deviceId}/audit-head → ``AuditAnchor`` (``seq``, ``hash``,
        ``receivedAt``): the highest audit-log head the platform anchored for this kiosk."""
        device = device_id or self.access_key
        return self.request("GET", f"/devices/{quote(device, safe='')}/audit-head",
                            schema="AuditAnchor")

    # -- staff -------------------------------------------------------------------------------

    def staff_directory(self, hall: str) -> ApiResponse:
        """GET /staff-directory?hall= → ``StaffDirectory``: who may log in at this hall."""
        return self.request("GET", "/staff-directory", params={"hall": hall},
                            schema="StaffDirectory")

    def create_staff_login(self, *, device_id: str, hall: str, role: str) -> ApiResponse:
        """POST /staff-logins → ``StaffLoginChallenge`` (``qrText`` shown as a QR code)."""
        return self.request("POST", "/staff-logins",
                            json={"deviceId": device_id, "hall": hall, "role": role},
                            idempotency_key=uuid7(), schema="StaffLoginChallenge")

    def get_staff_login(self, challenge_id: str) -> ApiResponse:
        """GET /staff-logins/{challengeId} → ``StaffLoginChallenge`` (status, staffNo)."""
        return self.request("GET", "/staff-logins/" + quote(challenge_id, safe=""),
                            schema="StaffLoginChallenge")



def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 160 else text[:157] + "..."
