from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiosk.roles import LoginOutcome, PinGate, Role, hash_pin, verify_pin

# Small scrypt cost in tests: the parameters travel in the hash, so verification is the same code.
FAST = {"n": 2**10, "r": 8, "p": 1}


def test_right_pin_verifies_and_wrong_pin_does_not() -> None:
    h = hash_pin("246810", **FAST)
    assert h.startswith("scrypt$") and "246810" not in h
    assert verify_pin("246810", h)
    assert not verify_pin("246811", h)


def test_malformed_hash_never_verifies() -> None:
    assert not verify_pin("246810", "scrypt$x$y$z$%%%$%%%")
    assert not verify_pin("246810", "plain$246810")


def test_role_locks_after_max_attempts_and_survives_restart(tmp_path: Path) -> None:
    now = [1000.0]
    hashes = {Role.STAFF: hash_pin("135790", **FAST)}
    state = tmp_path / "lockout.json"
    gate = PinGate(hashes, max_attempts=3, lockout_s=300, state_file=state, clock=lambda: now[0])
    assert gate.login(Role.STAFF, "000000").attempts_left == 2
    assert gate.login(Role.STAFF, "000000").outcome is LoginOutcome.WRONG_PIN
    assert gate.login(Role.STAFF, "000000").outcome is LoginOutcome.LOCKED
    restarted = PinGate(hashes, 3, 300, state_file=state, clock=lambda: now[0])
    assert restarted.login(Role.STAFF, "135790").outcome is LoginOutcome.LOCKED
    now[0] += 301
    assert restarted.login(Role.STAFF, "135790").outcome is LoginOutcome.OK


def test_role_without_hash_is_disabled() -> None:
    gate = PinGate({}, 3, 60)
    assert gate.login(Role.TECHNICIAN, "123456").outcome is LoginOutcome.ROLE_DISABLED


def test_pin_hash_command_reads_stdin_and_refuses_short_pin() -> None:
    ok = subprocess.run([sys.executable, "-m", "kiosk", "pin", "hash", "--stdin"],
                        input="97531086\n", capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and verify_pin("97531086", ok.stdout.strip())
    bad = subprocess.run([sys.executable, "-m", "kiosk", "pin", "hash", "--stdin"],
                         input="12\n", capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
