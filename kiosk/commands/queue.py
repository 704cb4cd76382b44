"""``kiosk queue status|list|sync|retry|void``: what waits in the offline queue, and why.

Server for ``sync``/``retry --sync``: ``--api URL`` points at a running gateway or sandbox
(e.g. ``kiosk sandbox --port 8600`` → ``--api http://127.0.0.1:8600/uap/v1``); without it the
configured ``api.base_url`` is used, and in demo config (``base_url = "embedded"``) the
embedded sandbox is started for the duration of the command.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.commands._actor import add_staff_option
from kiosk.privacy import mask_platform_json, mask_platform_text
from offline_queue import ItemState, Outbox

EXIT_WAITING = 3   # sync ended with items still waiting (no network, timeout)
EXIT_FAILED = 1

_API_HELP = ("acceptance API base URL of a running gateway or sandbox, e.g. "
             "http://127.0.0.1:8600/uap/v1 (default: api.base_url; 'embedded' starts the "
             "demo sandbox in-process for this command)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("queue", help="show and work the offline queue (outbox)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    qs = p.add_subparsers(dest="queue_action", metavar="ACTION", required=True)

    s = qs.add_parser("status", help="counts, age of the oldest waiting item, bytes, refusal")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=run_status)

    ls = qs.add_parser("list", help="the items (no citizen data): state, attempts, last error")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--state", choices=[s.value for s in ItemState], action="append",
                    help="only items in this state (repeatable)")
    ls.add_argument("--limit", type=int, default=None)
    ls.set_defaults(func=run_list)

    sy = qs.add_parser("sync", help="send waiting items now")
    sy.add_argument("--until-empty", action="store_true",
                    help="keep going (with back-off) until nothing is waiting or --timeout")
    sy.add_argument("--timeout", type=float, default=None, metavar="S",
                    help="give up after S seconds (default: 300 with --until-empty)")
    sy.add_argument("--api", metavar="URL", help=_API_HELP)
    sy.add_argument("--json", action="store_true", help="print the final report as JSON")
    sy.add_argument("--quiet", action="store_true", help="no progress lines")
    sy.set_defaults(func=run_sync)

    rt = qs.add_parser("retry", help="send a dead (or waiting) item again, after fixing the cause")
    rt.add_argument("id", metavar="ID", help="the clientApplicationId")
    rt.add_argument("--patch", metavar="FILE.json", type=Path,
                    help="correct a dead application first: a JSON merge patch (RFC 7396) of "
                         "the application, e.g. {\"applicant\": {\"certNo\": \"…\"}}")
    rt.add_argument("--sync", action="store_true", help="and try to send it at once")
    rt.add_argument("--api", metavar="URL", help=_API_HELP)
    add_staff_option(rt)
    rt.set_defaults(func=run_retry)

    vd = qs.add_parser("void", help="withdraw a dead or waiting item; its data is deleted")
    vd.add_argument("id", metavar="ID", help="the clientApplicationId")
    add_staff_option(vd)
    vd.set_defaults(func=run_void)


def _audit(args: argparse.Namespace, event: str, **details: Any) -> None:
    """Who retried or voided an application: the OS user and ``--staff``."""
    from kiosk.commands._actor import cli_audit
    from kiosk.config import load_settings

    cli_audit(load_settings(args.config), args, event, **details)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"kiosk queue: {message}", file=sys.stderr)
    return code


def _with_outbox(args: argparse.Namespace, read_only: bool = False) -> tuple[Outbox | None, int]:
    """``read_only``: a command that only reads, so it works on a full disk too."""
    # Imported here: building the parser (every ``kiosk`` command) must not need the API.
    from kiosk.queue_transport import QueueSetupError, open_queue

    try:
        return open_queue(args.config, read_only_fallback=read_only), 0
    except QueueSetupError as exc:
        return None, _fail(str(exc), 2)


def run_status(args: argparse.Namespace) -> int:
    ob, rc = _with_outbox(args, read_only=True)
    if ob is None:
        return rc
    try:
        st = ob.status()
    finally:
        ob.close()
    data = st.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(f"pending {st.pending}, sending {st.sending}, dead {st.dead}, "
              f"delivered {st.delivered}, void {st.void}")
        print(f"oldest waiting: {st.oldest_pending_age_s:.0f} s; queue bytes {st.bytes} of "
              f"{st.max_bytes}; free disk {st.free_disk_bytes}")
        print("accepting new applications" if st.accepting
              else f"REFUSING new offline applications: {st.refusal}")
    for q in st.quarantined:
        print(f"kiosk queue: WARNING a corrupt queue database was moved aside: {q}",
              file=sys.stderr)
    if st.orphaned_files:
        print(f"kiosk queue: WARNING {st.orphaned_files} encrypted queue file(s) no queue entry "
              f"refers to are kept in {ob.orphans_dir} (nothing deleted)", file=sys.stderr)
    return 0


def _item_json(ob: Outbox, item_id: str) -> dict[str, Any]:
    item = ob.get(item_id)
    assert item is not None
    data = item.to_json()
    if item.last_error:
        data["lastError"] = mask_platform_text(item.last_error)
    if item.state == ItemState.DEAD:
        problem = ob.problem(item.id)
        if problem is not None:
            # Staff see the platform's reasons; masked in case it echoes citizen data.
            data["problem"] = mask_platform_json(problem)
    return data


def run_list(args: argparse.Namespace) -> int:
    ob, rc = _with_outbox(args, read_only=True)
    if ob is None:
        return rc
    try:
        states = [ItemState(s) for s in args.state] if args.state else None
        items = [_item_json(ob, i.id) for i in ob.items(states, args.limit)]
    finally:
        ob.close()
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
        return 0
    now = time.time()
    for it in items:
        age = now - it["createdAt"]
        err = f"  last error: {it['lastError']}" if it["lastError"] else ""
        print(f"{it['id']}  {it['state']:<9} {it['meta'].get('implCode', it['kind'])}  "
              f"files {len(it['files'])}  attempts {it['attempts']}  age {age:.0f} s{err}")
    if not items:
        print("(no items)")
    return 0


class _Progress:
    def __init__(self, quiet: bool, total: int) -> None:
        self.quiet = quiet
        self.total = total
        self.done = 0
        self.started = time.monotonic()

    def __call__(self, event: str, item_id: str, detail: str) -> None:
        if event in ("delivered", "dead"):
            self.done += 1
        if self.quiet or event == "send":
            return
        elapsed = time.monotonic() - self.started
        print(f"[{self.done}/{self.total} {elapsed:5.1f}s] {event:<9} {item_id} {mask_platform_text(detail)}",
              file=sys.stderr, flush=True)


def run_sync(args: argparse.Namespace) -> int:
    from kiosk.queue_transport import QueueSetupError, queue_runtime

    timeout = args.timeout if args.timeout is not None else (300.0 if args.until_empty else None)
    try:
        with queue_runtime(args.config, api_url=args.api) as rt:
            assert rt.worker is not None  # queue_runtime raises when it cannot connect
            before = rt.outbox.status()
            progress = _Progress(args.quiet, before.pending + before.sending)
            rt.worker.on_progress = progress
            rt.outbox.wake(0.0)  # staff asked: items in back-off go now
            if args.until_empty:
                report = rt.worker.run_until_empty(timeout_s=timeout)
            else:
                report = rt.worker.sync_once()
            after = rt.outbox.status()
    except QueueSetupError as exc:
        return _fail(str(exc), 2)
    summary = {"attempted": report.attempted, "delivered": report.delivered,
               "retried": report.retried, "dead": report.dead, "status": after.to_json()}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"delivered {report.delivered}, dead {report.dead}, retried {report.retried}; "
              f"now pending {after.pending}, dead {after.dead}")
    return 0 if after.pending + after.sending == 0 else EXIT_WAITING


def _read_patch(path: Path) -> tuple[dict[str, Any] | None, str]:
    from kiosk import safe_json
    from kiosk.input_files import MAX_JSON_FILE_BYTES, InputFileError, read_input_file

    try:
        value = safe_json.loads(read_input_file(path, MAX_JSON_FILE_BYTES))
    except InputFileError as exc:
        return None, f"patch file {exc}"
    except safe_json.JsonInputError as exc:
        return None, f"patch file {path}: {exc}"
    if not isinstance(value, dict):
        return None, f"patch file {path} must hold a JSON object"
    return value, ""


def _correct(ob: Outbox, item_id: str, patch: dict[str, Any]) -> str | None:
    from kiosk.submission import correct_dead_application

    return correct_dead_application(ob, item_id, patch)


def run_retry(args: argparse.Namespace) -> int:
    from kiosk.queue_transport import QueueSetupError, queue_runtime

    patch: dict[str, Any] | None = None
    if args.patch is not None:
        patch, unreadable = _read_patch(args.patch)
        if patch is None:
            return _fail(unreadable)
    why: str | None
    if not args.sync:
        ob, rc = _with_outbox(args)
        if ob is None:
            return rc
        try:
            why = _correct(ob, args.id, patch) if patch is not None else ob.retry(args.id)
        finally:
            ob.close()
        if why:
            return _fail(why)
        _audit(args, "application.retried", item=args.id, corrected=patch is not None)
        print(f"{args.id}: pending, will be sent at the next sync")
        return 0
    try:
        with queue_runtime(args.config, api_url=args.api) as rt:
            why = (_correct(rt.outbox, args.id, patch) if patch is not None
                   else rt.outbox.retry(args.id))
            if why:
                return _fail(why)
            _audit(args, "application.retried", item=args.id, corrected=patch is not None)
            assert rt.worker is not None
            rt.worker.sync_once(only=[args.id])
            item = rt.outbox.get(args.id)
    except QueueSetupError as exc:
        return _fail(str(exc), 2)
    assert item is not None
    err = f" ({mask_platform_text(item.last_error)})" if item.last_error and item.state != ItemState.DELIVERED else ""
    print(f"{args.id}: {item.state.value}{err}")
    return 0 if item.state == ItemState.DELIVERED else EXIT_WAITING


def run_void(args: argparse.Namespace) -> int:
    ob, rc = _with_outbox(args)
    if ob is None:
        return rc
    try:
        why = ob.void(args.id)
    finally:
        ob.close()
    if why:
        return _fail(why)
    _audit(args, "application.voided", item=args.id)
    print(f"{args.id}: void (its data was deleted from this kiosk)")
    return 0
