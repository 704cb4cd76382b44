"""``kiosk submit``: store an application in the offline queue and send it at once if possible.

The same pipeline as the touchscreen (kiosk.submission). Exit status 0 once the application
is durably stored — delivered or queued (收件待上传); 1 when nothing was stored (bad input,
queue or disk full); 4 when it was stored but the platform refused it (dead letter: see
``kiosk queue list --state dead``, fix, then ``kiosk queue retry ID`` or ``void ID``).

Server: ``--api URL`` points at a running gateway or sandbox; otherwise ``api.base_url`` is
used, and in demo config (``embedded``) the embedded sandbox runs for the duration of the
command. ``--no-sync`` only stores (nothing goes on the network).

Batch (批量录入): ``--batch FILE.jsonl``, one application per line::

  {"matter": "CODE", "applicant": {...}, "form": {...},
   "attach": [{"materialCode": "M1", "file": "scan1.jpg"}], "clientId": "optional"}

(``agent``, ``delivery``, ``materials`` for file-less materials are optional; file paths are
relative to the batch file). Every line gets a report line; bad lines are rejected with the
reason and the good ones are kept. All lines are stored first, then sent in one pass.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.submission import Application, Attachment, SubmissionResult, Submitter

if TYPE_CHECKING:
    from kiosk.queue_transport import QueueRuntime

EXIT_NOT_STORED = 1
EXIT_DEAD = 4

_STATE_TEXT = {"delivered": "delivered to the platform",
               "queued": "stored, waiting to upload (收件待上传)",
               "dead": "stored, but the platform refused it (dead letter)",
               "void": "voided", "refused": "NOT stored", "invalid": "NOT stored"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("submit", help="submit an application through the offline queue",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--matter", metavar="CODE", help="the matter's implCode")
    p.add_argument("--applicant", metavar="FILE.json", type=Path,
                   help="the contract's applicant object (certType, certNo, name, …)")
    p.add_argument("--form", metavar="FILE.json", type=Path, help="the form data object")
    p.add_argument("--attach", metavar="MATERIAL_CODE=FILE", action="append", default=[],
                   help="a material file (repeatable; several files per material allowed)")
    p.add_argument("--agent", metavar="FILE.json", type=Path, help="agent (代办人) object")
    p.add_argument("--delivery", metavar="FILE.json", type=Path, help="delivery object")
    p.add_argument("--client-id", metavar="ID",
                   help="clientApplicationId to use (default: a new UUIDv7)")
    p.add_argument("--batch", metavar="FILE.jsonl", type=Path,
                   help="batch entry: one application per line (see above)")
    p.add_argument("--api", metavar="URL",
                   help="acceptance API base URL of a running gateway or sandbox "
                        "(default: api.base_url; 'embedded' starts the demo sandbox)")
    p.add_argument("--no-sync", action="store_true", help="store only; do not send now")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


class InputError(Exception):
    """Bad command-line or batch input; ``str()`` is the one-line reason."""


def _read_json_object(path: Path, what: str) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{what} file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{what} file {path} cannot be read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{what} file {path} is not valid JSON (line {exc.lineno})") from None
    if not isinstance(value, dict):
        raise InputError(f"{what} file {path} must hold a JSON object")
    return value


def _attachment(code: str, path: Path) -> Attachment:
    if not code:
        raise InputError(f"attachment {path} has no material code")
    try:
        return Attachment.from_path(code, path)
    except FileNotFoundError:
        raise InputError(f"attachment file {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"attachment {path} is a directory") from None
    except OSError as exc:
        raise InputError(f"attachment file {path} cannot be read ({exc.strerror})") from None


def _from_args(args: argparse.Namespace) -> Application:
    missing = [n for n in ("matter", "applicant", "form") if getattr(args, n) is None]
    if missing:
        raise InputError("missing " + ", ".join("--" + m for m in missing) + " (or use --batch)")
    attachments = []
    for spec in args.attach:
        code, sep, file = spec.partition("=")
        if not sep or not file:
            raise InputError(f"--attach {spec!r} must be MATERIAL_CODE=FILE")
        attachments.append(_attachment(code.strip(), Path(file)))
    return Application(
        impl_code=args.matter, applicant=_read_json_object(args.applicant, "applicant"),
        form=_read_json_object(args.form, "form"), attachments=attachments,
        agent=_read_json_object(args.agent, "agent") if args.agent else None,
        delivery=_read_json_object(args.delivery, "delivery") if args.delivery else None,
        client_application_id=args.client_id)


def _from_line(obj: Any, base: Path) -> Application:
    if not isinstance(obj, dict):
        raise InputError("the line is not a JSON object")
    matter = obj.get("matter", obj.get("implCode"))
    if not isinstance(matter, str) or not matter:
        raise InputError("'matter' is missing")
    for key in ("applicant", "form"):
        if not isinstance(obj.get(key), dict):
            raise InputError(f"'{key}' must be a JSON object")
    attachments = []
    for a in obj.get("attach") or []:
        if not isinstance(a, dict) or not isinstance(a.get("file"), str):
            raise InputError("each 'attach' entry needs 'materialCode' and 'file'")
        path = Path(a["file"])
        attachments.append(_attachment(str(a.get("materialCode") or ""),
                                       path if path.is_absolute() else base / path))
    others = obj.get("materials") or []
    if not isinstance(others, list) or not all(isinstance(m, dict) for m in others):
        raise InputError("'materials' must be a list of objects")
    cid = obj.get("clientId", obj.get("clientApplicationId"))
    return Application(impl_code=matter, applicant=obj["applicant"], form=obj["form"],
                       attachments=attachments, agent=obj.get("agent"),
                       delivery=obj.get("delivery"), other_materials=others,
                       client_application_id=cid if isinstance(cid, str) else None)


@contextmanager
def _runtime(args: argparse.Namespace) -> Iterator[QueueRuntime]:
    # Imported here: building the parser (every ``kiosk`` command) must not need the API.
    from kiosk.queue_transport import queue_runtime

    with queue_runtime(args.config, api_url=args.api, connect=not args.no_sync,
                       tolerate_offline=True, read_only_fallback=True) as rt:
        yield rt


def _print(result: SubmissionResult, as_json: bool, line: int | None = None) -> None:
    if as_json:
        data = result.to_json()
        if line is not None:
            data = {"line": line, **data}
        print(json.dumps(data, ensure_ascii=False), flush=True)
        return
    where = f"line {line}: " if line is not None else ""
    text = _STATE_TEXT.get(result.state, result.state)
    extra = f" — {result.message}" if result.message else ""
    if not result.stored and result.code:
        extra = f" ({result.code}){extra}"
    ref = f" projId {result.proj_id}" if result.proj_id else ""
    print(f"{where}{result.client_application_id or '-'} {text}{ref}{extra}", flush=True)


def _exit_for(result: SubmissionResult) -> int:
    if not result.stored:
        return EXIT_NOT_STORED
    return EXIT_DEAD if result.state == "dead" else 0


def run(args: argparse.Namespace) -> int:
    if args.batch is not None:
        if args.matter or args.applicant or args.form or args.attach or args.client_id:
            return _fail("--batch cannot be combined with --matter/--applicant/--form/--attach/--client-id")
        return _run_batch(args)
    try:
        app = _from_args(args)
    except InputError as exc:
        return _fail(str(exc))
    try:
        with _runtime(args) as rt:
            submitter = Submitter(rt.outbox, rt.worker, device_id=rt.settings.kiosk.device_id,
                                  hall_code=rt.settings.kiosk.hall_code)
            result = submitter.submit(app, sync=rt.worker is not None)
    except _setup_error() as exc:
        return _fail(str(exc), 2)
    _print(result, args.json)
    if not result.stored and not args.json:
        print(f"kiosk submit: not stored: {result.message}", file=sys.stderr)
    return _exit_for(result)


def _run_batch(args: argparse.Namespace) -> int:
    try:
        text = args.batch.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"batch file {args.batch} cannot be read ({exc.__class__.__name__})")
    base = args.batch.resolve().parent
    rejected = 0
    try:
        with _runtime(args) as rt:
            submitter = Submitter(rt.outbox, None, device_id=rt.settings.kiosk.device_id,
                                  hall_code=rt.settings.kiosk.hall_code)
            results: list[tuple[int, SubmissionResult]] = []
            for n, raw in enumerate(text.splitlines(), start=1):
                if not raw.strip():
                    continue
                try:
                    app = _from_line(json.loads(raw), base)
                except json.JSONDecodeError as exc:
                    results.append((n, SubmissionResult(None, "invalid", False,
                                                        f"not valid JSON (column {exc.colno})", "INVALID")))
                    continue
                except InputError as exc:
                    results.append((n, SubmissionResult(None, "invalid", False, str(exc), "INVALID")))
                    continue
                results.append((n, submitter.submit(app, sync=False)))
            stored_ids = [r.client_application_id for _, r in results
                          if r.stored and r.client_application_id]
            if rt.worker is not None and stored_ids:
                rt.worker.sync_once(only=stored_ids)
            final = []
            for n, r in results:
                if r.stored and r.client_application_id:
                    r = submitter.result_for(r.client_application_id)
                final.append((n, r))
    except _setup_error() as exc:
        return _fail(str(exc), 2)
    for n, r in final:
        _print(r, args.json, line=n)
        rejected += not r.stored
    stored = len(final) - rejected
    print(f"kiosk submit: {stored} stored, {rejected} rejected", file=sys.stderr)
    return 0 if rejected == 0 else EXIT_NOT_STORED


def _fail(message: str, code: int = EXIT_NOT_STORED) -> int:
    print(f"kiosk submit: {message}", file=sys.stderr)
    return code


def _setup_error() -> type[Exception]:
    from kiosk.queue_transport import QueueSetupError

    return QueueSetupError
