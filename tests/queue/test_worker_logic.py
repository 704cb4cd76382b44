"""The sync worker's state logic, with a scripted in-test transport double.

Only the queue's own back-off/state rules are tested here; delivery over real HTTP to the
sandbox (faults, crashes) is in test_sync_sandbox.py and test_crash.py."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offline_queue import (
    Absent,
    Acknowledged,
    Backoff,
    Failure,
    FailureKind,
    ItemState,
    OutboxItem,
    StoredFile,
    SyncWorker,
    Uploaded,
)
from tests.queue.conftest import application_body, sample_files


@dataclass
class ScriptedTransport:
    """Answers from scripts (lists popped per call); default is success."""

    deliver_script: list[Any] = field(default_factory=list)
    upload_script: list[Any] = field(default_factory=list)
    reconcile_script: list[Any] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    started: dict[tuple[str, int], str] = field(default_factory=dict)
    resumed_from: list[str | None] = field(default_factory=list)

    def upload(self, item: OutboxItem, file: StoredFile, data: bytes,
               on_started: Callable[[str], None]) -> Uploaded | Failure:
        self.calls.append(("upload", item.id))
        self.resumed_from.append(file.upload_url)
        if file.upload_url is None:
            on_started(f"/uploads/{item.id}-{file.seq}")
        answer = self.upload_script.pop(0) if self.upload_script else None
        if answer is not None:
            return answer
        return Uploaded(f"f_{item.id}_{file.seq}", hashlib.sha256(data).hexdigest(), len(data))

    def deliver(self, item: OutboxItem, body: bytes) -> Acknowledged | Failure:
        self.calls.append(("deliver", item.id))
        self.bodies.append(body)
        answer = self.deliver_script.pop(0) if self.deliver_script else None
        return answer if answer is not None else Acknowledged("app_" + item.id, None)

    def reconcile(self, item: OutboxItem) -> Acknowledged | Absent | Failure:
        self.calls.append(("reconcile", item.id))
        return self.reconcile_script.pop(0) if self.reconcile_script else Absent()


def _worker(ob, transport, seed=1):
    return SyncWorker(ob, transport, Backoff(base_s=2, cap_s=60, rng=random.Random(seed)),
                      wake_spread_s=0)


def test_files_uploaded_and_verified_before_the_application_with_platform_ids(make_outbox):
    ob = make_outbox()
    ob.enqueue("a", "application", application_body("a", 2), sample_files(2))
    t = ScriptedTransport()
    report = _worker(ob, t).sync_once()
    assert report.delivered == 1
    assert t.calls == [("upload", "a"), ("upload", "a"), ("deliver", "a")]
    sent = json.loads(t.bodies[0])
    assert sent["materials"][0]["fileIds"] == ["f_a_0", "f_a_1"]
    assert ob.get("a").state == ItemState.DELIVERED


def test_server_unavailable_backs_off_within_full_jitter_window_and_cap(make_outbox, clock):
    ob = make_outbox(clock=clock)
    ob.enqueue("a", "application", application_body("a", 0))
    t = ScriptedTransport(deliver_script=[Failure(FailureKind.RETRY, "HTTP_503")] * 10)
    w = _worker(ob, t)
    delays = []
    for attempt in range(1, 9):
        w.sync_once()
        item = ob.get("a")
        delay = item.next_attempt_at - clock()
        assert 0 <= delay <= min(60, 2 * 2 ** (attempt - 1))
        assert item.attempts == attempt and item.state == ItemState.PENDING
        delays.append(delay)
        clock.advance(delay + 0.001)
    assert len(set(delays)) == len(delays)  # randomized, not a fixed schedule
    assert "HTTP_503" in (ob.get("a").last_error or "")


def test_retry_after_is_never_undercut(make_outbox, clock):
    ob = make_outbox(clock=clock)
    ob.enqueue("a", "application", application_body("a", 0))
    t = ScriptedTransport(deliver_script=[Failure(FailureKind.RETRY, "HTTP_503", retry_after_s=40)])
    _worker(ob, t).sync_once()
    assert ob.get("a").next_attempt_at - clock() >= 40
    clock.advance(39)
    assert _worker(ob, t).sync_once().attempted == 0


def test_unknown_result_is_reconciled_instead_of_resent(make_outbox, clock):
    ob = make_outbox(clock=clock)
    ob.enqueue("a", "application", application_body("a", 0))
    t = ScriptedTransport(deliver_script=[Failure(FailureKind.UNKNOWN, "RESULT_UNKNOWN")],
                          reconcile_script=[Acknowledged("app_a", "P1")])
    w = _worker(ob, t)
    w.sync_once()
    assert ob.get("a").needs_reconcile
    clock.advance(1000)
    w.sync_once()
    assert t.calls == [("deliver", "a"), ("reconcile", "a")]
    done = ob.get("a")
    assert done.state == ItemState.DELIVERED and done.platform_ref == "P1"


def test_reconcile_absent_resends_the_same_bytes(make_outbox, clock):
    ob = make_outbox(clock=clock)
    ob.enqueue("a", "application", application_body("a", 1), sample_files(1))
    t = ScriptedTransport(deliver_script=[Failure(FailureKind.UNKNOWN, "HTTP_409")])
    w = _worker(ob, t)
    w.sync_once()
    clock.advance(1000)
    w.sync_once()
    assert t.calls == [("upload", "a"), ("deliver", "a"), ("reconcile", "a"), ("deliver", "a")]
    assert t.bodies[0] == t.bodies[1]


def test_validation_error_goes_to_dead_letter_with_problem_details(make_outbox):
    ob = make_outbox()
    ob.enqueue("a", "application", application_body("a", 0))
    problem = {"status": 422, "code": "VALIDATION_FAILED", "fields": [{"pointer": "/form/x"}]}
    t = ScriptedTransport(deliver_script=[Failure(FailureKind.REJECTED, "VALIDATION_FAILED",
                                                  "form invalid", problem=problem)])
    report = _worker(ob, t).sync_once()
    assert report.dead == 1
    item = ob.get("a")
    assert item.state == ItemState.DEAD and "VALIDATION_FAILED" in item.last_error
    assert ob.problem("a") == problem
    assert _worker(ob, t).sync_once().attempted == 0  # dead items are not retried by themselves


def test_upload_hash_mismatch_never_posts_the_application(make_outbox):
    ob = make_outbox()
    ob.enqueue("a", "application", application_body("a", 1), sample_files(1))
    t = ScriptedTransport(upload_script=[Uploaded("f_x", "0" * 64, 1)])
    _worker(ob, t).sync_once()
    assert ("deliver", "a") not in t.calls
    item = ob.get("a")
    assert item.state == ItemState.PENDING and item.files[0].file_id is None
    assert "UPLOAD_VERIFY_FAILED" in item.last_error


def test_interrupted_upload_is_resumed_from_its_recorded_url(make_outbox, clock):
    ob = make_outbox(clock=clock)
    ob.enqueue("a", "application", application_body("a", 1), sample_files(1))
    t = ScriptedTransport(upload_script=[Failure(FailureKind.RETRY, "NETWORK", "connection reset")])
    w = _worker(ob, t)
    w.sync_once()
    assert ob.get("a").files[0].upload_url == "/uploads/a-0"
    clock.advance(1000)
    w.sync_once()
    assert t.resumed_from == [None, "/uploads/a-0"]
    assert ob.get("a").state == ItemState.DELIVERED


def test_expired_upload_starts_over(make_outbox):
    ob = make_outbox()
    ob.enqueue("a", "application", application_body("a", 1), sample_files(1))
    t = ScriptedTransport(upload_script=[Failure(FailureKind.EXPIRED, "UPLOAD_EXPIRED")])
    w = _worker(ob, t)
    w.sync_once()
    w.sync_once()
    assert t.resumed_from == [None, None]
    assert ob.get("a").state == ItemState.DELIVERED


def test_link_back_makes_items_in_back_off_due_at_once(make_outbox, clock):
    ob = make_outbox(clock=clock)
    for i in range(3):
        ob.enqueue(f"i{i}", "application", application_body(f"i{i}", 0))
        clock.advance(1)
    down = Failure(FailureKind.RETRY, "NETWORK")
    t = ScriptedTransport(deliver_script=[down, down])
    w = _worker(ob, t)
    r = w.sync_once()
    assert r.link_down and r.attempted == 2  # stops early instead of timing out on each item
    assert ob.get("i0").next_attempt_at > clock() and ob.get("i1").next_attempt_at > clock()
    clock.advance(0.5)
    ob.wake(0)  # e.g. the heartbeat succeeded, or staff pressed sync
    r = w.sync_once()
    assert r.delivered == 3


def test_first_success_after_outage_wakes_the_others(make_outbox, clock):
    ob = make_outbox(clock=clock)
    ob.enqueue("i0", "application", application_body("i0", 0))
    clock.advance(1)
    ob.enqueue("i1", "application", application_body("i1", 0))
    t = ScriptedTransport(deliver_script=[Failure(FailureKind.RETRY, "NETWORK")])
    w = _worker(ob, t)
    w.max_link_failures_per_pass = 1
    w.sync_once()   # i0 fails; i1 not tried
    ob.retry("i1")  # i1 is due now, i0 is in back-off
    r = w.sync_once()
    assert r.delivered == 2  # success on i1 brought i0 forward


def test_run_until_empty_stops_with_only_dead_items_left(make_outbox):
    ob = make_outbox()
    ob.enqueue("a", "application", application_body("a", 0))
    ob.enqueue("b", "application", application_body("b", 0))
    t = ScriptedTransport(deliver_script=[Failure(FailureKind.REJECTED, "MATTER_UNKNOWN")])
    report = _worker(ob, t).run_until_empty(timeout_s=5)
    assert report.dead == 1 and report.delivered == 1
    assert ob.status().pending == 0


def test_unreadable_stored_file_is_dead_lettered_not_dropped(make_outbox):
    ob = make_outbox()
    ob.enqueue("a", "application", application_body("a", 1), sample_files(1))
    for p in ob.files_dir.iterdir():
        p.write_bytes(b"garbage")
    _worker(ob, ScriptedTransport()).sync_once()
    item = ob.get("a")
    assert item.state == ItemState.DEAD and "LOCAL_DATA_UNREADABLE" in item.last_error


def test_background_worker_delivers_after_wake(make_outbox):
    ob = make_outbox()
    t = ScriptedTransport()
    w = SyncWorker(ob, t, idle_poll_s=30)
    w.start()
    try:
        ob.enqueue("a", "application", application_body("a", 0))
        w.wake()
        import time
        deadline = time.monotonic() + 5
        while ob.get("a").state != ItemState.DELIVERED and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        w.stop()
    assert ob.get("a").state == ItemState.DELIVERED


def test_database_space_is_returned_after_delivery(make_outbox):
    ob = make_outbox()
    for i in range(40):
        body = application_body(f"big{i}", 0).replace(b'"materials"', b'"pad":"' + b"x" * 60_000 + b'","materials"')
        assert ob.enqueue(f"big{i}", "application", body).ok
    ob.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    full = ob.db_path.stat().st_size
    assert full > 40 * 60_000
    assert _worker(ob, ScriptedTransport()).sync_once().delivered == 40
    assert ob.db_path.stat().st_size < full / 5
    assert Path(str(ob.db_path) + "-wal").stat().st_size == 0
