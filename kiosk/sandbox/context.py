"""The sandbox's shared state, reachable from every handler (``sandbox()``)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from flask import current_app

from kiosk.sandbox.catalog import Catalog
from kiosk.sandbox.faults import Faults
from kiosk.sandbox.staff_roster import StaffRoster
from kiosk.sandbox.storage import Storage

PREFIX = "/uap/v1"
IDEMPOTENCY_RETENTION_S = 30 * 86400
UPLOAD_LIFETIME_S = 24 * 3600
TUS_MAX_SIZE = 64 * 1024 * 1024
SMALL_FILE_MAX = 1024 * 1024
SESSION_TTL_S = 600


class NonceMemory:
    """Nonces seen in the last 5 minutes, per access key (in memory: a restart forgets them,
    which is fine because the ±90 s date window already bounds a replay)."""

    def __init__(self, ttl_s: float = 300.0) -> None:
        self.ttl_s = ttl_s
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def remember(self, access_key: str, nonce: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        with self._lock:
            if len(self._seen) > 10000:
                self._seen = {k: t for k, t in self._seen.items() if now - t < self.ttl_s}
            seen_at = self._seen.get((access_key, nonce))
            if seen_at is not None and now - seen_at < self.ttl_s:
                return False
            self._seen[(access_key, nonce)] = now
            return True


class MissLimiter:
    """Failed receipt-password lookups per access key in a sliding window: an 8-digit
    password must not be guessable by asking a kiosk's gateway a million times."""

    def __init__(self, limit: int = 10, window_s: float = 60.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._misses: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, key: str, now: float) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        with self._lock:
            recent = [t for t in self._misses.get(key, []) if now - t < self.window_s]
            self._misses[key] = recent
            if len(recent) < self.limit:
                return 0.0
            return recent[0] + self.window_s - now

    def miss(self, key: str, now: float) -> None:
        with self._lock:
            self._misses.setdefault(key, []).append(now)


@dataclass
class SandboxState:
    storage: Storage
    catalog: Catalog
    faults: Faults
    credentials: dict[str, bytes]
    # ROTATE_KEY: access key → [(a replaced secret, accepted until this server time)]
    previous_credentials: dict[str, list[tuple[bytes, float]]] = field(default_factory=dict)
    status_step_s: float | None = 30.0  # seconds per status step; None: only admin moves cases
    # 统一公共支付: the simulated citizen pays this long after the order is made (None: only
    # /__admin/payments settles); unpaid orders expire after payment_ttl_s.
    payment_paid_after_s: float | None = 6.0
    payment_ttl_s: float = 300.0
    nonces: NonceMemory = field(default_factory=NonceMemory)
    password_misses: MissLimiter = field(default_factory=MissLimiter)
    staff: StaffRoster = field(default_factory=StaffRoster)

    def now(self) -> float:
        """The server clock (shifted by the clock-offset fault)."""
        return time.time() + self.faults.settings.clock_offset_s


def sandbox() -> SandboxState:
    state: SandboxState = current_app.extensions["kiosk_sandbox"]
    return state
