"""``kiosk config show|check``: the effective settings, validated (secrets never printed)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from kiosk.config import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("config", help="show or check the effective configuration")
    p.add_argument("action", choices=("show", "check"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "raw"}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.action == "check":
        print(f"{settings.source}: OK")
        return 0
    data = _plain(settings)
    for key in ("staff_pin_hash", "technician_pin_hash"):
        data["roles"][key] = "(set)" if data["roles"][key] else "(disabled)"
    print(json.dumps(data, ensure_ascii=False, indent=None if args.json else 2))
    return 0
