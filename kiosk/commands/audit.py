"""``kiosk audit verify|tail``: check the audit log's hash chain, show the last events."""

from __future__ import annotations

import argparse
import json
from collections import deque

from kiosk.audit import audit_path, verify_chain
from kiosk.config import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="verify or show the hash-chained audit log")
    p.add_argument("action", choices=("verify", "tail"))
    p.add_argument("-n", type=int, default=20, help="events to show with tail")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    path = audit_path(settings.kiosk.data_dir)
    if args.action == "verify":
        rep = verify_chain(path)
        if args.json:
            print(json.dumps({"ok": rep.ok, "records": rep.records, "brokenAt": rep.broken_at,
                              "reason": rep.reason}))
        elif rep.ok:
            print(f"{path}: {rep.records} records, chain intact")
        else:
            print(f"{path}: BROKEN at line {rep.broken_at}: {rep.reason}")
        return 0 if rep.ok else 1
    if not path.exists():
        print(f"{path}: no audit records yet")
        return 0
    with path.open(encoding="utf-8") as f:
        for line in deque(f, maxlen=args.n):
            print(line.rstrip("\n"))
    return 0
