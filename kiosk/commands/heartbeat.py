"""``kiosk heartbeat --once [--json] [--no-devices]``: one device heartbeat now, from this
process: the full payload (state, devices, queue, versions, clock, results of earlier
commands), then the commands in the answer executed here, exactly as the running kiosk does
(kiosk.heartbeat). For scripts, tests and a kiosk whose UI is stopped.

Prints ``{"sent": true, "clockSkewSec": …, "commands": [{"id", "type", "result"}]}``.
Exit 0 sent; 3 the platform did not answer; 4 credentials or clock refused; 2 usage.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

EXIT_USAGE = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("heartbeat", help="send one device heartbeat and run its commands")
    p.add_argument("--once", action="store_true",
                   help="one heartbeat, then exit (the running kiosk sends them itself)")
    p.add_argument("--no-devices", action="store_true",
                   help="leave device status out (do not open the devices)")
    p.add_argument("--url", metavar="BASE_URL", help="gateway base URL (default: api.base_url)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def cli_heartbeat(settings: Any, config: str | None, client: Any, *,
                  devices: bool) -> tuple[Any, Any]:
    """A Heartbeat for a command-line process: the queue opened read-write, the devices
    checked once, the catalog from the kiosk's cache (REFRESH_CATALOG fetches and saves it),
    UPLOAD_LOGS through ``kiosk diag export``. Returns (heartbeat, closer)."""
    from kiosk.catalog import Catalog, fetch_catalog
    from kiosk.heartbeat import (
        CommandLog,
        CommandRunner,
        Heartbeat,
        HeartbeatParts,
        standard_handlers,
    )
    from kiosk.queue_transport import open_queue
    from kiosk.service_state import ServiceState, service_state_path

    k = settings.kiosk
    outbox = open_queue(config, settings)
    cache = k.data_dir / "cache" / "catalog.json"
    statuses: dict[str, Any] = {}
    if devices:
        from devices.manager import DeviceManager

        manager = DeviceManager(settings.devices.values())
        try:
            statuses = manager.check_once()
        finally:
            manager.stop()
    service = ServiceState(service_state_path(k.data_dir))

    def version() -> str:
        cat = Catalog.load(cache)
        return cat.etag if cat is not None else ""

    def refresh() -> str:
        cat = fetch_catalog(client, Catalog.load(cache))  # unchanged matters not fetched again
        if cat is None:
            return ""
        cat.save(cache)
        return cat.etag or "unversioned"

    def set_out(out: bool, actor: str, reason: str) -> None:
        if service.set_out_of_service(out, actor, reason):
            from kiosk.audit import AuditLog, audit_path

            AuditLog(audit_path(k.data_dir)).record(
                "tech.out_of_service" if out else "tech.in_service", actor=actor)

    def export() -> str:
        cmd = [sys.executable, "-m", "kiosk"] + (["--config", config] if config else [])
        proc = subprocess.run(cmd + ["diag", "export"], capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0 or not proc.stdout.strip():
            raise RuntimeError("diag export failed")
        return str(Path(proc.stdout.strip().splitlines()[-1]))

    from kiosk.api.rotation import rotate
    from kiosk.audit_anchor import heartbeat_with_head
    from kiosk.updates import kiosk_ring, last_update, request_install

    ring = kiosk_ring(settings)

    def install(cmd: Any) -> tuple[str, str]:
        return request_install(k.data_dir, ring, cmd.id, cmd.args)

    parts = HeartbeatParts(data_dir=k.data_dir, hall_code=k.hall_code, area_code=k.area_code,
                           service=service, queue_status=outbox.status,
                           device_statuses=(lambda: statuses) if devices else None,
                           catalog_version=version,
                           last_update=lambda: last_update(k.data_dir),
                           send=lambda c, device, body: heartbeat_with_head(c, settings,
                                                                            body).answer)
    handlers = standard_handlers(set_out_of_service=set_out, refresh_catalog=refresh,
                                 export_logs=export, request_install=install,
                                 rotate_key=lambda cmd: rotate(client, k.device_id, k.data_dir,
                                                               cmd.id))
    runner = CommandRunner(CommandLog(k.data_dir / "state" / "commands.json"), handlers)
    return Heartbeat(parts, runner), outbox.close


def run(args: argparse.Namespace) -> int:
    from kiosk.commands._gateway import EXIT_AUTH, EXIT_NETWORK, gateway_client
    from kiosk.config import load_settings
    from kiosk.queue_transport import QueueSetupError

    if not args.once:
        print("kiosk: heartbeat needs --once (the running kiosk sends heartbeats itself)",
              file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(args.config)
    with gateway_client(settings, args.url) as client:
        try:
            beat, close = cli_heartbeat(settings, args.config, client,
                                        devices=not args.no_devices)
        except QueueSetupError as exc:
            print(f"kiosk: {exc}", file=sys.stderr)
            return 1
        try:
            outcome = beat.beat_once(client, settings.kiosk.device_id)
        finally:
            close()
    if args.json:
        print(json.dumps(outcome.to_json(), ensure_ascii=False))
    elif outcome.sent:
        print(f"heartbeat sent; clock skew {outcome.clock_skew_s} s; "
              f"{len(outcome.commands)} command(s)")
        for c in outcome.commands:
            print(f"  {c.id} {c.type}: {c.result} {c.detail}")
    else:
        print(f"kiosk: heartbeat not sent: {outcome.error}", file=sys.stderr)
    if outcome.sent:
        return 0
    return EXIT_AUTH if outcome.error.startswith(("AuthError", "ClockSkewError")) \
        else EXIT_NETWORK
