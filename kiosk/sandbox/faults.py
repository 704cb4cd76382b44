"""Fault injection of the sandbox, settable at runtime (tests, ``kiosk sandbox --fault-…``,
and ``/__admin/faults`` on loopback).

All shares are probabilities in [0, 1] drawn from one seeded RNG, so a run is reproducible.
``paths`` limits the faults to request paths starting with one of the prefixes (all when empty).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class FaultSettings:
    latency_s: float = 0.0          # added before every API request
    error_rate: float = 0.0         # share answered 503 with Retry-After (nothing applied)
    retry_after_s: int = 1          # the Retry-After of those 503s
    error_count: int = -1           # how many 503s at most (-1: no limit)
    unknown_rate: float = 0.0       # share of POST /applications stored but answered U (504)
    garbage_rate: float = 0.0       # share answered 200 nonsense (nothing applied)
    garbage_kind: str = "html"      # "html" (a captive portal) or "json" (JSON of the wrong shape)
    drop_upload_after_bytes: int | None = None  # PATCH /uploads: drop the connection after N bytes
    drop_upload_count: int = 1      # how many PATCHes to drop (-1: every one)
    drop_upload_skip: int = 0       # let this many PATCHes through before dropping
    hold_s: float = 0.0             # creating POSTs sleep this long while their key is in flight
    clock_offset_s: float = 0.0     # the server's clock runs this far ahead (negative: behind)
    paths: list[str] = field(default_factory=list)
    # Paths (under /api/v1) this platform does not offer: answered 404, as an older platform
    # would (e.g. ["/matter-details"]: the kiosk falls back to one request per matter).
    missing: list[str] = field(default_factory=list)
    seed: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    """Thread-safe holder of the current ``FaultSettings`` and their random draws."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a hold ends early on a change
        self._settings = settings or FaultSettings()
        self._rng = random.Random(self._settings.seed)
        self._holding = 0

    @property
    def settings(self) -> FaultSettings:
        with self._lock:
            return FaultSettings(**asdict(self._settings))

    def set(self, **changes: Any) -> FaultSettings:
        """Update some settings; unknown names or bad values raise ``ValueError``."""
        names = {f.name for f in fields(FaultSettings)}
        with self._lock:
            current = asdict(self._settings)
            for key, value in changes.items():
                if key not in names:
                    raise ValueError(f"unknown fault setting {key!r}")
                current[key] = value
            new = FaultSettings(**current)
            _check(new)
            self._settings = new
            if "seed" in changes:
                self._rng = random.Random(new.seed)
            self._changed.notify_all()
            return FaultSettings(**asdict(new))

    def reset(self) -> FaultSettings:
        with self._lock:
            self._settings = FaultSettings()
            self._changed.notify_all()
            return FaultSettings()

    def hold(self, seconds: float) -> None:
        """Keep a request in flight up to ``seconds``; lifting ``hold_s`` (set to 0, reset)
        releases it at once, so a test can end the hold instead of guessing a duration."""
        with self._changed:
            self._holding += 1
            self._changed.notify_all()
            try:
                self._changed.wait_for(lambda: not self._settings.hold_s, timeout=seconds)
            finally:
                self._holding -= 1
                self._changed.notify_all()

    def wait_held(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Whether ``count`` requests are being held within ``timeout`` (a test's sign that
        the first request with a key is in flight)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._holding >= count, timeout=timeout)

    def applies(self, path: str) -> bool:
        s = self._settings
        return not s.paths or any(path.startswith(p) for p in s.paths)

    def draw(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def take_error(self) -> bool:
        """Whether this request gets a 503 (``error_rate``, at most ``error_count`` times)."""
        with self._lock:
            s = self._settings
            if s.error_rate <= 0 or s.error_count == 0 or self._rng.random() >= s.error_rate:
                return False
            if s.error_count > 0:
                s.error_count -= 1
            return True

    def take_upload_drop(self) -> int | None:
        """Bytes after which to drop this PATCH, consuming one of ``drop_upload_count``."""
        with self._lock:
            s = self._settings
            if s.drop_upload_after_bytes is None or s.drop_upload_count == 0:
                return None
            if s.drop_upload_skip > 0:
                s.drop_upload_skip -= 1
                return None
            if s.drop_upload_count > 0:
                s.drop_upload_count -= 1
            return s.drop_upload_after_bytes


def _check(s: FaultSettings) -> None:
    for name in ("error_rate", "unknown_rate", "garbage_rate"):
        value = getattr(s, name)
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"{name} must be a share from 0 to 1, not {value!r}")
    for name in ("latency_s", "hold_s"):
        value = getattr(s, name)
        if not isinstance(value, int | float) or not 0 <= value <= 120:
            raise ValueError(f"{name} must be seconds from 0 to 120, not {value!r}")
    if not isinstance(s.missing, list) or not all(isinstance(p, str) for p in s.missing):
        raise ValueError("missing must be a list of paths")
    if s.garbage_kind not in ("html", "json"):
        raise ValueError("garbage_kind must be html or json")
    if not isinstance(s.clock_offset_s, int | float):
        raise ValueError("clock_offset_s must be a number of seconds")
    if not isinstance(s.retry_after_s, int) or s.retry_after_s < 0:
        raise ValueError("retry_after_s must be whole seconds >= 0")
    if s.drop_upload_after_bytes is not None and (
            not isinstance(s.drop_upload_after_bytes, int) or s.drop_upload_after_bytes < 0):
        raise ValueError("drop_upload_after_bytes must be bytes >= 0 or null")
    if not isinstance(s.error_count, int) or s.error_count < -1:
        raise ValueError("error_count must be -1 (no limit) or a count >= 0")
    if not isinstance(s.drop_upload_skip, int) or s.drop_upload_skip < 0:
        raise ValueError("drop_upload_skip must be a count >= 0")
    if not isinstance(s.drop_upload_count, int) or s.drop_upload_count < -1:
        raise ValueError("drop_upload_count must be -1 (always) or a count >= 0")
    if not isinstance(s.paths, list) or not all(isinstance(p, str) for p in s.paths):
        raise ValueError("paths must be a list of path prefixes")
