"""Value types of the outbox: item states, what goes in, what comes out.

The outbox stores opaque requests: a ``kind`` the transport understands, canonical body
bytes, and files. Inside the body, a file is referred to by its ``ref`` (a JSON string
token); once the file is uploaded the token is replaced by the platform's file id, the
result is stored, and exactly those bytes are sent on every attempt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class ItemState(enum.StrEnum):
    PENDING = "pending"      # durable, waiting for (another) attempt
    SENDING = "sending"      # claimed by a worker (lease); back to pending if that worker dies
    DELIVERED = "delivered"  # acknowledged by the platform; payload and files purged
    DEAD = "dead"            # the platform will never accept it as is; staff retry or void
    VOID = "void"            # staff withdrew it; payload and files purged


LIVE_STATES = (ItemState.PENDING, ItemState.SENDING, ItemState.DEAD)


@dataclass(frozen=True)
class NewFile:
    """A file to enqueue with an item. ``key`` is opaque to the queue (a material code)."""

    key: str
    data: bytes
    media_type: str = "application/octet-stream"


@dataclass(frozen=True)
class StoredFile:
    item_id: str
    seq: int
    key: str
    ref: str            # the token standing for this file's platform id inside the body
    media_type: str
    sha256: str
    bytes: int
    upload_url: str | None   # a started resumable upload, so a restart resumes it
    file_id: str | None      # set once the platform confirmed the complete, verified file


@dataclass(frozen=True)
class OutboxItem:
    id: str                  # the idempotency key (clientApplicationId)
    kind: str
    state: ItemState
    created_at: float
    updated_at: float
    next_attempt_at: float
    attempts: int
    needs_reconcile: bool    # the last answer was "unknown": ask before re-sending
    body_sha256: str
    body_bytes: int
    stored_bytes: int
    meta: dict[str, Any]     # caller's non-personal labels (e.g. the matter code)
    last_error: str | None   # short machine code + text of the last failure, no personal data
    platform_id: str | None
    platform_ref: str | None
    delivered_at: float | None
    files: tuple[StoredFile, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "state": self.state.value,
            "createdAt": self.created_at, "updatedAt": self.updated_at,
            "nextAttemptAt": self.next_attempt_at if self.state == ItemState.PENDING else None,
            "attempts": self.attempts, "needsReconcile": self.needs_reconcile,
            "bodySha256": self.body_sha256, "bodyBytes": self.body_bytes,
            "storedBytes": self.stored_bytes, "meta": self.meta, "lastError": self.last_error,
            "platformId": self.platform_id, "platformRef": self.platform_ref,
            "deliveredAt": self.delivered_at,
            "files": [{"key": f.key, "sha256": f.sha256, "bytes": f.bytes,
                       "mediaType": f.media_type, "fileId": f.file_id,
                       "uploadStarted": f.upload_url is not None} for f in self.files],
        }


@dataclass(frozen=True)
class Enqueued:
    item_id: str
    stored_bytes: int
    ok: bool = field(default=True, init=False)


@dataclass(frozen=True)
class Refusal:
    """The outbox declined before writing anything; ``code`` is stable, ``message`` is for people."""

    code: str   # QUEUE_FULL | DISK_FULL | DUPLICATE_ID | BAD_ITEM | STORAGE_ERROR
    message: str
    ok: bool = field(default=False, init=False)


EnqueueResult = Enqueued | Refusal


@dataclass(frozen=True)
class QueueStatus:
    pending: int
    sending: int
    dead: int
    delivered: int
    void: int
    oldest_pending_age_s: float
    bytes: int
    max_bytes: int
    free_disk_bytes: int
    min_free_bytes: int
    accepting: bool
    refusal: str | None
    quarantined: tuple[str, ...]
    orphaned_files: int = 0   # encrypted blobs no row refers to, kept aside for recovery

    def to_json(self) -> dict[str, Any]:
        return {
            "pending": self.pending, "sending": self.sending, "dead": self.dead,
            "delivered": self.delivered, "oldestPendingAgeSec": round(self.oldest_pending_age_s, 1),
            "bytes": self.bytes, "void": self.void, "maxBytes": self.max_bytes,
            "freeDiskBytes": self.free_disk_bytes, "minFreeBytes": self.min_free_bytes,
            "accepting": self.accepting, "refusal": self.refusal,
            "quarantinedDatabases": list(self.quarantined),
            "orphanedFiles": self.orphaned_files,
        }

    def heartbeat_json(self) -> dict[str, Any]:
        """The ``queue`` object of the device heartbeat (contract HeartbeatRequest)."""
        return {"pendingApplications": self.pending + self.sending,
                "pendingUploadsBytes": self.bytes,
                "oldestPendingAgeSec": int(self.oldest_pending_age_s),
                "deadLetter": self.dead}
