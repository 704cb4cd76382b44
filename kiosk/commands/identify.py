"""``kiosk identify qr TEXT [--json] [--reveal]``: what a scanned code is, as the identify
screen sees it; an e-ID code is verified against the configured platform.

``{"kind": "EID" | "RECEIPT" | "APPOINTMENT" | "UNKNOWN", …}``; for e-ID also ``decision``
(VALID | EXPIRED | INVALID) and ``identity`` (masked unless ``--reveal``), or ``error`` when
the platform cannot be reached (exit 1).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.cli_text import printable

_KINDS = {"eid": "EID", "receipt": "RECEIPT", "appointment": "APPOINTMENT", "other": "UNKNOWN"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("identify", help="classify a scanned code; verify an e-ID code")
    s = p.add_subparsers(dest="identify_command", metavar="ACTION", required=True)
    q = s.add_parser("qr", help="what a scanned code is (an e-ID code: whose)")
    q.add_argument("text", metavar="TEXT")
    q.add_argument("--json", action="store_true", help="one JSON line")
    q.add_argument("--reveal", action="store_true", help="show the identity unmasked")
    q.set_defaults(func=run_qr)


def run_qr(args: argparse.Namespace) -> int:
    from kiosk.privacy import mask_id_number, mask_name
    from kiosk.qr_payload import classify

    payload = classify(args.text)
    out: dict[str, Any] = {"kind": _KINDS[payload.kind.value]}
    if payload.ref:
        out["ref"] = payload.ref
    status = 0
    if out["kind"] == "EID":
        from kiosk.commands._gateway import gateway_client
        from kiosk.config import load_settings

        settings = load_settings(args.config)
        try:
            with gateway_client(settings) as client:
                answer = client.verify_eid(payload.text, settings.kiosk.device_id).json
        except Exception as exc:  # the platform's faults: one line
            out["error"] = type(exc).__name__
            status = 1
        else:
            out["decision"] = answer.get("decision")
            who = answer.get("identity")
            if isinstance(who, dict):
                out["identity"] = who if args.reveal else {
                    "certType": who.get("certType"),
                    "certNo": mask_id_number(str(who.get("certNo", ""))),
                    "name": mask_name(str(who.get("name", "")))}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(printable(" ".join(f"{k}={v}" for k, v in out.items())))
    return status
