"""The outbox at rest: durability, encryption, limits, purge, corrupt database handling."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from offline_queue import ItemState, KeyFileError, NewFile, OutboxError, file_ref
from tests.queue.conftest import FAKE_CERT_NO, FAKE_NAME, application_body, sample_files


def test_enqueued_item_survives_reopen_with_files_readable(make_outbox):
    ob = make_outbox()
    res = ob.enqueue("id-1", "application", application_body("id-1", 2), sample_files(2),
                     meta={"implCode": "X1"})
    assert res.ok
    ob.close()
    ob2 = make_outbox()
    item = ob2.get("id-1")
    assert item is not None and item.state == ItemState.PENDING
    assert [ob2.read_file(f) for f in item.files] == [f.data for f in sample_files(2)]
    assert item.meta == {"implCode": "X1"}


def test_key_file_is_created_once_with_owner_only_mode(make_outbox, tmp_path):
    ob = make_outbox()
    key = tmp_path / "q" / "outbox.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert ob.report.created_key
    before = key.read_bytes()
    ob.close()
    assert not make_outbox().report.created_key
    assert key.read_bytes() == before


def test_key_file_readable_by_others_is_refused(make_outbox, tmp_path):
    make_outbox().close()
    os.chmod(tmp_path / "q" / "outbox.key", 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        make_outbox()


def test_lost_key_file_is_not_silently_replaced(make_outbox, tmp_path):
    ob = make_outbox()
    ob.enqueue("id-1", "application", application_body("id-1", 0))
    ob.close()
    (tmp_path / "q" / "outbox.key").unlink()
    with pytest.raises(KeyFileError, match="missing"):
        make_outbox()
    assert not (tmp_path / "q" / "outbox.key").exists()


def test_other_key_does_not_open_the_database(make_outbox, tmp_path):
    make_outbox().close()
    key = tmp_path / "q" / "outbox.key"
    key.write_bytes(os.urandom(32))
    with pytest.raises(OutboxError, match="does not match"):
        make_outbox()


def test_no_id_number_or_name_in_clear_in_database_or_files(make_outbox, tmp_path):
    ob = make_outbox()
    for i in range(5):
        assert ob.enqueue(f"id-{i}", "application", application_body(f"id-{i}", 2), sample_files(2)).ok
    ob.close()  # WAL checkpointed into the main file on close; check both anyway
    needles = [FAKE_CERT_NO.encode(), FAKE_NAME.encode(), FAKE_NAME.encode("utf-16-le"),
               FAKE_CERT_NO.encode("utf-16-le")]
    raw = b"".join(p.read_bytes() for p in (tmp_path / "q").rglob("*") if p.is_file())
    assert len(raw) > 5 * 2 * 2000
    for needle in needles:
        assert needle not in raw


def test_blob_of_one_item_does_not_decrypt_as_another(make_outbox):
    ob = make_outbox()
    ob.enqueue("id-a", "application", application_body("id-a", 1), sample_files(1))
    ob.enqueue("id-b", "application", application_body("id-b", 1), sample_files(1))
    a, b = ob.get("id-a"), ob.get("id-b")
    path_a = ob.db.execute("SELECT path FROM files WHERE item_id='id-a'").fetchone()[0]
    path_b = ob.db.execute("SELECT path FROM files WHERE item_id='id-b'").fetchone()[0]
    (ob.files_dir / path_b).write_bytes((ob.files_dir / path_a).read_bytes())
    from offline_queue import SealError
    assert ob.read_file(a.files[0])
    with pytest.raises(SealError):
        ob.read_file(b.files[0])


def test_full_queue_is_refused_before_anything_is_written(make_outbox, tmp_path):
    ob = make_outbox(max_bytes=30_000)
    assert ob.enqueue("id-1", "application", application_body("id-1", 1), sample_files(1, 20_000)).ok
    files_before = sorted(p.name for p in ob.files_dir.iterdir())
    res = ob.enqueue("id-2", "application", application_body("id-2", 1), sample_files(1, 20_000))
    assert not res.ok and res.code == "QUEUE_FULL"
    assert "full" in res.message
    assert ob.get("id-2") is None
    assert sorted(p.name for p in ob.files_dir.iterdir()) == files_before
    st = ob.status()
    assert st.accepting  # admission of a zero-byte item: the queue is not full yet
    assert st.to_json()["pending"] == 1


def test_nearly_full_disk_is_refused_and_status_says_so(make_outbox):
    ob = make_outbox()
    free = ob.free_disk_bytes()
    ob.min_free_bytes = free + 10**9  # the disk is "nearly full" by the configured margin
    res = ob.enqueue("id-1", "application", application_body("id-1", 1), sample_files(1))
    assert not res.ok and res.code == "DISK_FULL"
    assert ob.get("id-1") is None and not list(ob.files_dir.iterdir())
    st = ob.status()
    assert st.accepting is False and "disk" in (st.refusal or "")


def test_delivered_item_keeps_only_ids_hashes_sizes_times(make_outbox):
    ob = make_outbox()
    ob.enqueue("id-1", "application", application_body("id-1", 2), sample_files(2))
    item = ob.get("id-1")
    for f in item.files:
        ob.record_file_uploaded("id-1", f.seq, f"f_{f.seq}")
    ob.claim_due(1)
    ob.send_body("id-1")
    ob.mark_delivered("id-1", "app_1", "PROJ1")
    ob.compact()  # end of the sync pass: blobs go once the purge is durable
    assert not list(ob.files_dir.iterdir())
    row = ob.db.execute("SELECT body, final_body, problem, stored_bytes FROM items").fetchone()
    assert row == (None, None, None, 0)
    done = ob.get("id-1")
    assert done.state == ItemState.DELIVERED and done.platform_id == "app_1"
    assert [f.sha256 for f in done.files] == [f.sha256 for f in item.files]
    assert ob.status().bytes == 0


def test_same_id_same_content_is_stored_once_other_content_refused(make_outbox):
    ob = make_outbox()
    body = application_body("id-1", 1)
    assert ob.enqueue("id-1", "application", body, sample_files(1)).ok
    assert ob.enqueue("id-1", "application", body, sample_files(1)).ok
    assert len(ob.items()) == 1 and len(list(ob.files_dir.iterdir())) == 1
    other = ob.enqueue("id-1", "application", body, [NewFile("M1", b"other", "image/jpeg")])
    assert not other.ok and other.code == "DUPLICATE_ID"


def test_file_not_referenced_in_body_is_refused(make_outbox):
    ob = make_outbox()
    res = ob.enqueue("id-1", "application", application_body("id-1", 1), sample_files(2))
    assert not res.ok and res.code == "BAD_ITEM" and file_ref("id-1", 1) in res.message


def test_staff_void_and_retry_only_where_allowed(make_outbox):
    ob = make_outbox()
    ob.enqueue("id-1", "application", application_body("id-1", 1), sample_files(1))
    ob.claim_due(1)
    assert "sending" in (ob.void("id-1") or "")
    ob.mark_dead("id-1", "VALIDATION_FAILED: bad", {"code": "VALIDATION_FAILED", "detail": FAKE_NAME})
    assert ob.problem("id-1")["detail"] == FAKE_NAME
    assert ob.retry("id-1") is None
    assert ob.get("id-1").state == ItemState.PENDING
    assert ob.void("id-1") is None
    assert ob.get("id-1").state == ItemState.VOID and not list(ob.files_dir.iterdir())
    assert "void" in (ob.retry("id-1") or "")
    assert "no queued item" in (ob.void("nope") or "")


def test_corrupt_database_is_moved_aside_with_its_files_and_reported(make_outbox, tmp_path, caplog):
    ob = make_outbox()
    ob.enqueue("id-1", "application", application_body("id-1", 1), sample_files(1))
    ob.close()
    db = tmp_path / "q" / "outbox.db"
    raw = bytearray(db.read_bytes())
    raw[100:4096 * 2] = os.urandom(4096 * 2 - 100)  # trash the schema page
    db.write_bytes(bytes(raw))
    with caplog.at_level("CRITICAL"):
        ob2 = make_outbox()
    assert ob2.report.quarantined and ob2.report.quarantined[0].exists()
    assert "CORRUPT" in caplog.text
    moved_files = list((tmp_path / "q").glob("files.corrupt-*"))
    assert moved_files and any(moved_files[0].iterdir())
    assert ob2.status().quarantined == (str(ob2.report.quarantined[0]),)
    assert ob2.items() == []


def test_item_left_sending_by_a_killed_process_is_pending_again(make_outbox, tmp_path):
    ob = make_outbox()
    ob.enqueue("id-1", "application", application_body("id-1", 0))
    ob.close()
    code = (
        "import sys, os; from pathlib import Path; from offline_queue import Outbox;"
        "q = Path(sys.argv[1]);"
        "ob = Outbox(q/'outbox.db', q/'files', q/'outbox.key', max_bytes=10**9, min_free_bytes=0);"
        "assert ob.claim_due(1); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "q")], check=True)
    ob2 = make_outbox()
    assert ob2.report.reclaimed == 1
    assert ob2.get("id-1").state == ItemState.PENDING


def test_status_json_has_exact_keys_and_oldest_age(make_outbox, clock):
    ob = make_outbox(clock=clock)
    ob.enqueue("id-1", "application", application_body("id-1", 0))
    clock.advance(42)
    st = ob.status().to_json()
    for key in ("pending", "sending", "dead", "delivered", "oldestPendingAgeSec", "bytes"):
        assert key in st
    assert st["pending"] == 1 and st["oldestPendingAgeSec"] == 42.0 and st["bytes"] > 0
    json.dumps(st)
    from kiosk.api import contract
    beat = {"sentAt": "2026-11-22T10:00:00+08:00", "appVersion": "0.1.0",
            "queue": ob.status().heartbeat_json()}
    assert contract.errors("HeartbeatRequest", beat) == []
    assert beat["queue"]["pendingApplications"] == 1


def test_fresh_directory_gets_private_permissions(make_outbox, tmp_path: Path):
    make_outbox()
    assert stat.S_IMODE((tmp_path / "q" / "files").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "q" / "outbox.db").stat().st_mode) == 0o600


def test_blobs_of_a_delivered_item_left_by_a_crash_are_deleted_at_next_start(make_outbox):
    ob = make_outbox()
    ob.enqueue("id-1", "application", application_body("id-1", 1), sample_files(1))
    name = ob.db.execute("SELECT path FROM files").fetchone()[0]
    # what mark_delivered commits before it deletes the blob (a crash right there)
    with ob._tx() as conn:
        conn.execute("UPDATE items SET state='delivered', body=NULL, stored_bytes=0")
        conn.execute("UPDATE files SET purge_path = path, path = NULL")
    assert (ob.files_dir / name).exists()
    ob.close()
    ob2 = make_outbox()
    assert not (ob2.files_dir / name).exists()
    assert ob2.db.execute("SELECT purge_path FROM files").fetchone()[0] is None


def test_staff_correct_a_dead_items_body_and_it_is_due_again(make_outbox):
    ob = make_outbox()
    body = application_body("id-1", 1)
    ob.enqueue("id-1", "application", body, sample_files(1))
    assert ob.read_body("id-1") == body
    assert "only a dead item" in (ob.replace_body("id-1", body) or "")
    ob.mark_dead("id-1", "VALIDATION_FAILED: x", {"code": "VALIDATION_FAILED"})
    broken = body.replace(b"outbox-file:id-1:0", b"lost")
    assert "referenced exactly once" in (ob.replace_body("id-1", broken) or "")
    fixed = body.replace(FAKE_NAME.encode(), "测试李四".encode())
    assert ob.replace_body("id-1", fixed) is None
    item = ob.get("id-1")
    assert item.state == ItemState.PENDING and item.needs_reconcile
    assert ob.read_body("id-1") == fixed and ob.problem("id-1") is None
    assert ob.status().bytes == sum(
        r[0] for r in ob.db.execute("SELECT stored_bytes FROM items"))


def test_file_that_is_not_a_database_is_quarantined_not_overwritten(make_outbox, tmp_path):
    db = tmp_path / "q" / "outbox.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite at all" * 100)
    ob = make_outbox()
    [moved] = ob.report.quarantined
    assert moved.read_bytes().startswith(b"this is not sqlite")
    assert ob.enqueue("id-1", "application", application_body("id-1", 0)).ok
