"""``kiosk audit verify|anchor|tail``: check the hash-chained audit log, anchor its head on
the platform, show the last events.

``verify`` checks the chain line by line, against its head file, and against the head the
platform last anchored for this kiosk (``GET /devices/{id}/audit-head``): a log edited,
cut, emptied, deleted or rewritten before that anchor fails. ``--offline`` checks the local
chain and head file only, and says so (a whole rewrite cannot be seen without the anchor).
Exit status: 0 intact, 1 broken or tampered, 3 the platform could not be asked (use
``--offline``), 4 credentials refused.

``anchor`` sends the head now (the running kiosk sends it with every heartbeat).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import deque
from typing import Any

from kiosk.audit import ChainReport, Head, audit_path, verify_chain
from kiosk.config import Settings, load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="verify, anchor or show the hash-chained audit log")
    p.add_argument("action", choices=("verify", "anchor", "tail"))
    p.add_argument("-n", type=int, default=20, help="events to show with tail")
    p.add_argument("--offline", action="store_true",
                   help="verify the local chain only, without the platform's anchor")
    p.add_argument("--api", metavar="BASE_URL", help="gateway base URL (default: the config's)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    path = audit_path(settings.kiosk.data_dir)
    if args.action == "verify":
        return _verify(args, settings)
    if args.action == "anchor":
        return _anchor(args, settings)
    if not path.exists():
        print(f"{path}: no audit records yet")
        return 0
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in deque(f, maxlen=args.n):
            print(line.rstrip("\n"))
    return 0


def _platform(settings: Settings, args: argparse.Namespace,
              call: str) -> tuple[Any, str, int]:
    """(answer, failure line, exit status): for "head" the platform's anchor (None: none
    yet), for "anchor" the outcome of a heartbeat carrying the verified head."""
    from kiosk.api import errors
    from kiosk.audit_anchor import heartbeat_with_head, platform_anchor
    from kiosk.commands._gateway import explain, gateway_client

    with gateway_client(settings, args.api) as client:
        try:
            if call == "anchor":
                return heartbeat_with_head(client, settings), "", 0
            return platform_anchor(client, settings.kiosk.device_id), "", 0
        except errors.ApiError as err:
            line, status = explain(err, client.base_url)
            return None, line, status


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    path = audit_path(settings.kiosk.data_dir)
    anchor: Head | None = None
    if not args.offline:
        anchor, failure, status = _platform(settings, args, "head")
        if failure:
            print(f"kiosk audit: cannot check against the platform's anchor: {failure}; "
                  "'kiosk audit verify --offline' checks the local chain only", file=sys.stderr)
            return status
    rep = verify_chain(path, anchor)
    ok = rep.ok and rep.restarted is None
    if args.json:
        print(json.dumps({**rep.to_json(), "ok": ok, "offline": args.offline}))
    else:
        print(_text(path, rep, ok, args.offline))
    return 0 if ok else 1


def _text(path: object, rep: ChainReport, ok: bool, offline: bool) -> str:
    if not rep.ok:
        where = f" at line {rep.broken_at}" if rep.broken_at else ""
        return f"{path}: BROKEN{where}: {rep.reason}"
    if rep.restarted is not None:
        return (f"{path}: TAMPERED: the log failed verification earlier and was kept as "
                f"{rep.restarted}; this chain ({rep.records} records) started then")
    if offline:
        return (f"{path}: {rep.records} records, chain intact (OFFLINE: local chain and head "
                "file only; a rewrite of the whole log needs the platform's anchor to be seen)")
    if rep.anchored is None:
        return (f"{path}: {rep.records} records, chain intact; the platform holds no anchor "
                "for this kiosk yet")
    assert ok
    return (f"{path}: {rep.records} records, chain intact; record {rep.anchored.seq} matches "
            "the platform's anchor")


def _anchor(args: argparse.Namespace, settings: Settings) -> int:
    outcome, failure, status = _platform(settings, args, "anchor")
    if failure:
        print(f"kiosk audit: {failure}", file=sys.stderr)
        return status
    local, held = outcome.local, outcome.held
    if args.json:
        print(json.dumps({"sent": outcome.sent.to_json() if outcome.sent else None,
                          "local": local.to_json(),
                          "platform": held.to_json() if held else None}))
    elif outcome.sent is not None:
        print(f"anchored: the platform holds record {held.seq if held else '?'} "
              f"({held.hash[:16] if held else '?'}…) of this kiosk's audit log")
    if outcome.sent is None:
        print(f"kiosk audit: NOT anchored: {_text(audit_path(settings.kiosk.data_dir), local, False, False)}",
              file=sys.stderr)
        return 1
    return 0
