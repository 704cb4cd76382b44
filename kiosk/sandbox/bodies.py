"""Reading request bodies: JSON parsed and checked against the contract's schemas."""

from __future__ import annotations

from typing import Any

from flask import request

from kiosk import safe_json
from kiosk.api import contract
from kiosk.sandbox.problems import Problem


def json_body(schema_name: str) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    try:
        # bounded: NaN, 100,000-deep nesting and 5,000-digit numbers are refusals, not 500s
        data = safe_json.loads(raw.decode("utf-8")) if raw else None
    except UnicodeDecodeError:
        raise Problem(400, "MALFORMED_BODY", "body is not JSON",
                      "the body must be UTF-8 JSON", retryable=False) from None
    except safe_json.JsonInputError as exc:
        raise Problem(400, "MALFORMED_BODY", "body is not JSON",
                      f"the body must be JSON within limits: {exc}", retryable=False) from None
    problems = contract.errors(schema_name, data)
    if problems:
        raise Problem(422, "VALIDATION_FAILED", "request does not match the contract",
                      f"{len(problems)} problem(s) in the body; see fields",
                      retryable=False, fields=problems)
    assert isinstance(data, dict)
    return data


def invalid(pointer: str, code: str, message: str, *, status: int = 422,
            problem_code: str = "VALIDATION_FAILED", title: str = "request is not valid"
            ) -> Problem:
    return Problem(status, problem_code, title, message, retryable=False,
                   fields=[{"pointer": pointer, "code": code, "message": message}])
