"""``kiosk config show|check``: the effective settings, validated (secrets never printed)."""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.config import load_settings, shown_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("config", help="show or check the effective configuration")
    p.add_argument("action", choices=("show", "check"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.action == "check":
        from kiosk.config_check import problems

        found = problems(settings)
        for line in found:
            print(f"kiosk: configuration error: {line}", file=sys.stderr)
        if found:
            return 2
        print(f"{settings.source}: OK")
        return 0
    data = shown_settings(settings)
    print(json.dumps(data, ensure_ascii=False, indent=None if args.json else 2))
    return 0
