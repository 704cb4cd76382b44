"""The device heartbeat: what this kiosk is doing (state, devices, queue, versions, clock),
sent to the platform every ``[api] heartbeat_s`` and, on the fleet bus, as the retained
state; and the commands that come back, executed here with their results reported on the
next beat.

One ``Heartbeat`` builds the payload from the parts it is given (``HeartbeatParts``; a part
that is missing is left out of the payload, never invented) and runs commands through
``CommandRunner``. The HTTP heartbeat (``beat_once``) and the MQTT fleet client
(``kiosk.fleet``) share both, so a command means the same thing whichever way it came.

No personal data: roles, states, counts, versions and a masked free-text reason only.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.privacy import mask_text
from kiosk.service_state import ServiceState
from offline_queue.fsutil import fsync_dir

log = logging.getLogger("kiosk.heartbeat")

COMMAND_TYPES = ("REFRESH_CATALOG", "MAINTENANCE_MODE", "UPLOAD_LOGS", "ROTATE_KEY",
                 "INSTALL_VERSION")
# Signatures are refused beyond ±90 s (docs/api/signing.md): warn well before.
SKEW_WARN_S = 30
SKEW_LIMIT_S = 90
RESULTS_KEPT = 200  # executed command ids remembered (a redelivered command is not re-run)
ACTOR = "platform"  # the audit actor of a remote command: a role, never a person


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Command:
    id: str
    type: str
    args: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def from_json(raw: Any) -> Command | None:
        if not isinstance(raw, Mapping):
            return None
        cid, kind, args = raw.get("id"), raw.get("type"), raw.get("args") or {}
        if not isinstance(cid, str) or not cid or len(cid) > 64 or not isinstance(kind, str):
            return None
        if not isinstance(args, Mapping):
            args = {}
        return Command(cid, kind, {str(k): str(v) for k, v in args.items()})


@dataclass(frozen=True)
class CommandResult:
    id: str
    type: str
    result: str  # DONE | FAILED | REJECTED
    detail: str = ""
    finished_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "result": self.result,
                "detail": self.detail[:200], "finishedAt": rfc3339(self.finished_at)}


class CommandLog:
    """Executed commands and whether their result reached the platform: a small JSON file
    (0600, atomic) under ``data_dir/state``, so results survive a restart and a command that
    is delivered twice (HTTP retry, MQTT QoS 1 redelivery) runs once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, Any]] = self._load()

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("command log %s unreadable (%s): starting empty", self.path,
                        type(exc).__name__)
            return {}
        entries = raw.get("commands") if isinstance(raw, dict) else None
        return {k: v for k, v in entries.items() if isinstance(v, dict)} \
            if isinstance(entries, dict) else {}

    def seen(self, command_id: str) -> CommandResult | None:
        with self._lock:
            e = self._entries.get(command_id)
        return None if e is None else self._result(command_id, e)

    @staticmethod
    def _result(cid: str, e: Mapping[str, Any]) -> CommandResult:
        return CommandResult(cid, str(e.get("type", "")), str(e.get("result", "")),
                             str(e.get("detail", "")), float(e.get("finishedAt", 0.0)))

    def record(self, result: CommandResult) -> None:
        with self._lock:
            self._entries[result.id] = {"type": result.type, "result": result.result,
                                        "detail": result.detail,
                                        "finishedAt": result.finished_at, "reported": False}
            while len(self._entries) > RESULTS_KEPT:
                self._entries.pop(next(iter(self._entries)))
            self._save()

    def unreported(self) -> list[CommandResult]:
        with self._lock:
            return [self._result(k, e) for k, e in self._entries.items() if not e.get("reported")]

    def recent(self, n: int) -> list[CommandResult]:
        """The last ``n`` results, newest last (the fleet state shows them)."""
        with self._lock:
            items = list(self._entries.items())[-n:]
        return [self._result(k, e) for k, e in items]

    def mark_reported(self, ids: list[str]) -> None:
        with self._lock:
            changed = False
            for cid in ids:
                if cid in self._entries and not self._entries[cid].get("reported"):
                    self._entries[cid]["reported"] = True
                    changed = True
            if changed:
                self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps({"commands": self._entries}).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)


Handler = Callable[[Command], tuple[str, str]]  # → (result, detail)


class CommandRunner:
    """Runs each command once; ``handlers`` maps a command type to a function returning
    ``(DONE|FAILED|REJECTED, detail)``. An unknown type is REJECTED, an exception FAILED
    (its type only: a message could carry data)."""

    def __init__(self, log_: CommandLog, handlers: Mapping[str, Handler],
                 clock: Callable[[], float] = time.time) -> None:
        self.log = log_
        self.handlers = dict(handlers)
        self.clock = clock
        self._lock = threading.Lock()

    def run(self, command: Command) -> CommandResult:
        with self._lock:  # HTTP and MQTT may deliver the same command at once
            done = self.log.seen(command.id)
            if done is not None:
                return done
            handler = self.handlers.get(command.type)
            if handler is None:
                outcome = ("REJECTED", f"command {command.type[:40]!r} is not known here")
            else:
                try:
                    outcome = handler(command)
                except Exception as exc:
                    log.exception("command %s (%s) failed", command.id, command.type)
                    outcome = ("FAILED", f"{type(exc).__name__} while executing")
            result = CommandResult(command.id, command.type, outcome[0], mask_text(outcome[1]),
                                   self.clock())
            self.log.record(result)
            log.info("command %s %s: %s %s", command.id, command.type, result.result,
                     result.detail)
            return result


