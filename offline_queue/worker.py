"""The sync worker: delivers due outbox items through a ``Transport``, exactly once.

Per item: reconcile first if the last answer was "unknown" → upload every file not yet
confirmed (resuming started uploads) and check the platform's sha256 → fix the body bytes
once → send them. Each step is recorded before the next, so a crash anywhere resumes
without loss, and the platform's idempotency turns re-sends into replays.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from offline_queue.backoff import Backoff
from offline_queue.crypto import SealError
from offline_queue.model import ItemState, OutboxItem
from offline_queue.store import Outbox
from offline_queue.transport import Absent, Acknowledged, Failure, FailureKind, Transport

log = logging.getLogger("offline_queue.worker")

ProgressFn = Callable[[str, str, str], None]  # (event, item_id, detail)


@dataclass
class SyncReport:
    attempted: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    link_down: bool = False          # stopped early: the network or server is unavailable
    link_retry_after_s: float = 0.0  # the longest Retry-After seen in this pass
    acknowledgements: dict[str, Acknowledged] = field(default_factory=dict)

    def add(self, other: SyncReport) -> None:
        self.attempted += other.attempted
        self.delivered += other.delivered
        self.retried += other.retried
        self.dead += other.dead
        self.link_down = other.link_down
        self.acknowledgements.update(other.acknowledgements)


RECENT_ACKS = 64  # answers kept for take_acknowledgement (a few minutes of a busy hall)


class AckBook:
    """The platform's recent answers, shared by the workers of one queue: the background
    worker may deliver an application the immediate send was about to send, and the
    citizen's receipt still needs the answer (case number, query password)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._acks: dict[str, Acknowledged] = {}

    def put(self, item_id: str, ack: Acknowledged) -> None:
        with self._lock:
            self._acks[item_id] = ack
            while len(self._acks) > RECENT_ACKS:
                self._acks.pop(next(iter(self._acks)))

    def take(self, item_id: str) -> Acknowledged | None:
        with self._lock:
            return self._acks.pop(item_id, None)


