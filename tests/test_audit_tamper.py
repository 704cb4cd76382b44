"""The audit log under the attacks the adversarial run made (#14 items 11, 12): every one
was answered "chain intact" before. Records are written by the kiosk's own AuditLog, the
head is anchored on the sandbox over loopback (``kiosk audit anchor``, as the heartbeat
does), the file is tampered with on the disk, and ``kiosk audit verify`` runs as a process."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from kiosk.audit import AuditLog, audit_path, head_path
from kiosk.sandbox.server import SandboxServer
from tests.queue.sandbox_apps import kiosk, write_config


@pytest.fixture
def cfg(tmp_path: Path, sandbox: SandboxServer) -> Path:
    return write_config(tmp_path, sandbox.base_url)


def _log(tmp_path: Path) -> Path:
    return audit_path(tmp_path / "var")


def _history(tmp_path: Path) -> Path:
    """A morning at the kiosk: logins, three wrong PINs and a lockout, a device test."""
    log = AuditLog(_log(tmp_path))
    log.record("role.login", actor="staff", role="staff")
    log.record("role.logout", actor="staff", role="staff")
    for _ in range(3):
        log.record("role.login_failed", actor="anonymous", role="technician", reason="wrong_pin")
    log.record("role.locked", actor="anonymous", role="technician", seconds=300)
    log.record("role.login", actor="technician", role="technician")
    log.record("tech.device_test", actor="technician", device="printer")
    return log.path


def _verify(cfg: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    res = kiosk("--config", cfg, "audit", "verify", "--json", *extra)
    assert "Traceback" not in res.stderr, res.stderr
    return res.returncode, (json.loads(res.stdout) if res.stdout.strip() else {}), res.stderr


def _anchor(cfg: Path) -> None:
    res = kiosk("--config", cfg, "audit", "anchor")
    assert res.returncode == 0, res.stderr


def _lines(p: Path) -> list[bytes]:
    return [x for x in p.read_bytes().split(b"\n") if x]


def _rechain(p: Path, records: list[dict[str, object]], *, head: bool = True) -> None:
    """What someone with the disk does: recompute every prev and seq, and the head file."""
    prev, out = "0" * 64, []
    for n, rec in enumerate(records, start=1):
        rec = {**rec, "seq": n, "prev": prev}
        line = json.dumps(rec, ensure_ascii=False, sort_keys=True).encode()
        out.append(line)
        prev = hashlib.sha256(line).hexdigest()
    p.write_bytes(b"".join(x + b"\n" for x in out))
    if head:
        head_path(p).write_text(json.dumps({"seq": len(out), "hash": prev}) + "\n")


def test_untouched_log_verifies_online_and_offline(tmp_path: Path, cfg: Path) -> None:
    _history(tmp_path)
    _anchor(cfg)
    rc, rep, _ = _verify(cfg)
    assert rc == 0 and rep["ok"] and rep["records"] == 8 and rep["anchor"]["seq"] == 8  # type: ignore[index]
    rc, rep, _ = _verify(cfg, "--offline")
    assert rc == 0 and rep["offline"]
    text = kiosk("--config", cfg, "audit", "verify", "--offline").stdout
    assert "OFFLINE" in text


@pytest.mark.parametrize("online", [False, True])
def test_last_record_edited_is_found(tmp_path: Path, cfg: Path, online: bool) -> None:
    p = _history(tmp_path)
    _anchor(cfg)
    lines = _lines(p)
    lines[-1] = lines[-1].replace(b"printer", b"camera")
    p.write_bytes(b"\n".join(lines) + b"\n")
    rc, rep, _ = _verify(cfg, *(() if online else ("--offline",)))
    assert rc == 1 and not rep["ok"] and "edited" in str(rep["reason"])


@pytest.mark.parametrize("online", [False, True])
def test_last_record_deleted_is_found(tmp_path: Path, cfg: Path, online: bool) -> None:
    p = _history(tmp_path)
    _anchor(cfg)
    p.write_bytes(b"\n".join(_lines(p)[:-1]) + b"\n")
    rc, rep, _ = _verify(cfg, *(() if online else ("--offline",)))
    assert rc == 1 and "removed" in str(rep["reason"])


def test_failed_logins_removed_and_chain_recomputed_is_found_by_the_anchor(tmp_path: Path,
                                                                        cfg: Path) -> None:
    p = _history(tmp_path)
    _anchor(cfg)
    kept = [json.loads(x) for x in _lines(p)]
    kept = [r for r in kept if r["event"] not in ("role.login_failed", "role.locked")]
    _rechain(p, kept)
    # The local chain and head are consistent again: only the anchor can tell.
    rc, rep, _ = _verify(cfg, "--offline")
    assert rc == 0 and rep["records"] == 4
    rc, rep, _ = _verify(cfg)
    assert rc == 1 and "platform saw 8 records" in str(rep["reason"])
    # and the kiosk's own heartbeat does not move the anchor onto the rewritten log
    res = kiosk("--config", cfg, "audit", "anchor")
    assert res.returncode == 1 and "NOT anchored" in res.stderr
    rc, _, _ = _verify(cfg)
    assert rc == 1


def test_rewrite_with_as_many_records_is_found_by_the_anchor(tmp_path: Path, cfg: Path) -> None:
    p = _history(tmp_path)
    _anchor(cfg)
    recs = [json.loads(x) for x in _lines(p)]
    recs[2] = {**recs[2], "event": "role.login", "details": {"role": "technician"}}
    _rechain(p, recs)
    rc, rep, _ = _verify(cfg)
    assert rc == 1 and "rewritten" in str(rep["reason"])


def test_forged_record_appended_by_hand_is_found(tmp_path: Path, cfg: Path) -> None:
    p = _history(tmp_path)
    last = json.loads(_lines(p)[-1])
    forged = {"seq": last["seq"] + 1, "time": last["time"], "event": "role.logout",
              "actor": "technician", "details": {"role": "technician"},
              "prev": hashlib.sha256(_lines(p)[-1]).hexdigest()}
    with p.open("ab") as f:
        f.write(json.dumps(forged, ensure_ascii=False, sort_keys=True).encode() + b"\n")
    rc, rep, _ = _verify(cfg, "--offline")
    assert rc == 1 and "appended by hand" in str(rep["reason"])


@pytest.mark.parametrize("how", ["emptied", "deleted", "deleted with its head"])
def test_log_emptied_or_deleted_is_found(tmp_path: Path, cfg: Path, how: str) -> None:
    p = _history(tmp_path)
    _anchor(cfg)
    if how == "emptied":
        p.write_bytes(b"")
    else:
        p.unlink()
        if how == "deleted with its head":
            head_path(p).unlink()
    rc, rep, _ = _verify(cfg)
    assert rc == 1 and not rep["ok"]
    assert "removed" in str(rep["reason"]) or "platform saw 8" in str(rep["reason"])


def test_an_append_never_blesses_an_edited_record(tmp_path: Path, cfg: Path) -> None:
    """``diag export`` appended on top of an edited last record, making it part of an intact
    chain. Now the writer verifies the head first: the edited log is kept aside and a new
    chain starts with a record saying so; verify reports the tampering."""
    p = _history(tmp_path)
    lines = _lines(p)
    lines[-1] = lines[-1].replace(b"printer", b"camera")
    p.write_bytes(b"\n".join(lines) + b"\n")
    res = kiosk("--config", cfg, "diag", "export", "--out", tmp_path / "bundle.tar.gz")
    assert res.returncode == 0, res.stderr
    kept = list(p.parent.glob("audit.jsonl.tampered-*"))
    kept = [k for k in kept if not k.name.endswith(".head")]
    assert len(kept) == 1 and kept[0].read_bytes().count(b"\n") == 8   # evidence kept whole
    first = json.loads(_lines(p)[0])
    assert first["event"] == "audit.tampering_found" and first["details"]["keptAt"] == kept[0].name
    rc, rep, _ = _verify(cfg, "--offline")
    assert rc == 1 and rep["restartedFrom"] == kept[0].name
    text = kiosk("--config", cfg, "audit", "verify", "--offline").stdout
    assert "TAMPERED" in text


def test_diag_export_records_the_os_user_not_a_role(tmp_path: Path, cfg: Path) -> None:
    import getpass

    res = kiosk("--config", cfg, "diag", "export", "--out", tmp_path / "bundle.tar.gz")
    assert res.returncode == 0, res.stderr
    rec = json.loads(_lines(_log(tmp_path))[-1])
    assert rec["event"] == "tech.diagnostics_exported"
    assert rec["actor"].startswith(f"os:{getpass.getuser()}") and rec["actor"] != "technician"


def test_anchor_only_moves_forward_on_the_platform(tmp_path: Path, cfg: Path,
                                                   sandbox: SandboxServer) -> None:
    """A heartbeat with a lower head (someone cut the log and sent it) does not move it."""
    from kiosk.api.client import ApiClient
    from kiosk.config import load_settings

    _history(tmp_path)
    _anchor(cfg)
    settings = load_settings(cfg)
    with ApiClient.from_settings(settings, base_url=sandbox.base_url) as client:
        answer = client.heartbeat({"auditHead": {"seq": 2, "hash": "a" * 64}},
                                  device_id=settings.kiosk.device_id).json
        assert answer["auditHead"]["seq"] == 8
        assert client.audit_head(settings.kiosk.device_id).json["seq"] == 8


def test_verify_without_the_platform_is_one_line_exit_3(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    _history(tmp_path)
    res: subprocess.CompletedProcess[str] = kiosk("--config", cfg, "audit", "verify")
    assert res.returncode == 3 and "--offline" in res.stderr and "Traceback" not in res.stderr
    assert kiosk("--config", cfg, "audit", "verify", "--offline").returncode == 0
