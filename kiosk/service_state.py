"""What a technician decided about this kiosk, kept across restarts: the kiosk out of
service, and the devices taken out of service. A small JSON file under ``[kiosk] data_dir``
(written atomically, mode 0600); no citizen data.

A missing or unreadable file means "in service, every device in use": a damaged file must
not keep a kiosk dark, and the technician sees the state on the screen at once.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offline_queue.fsutil import fsync_dir

log = logging.getLogger("kiosk.service_state")


def service_state_path(data_dir: Path) -> Path:
    return data_dir / "state" / "service.json"


@dataclass(frozen=True)
class ServiceSnapshot:
    out_of_service: bool = False
    since: float | None = None  # when it was taken out of service (epoch seconds)
    by: str = ""  # the actor who did it (a role, never a person's name)
    offline_devices: tuple[str, ...] = field(default_factory=tuple)
    reason: str = ""  # why, in a few words (`kiosk service suspend --reason`, the platform)

    def to_json(self) -> dict[str, Any]:
        return {"outOfService": self.out_of_service, "since": self.since, "by": self.by,
                "offlineDevices": list(self.offline_devices), "reason": self.reason}


class ServiceState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp = self._file_stamp()
        self._snap = self._load()

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ino, st.st_size)

    def _load(self) -> ServiceSnapshot:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return ServiceSnapshot()
        except (OSError, ValueError) as exc:
            log.warning("service state %s unreadable (%s): in service", self.path,
                        type(exc).__name__)
            return ServiceSnapshot()
        if not isinstance(raw, dict):
            return ServiceSnapshot()
        devices = raw.get("offlineDevices", [])
        since = raw.get("since")
        return ServiceSnapshot(
            out_of_service=raw.get("outOfService") is True,
            since=float(since) if isinstance(since, int | float) else None,
            by=str(raw.get("by", "")),
            reason=str(raw.get("reason", ""))[:200],
            offline_devices=tuple(sorted({d for d in devices if isinstance(d, str)}))
            if isinstance(devices, list) else ())

    @property
    def snapshot(self) -> ServiceSnapshot:
        """The state, re-read when another process (``kiosk service suspend``, the heartbeat
        of ``kiosk heartbeat --once``) changed the file since."""
        with self._lock:
            self._refresh()
            return self._snap

    def _refresh(self) -> None:
        stamp = self._file_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            self._snap = self._load()

    def set_out_of_service(self, out: bool, actor: str, reason: str = "") -> bool:
        """Returns whether anything changed (and was written)."""
        with self._lock:
            self._refresh()
            s = self._snap
            if s.out_of_service == out and (not out or s.reason == reason):
                return False
            since = (s.since if s.out_of_service else time.time()) if out else None
            self._write(ServiceSnapshot(out, since, actor if out else "", s.offline_devices,
                                        reason[:200] if out else ""))
            return True

    def set_device_offline(self, name: str, offline: bool) -> bool:
        with self._lock:
            self._refresh()
            devices = set(self._snap.offline_devices)
            if (name in devices) == offline:
                return False
            devices = devices | {name} if offline else devices - {name}
            s = self._snap
            self._write(ServiceSnapshot(s.out_of_service, s.since, s.by, tuple(sorted(devices)),
                                        s.reason))
            return True

    def _write(self, snap: ServiceSnapshot) -> None:
        """Temp file, fsync, rename, directory fsync: a power cut leaves the old or the new
        state, never half a file. The new state counts only once it is on disk."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps(snap.to_json()).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)
        self._snap = snap
        self._stamp = self._file_stamp()
