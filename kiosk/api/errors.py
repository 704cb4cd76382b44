"""Typed errors of the acceptance API client.

Every failure of a call is one of these; callers decide by attributes, not by parsing text:

- ``retryable``: True when the same request may succeed later unchanged (network, 5xx, 409
  in flight, 429); False when it never will (validation, reused key, bad credentials).
- ``result_status``: the platform's ``S``/``F``/``U``. ``U`` means *the outcome is unknown*:
  the request may have been applied. Before re-sending anything that is not idempotent, look
  the application up (``ApiClient.find_application(client_application_id)``).
- ``retry_after``: seconds the server asked to wait (``Retry-After``), else None.

Hierarchy::

    ApiError                      any failed call (HTTP answer with a problem, or none at all)
    ├── AuthError                 401: credentials or signature refused (not retryable)
    │   ├── SignatureError        AUTH_INVALID_SIGNATURE, AUTH_DIGEST_MISMATCH, AUTH_UNKNOWN_ACCESS_KEY …
    │   ├── ClockSkewError        AUTH_CLOCK_SKEW (``server_date``, ``skew_s``)
    │   └── ReplayError           AUTH_REPLAY
    ├── IdempotencyError          IDEMPOTENCY_* (409 in flight: retryable; 422 reused, 400: not)
    ├── NetworkError              no usable answer: unreachable, timeout, connection dropped
    │                             (status 0, retryable, result_status "U")
    └── ProtocolError             an answer that is not the contract: not JSON, wrong shape
                                  (retryable, result_status "U")
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.api import signing

RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class ApiError(Exception):
    """A call failed. ``str(err)`` is one plain line (no citizen data) for logs and CLIs."""

    def __init__(self, status: int, code: str, title: str, detail: str = "", *,
                 retryable: bool = False, result_status: str | None = None,
                 retry_after: float | None = None, problem: dict[str, Any] | None = None
                 ) -> None:
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.retryable = retryable
        self.result_status = result_status
        self.retry_after = retry_after
        self.problem: dict[str, Any] = problem or {}
        super().__init__(self._line())

    def _line(self) -> str:
        where = f"HTTP {self.status} " if self.status else ""
        text = self.detail or self.title
        return f"{where}{self.code}: {text}" if text else f"{where}{self.code}"

    @property
    def fields(self) -> list[dict[str, Any]]:
        """Per-field problems of a 422 (``[{"pointer": "/form/x", "code", "message"}]``)."""
        value = self.problem.get("fields")
        return value if isinstance(value, list) else []


class AuthError(ApiError):
    """The gateway refused the credentials or the signature (401)."""


class SignatureError(AuthError):
    """Bad signature, digest, access key, algorithm or missing signing header."""


class ClockSkewError(AuthError):
    """The kiosk clock is more than 90 s off; ``server_date`` is the server's ``Date``."""

    def __init__(self, *args: Any, server_date: datetime | None = None,
                 skew_s: float | None = None, **kwargs: Any) -> None:
        self.server_date = server_date
        self.skew_s = skew_s  # server time minus kiosk time, seconds
        super().__init__(*args, **kwargs)


class ReplayError(AuthError):
    """The nonce was already used (a request was replayed at the transport level)."""


class IdempotencyError(ApiError):
    """IDEMPOTENCY_KEY_MISSING/INVALID (400), _IN_FLIGHT (409, retryable), _KEY_REUSED (422)."""


class NetworkError(ApiError):
    """No answer: refused, unreachable, DNS, TLS, timeout, or the connection dropped.

    Always retryable; ``result_status`` is "U" because a request that timed out may still
    have been applied by the server."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(0, code, "network error", detail, retryable=True, result_status="U")


class ProtocolError(ApiError):
    """The server answered something that is not this contract (HTML, garbage, wrong shape).

    Retryable (often a proxy or a captive portal in the way) with an unknown outcome."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(status, "PROTOCOL_ERROR", "unexpected answer", detail,
                         retryable=True, result_status="U")


# Codes the client library itself uses for NetworkError.
NET_UNREACHABLE = "NETWORK_UNREACHABLE"
NET_TIMEOUT = "NETWORK_TIMEOUT"
NET_DROPPED = "NETWORK_CONNECTION_DROPPED"
NET_TLS = "NETWORK_TLS"

_SIGNATURE_CODES = {
    signing.AUTH_MISSING_HEADER, signing.AUTH_UNKNOWN_ACCESS_KEY,
    signing.AUTH_UNSUPPORTED_ALGORITHM, signing.AUTH_BAD_DATE, signing.AUTH_BAD_NONCE,
    signing.AUTH_DIGEST_MISMATCH, signing.AUTH_INVALID_SIGNATURE,
}


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    from datetime import UTC

    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def from_problem(status: int, problem: dict[str, Any], *, retry_after: float | None = None,
                 server_date: datetime | None = None, kiosk_date: datetime | None = None
                 ) -> ApiError:
    """The typed error for an RFC 9457 problem document answered with ``status``."""
    code = str(problem.get("code") or f"HTTP_{status}")
    title = str(problem.get("title") or "")
    detail = str(problem.get("detail") or "")
    rs = problem.get("resultStatus")
    result_status = rs if rs in ("S", "F", "U") else None
    retryable_value = problem.get("retryable")
    retryable = (bool(retryable_value) if isinstance(retryable_value, bool)
                 else status in RETRYABLE_STATUS)
    kw: dict[str, Any] = dict(retryable=retryable, result_status=result_status,
                              retry_after=retry_after, problem=problem)
    if code == signing.AUTH_CLOCK_SKEW:
        skew = None
        if server_date is not None and kiosk_date is not None:
            skew = (server_date - kiosk_date).total_seconds()
        return ClockSkewError(status, code, title, detail, server_date=server_date,
                              skew_s=skew, **kw)
    if code == signing.AUTH_REPLAY:
        return ReplayError(status, code, title, detail, **kw)
    if code in _SIGNATURE_CODES or (status == 401 and code.startswith("AUTH_")):
        return SignatureError(status, code, title, detail, **kw)
    if status == 401:
        return AuthError(status, code, title, detail, **kw)
    if code.startswith("IDEMPOTENCY_"):
        return IdempotencyError(status, code, title, detail, **kw)
    return ApiError(status, code, title, detail, **kw)
