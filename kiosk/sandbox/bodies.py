"""Reading request bodies: JSON parsed and checked against the contract's schemas."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from kiosk.api import contract
from kiosk.sandbox.problems import Problem


def json_body(schema_name: str) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(400, "MALFORMED_BODY", "body is not JSON",
                      f"the body must be UTF-8 JSON ({exc.__class__.__name__})",
                      retryable=False) from None
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
