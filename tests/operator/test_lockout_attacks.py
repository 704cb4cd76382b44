"""PIN lockout fails closed (#14 item 13): deleting or corrupting the lockout state while a
role is locked does not unlock it; the state file is 0600 in a 0700 directory."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.app_services import AppServices
from kiosk.audit import audit_path
from kiosk.operator_services import DEMO_PINS
from kiosk.roles import Role

STAFF_PIN = DEMO_PINS[Role.STAFF]
TECH_PIN = DEMO_PINS[Role.TECHNICIAN]


def _state(tmp_path: Path) -> Path:
    return tmp_path / "state" / "pin-lockout.json"


def _lock_staff(start_kiosk: Callable[..., AppServices]) -> None:
    kiosk = start_kiosk()
    answers = [kiosk.operator.login("staff", "999999") for _ in range(5)]
    assert answers[-1].fault is not None and answers[-1].fault.code == "locked"
    kiosk.close()


@pytest.mark.parametrize("tamper", [
    lambda p: p.unlink(),
    lambda p: p.write_text("{not json"),
    lambda p: p.write_bytes(b""),
    lambda p: p.write_text(json.dumps({"staff": {"failures": 0, "locked_until": "never"}})),
    lambda p: p.write_text(json.dumps(["staff"])),
    lambda p: (p.unlink(), p.mkdir()),
], ids=["deleted", "not-json", "empty", "wrong-type", "not-an-object", "a-directory"])
def test_tampered_lockout_state_keeps_the_kiosk_locked(start_kiosk: Callable[..., AppServices],
                                                      tmp_path: Path, tamper) -> None:  # type: ignore[no-untyped-def]
    _lock_staff(start_kiosk)
    tamper(_state(tmp_path))
    again = start_kiosk()
    r = again.operator.login("staff", STAFF_PIN)
    assert r.fault is not None and r.fault.code == "locked", r
    assert 0 < int(r.fault.message) <= 300
    t = again.operator.login("technician", TECH_PIN)  # unknown state: every role waits
    assert t.fault is not None and t.fault.code == "locked"
    audit = audit_path(tmp_path).read_text(encoding="utf-8")
    assert "lockout state file" in audit


def test_a_fresh_kiosk_without_state_is_not_locked(start_kiosk: Callable[..., AppServices],
                                                  tmp_path: Path) -> None:
    kiosk = start_kiosk()
    assert not _state(tmp_path).exists()
    assert kiosk.operator.login("staff", STAFF_PIN).ok


def test_lockout_state_is_private(start_kiosk: Callable[..., AppServices], tmp_path: Path) -> None:
    _lock_staff(start_kiosk)
    p = _state(tmp_path)
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(p.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("audit", ["emptied", "edited"])
def test_lockout_state_deleted_with_the_audit_log_tampered_stays_locked(
        start_kiosk: Callable[..., AppServices], tmp_path: Path, audit: str) -> None:
    """Removing the evidence of the failed logins too does not open the lock: an audit log
    that fails verification cannot prove there were none."""
    _lock_staff(start_kiosk)
    _state(tmp_path).unlink()
    log = audit_path(tmp_path)
    if audit == "emptied":
        log.write_bytes(b"")
    else:
        log.write_text(log.read_text(encoding="utf-8").replace("role.login_failed", "role.logout"),
                       encoding="utf-8")
    again = start_kiosk()
    r = again.operator.login("staff", STAFF_PIN)
    assert r.fault is not None and r.fault.code == "locked", r
