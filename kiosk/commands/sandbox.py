"""``kiosk sandbox``: run the reference acceptance server; ``kiosk sandbox dump``: what it
received.

    kiosk sandbox --host 127.0.0.1 --port 8787 --db var/sandbox/sandbox.db [--fault-… ]
    kiosk sandbox --seed-matters 2000    # a county-scale catalog: the 14 and generated copies
    kiosk sandbox dump --db var/sandbox/sandbox.db --json

Admin of a running sandbox (its loopback-only ``/__admin`` endpoints; ``--url`` is where it
listens, default http://127.0.0.1:8787):

    kiosk sandbox ask-supplement ID --material CODE [--material CODE…] [--reason TEXT]
    kiosk sandbox settle PAYMENT_ID paid|expired|cancelled

Exit status: 0 done; 1 the sandbox refused (no such case or order, a bad material list);
2 bad arguments; 3 no sandbox answers at ``--url``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sandbox", help="run the reference acceptance server (or dump what it got)",
                       description="Run the reference acceptance server of the kiosk API "
                                   "(docs/api/openapi.yaml) until Ctrl-C.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8787, help="port (default 8787; 0 = any free)")
    p.add_argument("--db", metavar="PATH",
                   help="SQLite file (default: <kiosk.data_dir>/sandbox/sandbox.db)")
    p.add_argument("--status-step", type=float, default=30.0, metavar="SECONDS",
                   help="seconds per status step of received cases (0: cases stay put)")
    p.add_argument("--seed-matters", type=int, metavar="N",
                   help="serve N matters: the 14 seeded ones and generated copies with their "
                        "own codes and names, for county-scale tests (14-20000; default: "
                        "[sandbox] seed_matters, else the 14)")
    f = p.add_argument_group("fault injection (also settable at /__admin/faults)")
    f.add_argument("--fault-latency", type=float, metavar="S", help="added latency per request")
    f.add_argument("--fault-error-rate", type=float, metavar="SHARE",
                   help="share of requests answered 503 with Retry-After")
    f.add_argument("--fault-retry-after", type=int, metavar="S", help="Retry-After of those 503s")
    f.add_argument("--fault-unknown-rate", type=float, metavar="SHARE",
                   help="share of applications stored but answered resultStatus U")
    f.add_argument("--fault-garbage-rate", type=float, metavar="SHARE",
                   help="share of requests answered 200 with HTML nonsense")
    f.add_argument("--fault-garbage-kind", choices=("html", "json"),
                   help="the nonsense: an HTML page (default) or JSON of the wrong shape")
    f.add_argument("--fault-drop-upload-after", type=int, metavar="BYTES",
                   help="drop the connection of upload PATCHes after this many bytes")
    f.add_argument("--fault-drop-upload-count", type=int, metavar="N",
                   help="how many PATCHes to drop (-1: all; default 1)")
    f.add_argument("--fault-clock-offset", type=float, metavar="S",
                   help="run the server clock this many seconds ahead (negative: behind)")
    f.add_argument("--fault-seed", type=int, metavar="N", help="seed of the fault draws")
    p.set_defaults(func=run)

    dsub = p.add_subparsers(dest="sandbox_action", metavar="ACTION")
    d = dsub.add_parser("dump", help="print the received applications")
    d.add_argument("--db", metavar="PATH", required=True, help="the sandbox's SQLite file")
    d.add_argument("--json", action="store_true", help="print JSON (the only format)")
    d.set_defaults(func=run_dump)
    e = dsub.add_parser("eid-qr", help="print a valid demo e-ID code of a demo identity")
    e.add_argument("--identity", type=int, default=0, metavar="N",
                   help="which demo identity (0 = the first; `kiosk sandbox eid-qr --list`)")
    e.add_argument("--ttl", type=float, default=300.0, metavar="SECONDS",
                   help="seconds the code stays valid (negative: an expired code)")
    e.add_argument("--list", action="store_true", help="list the demo identities (masked)")
    e.set_defaults(func=run_eid_qr)
    a = dsub.add_parser("ask-supplement",
                        help="put a case into SUPPLEMENT_REQUIRED asking for materials (补正)")
    a.add_argument("id", metavar="ID", help="the case's applicationId or projId")
    a.add_argument("--material", metavar="CODE", action="append", required=True,
                   help="a materialCode the department asks for (repeatable)")
    a.add_argument("--reason", metavar="TEXT", default="", help="why (shown to the citizen)")
    _admin_options(a)
    a.set_defaults(func=run_ask_supplement)
    t = dsub.add_parser("settle", help="settle a payment order: paid, expired or cancelled")
    t.add_argument("payment_id", metavar="PAYMENT_ID", help="the order's paymentId")
    t.add_argument("outcome", choices=("paid", "expired", "cancelled"),
                   help="what the citizen did on the phone")
    _admin_options(t)
    t.set_defaults(func=run_settle)


def _admin_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", metavar="URL", default="http://127.0.0.1:8787",
                   help="the running sandbox (its base URL or just http://127.0.0.1:PORT)")
    p.add_argument("--json", action="store_true", help="print the sandbox's answer as JSON")


_FAULT_FLAGS = {
    "fault_latency": "latency_s", "fault_error_rate": "error_rate",
    "fault_retry_after": "retry_after_s", "fault_unknown_rate": "unknown_rate",
    "fault_garbage_rate": "garbage_rate", "fault_garbage_kind": "garbage_kind",
    "fault_drop_upload_after": "drop_upload_after_bytes",
    "fault_drop_upload_count": "drop_upload_count", "fault_clock_offset": "clock_offset_s",
    "fault_seed": "seed",
}


def run(args: argparse.Namespace) -> int:
    from kiosk.sandbox.faults import Faults, FaultSettings
    from kiosk.sandbox.server import SandboxServer

    faults: dict[str, Any] = {_FAULT_FLAGS[k]: v for k, v in vars(args).items()
                              if k in _FAULT_FLAGS and v is not None}
    try:
        Faults().set(**faults)  # validates the values before anything starts
    except ValueError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    credentials: dict[str, bytes] = {}
    db = Path(args.db) if args.db else None
    seeded = args.seed_matters
    if seeded is not None and not 14 <= seeded <= 20000:
        print(f"kiosk: --seed-matters {seeded} is not from 14 to 20000", file=sys.stderr)
        return 2
    try:
        settings = load_settings(args.config)
        if db is None:
            db = settings.kiosk.data_dir / "sandbox" / "sandbox.db"
        if seeded is None:
            seeded = settings.sandbox.seed_matters
        try:
            credentials[settings.api.access_key] = settings.api.secret()
        except OSError:
            pass  # the demo credentials are always there
    except ConfigError:
        if db is None:
            raise
    if not 0 <= args.port <= 65535:
        print(f"kiosk: --port {args.port} is not a port (0-65535)", file=sys.stderr)
        return 2
    step = args.status_step if args.status_step > 0 else None
    try:
        server = SandboxServer(db, host=args.host, port=args.port, credentials=credentials,
                               faults=FaultSettings(**faults), status_step_s=step,
                               seed_matters=seeded or 0)
    except (OSError, sqlite3.DatabaseError) as exc:
        print(f"kiosk: cannot open the sandbox database {db}: {_reason(exc)}", file=sys.stderr)
        return 1
    try:
        server.start()
    except OSError as exc:
        server.storage.close()
        print(f"kiosk: cannot listen on {args.host}:{args.port}: {_reason(exc)}",
              file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"sandbox listening on {server.base_url}  (db {db}; {len(server.state.catalog)} "
          "matters; Ctrl-C stops)", flush=True)
    if faults:
        print(f"faults: {json.dumps(faults)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (systemd, tests) stops like Ctrl-C


def run_dump(args: argparse.Namespace) -> int:
    from kiosk.sandbox.storage import Storage

    path = Path(args.db)
    if not path.is_file():
        print(f"kiosk: no sandbox database at {path}", file=sys.stderr)
        return 1
    try:
        storage = Storage(path, readonly=True)
        try:
            rows = storage.dump()
        finally:
            storage.close()
    except (OSError, sqlite3.DatabaseError) as exc:
        print(f"kiosk: {path} is not a readable sandbox database: {_reason(exc)}",
              file=sys.stderr)
        return 1
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or \
        exc.__class__.__name__


def run_eid_qr(args: argparse.Namespace) -> int:
    """A demo e-ID code (kiosk.sandbox.routes_identity) to scan at the identify screen."""
    from kiosk.privacy import mask_id_number, mask_name
    from kiosk.sandbox.demo_identities import IDENTITIES
    from kiosk.sandbox.routes_identity import eid_code

    people = list(IDENTITIES.values())
    if args.list:
        for i, person in enumerate(people):
            print(f"{i}: {mask_name(person.name)} {mask_id_number(person.cert_no)}")
        return 0
    if not 0 <= args.identity < len(people):
        print(f"error: --identity must be from 0 to {len(people) - 1}")
        return 2
    print(eid_code(people[args.identity].cert_no, ttl_s=args.ttl))
    return 0


EXIT_REFUSED = 1
EXIT_UNREACHABLE = 3
ADMIN_TIMEOUT_S = 15.0


def _admin_post(url: str, path: tuple[str, ...], body: dict[str, Any]) -> tuple[int, dict[str, Any] | str]:
    """(exit status, the answer) of one POST to the sandbox's ``/__admin``; a failure is
    (status, one line)."""
    import urllib.error
    import urllib.request
    from urllib.parse import quote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return 2, f"--url {url!r} is not the http:// address of a running sandbox"
    target = f"http://{parts.netloc}/__admin/" + "/".join(quote(p, safe="") for p in path)
    req = urllib.request.Request(target, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=ADMIN_TIMEOUT_S) as resp:  # noqa: S310 (http only)
            raw = resp.read(1 << 20)
    except urllib.error.HTTPError as err:
        try:
            problem = json.loads(err.read(1 << 16))
            why = f"{problem.get('code', err.code)}: {problem.get('detail') or problem.get('title')}"
        except (ValueError, AttributeError):
            why = str(err.code)
        return EXIT_REFUSED, f"the sandbox refused ({why})"
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        return EXIT_UNREACHABLE, f"no sandbox answers at {parts.netloc}: {_reason_text(reason)}"
    try:
        answer = json.loads(raw)
    except ValueError:
        return EXIT_UNREACHABLE, f"{parts.netloc} answered something that is not the sandbox"
    if not isinstance(answer, dict):
        return EXIT_UNREACHABLE, f"{parts.netloc} answered something that is not the sandbox"
    return 0, answer


def _reason_text(reason: object) -> str:
    return _reason(reason) if isinstance(reason, BaseException) else str(reason)


def _admin_result(args: argparse.Namespace, status: int, answer: dict[str, Any] | str,
                  text: str) -> int:
    if isinstance(answer, str):
        print(f"kiosk: {answer}", file=sys.stderr)
        return status
    print(json.dumps(answer, ensure_ascii=False) if args.json else text.format(**answer))
    return 0


def run_ask_supplement(args: argparse.Namespace) -> int:
    """补正: the back office asks the case for materials (admin ``/applications/{id}/status``)."""
    codes = [c.strip() for c in args.material]
    if not all(codes):
        print("kiosk: --material needs a materialCode", file=sys.stderr)
        return 2
    status, answer = _admin_post(args.url, ("applications", args.id, "status"),
                                 {"status": "SUPPLEMENT_REQUIRED", "materials": codes,
                                  "reason": args.reason})
    return _admin_result(args, status, answer,
                         "{applicationId} is {status}: asked for " + ", ".join(codes))


def run_settle(args: argparse.Namespace) -> int:
    """统一公共支付: the citizen paid, let the order lapse, or cancelled it."""
    wanted = args.outcome.upper()
    status, answer = _admin_post(args.url, ("payments", args.payment_id), {"status": wanted})
    if isinstance(answer, dict) and answer.get("status") != wanted:
        # only a PENDING order can be settled: one already paid, lapsed or cancelled stays so
        return _admin_result(args, EXIT_REFUSED,
                             f"payment {args.payment_id} is already {answer.get('status')}; "
                             f"it cannot become {wanted}", "")
    return _admin_result(args, status, answer, "payment {paymentId} is {status}")
