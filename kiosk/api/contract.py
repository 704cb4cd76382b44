"""The contract file ``docs/api/openapi.yaml``, loaded once, and JSON Schema checks against
its component schemas (the sandbox validates request bodies with it, tests responses)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# The contract lives in docs/api/; kiosk/api/openapi.yaml links to it so that a wheel (which
# has no docs/) carries a copy as package data.
SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
PACKAGED_SPEC = Path(__file__).resolve().parent / "openapi.yaml"
_BASE = "urn:kiosk:uap:v1:openapi"


class ContractMissing(RuntimeError):
    pass


@functools.cache
def spec() -> dict[str, Any]:
    for path in (SPEC_PATH, PACKAGED_SPEC):
        try:
            text = path.read_text(encoding="utf-8")
            break
        except FileNotFoundError:
            continue
    else:
        raise ContractMissing(f"the API contract {SPEC_PATH} is missing from this installation")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@functools.cache
def _registry() -> Registry:
    resource = Resource.from_contents(spec(), default_specification=DRAFT202012)
    registry: Registry = Registry().with_resource(_BASE, resource)
    return registry


@functools.cache
def validator(schema_name: str) -> jsonschema.Draft202012Validator:
    if schema_name not in spec()["components"]["schemas"]:
        raise KeyError(f"no schema {schema_name} in the contract")
    schema = {"$ref": f"{_BASE}#/components/schemas/{schema_name}"}
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def pointer(path: Any) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


def errors(schema_name: str, value: Any, *, prefix: str = "") -> list[dict[str, str]]:
    """Problems of ``value`` against a component schema as ``{pointer, code, message}``.
    Messages name the rule, never the offending value: it may be a name or an ID number,
    and these messages travel in 422 answers, error lines and logs."""
    out = []
    for err in sorted(validator(schema_name).iter_errors(value), key=lambda e: list(e.path)):
        out.append({"pointer": prefix + pointer(err.absolute_path),
                    "code": "INVALID_" + str(err.validator).upper(),
                    "message": _without_value(err.message, err.instance)[:300]})
    return out[:50]


def _without_value(message: str, instance: Any) -> str:
    # jsonschema starts value-echoing messages with repr(instance): "'3301…' does not match …"
    shown = repr(instance)
    if message.startswith(shown):
        return "the value" + message[len(shown):]
    return message
