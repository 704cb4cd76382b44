"""Durable, encrypted outbox that delivers opaque requests and files exactly once.

Knows nothing of matters, devices, Qt or the kiosk core: the caller hands in an item id (the
idempotency key), a kind, canonical body bytes and files; a ``Transport`` delivers them.
"""

from offline_queue.backoff import Backoff
from offline_queue.crypto import KeyFileError, SealError
from offline_queue.model import (
    Enqueued,
    EnqueueResult,
    ItemState,
    NewFile,
    OutboxItem,
    QueueStatus,
    Refusal,
    StoredFile,
)
from offline_queue.store import Outbox, OutboxError, StartupReport, file_ref, fill_file_refs
from offline_queue.transport import (
    Absent,
    Acknowledged,
    Failure,
    FailureKind,
    Transport,
    Uploaded,
)
from offline_queue.worker import AckBook, SyncReport, SyncWorker

__all__ = [
    "Absent", "Acknowledged", "Backoff", "Enqueued", "EnqueueResult", "Failure", "FailureKind",
    "ItemState", "KeyFileError", "NewFile", "Outbox", "OutboxError", "OutboxItem",
    "QueueStatus", "Refusal", "SealError", "StartupReport", "StoredFile", "SyncReport",
    "AckBook", "SyncWorker", "Transport", "Uploaded", "file_ref", "fill_file_refs",
]
