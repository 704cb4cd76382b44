"""The hall's staff directory (who may log in here) from the platform, kept on the kiosk.

The platform's ``GET /staff-directory?hall=`` answer is the authority. The kiosk keeps the
last answer in ``data_dir/state/staff-directory.json`` (0600 in a 0700 directory) sealed
with an HMAC-SHA256 under a key derived from the kiosk's API secret, so that staff can log in
while the platform is unreachable, for at most ``[staff] offline_days`` after it was
fetched. A file that was edited (a person or a PIN hash added by hand), that no secret can
check, or that is older than that is not used: staff then need the platform again.
Every contact with the platform (each heartbeat) fetches it anew, so a person the platform
removed cannot log in after the next heartbeat.

Names are staff members', not citizens'; they are shown to citizens masked only
(``kiosk.privacy.mask_name``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Roles a kiosk log-in needs (kiosk.roles.Role value → any of the platform's StaffRole).
ROLE_NEEDS: Mapping[str, frozenset[str]] = {
    "staff": frozenset({"ASSIST", "ACT_FOR", "QUEUE"}),
    "technician": frozenset({"TECHNICIAN"}),
}
_KEY_LABEL = b"kiosk staff directory cache v1"


@dataclass(frozen=True)
class StaffMember:
    staff_no: str
    name: str
    roles: frozenset[str]
    halls: frozenset[str]
    pin_hash: str | None

    def may(self, role: str, hall: str) -> bool:
        """Whether this person may log in as kiosk ``role`` ("staff" | "technician") here."""
        return hall in self.halls and bool(self.roles & ROLE_NEEDS.get(role, frozenset()))

    @classmethod
    def from_json(cls, m: Mapping[str, Any]) -> StaffMember:
        return cls(str(m["staffNo"]), str(m["name"]), frozenset(map(str, m["roles"])),
                   frozenset(map(str, m["halls"])), m.get("pinHash") or None)


@dataclass(frozen=True)
class StaffDirectory:
    hall: str
    fetched_at: float  # the kiosk's clock when it was fetched
    members: tuple[StaffMember, ...]

    def member(self, staff_no: str) -> StaffMember | None:
        return next((m for m in self.members if m.staff_no == staff_no), None)

    def age_s(self, now: float) -> float:
        return now - self.fetched_at

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any], fetched_at: float) -> StaffDirectory:
        return cls(str(answer["hall"]), fetched_at,
                   tuple(StaffMember.from_json(m) for m in answer["members"]))


def cache_key(api_secret: bytes) -> bytes:
    """The HMAC key of the cache file, derived from the kiosk's provisioned API secret."""
    return hmac.new(api_secret, _KEY_LABEL, hashlib.sha256).digest()


def directory_path(data_dir: Path) -> Path:
    return data_dir / "state" / "staff-directory.json"


class DirectoryCache:
    """The sealed file. ``load`` answers the directory or None with why (``problem``)."""

    def __init__(self, path: Path, key: bytes | None, offline_days: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._key = key
        self.max_age_s = offline_days * 86400.0
        self._clock = clock
        self.problem = ""

    def _mac(self, body: bytes) -> str:
        assert self._key is not None
        return hmac.new(self._key, body, hashlib.sha256).hexdigest()

    def save(self, answer: Mapping[str, Any], fetched_at: float) -> None:
        """Keeps the platform's answer (raises OSError when it cannot be written)."""
        if self._key is None:
            return
        body = json.dumps({"fetchedAt": fetched_at, "directory": answer}, ensure_ascii=False,
                          sort_keys=True, separators=(",", ":"))
        sealed = json.dumps({"body": body, "mac": self._mac(body.encode("utf-8"))},
                            ensure_ascii=False).encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.path.parent, 0o700)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, sealed)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)

    def load(self) -> StaffDirectory | None:
        """The kept directory if it is intact and young enough, else None (``problem``)."""
        self.problem = ""
        if self._key is None:
            self.problem = "no API secret to check the kept staff directory"
            return None
        try:
            outer = json.loads(self.path.read_text(encoding="utf-8"))
            body = outer["body"]
            mac = outer["mac"]
            if not (isinstance(body, str) and isinstance(mac, str)):
                raise TypeError
        except FileNotFoundError:
            self.problem = "no staff directory kept yet"
            return None
        except (OSError, ValueError, TypeError, KeyError):
            self.problem = "the kept staff directory is unreadable"
            return None
        if not hmac.compare_digest(mac, self._mac(body.encode("utf-8"))):
            self.problem = "the kept staff directory was altered"
            return None
        try:
            inner = json.loads(body)
            directory = StaffDirectory.from_answer(inner["directory"], float(inner["fetchedAt"]))
        except (ValueError, TypeError, KeyError):
            self.problem = "the kept staff directory is unreadable"
            return None
        age = directory.age_s(self._clock())
        if age > self.max_age_s or age < -86400:  # a clock set back a day is no excuse
            self.problem = "the kept staff directory is too old (offline too long)"
            return None
        return directory
