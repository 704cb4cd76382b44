"""A cancel token that also fires when the device is being closed, so ``close()`` (the
manager's ``stop()`` at shutdown) never waits for a read that is waiting for a citizen."""

from __future__ import annotations

import threading
import time

from devices.base import Cancel


class LinkedCancel(Cancel):
    def __init__(self, outer: Cancel, closing: threading.Event) -> None:
        super().__init__()
        self._outer = outer
        self._closing = closing

    @property
    def cancelled(self) -> bool:
        return self._outer.cancelled or self._closing.is_set() or super().cancelled

    def wait(self, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while not self.cancelled:
            left = end - time.monotonic()
            if left <= 0:
                return False
            self._closing.wait(min(0.05, left))
        return True
