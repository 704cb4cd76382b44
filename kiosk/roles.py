"""Staff and technician PINs: slow hashes (scrypt) and a lockout after repeated failures.

The kiosk never stores a PIN, only ``scrypt$n$r$p$salt$hash`` in kiosk.toml ``[roles]``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

# n=2^15, r=8: ~50–100 ms per try on a kiosk CPU and 32 MiB of memory — slow for a thief
# with the disk, unnoticeable at the login screen.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_MAXMEM = 64 * 1024**2


class Role(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"  # 帮办/代办: assists or acts on behalf, batch entry, queue, reprint
    TECHNICIAN = "technician"  # 运维: diagnostics, device assignment, out of service


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    if not (pin.isdigit() and 6 <= len(pin) <= 12):
        raise ValueError("a PIN is 6 to 12 digits")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(hash_b64)
        digest = hashlib.scrypt(pin.encode(), salt=salt, n=int(n), r=int(r), p=int(p),
                                maxmem=_MAXMEM, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


class LoginOutcome(StrEnum):
    OK = "ok"
    WRONG_PIN = "wrong_pin"
    LOCKED = "locked"
    ROLE_DISABLED = "role_disabled"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    role: Role | None = None
    attempts_left: int = 0
    locked_for_s: int = 0


def _valid_state(data: object) -> bool:
    if not isinstance(data, dict):
        return False
    for value in data.values():
        if not isinstance(value, dict):
            return False
        for key in ("failures", "locked_until"):
            v = value.get(key)
            if isinstance(v, bool) or not isinstance(v, int | float) or v != v or v < 0:
                return False
    return True


EVERYONE = "*"  # a lockout under this key holds for every role and person (fail closed)


class PinGate:
    """Checks PINs and locks a key (a role, or one person: ``person:<staff number>``) out
    after ``max_attempts`` failures in a row; only the key that was attacked is locked.

    Lockout state is kept in a small file (0600) so that restarting the kiosk does not reset
    it. It fails closed: a state file that is unreadable, not JSON or of the wrong shape, or
    missing although ``expect_state`` says it was written before (the audit log holds login
    attempts), locks every role and every person for ``lockout_s`` from now
    (``failed_closed`` says why)."""

    def __init__(self, hashes: dict[Role, str], max_attempts: int, lockout_s: int,
                 state_file: Path | None = None,
                 clock: Callable[[], float] = time.time, *, expect_state: bool = False) -> None:
        self._hashes = hashes
        self._max = max_attempts
        self._lockout = lockout_s
        self._file = state_file
        self._clock = clock
        self.failed_closed = ""
        self._state: dict[str, dict[str, float]] = self._load(expect_state)

    def _load(self, expect_state: bool) -> dict[str, dict[str, float]]:
        if self._file is None:
            return {}
        why = ""
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if not expect_state:
                return {}
            why = "the lockout state file is missing"
        except (OSError, ValueError):
            why = "the lockout state file is unreadable"
        else:
            if _valid_state(data):
                return dict(data)
            why = "the lockout state file is damaged"
        self.failed_closed = why
        until = self._clock() + self._lockout
        state = {k: {"failures": 0, "locked_until": until}
                 for k in (Role.STAFF.value, Role.TECHNICIAN.value, EVERYONE)}
        self._state = state
        try:
            self._save()
        except OSError:
            pass  # still locked in memory
        return state

    def _save(self) -> None:
        if self._file is None:
            return
        now = self._clock()
        # Keys with nothing to remember go: a stream of made-up staff numbers does not grow
        # the file beyond the ones that are failing or locked now.
        self._state = {k: v for k, v in self._state.items()
                       if v.get("failures", 0) or v.get("locked_until", 0.0) > now}
        self._file.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self._file.parent, 0o700)
        tmp = self._file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, json.dumps(self._state).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self._file)

    def _until(self, key: str) -> float:
        return max(self._state.get(key, {}).get("locked_until", 0.0),
                   self._state.get(EVERYONE, {}).get("locked_until", 0.0))

    def locked_for(self, who: Role | str) -> int:
        """Seconds the role or key stays locked (0: not locked); tells a new lockout from a
        try during one, which ``login`` answers alike (LOCKED)."""
        key = who.value if isinstance(who, Role) else who
        left = self._until(key) - self._clock()
        return int(left) + 1 if left > 0 else 0

    def login(self, role: Role, pin: str) -> LoginResult:
        """The role's shared PIN (demo mode)."""
        stored = self._hashes.get(role, "")
        if not stored:
            return LoginResult(LoginOutcome.ROLE_DISABLED)
        result = self.check(role.value, pin, stored)
        return LoginResult(result.outcome, role, result.attempts_left, result.locked_for_s) \
            if result.outcome is LoginOutcome.OK else result

    def check(self, key: str, pin: str, stored: str) -> LoginResult:
        """``pin`` against the scrypt hash ``stored``, counted under ``key``."""
        st = self._state.setdefault(key, {"failures": 0, "locked_until": 0.0})
        now = self._clock()
        until = self._until(key)
        if until > now:
            return LoginResult(LoginOutcome.LOCKED, locked_for_s=int(until - now) + 1)
        if verify_pin(pin, stored):
            st.update(failures=0, locked_until=0.0)
            self._save()
            return LoginResult(LoginOutcome.OK)
        st["failures"] += 1
        if st["failures"] >= self._max:
            st.update(failures=0, locked_until=now + self._lockout)
            self._save()
            return LoginResult(LoginOutcome.LOCKED, locked_for_s=self._lockout)
        left = int(self._max - st["failures"])
        self._save()
        return LoginResult(LoginOutcome.WRONG_PIN, attempts_left=left)
