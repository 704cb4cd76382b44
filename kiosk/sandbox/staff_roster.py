"""The platform's side of hall staff in the sandbox: a fictitious staff directory (工号 99…,
names 某测试) and the open QR log-in challenges. No Flask here (``staff.py`` has the routes)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from kiosk.roles import hash_pin

DEMO_HALL = "330106-HALL-01"
CHALLENGE_TTL_S = 120.0


@dataclass(frozen=True)
class SeedStaff:
    staff_no: str
    name: str
    roles: tuple[str, ...]
    halls: tuple[str, ...]
    pin: str | None  # the personal PIN set "through the platform" (documented, fictitious)


# Fictitious people only: staff numbers 99…, names 某测试. docs/staff-mode.md lists them.
SEED_STAFF = (
    SeedStaff("9900001", "张测试", ("ASSIST", "ACT_FOR", "QUEUE"), (DEMO_HALL,), "135246"),
    SeedStaff("9900002", "李测试", ("ASSIST", "ACT_FOR", "QUEUE"), (DEMO_HALL,), "246135"),
    SeedStaff("9900003", "王测试", ("TECHNICIAN",), (DEMO_HALL,), "975310"),
    SeedStaff("9900004", "赵测试", ("ASSIST",), ("330102-HALL-09",), "864200"),
    SeedStaff("9900005", "钱测试", ("ASSIST", "QUEUE"), (DEMO_HALL,), None),
)


@dataclass
class Challenge:
    challenge_id: str
    device_id: str
    hall: str
    role: str
    expires_at: float
    status: str = "PENDING"
    staff_no: str | None = None


@dataclass
class StaffRoster:
    """The platform's side: who works where (mutable through the admin), PIN hashes made
    once, and the open QR challenges."""

    removed: set[str] = field(default_factory=set)
    _hashes: dict[str, str] = field(default_factory=dict)
    challenges: dict[str, Challenge] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _hash(self, s: SeedStaff) -> str | None:
        if s.pin is None:
            return None
        with self.lock:
            if s.staff_no not in self._hashes:
                self._hashes[s.staff_no] = hash_pin(s.pin)
            return self._hashes[s.staff_no]

    def members(self, hall: str) -> list[dict[str, Any]]:
        return [{"staffNo": s.staff_no, "name": s.name, "roles": list(s.roles),
                 "halls": list(s.halls), "pinHash": self._hash(s)}
                for s in SEED_STAFF if hall in s.halls and s.staff_no not in self.removed]

    def may_log_in(self, staff_no: str, hall: str, role: str) -> bool:
        for s in SEED_STAFF:
            if s.staff_no == staff_no and s.staff_no not in self.removed and hall in s.halls:
                return ("TECHNICIAN" in s.roles) == (role == "TECHNICIAN")
        return False
