from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.audit import AuditLog, verify_chain


def test_chain_verifies_after_appends_and_reopen(tmp_path: Path) -> None:
    p = tmp_path / "audit.jsonl"
    log = AuditLog(p)
    log.record("role.login", actor="staff", role="staff")
    AuditLog(p).record("citizen.identified", method="idcard")
    rep = verify_chain(p)
    assert rep.ok and rep.records == 2


def test_edited_line_breaks_the_chain(tmp_path: Path) -> None:
    p = tmp_path / "audit.jsonl"
    log = AuditLog(p)
    for _ in range(3):
        log.record("tech.device_test", device="printer")
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("printer", "camera")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = verify_chain(p)
    assert not rep.ok and rep.broken_at == 3


def test_removed_line_breaks_the_chain(tmp_path: Path) -> None:
    p = tmp_path / "audit.jsonl"
    log = AuditLog(p)
    for _ in range(3):
        log.record("tech.device_test", device="printer")
    lines = p.read_text(encoding="utf-8").splitlines()
    p.write_text(lines[0] + "\n" + lines[2] + "\n", encoding="utf-8")
    assert not verify_chain(p).ok


def test_id_numbers_in_details_are_masked(tmp_path: Path) -> None:
    p = tmp_path / "audit.jsonl"
    AuditLog(p).record("citizen.identified", note="card 990101190001010018 read")
    text = p.read_text(encoding="utf-8")
    assert "990101190001010018" not in text and "9901**********0018" in text


def test_undeclared_event_is_a_bug(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        AuditLog(tmp_path / "a.jsonl").record("made.up")
