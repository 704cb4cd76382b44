"""RFC 9457 problem+json answers and small response helpers of the sandbox."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flask import Response

PROBLEM_TYPE = "urn:uap:v1:problem:"
CST = timezone(timedelta(hours=8), "CST")  # times are answered in China Standard Time
RETRYABLE = frozenset({409, 429, 500, 502, 503, 504})


class Problem(Exception):
    """Raised by handlers; the app turns it into a problem+json answer."""

    def __init__(self, status: int, code: str, title: str, detail: str = "", *,
                 retryable: bool | None = None, result_status: str | None = None,
                 fields: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}")
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.retryable = status in RETRYABLE if retryable is None else retryable
        # F: definitely not applied; U: may have been applied (reconcile).
        self.result_status = result_status or "F"
        self.fields = fields
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": PROBLEM_TYPE + self.code.lower().replace("_", "-"),
            "title": self.title,
            "status": self.status,
            "detail": self.detail or self.title,
            "code": self.code,
            "retryable": self.retryable,
            "resultStatus": self.result_status,
            "traceId": uuid.uuid4().hex,
        }
        if self.fields:
            doc["fields"] = self.fields
        return doc

    def response(self) -> Response:
        resp = json_response(self.body(), self.status, content_type="application/problem+json")
        for key, value in self.headers.items():
            resp.headers[key] = value
        return resp


def json_response(body: Any, status: int = 200, *,
                  content_type: str = "application/json") -> Response:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(data, status=status, content_type=f"{content_type}; charset=utf-8"
                    if content_type == "application/json" else content_type)


def rfc3339(ts: float) -> str:
    """``2026-11-22T10:00:00+08:00`` (seconds precision, China Standard Time)."""
    return datetime.fromtimestamp(ts, CST).isoformat(timespec="seconds")


def http_date(ts: float) -> str:
    from email.utils import format_datetime

    return format_datetime(datetime.fromtimestamp(ts, UTC), usegmt=True)


def parse_rfc3339(text: str) -> float | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if value.tzinfo is None:
        return None
    return value.timestamp()
