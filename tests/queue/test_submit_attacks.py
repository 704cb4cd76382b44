"""``kiosk submit`` under attack (#14 items 2, 3, 7, 14): real subprocesses, real files, the
sandbox over loopback. Each test replays what the adversarial run did."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kiosk.sandbox.server import SandboxServer
from tests.measure import run_measured
from tests.queue.sandbox_apps import (
    MATERIAL,
    MATTER,
    applicant,
    form,
    jpeg,
    kiosk,
    write_config,
)

CID = "0190aaaa-0000-7000-8000-0000000000a1"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    d = tmp_path / "input"
    d.mkdir()
    (d / "a.json").write_text(json.dumps(applicant(), ensure_ascii=False), encoding="utf-8")
    (d / "b.json").write_text(json.dumps(applicant(phone="13900000099"), ensure_ascii=False),
                              encoding="utf-8")
    (d / "form.json").write_text(json.dumps(form(), ensure_ascii=False), encoding="utf-8")
    (d / "page1.jpg").write_bytes(jpeg(1))
    (d / "page2.jpg").write_bytes(jpeg(2))
    return d


def _submit(cfg: Path, d: Path, who: str, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    return kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant", d / f"{who}.json",
                 "--form", d / "form.json", "--attach", f"{MATERIAL}={d / 'page1.jpg'}", *extra)


def _one_line(res: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    assert res.returncode != 70, res.stderr


# --- item 2: a reused client id with other content is refused, not "already stored" ---

def test_reused_client_id_with_other_content_is_refused_and_nothing_is_dropped(
        tmp_path: Path, sandbox: SandboxServer, inputs: Path) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    a = _submit(cfg, inputs, "a", "--client-id", CID, "--json")
    assert a.returncode == 0, a.stderr
    assert json.loads(a.stdout)["state"] == "delivered"

    b = _submit(cfg, inputs, "b", "--client-id", CID, "--json")
    _one_line(b)
    assert b.returncode == 1
    out = json.loads(b.stdout)
    assert out["code"] == "DUPLICATE_ID" and not out["stored"] and out["state"] == "refused"

    replay = _submit(cfg, inputs, "a", "--client-id", CID, "--json")
    assert replay.returncode == 0 and json.loads(replay.stdout)["state"] == "delivered"
    [got] = sandbox.storage.dump()
    assert got["clientApplicationId"] == CID


def test_reused_client_id_with_another_file_is_refused_offline_too(tmp_path: Path,
                                                                  inputs: Path) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    assert _submit(cfg, inputs, "a", "--client-id", CID).returncode == 0
    other = kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant", inputs / "a.json",
                  "--form", inputs / "form.json", "--attach", f"{MATERIAL}={inputs / 'page2.jpg'}",
                  "--client-id", CID)
    _one_line(other)
    assert other.returncode == 1 and "DUPLICATE_ID" in other.stdout + other.stderr
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert st["pending"] == 1


# --- item 14: client ids are UUIDs ---

@pytest.mark.parametrize("cid", ["not-a-uuid", "", "0190AAAA00007000800000000000000a",
                                 '0190aaaa-0000-7000-8000-0000000000a"', "x" * 64])
def test_client_id_that_is_not_a_uuid_is_refused_before_storing(tmp_path: Path, inputs: Path,
                                                                cid: str) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    res = _submit(cfg, inputs, "a", "--client-id", cid)
    _one_line(res)
    assert res.returncode == 1 and "UUID" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert st["pending"] == 0


# --- item 3: every batch line gets a result; a re-run never duplicates ---

def _good_line(page: str) -> dict[str, object]:
    return {"matter": MATTER, "applicant": applicant(), "form": form(),
            "attach": [{"materialCode": MATERIAL, "file": page}]}


@pytest.mark.parametrize("bad", [
    f'{{"matter": "{MATTER}", "x": NaN}}',
    "[" * 100_000 + "]" * 100_000,
    f'{{"matter": "{MATTER}", "n": {"9" * 5000}}}',
    f'{{"matter": "{MATTER}", "x": Infinity}}',
])
def test_bad_batch_line_is_rejected_and_a_rerun_does_not_duplicate(
        tmp_path: Path, sandbox: SandboxServer, inputs: Path, bad: str) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    good = [json.dumps(_good_line("page1.jpg"), ensure_ascii=False),
            json.dumps(_good_line("page2.jpg"), ensure_ascii=False)]
    batch = inputs / "batch.jsonl"
    batch.write_text("\n".join([*good, bad]) + "\n", encoding="utf-8")
    res = kiosk("--config", cfg, "submit", "--batch", batch, "--json")
    _one_line(res)
    assert res.returncode == 1, res.stderr
    report = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["line"] for r in report] == [1, 2, 3]
    assert [r["state"] for r in report] == ["delivered", "delivered", "invalid"]
    assert report[2]["message"] and not report[2]["stored"]
    assert "2 stored, 1 rejected" in res.stderr
    ids = [r["clientApplicationId"] for r in report[:2]]

    batch.write_text("\n".join(good) + "\n", encoding="utf-8")   # fixed file, run again
    again = kiosk("--config", cfg, "submit", "--batch", batch, "--json")
    assert again.returncode == 0, again.stderr
    report2 = [json.loads(x) for x in again.stdout.splitlines()]
    assert [r["clientApplicationId"] for r in report2] == ids
    assert all(r["state"] == "delivered" for r in report2)
    assert len(sandbox.storage.dump()) == 2


def test_rerun_in_another_queue_of_the_same_kiosk_is_not_a_second_application(
        tmp_path: Path, sandbox: SandboxServer, inputs: Path) -> None:
    """The derived id depends on the line and the kiosk only: even after the local queue was
    wiped, the platform sees the same id (and refuses the re-sent body, minted at another
    time, as a reuse of the key); it never holds two applications."""
    batch = inputs / "batch.jsonl"
    batch.write_text(json.dumps(_good_line("page1.jpg"), ensure_ascii=False) + "\n",
                     encoding="utf-8")
    (tmp_path / "k1").mkdir()
    (tmp_path / "k2").mkdir()
    first = kiosk("--config", write_config(tmp_path / "k1", sandbox.base_url),
                  "submit", "--batch", batch, "--json")
    second = kiosk("--config", write_config(tmp_path / "k2", sandbox.base_url),
                   "submit", "--batch", batch, "--json")
    assert first.returncode == 0, first.stderr
    _one_line(second)
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["clientApplicationId"] == b["clientApplicationId"]
    assert b["state"] in ("delivered", "dead") and second.returncode in (0, 4)
    assert len(sandbox.storage.dump()) == 1


def test_batch_with_a_line_refused_by_the_platform_exits_4(tmp_path: Path,
                                                         sandbox: SandboxServer,
                                                         inputs: Path) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    refused = {**_good_line("page2.jpg"), "applicant": applicant(certNo="330199198806060047")}
    batch = inputs / "batch.jsonl"
    batch.write_text(json.dumps(_good_line("page1.jpg"), ensure_ascii=False) + "\n"
                     + json.dumps(refused, ensure_ascii=False) + "\n", encoding="utf-8")
    res = kiosk("--config", cfg, "submit", "--batch", batch, "--json")
    assert res.returncode == 4, res.stderr
    states = [json.loads(x)["state"] for x in res.stdout.splitlines()]
    assert states == ["delivered", "dead"]
    assert "refused by the platform" in res.stderr


def test_batch_line_with_a_bad_client_id_is_rejected_alone(tmp_path: Path,
                                                         sandbox: SandboxServer,
                                                         inputs: Path) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    batch = inputs / "batch.jsonl"
    batch.write_text(json.dumps({**_good_line("page1.jpg"), "clientId": "not-a-uuid"}) + "\n"
                     + json.dumps(_good_line("page2.jpg")) + "\n", encoding="utf-8")
    res = kiosk("--config", cfg, "submit", "--batch", batch, "--json")
    assert res.returncode == 1
    report = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["state"] for r in report] == ["invalid", "delivered"]
    assert "UUID" in report[0]["message"]


# --- item 7: devices, huge files and wrong types are refused before reading ---

def _measured(args: list[str | Path]) -> tuple[int, str, str, int]:
    """Exit status, stdout, stderr and the peak RSS (KiB) of one ``kiosk`` process."""
    rc, out, err, peak, _ = run_measured(*args)
    return rc, out, err, peak


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("named", [False, True])
def test_attachment_that_is_a_device_is_refused_without_reading(tmp_path: Path, inputs: Path,
                                                               device: str, named: bool) -> None:
    """/dev/zero as is (no accepted type), and behind a symlink named page.jpg."""
    path = Path(device)
    if named:
        path = inputs / "zero.jpg"
        path.symlink_to(device)
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    rc, _, err, rss = _measured(["--config", cfg, "submit", "--matter", MATTER,
                                 "--applicant", inputs / "a.json", "--form", inputs / "form.json",
                                 "--attach", f"{MATERIAL}={path}", "--no-sync"])
    why = "not a regular file" if named else "not one of the accepted types"
    assert rc == 1 and why in err and "Traceback" not in err
    assert rss < 400 * 1024


def test_batch_file_that_is_a_device_is_refused(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    rc, _, err, rss = _measured(["--config", cfg, "submit", "--batch", "/dev/zero"])
    assert rc == 1 and "not a regular file" in err and "Traceback" not in err
    assert rss < 400 * 1024


def test_attachment_over_the_platform_limit_is_refused_before_reading(tmp_path: Path,
                                                                     inputs: Path) -> None:
    big = inputs / "huge.jpg"
    with big.open("wb") as f:
        f.write(jpeg(3))
        f.truncate(600 * 1024**2)  # sparse: 600 MB on paper
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    rc, _, err, rss = _measured(["--config", cfg, "submit", "--matter", MATTER,
                                 "--applicant", inputs / "a.json", "--form", inputs / "form.json",
                                 "--attach", f"{MATERIAL}={big}", "--no-sync"])
    assert rc == 1 and "limit" in err and "Traceback" not in err
    assert rss < 400 * 1024, rss
    st = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert st["pending"] == 0 and st["bytes"] == 0


@pytest.mark.parametrize("name, content, why", [
    ("page.exe", b"MZ\x90\x00", "accepted types"),
    ("fake.jpg", b"%PDF-1.7 not a jpeg", "does not hold image/jpeg"),
    ("empty.png", b"", "empty"),
])
def test_attachment_of_a_wrong_type_is_refused(tmp_path: Path, inputs: Path, name: str,
                                              content: bytes, why: str) -> None:
    (inputs / name).write_bytes(content)
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    res = kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant", inputs / "a.json",
                "--form", inputs / "form.json", "--attach", f"{MATERIAL}={inputs / name}",
                "--no-sync")
    _one_line(res)
    assert res.returncode == 1 and why in res.stderr


def test_attachment_limit_comes_from_the_cached_catalog(tmp_path: Path, inputs: Path) -> None:
    """With the catalog cached, the material's own maxBytes is the limit."""
    import copy

    from kiosk.sandbox.catalog import Catalog as PlatformCatalog

    matter = copy.deepcopy(PlatformCatalog().get(MATTER))
    assert matter is not None
    for m in matter["materials"]:
        if m["materialCode"] == MATERIAL:
            m["maxBytes"] = 1000
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    cache = tmp_path / "var" / "cache"
    cache.mkdir(parents=True)
    (cache / "catalog.json").write_text(json.dumps({"etag": "t", "matters": [matter]},
                                                   ensure_ascii=False), encoding="utf-8")
    out = _submit(cfg, inputs, "a", "--no-sync")
    _one_line(out)
    assert out.returncode == 1 and "the limit is 1000" in out.stderr


# --- item 15: platform messages that echo personal data are masked ---

def test_platform_messages_echoing_names_and_numbers_are_masked(tmp_path: Path,
                                                               sandbox: SandboxServer,
                                                               inputs: Path) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    bad = {**form(), "residenceSince": "赵六测试 USA330099012999 H99999999"}
    (inputs / "form.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    res = _submit(cfg, inputs, "a", "--json")
    assert res.returncode == 4, res.stderr
    listed = kiosk("--config", cfg, "queue", "list", "--json")
    assert listed.returncode == 0
    item = json.loads(listed.stdout)[0]
    assert item["problem"]["fields"], item          # the reasons are still there …
    shown = listed.stdout + res.stdout + res.stderr
    log = (tmp_path / "var" / "log" / "kiosk.log").read_text(encoding="utf-8")
    for secret in ("赵六测试", "六测", "USA330099012999", "H99999999"):
        assert secret not in shown, (secret, shown)   # … without the echoed values
        assert secret not in log, secret
    assert "/form/residenceSince" in listed.stdout
