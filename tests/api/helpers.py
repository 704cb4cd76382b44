"""Test data built from the contract's own examples (so the examples are exercised too)."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from kiosk.api import contract
from kiosk.api.uuid7 import uuid7


def example(schema: str) -> dict[str, Any]:
    value: dict[str, Any] = copy.deepcopy(contract.spec()["components"]["schemas"][schema]
                                          ["examples"][0])
    return value


def application(**changes: Any) -> dict[str, Any]:
    """The contract's example application with a fresh clientApplicationId."""
    app = example("ApplicationRequest")
    app["clientApplicationId"] = uuid7()
    app.update(changes)
    return app


def fake_jpeg(size: int, seed: int = 0) -> bytes:
    """Deterministic bytes with a JPEG header (the sandbox checks digests, not pixels)."""
    out = bytearray(b"\xff\xd8\xff\xe0")
    block = hashlib.sha256(str(seed).encode()).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
