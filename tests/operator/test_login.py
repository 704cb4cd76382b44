"""PIN login of staff and technicians: scrypt hashes, lockout kept across a restart, the
demo PINs only in demo mode, every attempt audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.app_services import AppServices
from kiosk.audit import audit_path, verify_chain
from kiosk.operator_services import DEMO_PINS, OperatorDesk
from kiosk.roles import Role, hash_pin
from tests.operator.conftest import settings_for

STAFF_PIN = DEMO_PINS[Role.STAFF]
TECH_PIN = DEMO_PINS[Role.TECHNICIAN]


def audit_events(data_dir: Path) -> list[dict[str, Any]]:
    path = audit_path(data_dir)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_demo_staff_pin_logs_in_and_is_audited(tmp_path: Path) -> None:
    desk = OperatorDesk(settings_for(tmp_path))
    assert desk.login("staff", STAFF_PIN).value == "staff"
    assert desk.login("technician", TECH_PIN).value == "technician"
    events = audit_events(tmp_path)
    assert [(e["event"], e["actor"]) for e in events] == [("role.login", "staff"),
                                                         ("role.login", "technician")]
    assert STAFF_PIN not in audit_path(tmp_path).read_text() and TECH_PIN not in \
        audit_path(tmp_path).read_text()


def test_wrong_pin_says_how_many_attempts_are_left(tmp_path: Path) -> None:
    desk = OperatorDesk(settings_for(tmp_path))
    r = desk.login("staff", "000000")
    assert r.fault is not None and (r.fault.code, r.fault.message) == ("wrong_pin", "4")
    # Anybody at the screen can type a wrong PIN: the record does not blame the role.
    failed = audit_events(tmp_path)[-1]
    assert (failed["event"], failed["actor"], failed["details"]["role"]) == (
        "role.login_failed", "kiosk", "staff")
    assert desk.login("staff", TECH_PIN).fault.message == "3"  # type: ignore[union-attr]
    failed = [e for e in audit_events(tmp_path) if e["event"] == "role.login_failed"]
    assert [e["details"]["attemptsLeft"] for e in failed] == [4, 3]


def test_wrong_pin_five_times_locks_the_role_across_restart(
        start_kiosk: Callable[..., AppServices], tmp_path: Path) -> None:
    kiosk = start_kiosk()
    answers = [kiosk.operator.login("staff", "999999") for _ in range(5)]
    assert [a.fault.code for a in answers] == ["wrong_pin"] * 4 + ["locked"]  # type: ignore[union-attr]
    assert answers[-1].fault.message == "300"  # type: ignore[union-attr]  # [roles] lockout_s
    kiosk.close()

    again = start_kiosk()  # same data_dir: the lockout file is read back
    r = again.operator.login("staff", STAFF_PIN)
    assert r.fault is not None and r.fault.code == "locked"
    assert r.fault.message.isdigit() and 0 < int(r.fault.message) <= 300
    assert again.operator.login("technician", TECH_PIN).ok  # only the role that was attacked
    events = [(e["event"], e["details"].get("reason")) for e in audit_events(tmp_path)]
    assert events.count(("role.locked", None)) == 1
    assert ("role.login_failed", "locked") in events  # the try during the lockout
    assert verify_chain(audit_path(tmp_path)).ok  # two processes' worth of records, one chain


def test_roles_are_disabled_without_a_pin_hash_outside_demo_mode(tmp_path: Path) -> None:
    desk = OperatorDesk(settings_for(tmp_path, kiosk={"demo": False},
                                     api={"base_url": "https://gateway.invalid/uap/v1"}))
    r = desk.login("staff", STAFF_PIN)
    assert r.fault is not None and r.fault.code == "role_disabled"
    assert desk.login("technician", TECH_PIN).fault.code == "role_disabled"  # type: ignore[union-attr]
    assert audit_events(tmp_path)[-1]["details"]["reason"] == "role_disabled"


def test_demo_config_pointed_at_a_real_platform_has_no_demo_pins(tmp_path: Path) -> None:
    desk = OperatorDesk(settings_for(tmp_path, api={"base_url": "https://gateway.invalid/uap/v1"}))
    r = desk.login("staff", STAFF_PIN)
    assert r.fault is not None and r.fault.code == "role_disabled"


def test_a_configured_pin_hash_replaces_the_demo_pin(tmp_path: Path) -> None:
    own = hash_pin("97531086", n=2**10)
    desk = OperatorDesk(settings_for(tmp_path, roles={"staff_pin_hash": own}))
    assert desk.login("staff", STAFF_PIN).fault.code == "wrong_pin"  # type: ignore[union-attr]
    assert desk.login("staff", "97531086").ok
    assert desk.login("technician", TECH_PIN).ok  # its hash is still empty: demo PIN


def test_login_for_the_citizen_role_is_a_bug(tmp_path: Path) -> None:
    desk = OperatorDesk(settings_for(tmp_path))
    with pytest.raises(ValueError):
        desk.login("citizen", STAFF_PIN)


def test_unknown_audit_event_is_a_bug(tmp_path: Path) -> None:
    desk = OperatorDesk(settings_for(tmp_path))
    with pytest.raises(KeyError):
        desk.audit("staff.did_something_undeclared", "staff", {})
    desk.audit("staff.acting_for_citizen", "staff", {"applicant": "赵*"})
    assert audit_events(tmp_path)[-1]["details"] == {"applicant": "赵*"}


def test_audit_chain_holds_when_the_cli_appends_while_the_kiosk_runs(tmp_path: Path) -> None:
    from kiosk.audit import AuditLog

    desk = OperatorDesk(settings_for(tmp_path))
    assert desk.login("staff", STAFF_PIN).ok
    # `kiosk diag export` in another process: its own AuditLog on the same file.
    AuditLog(audit_path(tmp_path)).record("tech.diagnostics_exported", actor="technician",
                                          file="diag.tar.gz")
    assert desk.login("staff", STAFF_PIN).ok
    report = verify_chain(audit_path(tmp_path))
    assert report.ok, report
    assert report.records == 3
