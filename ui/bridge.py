"""The one way to run core/device work off the GUI thread (Anki's ``CollectionOp`` idea).

``Bridge.run(fn, on_success, on_failure)`` runs ``fn`` on a worker thread and calls one of the
callbacks on the GUI thread. Callbacks of work started before ``invalidate()`` (the end of a
citizen session) are dropped, so a late card read can never reach the next citizen's screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger("ui.bridge")


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from a worker is queued to it."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        fn()


class Bridge:
    def __init__(self, workers: int = 6) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-bg")
        # Audit records go one after another, in the order the session declared them.
        self._ordered = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-audit")
        self._relay = _Relay()
        self.generation = 0
        self.running = 0  # operations in flight (selftest waits for 0)
        self.closed = False

    def invalidate(self) -> None:
        """Drop the results of everything started so far."""
        self.generation += 1

    def post(self, fn: Callable[[], None], generation: int | None = None) -> None:
        """From any thread: run ``fn`` on the GUI thread, unless invalidated meanwhile
        (``generation`` -1: always run)."""
        gen = self.generation if generation is None else generation

        def guarded() -> None:
            if not self.closed and (gen == -1 or gen == self.generation):
                fn()

        if not self.closed:  # after shutdown the GUI objects may be going away
            self._relay.call.emit(guarded)

    def run(self, fn: Callable[[], Any], on_success: Callable[[Any], None],
            on_failure: Callable[[str], None] | None = None, *,
            session_bound: bool = True, ordered: bool = False) -> None:
        """``session_bound=False`` for work that outlives a citizen session (device polls);
        ``ordered=True`` runs it after every ordered call before it (audit records)."""
        if self.closed:
            return
        gen = self.generation if session_bound else -1
        self.running += 1

        def done() -> None:
            self.running -= 1

        def work() -> None:
            try:
                result = fn()
            except Exception as exc:  # a bug in core/device code: log it, tell the screen
                log.exception("background operation failed")
                message = type(exc).__name__
                self.post(done, -1)
                if on_failure is not None:
                    self.post(lambda: on_failure(message), gen)
                return
            self.post(done, -1)
            self.post(lambda: on_success(result), gen)

        (self._ordered if ordered else self._pool).submit(work)

    def shutdown(self, wait_s: float = 5.0) -> None:
        """Stop taking work and wait (briefly) for running work; callers cancel blocking
        reads first, so the workers end quickly and never outlive the GUI objects."""
        self.invalidate()
        self.closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._ordered.shutdown(wait=False)  # queued audit records are still written
        import threading
        import time

        deadline = time.monotonic() + wait_s
        for pool in (self._pool, self._ordered):
            for t in list(getattr(pool, "_threads", ())):
                if isinstance(t, threading.Thread):
                    t.join(max(0.0, deadline - time.monotonic()))