@dataclass
class HeartbeatParts:
    """What the payload is made of. Every callable is called off the GUI thread and may be
    None when this build or process does not have that part."""

    data_dir: Path
    hall_code: str
    area_code: str
    service: ServiceState
    queue_status: Callable[[], Any] | None = None  # → offline_queue.model.QueueStatus
    device_statuses: Callable[[], Mapping[str, Any]] | None = None  # → {role: DeviceStatus}
    in_session: Callable[[], bool] | None = None
    catalog_version: Callable[[], str] | None = None
    # How the body is posted: (client, device id, body) → the answer. The running kiosk and
    # the CLI pass kiosk.audit_anchor's, which adds the audit log's head once the local chain
    # verifies against the platform's anchor. None: a plain ``client.heartbeat``.
    send: Callable[[Any, str, dict[str, Any]], Mapping[str, Any]] | None = None
    last_update: Callable[[], Mapping[str, Any] | None] | None = None  # INSTALL_VERSION outcome
    extra: Callable[[], Mapping[str, Any]] | None = None  # other additive fields


class ClockWatch:
    """The last ``clockSkewSec`` the platform reported, kept in ``state/clock.json`` for the
    technician screen and ``kiosk service status``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, skew_s: int, at: float) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"clockSkewSec": skew_s, "at": at}), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
        if abs(skew_s) >= SKEW_WARN_S:
            log.warning("clock is %d s %s the platform's; signatures fail beyond ±%d s: "
                        "check NTP", abs(skew_s), "behind" if skew_s > 0 else "ahead of",
                        SKEW_LIMIT_S)

    def last(self) -> dict[str, Any] | None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("clockSkewSec"), int):
            return None
        skew = raw["clockSkewSec"]
        return {"clockSkewSec": skew, "at": raw.get("at"),
                "warning": abs(skew) >= SKEW_WARN_S, "limitSec": SKEW_LIMIT_S}


def clock_warning(skew: Mapping[str, Any] | None) -> str:
    """One line for a technician, or "" when the clock is fine."""
    if not skew or not skew.get("warning"):
        return ""
    s = int(skew["clockSkewSec"])
    return (f"clock {abs(s)} s {'behind' if s > 0 else 'ahead of'} the platform "
            f"(requests are refused beyond ±{SKEW_LIMIT_S} s): check NTP")


@dataclass
class BeatOutcome:
    sent: bool
    clock_skew_s: int | None = None
    commands: list[CommandResult] = field(default_factory=list)
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sent": self.sent, "clockSkewSec": self.clock_skew_s,
                               "commands": [{"id": c.id, "type": c.type, "result": c.result,
                                             "detail": c.detail} for c in self.commands]}
        if self.error:
            out["error"] = self.error
        return out


class Heartbeat:
    def __init__(self, parts: HeartbeatParts, runner: CommandRunner,
                 clock: Callable[[], float] = time.time) -> None:
        self.parts = parts
        self.runner = runner
        self.clock = clock
        self.skew = ClockWatch(parts.data_dir / "state" / "clock.json")

    # -- payload --

    def state(self) -> str:
        if self.parts.service.snapshot.out_of_service:
            return "OUT_OF_SERVICE"
        if self.parts.in_session is not None and self.parts.in_session():
            return "IN_SESSION"
        return "IN_SERVICE"

    def payload(self, *, with_results: bool = True) -> dict[str, Any]:
        """The contract's HeartbeatRequest. ``with_results`` adds the results of executed
        commands the platform has not yet acknowledged."""
        p = self.parts
        snap = p.service.snapshot
        body: dict[str, Any] = {"sentAt": rfc3339(self.clock()), "appVersion": __version__,
                                "hallCode": p.hall_code, "state": self.state()}
        if snap.out_of_service:
            body["outOfService"] = {"since": rfc3339(snap.since) if snap.since else None,
                                    "by": snap.by[:32], "reason": mask_text(snap.reason)[:200]}
        if p.catalog_version is not None:
            version = p.catalog_version()
            if version:
                body["catalogVersion"] = version[:64]
        if p.queue_status is not None:
            try:
                body["queue"] = p.queue_status().heartbeat_json()
            except Exception as exc:  # a damaged queue must not silence the heartbeat
                log.warning("queue status for the heartbeat failed: %s", type(exc).__name__)
        if p.device_statuses is not None:
            statuses = p.device_statuses()
            body["peripherals"] = {role: s.availability.value for role, s in statuses.items()}
            body["devices"] = {role: _device_json(s) for role, s in statuses.items()}
        try:
            body["storage"] = {"freeBytes": shutil.disk_usage(p.data_dir).free}
        except OSError:
            pass
        last = self.skew.last()
        if last is not None:
            body["clock"] = {"lastSkewSec": last["clockSkewSec"]}
        if p.last_update is not None:
            update = p.last_update()
            if update:
                body["update"] = dict(update)
        if p.extra is not None:
            body.update(p.extra())
        if with_results:
            results = self.runner.log.unreported()
            if results:
                body["commandResults"] = [r.to_json() for r in results]
        return body

    def fleet_state(self) -> dict[str, Any]:
        """The retained ``…/state`` message on the fleet bus: the heartbeat payload."""
        return self.payload(with_results=False)

    # -- HTTP --

    def beat_once(self, client: Any, device_id: str) -> BeatOutcome:
        """One POST; on an answer, the reported results are marked and the new commands run.
        Network and API errors are an outcome with ``sent`` false, never an exception."""
        body = self.payload()
        reported = [r["id"] for r in body.get("commandResults", [])]
        try:
            if self.parts.send is not None:
                answer = self.parts.send(client, device_id, body)
            else:
                answer = client.heartbeat(body, device_id=device_id).json
        except Exception as exc:
            return BeatOutcome(False, error=type(exc).__name__ + ": " + mask_text(str(exc))[:160])
        self.runner.log.mark_reported(reported)
        skew = answer.get("clockSkewSec")
        if isinstance(skew, int):
            self.skew.record(skew, self.clock())
        results = []
        for raw in answer.get("commands") or []:
            command = Command.from_json(raw)
            if command is not None:
                results.append(self.runner.run(command))
        return BeatOutcome(True, skew if isinstance(skew, int) else None, results)


def _device_json(s: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"class": s.device_class, "availability": s.availability.value,
                           "severity": s.severity.value}
    if s.media:
        out["supplies"] = {str(k): str(v)[:32] for k, v in s.media.items()}
    if s.fault is not None:
        out["fault"] = {"code": s.fault.code[:64], "action": s.fault.action.value}
    return out


def _flag(value: str | None, default: bool) -> bool | None:
    if value is None or value == "":
        return default
    v = value.strip().lower()
    if v in ("1", "true", "on", "yes", "enter"):
        return True
    if v in ("0", "false", "off", "no", "leave"):
        return False
    return None


def standard_handlers(*, set_out_of_service: Callable[[bool, str, str], None],
                      refresh_catalog: Callable[[], str] | None = None,
                      export_logs: Callable[[], str] | None = None,
                      upload_logs: Callable[[Path], str] | None = None,
                      request_install: Handler | None = None,
                      rotate_key: Handler | None = None) -> dict[str, Handler]:
    """The four commands of the contract.

    - ``MAINTENANCE_MODE`` ``enabled=true|false`` (default true), ``reason=TEXT``: the same
      out-of-service state a technician sets (citizens see 本机暂停服务).
    - ``REFRESH_CATALOG``: fetch the matters catalog now; the detail is its new version.
    - ``UPLOAD_LOGS``: export the masked diagnostic bundle and upload it to the platform.
    - ``ROTATE_KEY``: a new API secret from the platform, used at once by every live client
      and kept in ``data_dir/credentials`` (kiosk.credentials).
    - ``INSTALL_VERSION`` ``version=V``, ``rings=0,1``: a request for the root installer
      (kiosk.updates), carried out by kiosks of the named rings.
    """

    def maintenance(cmd: Command) -> tuple[str, str]:
        enabled = _flag(cmd.args.get("enabled"), True)
        if enabled is None:
            return "REJECTED", "enabled must be true or false"
        set_out_of_service(enabled, ACTOR, cmd.args.get("reason", "")[:200])
        return "DONE", "out of service" if enabled else "in service"

    def refresh(cmd: Command) -> tuple[str, str]:
        if refresh_catalog is None:
            return "REJECTED", "no catalog in this process"
        version = refresh_catalog()
        return ("DONE", f"catalog version {version}") if version else \
            ("FAILED", "the catalog could not be fetched")

    def logs(cmd: Command) -> tuple[str, str]:
        if export_logs is None:
            return "REJECTED", "diagnostic export is not available in this process"
        bundle = Path(export_logs())
        if upload_logs is None:
            return "DONE", f"bundle {bundle.name} kept on the kiosk (no upload endpoint)"
        return "DONE", upload_logs(bundle)

    def rotate(cmd: Command) -> tuple[str, str]:
        if rotate_key is None:
            return "REJECTED", "key rotation is not available in this process"
        return rotate_key(cmd)

    def install(cmd: Command) -> tuple[str, str]:
        if request_install is None:
            return "REJECTED", "updates are not managed by this process"
        return request_install(cmd)

    return {"MAINTENANCE_MODE": maintenance, "REFRESH_CATALOG": refresh,
            "UPLOAD_LOGS": logs, "ROTATE_KEY": rotate, "INSTALL_VERSION": install}
