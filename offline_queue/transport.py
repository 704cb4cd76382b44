"""What the outbox needs from the network, and the answers it understands.

The kiosk adapts its API client to ``Transport``; the queue never sees HTTP. Every method
returns a value — expected failures are ``Failure`` values, never exceptions.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from offline_queue.model import OutboxItem, StoredFile


class FailureKind(enum.StrEnum):
    RETRY = "retry"        # network error, timeout, 5xx, 429: try again later with back-off
    UNKNOWN = "unknown"    # resultStatus U, 409 in flight: reconcile before any re-send
    REJECTED = "rejected"  # will never succeed as is (validation, key reuse): dead letter
    EXPIRED = "expired"    # a started upload is gone on the server: start it over


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    code: str                          # short machine code, e.g. HTTP_503, NETWORK, VALIDATION_FAILED
    message: str = ""                  # no personal data: goes to logs and the staff list
    retry_after_s: float | None = None  # the server's Retry-After, honoured as a minimum
    problem: dict[str, Any] | None = None  # the server's problem details (kept encrypted)
    network: bool = False  # no answer at all: the link is probably down, stop this pass
    ok: bool = field(default=False, init=False)

    def describe(self) -> str:
        return f"{self.code}: {self.message}" if self.message else self.code


@dataclass(frozen=True)
class Uploaded:
    file_id: str
    sha256: str     # what the platform computed; must equal ours
    bytes: int
    ok: bool = field(default=True, init=False)


@dataclass(frozen=True)
class Acknowledged:
    """The platform holds the item. ``answer`` is its response (in memory only, never stored)."""

    platform_id: str | None
    platform_ref: str | None = None   # e.g. projId, when already assigned
    answer: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False
    ok: bool = field(default=True, init=False)


@dataclass(frozen=True)
class Absent:
    """Reconciliation: the platform has no record of the item, so sending it is safe."""

    ok: bool = field(default=True, init=False)


class Transport(Protocol):
    def upload(self, item: OutboxItem, file: StoredFile, data: bytes,
               on_started: Callable[[str], None]) -> Uploaded | Failure:
        """Uploads one file completely (resuming ``file.upload_url`` when set).

        ``on_started(url)`` must be called as soon as a new resumable upload exists, so a
        restart resumes it instead of starting again."""
        ...

    def deliver(self, item: OutboxItem, body: bytes) -> Acknowledged | Failure:
        """Sends the item (``body`` exactly, signed now, ``Idempotency-Key`` = ``item.id``)."""
        ...

    def reconcile(self, item: OutboxItem) -> Acknowledged | Absent | Failure:
        """Asks whether the platform already holds the item (by its id)."""
        ...
