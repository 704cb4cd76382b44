"""``kiosk service status|suspend|resume [--reason TEXT] [--json]``: the kiosk's out-of-service
state, the same one the technician screen sets and the platform's MAINTENANCE_MODE command
changes (kiosk.service_state). A running kiosk picks a change up at its next status poll;
citizens then see 本机暂停服务. Every change is audited with actor ``cli``.

Exit 0; 1 the state could not be saved; 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

ACTOR = "cli"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("service", help="out of service: status, suspend, resume")
    p.add_argument("action", choices=("status", "suspend", "resume"))
    p.add_argument("--reason", metavar="TEXT", default="",
                   help="why (suspend; shown to technicians and the fleet, no personal data)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _status(settings: Any) -> dict[str, Any]:
    from kiosk.heartbeat import ClockWatch, clock_warning
    from kiosk.service_state import ServiceState, service_state_path

    data_dir = settings.kiosk.data_dir
    snap = ServiceState(service_state_path(data_dir)).snapshot
    clock = ClockWatch(data_dir / "state" / "clock.json").last()
    return {"state": "OUT_OF_SERVICE" if snap.out_of_service else "IN_SERVICE",
            "outOfService": snap.out_of_service,
            "since": datetime.fromtimestamp(snap.since, UTC).astimezone().isoformat(
                timespec="seconds") if snap.since else None,
            "by": snap.by, "reason": snap.reason,
            "offlineDevices": list(snap.offline_devices),
            "clock": clock, "clockWarning": clock_warning(clock)}


def run(args: argparse.Namespace) -> int:
    from kiosk.audit import AuditLog, audit_path
    from kiosk.config import load_settings
    from kiosk.privacy import mask_text
    from kiosk.service_state import ServiceState, service_state_path

    if args.reason and args.action != "suspend":
        print("kiosk: --reason goes with suspend", file=sys.stderr)
        return 2
    if len(args.reason) > 200 or any(ord(c) < 32 for c in args.reason):
        print("kiosk: --reason must be one line of at most 200 characters", file=sys.stderr)
        return 2
    settings = load_settings(args.config)
    data_dir = settings.kiosk.data_dir
    if args.action != "status":
        out = args.action == "suspend"
        state = ServiceState(service_state_path(data_dir))
        try:
            changed = state.set_out_of_service(out, ACTOR, mask_text(args.reason))
        except OSError as exc:
            print(f"kiosk: the service state could not be saved: {exc.strerror}",
                  file=sys.stderr)
            return 1
        if changed:
            AuditLog(audit_path(data_dir)).record(
                "tech.out_of_service" if out else "tech.in_service", actor=ACTOR)
    status = _status(settings)
    if args.json:
        print(json.dumps(status, ensure_ascii=False))
        return 0
    if status["outOfService"]:
        why = f": {status['reason']}" if status["reason"] else ""
        print(f"out of service since {status['since']} (by {status['by']}){why}")
    else:
        print("in service")
    if status["offlineDevices"]:
        print("devices out of service: " + ", ".join(status["offlineDevices"]))
    if status["clockWarning"]:
        print("warning: " + status["clockWarning"])
    return 0
