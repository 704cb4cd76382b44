"""``kiosk status ID [--json]``: the status of an application (办件查询) by applicationId or
projId, by receipt query password (``--password``) or by clientApplicationId (``--client-id``).

A case in SUPPLEMENT_REQUIRED lists what the department asks for (补齐补正): the reason and
each material's code and name (``--json``: the contract's ``supplement`` object, with
``materials`` [{materialCode, name}] and ``reason``); send them with ``kiosk supplement``."""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.commands._actor import add_staff_option, cli_audit
from kiosk.config import load_settings

STATUS_NAMES = {
    "RECEIVED": "已收件", "ACCEPTED": "已受理", "NOT_ACCEPTED": "不予受理",
    "SUPPLEMENT_REQUIRED": "待补齐补正", "SUPPLEMENT_SUBMITTED": "已补正", "IN_PROGRESS": "办理中",
    "SPECIAL_PROCEDURE": "特别程序", "FINISHED": "已办结", "VOIDED": "已作废", "RETURNED": "已退件",
    "DELIVERED": "已送达",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("status", help="status of an application (办件查询)")
    p.add_argument("id", nargs="?", help="applicationId or projId")
    p.add_argument("--password", metavar="PW", help="the receipt's query password instead")
    p.add_argument("--client-id", metavar="UUID", help="the kiosk's clientApplicationId instead")
    p.add_argument("--url", metavar="BASE_URL",
                   help="gateway base URL with /uap/v1 (default: api.base_url of the config)")
    p.add_argument("--json", action="store_true", help="print the contract's JSON as is")
    add_staff_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.api import errors  # the API client stack loads only for this command
    from kiosk.commands._gateway import explain, gateway_client

    given = [v for v in (args.id, args.password, args.client_id) if v]
    if len(given) != 1:
        print("kiosk: give one of ID, --password PW or --client-id UUID", file=sys.stderr)
        return 2
    settings = load_settings(args.config)
    with gateway_client(settings, args.url) as client:
        try:
            if args.client_id:
                found = client.find_application(args.client_id)
                items = [found] if found else []
            elif args.password:
                items = client.query_status(query_password=args.password)
            else:
                items = client.query_status(application_id=args.id)
        except errors.ApiError as err:
            line, status = explain(err, client.base_url)
            print(f"kiosk: {line}", file=sys.stderr)
            return status
    # A look at a citizen's case on the command line: who looked, and at which.
    by = "client_id" if args.client_id else "password" if args.password else "id"
    cli_audit(settings, args, "citizen.status_queried", by=by, found=len(items),
              applications=[str(a.get("applicationId", "")) for a in items][:10])
    if not items:
        print(f"kiosk: no application found for {given[0]!r}", file=sys.stderr)
        return 1
    if args.json:
        out = items[0] if len(items) == 1 else items
        print(json.dumps(out, ensure_ascii=False))
        return 0
    for app in items:
        print(f"{app['matterName']}  办件编号 {app['projId']}  "
              f"{STATUS_NAMES.get(app['status'], app['status'])}")
        for h in app["statusHistory"]:
            print(f"  {h['at']}  {STATUS_NAMES.get(h['status'], h['status'])}  {h['dept'] or ''}")
        sup = app.get("supplement") if app.get("status") == "SUPPLEMENT_REQUIRED" else None
        if isinstance(sup, dict):
            print(f"  补齐补正: {sup.get('reason') or ''}")
            for m in sup.get("materials") or ():
                print(f"    {m.get('materialCode')}  {m.get('name')}")
            for f in sup.get("formFields") or ():
                print(f"    form field {f.get('key')}: {f.get('message') or ''}")
    return 0
