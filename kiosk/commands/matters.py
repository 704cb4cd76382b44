"""``kiosk matters [--q TEXT] [--json]`` and ``kiosk matters --code CODE --json``: the
matters catalog of the configured gateway (the embedded sandbox in demo mode)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.config import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("matters", help="search the matters catalog, or show one matter")
    p.add_argument("--q", metavar="TEXT", help="search words (name, keywords, pinyin initials)")
    p.add_argument("--code", metavar="IMPLCODE", help="show this matter's detail")
    p.add_argument("--category", choices=("PERSONAL", "CORPORATE"))
    p.add_argument("--url", metavar="BASE_URL",
                   help="gateway base URL with /uap/v1 (default: api.base_url of the config)")
    p.add_argument("--json", action="store_true", help="print the contract's JSON as is")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.api import errors  # the API client stack loads only for this command
    from kiosk.commands._gateway import explain, gateway_client

    settings = load_settings(args.config)
    with gateway_client(settings, args.url) as client:
        try:
            if args.code:
                matter = client.get_matter(args.code).json
                _print_matter(matter, args.json)
                return 0
            items: list[dict[str, Any]] = []
            page = 1
            while True:
                resp = client.list_matters(args.q, category=args.category, page=page,
                                           page_size=100).json
                items += resp["items"]
                if len(items) >= resp["total"] or not resp["items"]:
                    break
                page += 1
        except errors.ApiError as err:
            if err.status == 404:
                print(f"kiosk: no matter has the code {args.code!r}", file=sys.stderr)
                return 1
            line, status = explain(err, client.base_url)
            print(f"kiosk: {line}", file=sys.stderr)
            return status
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        for m in items:
            days = "即办" if m["promisedDays"] == 0 else f"{m['promisedDays']}个工作日"
            print(f"{m['implCode']}  {m['categoryName']}  {m['name']}  ({m['leadDeptName']}, {days})")
        print(f"{len(items)} matter(s)")
    return 0


def _print_matter(matter: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(matter, ensure_ascii=False, indent=2))
        return
    print(f"{matter['name']}  [{matter['implCode']}]  {matter['categoryName']}")
    for d in matter["departments"]:
        print(f"  {'牵头' if d['role'] == 'LEAD' else '协办'}: {d['name']}")
    print(f"  承诺时限: {matter['promisedDays']} 个工作日;  送达: {', '.join(matter['deliveryModes'])}")
    print("  材料:")
    for m in matter["materials"]:
        ex = m["exemption"]
        how = ""
        if ex:
            ways = [w["name"] for w in (ex["byLicence"], ex["byDataSharing"]) if w]
            how = "  免交: " + " / ".join(ways)
        print(f"    {m['materialCode']}  {'必交' if m['required'] else '选交'}  {m['name']}{how}")