class SyncWorker:
    def __init__(self, outbox: Outbox, transport: Transport, backoff: Backoff | None = None,
                 on_progress: ProgressFn | None = None, wake_spread_s: float = 5.0,
                 idle_poll_s: float = 30.0, max_link_failures_per_pass: int = 2,
                 acks: AckBook | None = None) -> None:
        self.outbox = outbox
        self.transport = transport
        self.backoff = backoff or Backoff()
        self.on_progress = on_progress
        self.wake_spread_s = wake_spread_s
        self.idle_poll_s = idle_poll_s
        self.max_link_failures_per_pass = max_link_failures_per_pass
        self._link_failures = 0
        self._wake_event = threading.Event()
        self._stop_event = threading.Event()
        self._thread: threading.Thread | None = None
        self._pass_lock = threading.Lock()
        self.acks = acks or AckBook()

    def take_acknowledgement(self, item_id: str) -> Acknowledged | None:
        """The platform's answer for ``item_id`` if a pass delivered it lately, once. The
        background worker may take a new application before the immediate send does; the
        citizen's receipt still needs the answer (case number, query password)."""
        return self.acks.take(item_id)

    # ------------------------------------------------------------ one pass
    def sync_once(self, only: Sequence[str] | None = None) -> SyncReport:
        """Tries every due item once (or only the given ones, if due)."""
        with self._pass_lock:
            return self._pass(only)

    def _pass(self, only: Sequence[str] | None) -> SyncReport:
        report = SyncReport()
        self.outbox.reclaim_stale()
        ids = self.outbox.due_ids()
        if only is not None:
            wanted = set(only)
            ids = [i for i in ids if i in wanted]
        failures_in_a_row = 0
        for item_id in ids:
            if self._stop_event.is_set():
                break
            claimed = self.outbox.claim_due(1, only=[item_id])
            if not claimed:
                continue  # another worker took it, or it is no longer due
            report.attempted += 1
            outcome = self._process(claimed[0], report)
            if outcome == "delivered":
                if self._link_failures:
                    # The link is back: items waiting out a back-off may go now.
                    self.outbox.wake(self.wake_spread_s)
                    more = [i for i in self.outbox.due_ids() if i not in ids]
                    if only is None:
                        ids.extend(more)
                self._link_failures = 0
                failures_in_a_row = 0
            elif outcome == "link":
                self._link_failures += 1
                failures_in_a_row += 1
                report.link_down = True
                if failures_in_a_row >= self.max_link_failures_per_pass:
                    break
        if report.delivered:
            self.outbox.compact()
        return report

    def _process(self, item: OutboxItem, report: SyncReport) -> str:
        try:
            return self._deliver(item, report)
        except (SealError, FileNotFoundError) as exc:
            # The stored copy is unreadable. If the platform already has the item (a power
            # cut undid the "delivered" commit), that is the answer; else staff must see it.
            found = self.transport.reconcile(item)
            if isinstance(found, Acknowledged):
                return self._acknowledged(item, found, report, "reconciled")
            if isinstance(found, Failure) and found.kind != FailureKind.REJECTED:
                return self._failed(item, found, report, reconcile=True)
            self.outbox.mark_dead(item.id, f"LOCAL_DATA_UNREADABLE: {exc.__class__.__name__}")
            report.dead += 1
            self._emit("dead", item.id, "local data unreadable")
            return "dead"
        except Exception:  # a bug must not stop the worker or lose the item
            log.exception("outbox: unexpected error while sending %s", item.id)
            self.outbox.mark_retry(item.id, self.backoff.delay(item.attempts + 1), "INTERNAL_ERROR")
            report.retried += 1
            return "retry"

    def _deliver(self, item: OutboxItem, report: SyncReport) -> str:
        if item.needs_reconcile:
            found = self.transport.reconcile(item)
            if isinstance(found, Failure):
                return self._failed(item, found, report, reconcile=True)
            if isinstance(found, Acknowledged):
                return self._acknowledged(item, found, report, "reconciled")
            assert isinstance(found, Absent)
            self.outbox.mark_reconciled_absent(item.id)
        for f in item.files:
            if f.file_id:
                continue
            data = self.outbox.read_file(f)
            self._emit("upload", item.id, f"file {f.seq + 1}/{len(item.files)} ({f.bytes} bytes)")
            res = self.transport.upload(item, f, data, self._recorder(item.id, f.seq))
            if isinstance(res, Failure):
                if res.kind == FailureKind.EXPIRED:
                    self.outbox.record_upload_lost(item.id, f.seq)
                return self._failed(item, res, report)
            if res.sha256 != f.sha256 or res.bytes != f.bytes:
                # The platform holds different bytes than we sent: never post the application.
                self.outbox.record_upload_lost(item.id, f.seq)
                return self._failed(item, Failure(FailureKind.RETRY, "UPLOAD_VERIFY_FAILED",
                                                  "platform hash differs from the stored file"),
                                    report)
            self.outbox.record_file_uploaded(item.id, f.seq, res.file_id)
        body = self.outbox.send_body(item.id)
        self._emit("send", item.id, f"{len(body)} bytes")
        answer = self.transport.deliver(item, body)
        if isinstance(answer, Failure):
            return self._failed(item, answer, report)
        return self._acknowledged(item, answer, report, "delivered")

    def _recorder(self, item_id: str, seq: int) -> Callable[[str], None]:
        def record(url: str) -> None:
            self.outbox.record_upload_started(item_id, seq, url)
        return record

    def _acknowledged(self, item: OutboxItem, ack: Acknowledged, report: SyncReport,
                      how: str) -> str:
        self.outbox.mark_delivered(item.id, ack.platform_id, ack.platform_ref)
        report.delivered += 1
        report.acknowledgements[item.id] = ack
        self.acks.put(item.id, ack)  # for the submitter whose item another pass delivered
        self._emit("delivered", item.id, how + (" (replayed)" if ack.replayed else ""))
        return "delivered"

    def _failed(self, item: OutboxItem, failure: Failure, report: SyncReport,
                reconcile: bool = False) -> str:
        if failure.kind == FailureKind.REJECTED:
            self.outbox.mark_dead(item.id, failure.describe(), failure.problem)
            report.dead += 1
            self._emit("dead", item.id, failure.describe())
            return "dead"
        attempt = item.attempts + 1
        if failure.kind == FailureKind.EXPIRED:
            delay = 0.0  # start the upload over at once
        else:
            delay = self.backoff.delay(attempt, failure.retry_after_s)
        if failure.retry_after_s:
            report.link_retry_after_s = max(report.link_retry_after_s, failure.retry_after_s)
        unknown = reconcile or failure.kind == FailureKind.UNKNOWN
        self.outbox.mark_retry(item.id, delay, failure.describe(), reconcile=unknown)
        report.retried += 1
        self._emit("retry", item.id, f"{failure.describe()}; next try in {delay:.1f} s")
        log.info("outbox: %s not delivered (%s); retry in %.1f s", item.id, failure.describe(), delay)
        return "link" if failure.kind == FailureKind.RETRY or failure.network else "retry"

    def _emit(self, event: str, item_id: str, detail: str) -> None:
        if self.on_progress is not None:
            try:
                self.on_progress(event, item_id, detail)
            except Exception:
                log.exception("outbox: progress callback failed")

    # ------------------------------------------------------------ until empty
    def run_until_empty(self, timeout_s: float | None = None,
                        only: Sequence[str] | None = None) -> SyncReport:
        """Passes until nothing is pending or sending (dead items do not count), or timeout."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        total = SyncReport()
        while not self._stop_event.is_set():
            total.add(self.sync_once(only))
            if not self._has_work(only):
                break
            wait = self._seconds_to_next_due()
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                wait = min(wait, left)
            self._wake_event.wait(max(0.01, wait))
            self._wake_event.clear()
        return total

    def _has_work(self, only: Sequence[str] | None) -> bool:
        items = self.outbox.items([ItemState.PENDING, ItemState.SENDING])
        if only is not None:
            wanted = set(only)
            items = [i for i in items if i.id in wanted]
        return bool(items)

    def _seconds_to_next_due(self) -> float:
        due = self.outbox.next_due_at()
        if due is None:
            return min(self.idle_poll_s, 1.0)  # something is being sent by another worker
        return max(0.0, min(self.idle_poll_s, due - self.outbox.clock()))

    # ------------------------------------------------------------ background
    def wake(self, spread_s: float = 0.0) -> None:
        """Try now (connectivity is back, or staff asked): waiting items become due."""
        self.outbox.wake(spread_s)
        self._wake_event.set()

    def connectivity_restored(self) -> None:
        """Called on any successful platform request (e.g. a heartbeat)."""
        if self._link_failures:
            self.wake(self.wake_spread_s)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop_event.clear()
        self._thread = threading.Thread(target=self._loop, name="outbox-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop_event.set()
        self._wake_event.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop_event.is_set():
            try:
                report = self.sync_once()
            except Exception:
                log.exception("outbox: sync pass failed")
                report = SyncReport(link_down=True)
            wait = self._seconds_to_next_due() if self.outbox.next_due_at() else self.idle_poll_s
            if report.link_down:
                wait = max(wait, self.backoff.delay(self._link_failures, report.link_retry_after_s or None))
            self._wake_event.wait(wait)
            self._wake_event.clear()
