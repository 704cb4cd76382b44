"""A queue database that is damaged is moved aside with its files; one that merely cannot be
written (a full disk) is never touched; no encrypted file is deleted while its row may be lost.
Real SQLite files, real ``kiosk`` runs, a real full file system (tmpfs) where one can be made."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.queue.conftest import application_body, sample_files
from tests.queue.sandbox_apps import ROOT, applicant, form, jpeg, kiosk, write_config

MATTER, MATERIAL = "330106SBX0005", "M0005-03"
OFFLINE = "http://127.0.0.1:9/uap/v1"  # nothing listens there


def _store_two(tmp_path: Path) -> Path:
    cfg = write_config(tmp_path, OFFLINE)
    (tmp_path / "a.json").write_text(json.dumps(applicant(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "f.json").write_text(json.dumps(form(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "p.jpg").write_bytes(jpeg(1, 4000))
    for _ in range(2):
        res = kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant", tmp_path / "a.json",
                    "--form", tmp_path / "f.json", "--attach", f"{MATERIAL}={tmp_path / 'p.jpg'}",
                    "--no-sync")
        assert res.returncode == 0, res.stderr
    return cfg


def test_zero_byte_outbox_is_quarantined_not_emptied(tmp_path):
    cfg = _store_two(tmp_path)
    queue = tmp_path / "var" / "queue"
    blobs = sorted(p.name for p in (queue / "files").iterdir())
    assert len(blobs) == 2
    (queue / "outbox.db").write_bytes(b"")  # ": > var/queue/outbox.db"
    res = kiosk("--config", cfg, "queue", "status", "--json")
    assert res.returncode == 0
    status = json.loads(res.stdout)
    assert "moved aside" in res.stderr and status["quarantinedDatabases"]
    [moved_files] = queue.glob("files.corrupt-*")
    assert sorted(p.name for p in moved_files.iterdir()) == blobs
    # a later start (even long after) deletes none of them
    old = time.time() - 30 * 86400
    for p in moved_files.iterdir():
        os.utime(p, (old, old))
    assert kiosk("--config", cfg, "queue", "status").returncode == 0
    assert sorted(p.name for p in moved_files.iterdir()) == blobs


def test_truncated_outbox_is_quarantined_with_its_files(make_outbox, tmp_path):
    ob = make_outbox()
    for i in range(40):
        ob.enqueue(f"id-{i}", "application", application_body(f"id-{i}", 1), sample_files(1))
    ob.compact()
    ob.close()
    db = tmp_path / "q" / "outbox.db"
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.truncate(size // 2)
    ob2 = make_outbox()
    [moved] = ob2.report.quarantined
    assert moved.stat().st_size == size // 2
    assert len(list((tmp_path / "q").glob("files.corrupt-*/*"))) == 40


def test_unreferenced_blob_is_kept_aside_and_reported_never_deleted(make_outbox):
    ob = make_outbox()
    ob.enqueue("id-1", "application", application_body("id-1", 1), sample_files(1))
    orphan = ob.files_dir / "0123456789abcdef0123456789abcdef"
    orphan.write_bytes(b"sealed bytes of an application whose row is gone")
    unfinished = ob.files_dir / ("fedcba9876543210fedcba9876543210" + ".part")
    unfinished.write_bytes(b"x")
    assert ob.sweep_orphans() == 0  # young: maybe another process is about to commit it
    old = time.time() - 7200
    os.utime(orphan, (old, old))
    os.utime(unfinished, (old, old))
    assert ob.sweep_orphans() == 1
    kept = ob.orphans_dir / orphan.name
    assert kept.read_bytes().startswith(b"sealed bytes") and not unfinished.exists()
    assert ob.status().to_json()["orphanedFiles"] == 1
    assert len(list(ob.files_dir.iterdir())) == 1  # the referenced blob stays in place


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs a private tmpfs (root or user namespaces)")
def test_full_disk_keeps_every_application_and_refuses_with_disk_full(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f'mount -t tmpfs -o size=3m tmpfs "{disk}" && '
              f'exec "{sys.executable}" -m tests.queue.full_disk_run "{disk}" 5')
    res = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    run = json.loads(res.stdout)
    assert run["stored"] == [0] * 5
    status, listing, submit = (run["full"][k] for k in ("status", "list", "submit"))
    # read-only commands work on the full disk and say it is full
    assert status["rc"] == 0 and json.loads(status["out"])["pending"] == 5
    assert json.loads(status["out"])["accepting"] is False
    assert listing["rc"] == 0 and len(json.loads(listing["out"])) == 5
    # a write refuses with DISK_FULL, one line, no traceback
    assert submit["rc"] == 1 and "DISK_FULL" in submit["out"] + submit["err"]
    for r in (status, listing, submit):
        assert "Traceback" not in r["err"]
    # nothing was moved aside; with space back, all five are there
    assert run["moved"] == []
    assert json.loads(run["after"]["out"])["pending"] == 5
