"""``kiosk submit`` and ``kiosk queue …`` as staff use them, against the sandbox on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.queue.sandbox_apps import (
    CERT_NO,
    MATERIAL,
    MATTER,
    NAME,
    applicant,
    form,
    jpeg,
    kiosk,
    write_config,
)

STATUS_KEYS = {"pending", "sending", "dead", "delivered", "oldestPendingAgeSec", "bytes"}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "input"
    d.mkdir()
    paths = {"applicant": d / "applicant.json", "form": d / "form.json",
             "p1": d / "page1.jpg", "p2": d / "page2.jpg"}
    paths["applicant"].write_text(json.dumps(applicant(), ensure_ascii=False), encoding="utf-8")
    paths["form"].write_text(json.dumps(form(), ensure_ascii=False), encoding="utf-8")
    paths["p1"].write_bytes(jpeg(1))
    paths["p2"].write_bytes(jpeg(2))
    return paths


def _submit_args(cfg: Path, files: dict[str, Path], *extra: str) -> list[str | Path]:
    return ["--config", cfg, "submit", "--matter", MATTER, "--applicant", files["applicant"],
            "--form", files["form"], "--attach", f"{MATERIAL}={files['p1']}",
            "--attach", f"{MATERIAL}={files['p2']}", *extra]


def test_submit_online_prints_id_and_delivered_state(tmp_path, sandbox, files):
    cfg = write_config(tmp_path, sandbox.base_url)
    res = kiosk(*_submit_args(cfg, files, "--json"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["state"] == "delivered" and out["stored"] and out["projId"]
    [got] = sandbox.storage.dump()
    assert got["clientApplicationId"] == out["clientApplicationId"] and len(got["files"]) == 2


def test_submit_offline_then_status_list_and_sync_until_empty(tmp_path, sandbox, files):
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")  # nothing listens there
    res = kiosk(*_submit_args(cfg, files, "--json", "--client-id", "0190aaaa-0000-7000-8000-000000000001"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["state"] == "queued" and out["clientApplicationId"].endswith("0001")
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert STATUS_KEYS <= set(st) and st["pending"] == 1 and st["bytes"] > 0
    listed = json.loads(kiosk("--config", cfg, "queue", "list", "--json").stdout)
    assert listed[0]["id"] == out["clientApplicationId"] and listed[0]["state"] == "pending"
    assert "NETWORK" in listed[0]["lastError"]
    # the same id again is not a second application
    again = kiosk(*_submit_args(cfg, files, "--json", "--no-sync", "--client-id", out["clientApplicationId"]))
    assert again.returncode == 0 and json.loads(again.stdout)["state"] == "queued"
    sync = kiosk("--config", cfg, "queue", "sync", "--until-empty", "--timeout", "30",
                 "--api", sandbox.base_url)
    assert sync.returncode == 0, sync.stderr
    assert "delivered" in sync.stderr  # progress lines
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert (st["pending"], st["delivered"], st["bytes"]) == (0, 1, 0)
    assert [g["clientApplicationId"] for g in sandbox.storage.dump()] == [out["clientApplicationId"]]


def test_batch_keeps_good_lines_and_rejects_bad_ones_with_reasons(tmp_path, sandbox, files):
    cfg = write_config(tmp_path, sandbox.base_url)
    good = {"matter": MATTER, "applicant": applicant(), "form": form(),
            "attach": [{"materialCode": MATERIAL, "file": "page1.jpg"}]}
    lines = [json.dumps(good, ensure_ascii=False), "{not json",
             json.dumps({**good, "attach": [{"materialCode": MATERIAL, "file": "missing.jpg"}]}),
             json.dumps({**good, "applicant": {"certType": "RESIDENT_ID_CARD"}}),
             json.dumps({**good, "attach": [{"materialCode": MATERIAL, "file": "page2.jpg"}]})]
    batch = files["p1"].parent / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = kiosk("--config", cfg, "submit", "--batch", batch, "--json")
    assert res.returncode == 1
    report = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["line"] for r in report] == [1, 2, 3, 4, 5]
    assert [r["state"] for r in report] == ["delivered", "invalid", "invalid", "invalid", "delivered"]
    assert "JSON" in report[1]["message"] and "does not exist" in report[2]["message"]
    assert "lacks" in report[3]["message"]
    assert "2 stored, 3 rejected" in res.stderr
    assert len(sandbox.storage.dump()) == 2


def test_dead_item_is_listed_with_reasons_then_voided_by_staff(tmp_path, sandbox, files):
    cfg = write_config(tmp_path, sandbox.base_url)
    files["applicant"].write_text(json.dumps(applicant(certNo="330199198806060047")), encoding="utf-8")
    res = kiosk(*_submit_args(cfg, files, "--json"))
    assert res.returncode == 4
    cid = json.loads(res.stdout)["clientApplicationId"]
    [item] = json.loads(kiosk("--config", cfg, "queue", "list", "--state", "dead", "--json").stdout)
    assert item["problem"]["code"] == "VALIDATION_FAILED"
    assert item["problem"]["fields"][0]["pointer"] == "/applicant/certNo"
    retry = kiosk("--config", cfg, "queue", "retry", cid, "--sync", "--api", sandbox.base_url)
    assert retry.returncode == 3 and "dead" in retry.stdout
    void = kiosk("--config", cfg, "queue", "void", cid)
    assert void.returncode == 0
    again = kiosk("--config", cfg, "queue", "void", cid)
    assert again.returncode == 1 and "void" in again.stderr and "Traceback" not in again.stderr
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert st["dead"] == 0 and st["void"] == 1


def test_full_queue_and_nearly_full_disk_refuse_with_a_clear_message(tmp_path, files):
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1", max_bytes=1024**2)
    files["p1"].write_bytes(jpeg(9, 1_300_000))
    res = kiosk(*_submit_args(cfg, files, "--no-sync"))
    assert res.returncode == 1 and "queue is full" in res.stderr and "Traceback" not in res.stderr
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert st["pending"] == 0 and st["bytes"] == 0

    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1", min_free_bytes=2**62)
    res = kiosk(*_submit_args(cfg, files, "--no-sync", "--json"))
    assert res.returncode == 1
    out = json.loads(res.stdout)
    assert out["code"] == "DISK_FULL" and not out["stored"]
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert st["accepting"] is False and "disk" in st["refusal"]


def test_bad_input_is_one_line_without_traceback(tmp_path, files):
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    res = kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant", files["applicant"],
                "--form", tmp_path / "nope.json")
    assert res.returncode == 1 and "does not exist" in res.stderr and "Traceback" not in res.stderr
    res = kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant", files["applicant"],
                "--form", files["form"], "--attach", "no-equals-sign")
    assert res.returncode == 1 and "MATERIAL_CODE=FILE" in res.stderr


def test_no_id_number_or_name_in_clear_in_queue_files_or_logs(tmp_path, sandbox, files):
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    for _ in range(2):
        assert kiosk(*_submit_args(cfg, files)).returncode == 0  # queued offline, with files
    files["applicant"].write_text(json.dumps(applicant(certNo="330199198806060047")), encoding="utf-8")
    kiosk(*_submit_args(cfg, files, "--api", sandbox.base_url))  # dead letter: problem stored
    kiosk("--config", cfg, "queue", "list", "--json")
    var = tmp_path / "var"
    stored = [p for p in var.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in stored) and any("files" in p.parts for p in stored)
    raw = b"".join(p.read_bytes() for p in stored)
    for needle in (CERT_NO, "330199198806060047", NAME, applicant()["phone"]):
        for enc in ("utf-8", "utf-16-le"):
            assert needle.encode(enc) not in raw, (needle, enc)


def test_staff_fix_a_refused_application_and_it_is_delivered_under_the_same_id(tmp_path, sandbox, files):
    cfg = write_config(tmp_path, sandbox.base_url)
    files["applicant"].write_text(json.dumps(applicant(certNo="330199198806060047")), encoding="utf-8")
    res = kiosk(*_submit_args(cfg, files, "--json"))
    assert res.returncode == 4
    cid = json.loads(res.stdout)["clientApplicationId"]
    patch = tmp_path / "fix.json"
    patch.write_text(json.dumps({"clientApplicationId": "other"}), encoding="utf-8")
    refused = kiosk("--config", cfg, "queue", "retry", cid, "--patch", patch)
    assert refused.returncode == 1 and "cannot be changed" in refused.stderr
    patch.write_text(json.dumps({"applicant": {"certNo": CERT_NO}}), encoding="utf-8")
    fixed = kiosk("--config", cfg, "queue", "retry", cid, "--patch", patch, "--sync",
                  "--api", sandbox.base_url)
    assert fixed.returncode == 0 and "delivered" in fixed.stdout, fixed.stderr
    [got] = sandbox.storage.dump()
    assert got["clientApplicationId"] == cid and got["applicantCertNo"] == CERT_NO
    assert len(got["files"]) == 2
