"""UUIDv7 (RFC 9562 §5.7): time-ordered ids the kiosk mints offline (Python 3.11 has none).

48 bits of Unix milliseconds, then 12 bits that count up within one millisecond (so ids
minted by one process sort in minting order, RFC 9562 §6.2 method 1), then 62 random bits.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7_obj(now_ms: int | None = None) -> uuid.UUID:
    global _last_ms, _counter
    with _lock:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        if ms <= _last_ms:
            # Same (or an earlier, clock stepped back) millisecond: stay monotonic.
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = secrets.randbits(8)
            ms = _last_ms
        else:
            _last_ms = ms
            _counter = secrets.randbits(8)  # random start leaves room to count up
        rand_a = _counter
    rand_b = secrets.randbits(62)
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def uuid7() -> str:
    """A new UUIDv7 in canonical text form, e.g. ``019b0d3c-5e2a-7a41-8c3e-…``."""
    return str(uuid7_obj())


def uuid7_time_ms(value: str) -> int:
    """The Unix millisecond timestamp inside a UUIDv7."""
    return uuid.UUID(value).int >> 80
