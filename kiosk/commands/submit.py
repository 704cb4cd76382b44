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
A line without ``clientId`` gets one derived from its content (a UUIDv8 of the line's JSON
and this kiosk's device id), so running the same file again never stores a line twice —
two identical lines are one application (give each a ``clientId`` to enter both).
A client id is a UUID; reusing one with other content is refused (``DUPLICATE_ID``).
Batch exit status: 0 all stored (delivered or queued), 1 at least one line NOT stored,
else 4 at least one stored line refused by the platform (dead letter).

告知承诺 (``--promise MATERIAL_CODE=SIGNATURE.png``, repeatable): the material is replaced by
the applicant's signed promise. The kiosk makes the 承诺书 PDF (kiosk/promise.py: the matter's
promise text, the applicant in full, the time, this kiosk, the SHA-256 of the application, the
signature image) and attaches it with ``EXEMPT_PROMISE``, sealed in the queue like any file.
The material must be ``promisable`` in the catalog (the cached one, else the platform's); the
image (PNG or JPEG, dark ink on white or transparent) is refused when it is empty or nearly
so, as on the screen's pad. Not in ``--batch``.

Attachments: a regular file of an accepted type (JPEG, PNG, PDF, OFD, or what the cached
catalog says for the material), at most the material's ``maxBytes`` (20 MiB when the
catalog is not cached); checked before the file is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import safe_json
from kiosk.config import Settings, load_settings
from kiosk.input_files import (
    DEFAULT_ATTACHMENT_MAX_BYTES,
    MAX_BATCH_FILE_BYTES,
    MAX_JSON_FILE_BYTES,
    InputFileError,
    read_attachment,
    read_input_file,
)
from kiosk.submission import (
    Application,
    Attachment,
    SubmissionResult,
    Submitter,
    derived_client_id,
    is_client_id,
)

if TYPE_CHECKING:
    from kiosk.queue_transport import QueueRuntime

EXIT_NOT_STORED = 1
EXIT_DEAD = 4

_STATE_TEXT = {"delivered": "delivered to the platform",
               "queued": "stored, waiting to upload (收件待上传)",
               "dead": "stored, but the platform refused it (dead letter)",
               "void": "voided", "refused": "NOT stored", "invalid": "NOT stored"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("submit", help="submit an application through the offline queue",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--matter", metavar="CODE", help="the matter's implCode")
    p.add_argument("--applicant", metavar="FILE.json", type=Path,
                   help="the contract's applicant object (certType, certNo, name, …)")
    p.add_argument("--form", metavar="FILE.json", type=Path, help="the form data object")
    p.add_argument("--attach", metavar="MATERIAL_CODE=FILE", action="append", default=[],
                   help="a material file (repeatable; several files per material allowed)")
    p.add_argument("--promise", metavar="MATERIAL_CODE=SIGNATURE.png", action="append",
                   default=[], help="replace a promisable material by the signed 承诺书 "
                                    "(告知承诺; repeatable)")
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
        value = safe_json.loads(read_input_file(path, MAX_JSON_FILE_BYTES))
    except InputFileError as exc:
        raise InputError(f"{what} file {exc}") from None
    except safe_json.JsonInputError as exc:
        raise InputError(f"{what} file {path}: {exc}") from None
    if not isinstance(value, dict):
        raise InputError(f"{what} file {path} must hold a JSON object")
    return value


class MaterialLimits:
    """Per material: the largest file and the accepted media types, from the cached
    catalog when there is one (the platform's own numbers), else the contract's defaults."""

    def __init__(self, settings: Settings | None) -> None:
        self._materials: dict[tuple[str, str], Mapping[str, Any]] = {}
        self.matters: dict[str, Mapping[str, Any]] = {}  # implCode → the cached Matter
        if settings is None:
            return
        from kiosk.catalog import Catalog

        catalog = Catalog.load(settings.kiosk.data_dir / "cache" / "catalog.json")
        for matter in catalog.all() if catalog else ():
            self.matters[matter.code] = matter.raw
            for m in matter.raw.get("materials") or ():
                if isinstance(m, Mapping):
                    self._materials[(matter.code, str(m.get("materialCode")))] = m

    def read(self, matter: str, code: str, path: Path) -> Attachment:
        m = self._materials.get((matter, code), {})
        max_bytes = m.get("maxBytes")
        accepted = m.get("acceptedMediaTypes")
        try:
            data, media = read_attachment(
                path, max_bytes if isinstance(max_bytes, int) else DEFAULT_ATTACHMENT_MAX_BYTES,
                tuple(accepted) if isinstance(accepted, list) and accepted else None)
        except InputFileError as exc:
            raise InputError(f"attachment {exc}") from None
        return Attachment(code, data, media)


def _attachment(limits: MaterialLimits, matter: str, code: str, path: Path) -> Attachment:
    if not code:
        raise InputError(f"attachment {path} has no material code")
    return limits.read(matter, code, path)


def _from_args(args: argparse.Namespace, limits: MaterialLimits) -> Application:
    missing = [n for n in ("matter", "applicant", "form") if getattr(args, n) is None]
    if missing:
        raise InputError("missing " + ", ".join("--" + m for m in missing) + " (or use --batch)")
    attachments = []
    for spec in args.attach:
        code, sep, file = spec.partition("=")
        if not sep or not file:
            raise InputError(f"--attach {spec!r} must be MATERIAL_CODE=FILE")
        attachments.append(_attachment(limits, args.matter, code.strip(), Path(file)))
    return Application(
        impl_code=args.matter, applicant=_read_json_object(args.applicant, "applicant"),
        form=_read_json_object(args.form, "form"), attachments=attachments,
        agent=_read_json_object(args.agent, "agent") if args.agent else None,
        delivery=_read_json_object(args.delivery, "delivery") if args.delivery else None,
        client_application_id=args.client_id)


MAX_SIGNATURE_BYTES = 5 * 1024 * 1024
SIGNATURE_PROBLEMS = {
    "signature_unreadable": "is not a readable PNG or JPEG image",
    "signature_empty": "holds no signature (no dark ink)",
    "signature_too_small": "holds too little ink to be a signature (a dot or a short line)",
    "signature_too_dark": "is mostly dark: a signature is dark ink on white",
}


def _signatures(specs: list[str]) -> dict[str, bytes]:
    """``--promise CODE=IMAGE`` → material code → the checked signature image."""
    from kiosk.promise import signature_image_problem

    out: dict[str, bytes] = {}
    for spec in specs:
        code, sep, file = spec.partition("=")
        code = code.strip()
        if not sep or not file or not code:
            raise InputError(f"--promise {spec!r} must be MATERIAL_CODE=SIGNATURE.png")
        if code in out:
            raise InputError(f"--promise names material {code} twice")
        try:
            data, _ = read_attachment(Path(file), MAX_SIGNATURE_BYTES,
                                      ("image/png", "image/jpeg"))
        except InputFileError as exc:
            raise InputError(f"signature {exc}") from None
        problem = signature_image_problem(data)
        if problem:
            raise InputError(f"signature {file} {SIGNATURE_PROBLEMS[problem]}; "
                             "nothing was stored")
        out[code] = data
    return out


def _matter_for_promise(code: str, limits: MaterialLimits, rt: QueueRuntime) -> Mapping[str, Any]:
    """The matter as the catalog has it: cached, else asked of the platform."""
    cached = limits.matters.get(code)
    if cached is not None:
        return cached
    from kiosk.api import errors
    from kiosk.queue_transport import ApiTransport

    transport = rt.worker.transport if rt.worker is not None else None
    if not isinstance(transport, ApiTransport):
        raise InputError(f"the 承诺书 text of matter {code} is unknown: no cached catalog "
                         "and no connection to the platform")
    try:
        matter = transport.client.get_matter(code).json
    except errors.ApiError as err:
        raise InputError(f"the 承诺书 text of matter {code} is unknown: the platform "
                         f"answered {err.code or err.status}") from None
    if not isinstance(matter, dict):
        raise InputError(f"the platform's matter {code} is not an object")
    return matter


def _with_promises(app: Application, signatures: Mapping[str, bytes], limits: MaterialLimits,
                   rt: QueueRuntime) -> Application:
    """The application with each signed 承诺书 attached (EXEMPT_PROMISE)."""
    import dataclasses
    from datetime import datetime

    from kiosk.promise import payload_digest, promise_pdf

    matter = _matter_for_promise(app.impl_code, limits, rt)
    materials = {str(m.get("materialCode")): m for m in matter.get("materials") or ()
                 if isinstance(m, Mapping)}
    confirmed = {"implCode": app.impl_code, "applicant": dict(app.applicant),
                 "form": dict(app.form), "agent": dict(app.agent) if app.agent else None,
                 "delivery": dict(app.delivery) if app.delivery else None}
    digest = payload_digest(confirmed)
    signed_at = datetime.now().astimezone().isoformat(timespec="seconds")
    added = []
    for code, image in signatures.items():
        m = materials.get(code)
        if m is None:
            raise InputError(f"matter {app.impl_code} has no material {code}")
        if not m.get("promisable") or not isinstance(m.get("promiseText"), str):
            raise InputError(f"material {code} of matter {app.impl_code} cannot be replaced "
                             "by a promise (not promisable in the catalog)")
        if any(a.material_code == code for a in app.attachments):
            raise InputError(f"material {code} is given both as --attach and --promise")
        pdf = promise_pdf(matter_name=str(matter.get("name", app.impl_code)),
                          material_name=str(m.get("name", code)), text=m["promiseText"],
                          applicant_name=str(app.applicant.get("name", "")),
                          cert_no=str(app.applicant.get("certNo", "")), signed_at=signed_at,
                          device_id=rt.settings.kiosk.device_id, payload_sha256=digest,
                          signature_image=image)
        added.append(Attachment(code, pdf, "application/pdf", submission="EXEMPT_PROMISE"))
    return dataclasses.replace(app, attachments=[*app.attachments, *added])


def _from_line(obj: Any, base: Path, limits: MaterialLimits, device_id: str) -> Application:
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
        attachments.append(_attachment(limits, matter, str(a.get("materialCode") or ""),
                                       path if path.is_absolute() else base / path))
    others = obj.get("materials") or []
    if not isinstance(others, list) or not all(isinstance(m, dict) for m in others):
        raise InputError("'materials' must be a list of objects")
    cid = obj.get("clientId", obj.get("clientApplicationId"))
    if cid is None:
        cid = derived_client_id(obj, device_id)
    elif not isinstance(cid, str) or not is_client_id(cid):
        raise InputError("'clientId' must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    return Application(impl_code=matter, applicant=obj["applicant"], form=obj["form"],
                       attachments=attachments, agent=obj.get("agent"),
                       delivery=obj.get("delivery"), other_materials=others,
                       client_application_id=cid)


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


def _exit_for(results: list[SubmissionResult]) -> int:
    """1 when anything was NOT stored, else 4 when the platform refused any, else 0."""
    if any(not r.stored for r in results):
        return EXIT_NOT_STORED
    return EXIT_DEAD if any(r.state == "dead" for r in results) else 0


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    limits = MaterialLimits(settings)
    if args.batch is not None:
        if args.matter or args.applicant or args.form or args.attach or args.client_id \
                or args.promise:
            return _fail("--batch cannot be combined with "
                         "--matter/--applicant/--form/--attach/--promise/--client-id")
        return _run_batch(args, limits)
    if args.client_id is not None and not is_client_id(args.client_id):
        return _fail(f"--client-id {args.client_id!r} is not a UUID "
                     "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx); leave it out to mint one")
    try:
        app = _from_args(args, limits)
        signatures = _signatures(args.promise)
    except InputError as exc:
        return _fail(str(exc))
    try:
        with _runtime(args) as rt:
            if signatures:
                try:
                    app = _with_promises(app, signatures, limits, rt)
                except InputError as exc:
                    return _fail(str(exc))
            submitter = Submitter(rt.outbox, rt.worker, device_id=rt.settings.kiosk.device_id,
                                  hall_code=rt.settings.kiosk.hall_code)
            result = submitter.submit(app, sync=rt.worker is not None)
    except _setup_error() as exc:
        return _fail(str(exc), 2)
    _print(result, args.json)
    if not result.stored and not args.json:
        print(f"kiosk submit: not stored: {result.message}", file=sys.stderr)
    return _exit_for([result])


def _run_batch(args: argparse.Namespace, limits: MaterialLimits) -> int:
    try:
        text = read_input_file(args.batch, MAX_BATCH_FILE_BYTES).decode("utf-8")
    except InputFileError as exc:
        return _fail(f"batch file {exc}")
    except UnicodeDecodeError:
        return _fail(f"batch file {args.batch} is not UTF-8 text")
    base = args.batch.resolve().parent
    try:
        with _runtime(args) as rt:
            submitter = Submitter(rt.outbox, None, device_id=rt.settings.kiosk.device_id,
                                  hall_code=rt.settings.kiosk.hall_code)
            results: list[tuple[int, SubmissionResult]] = []
            for n, raw in enumerate(text.splitlines(), start=1):
                if raw.strip():
                    results.append((n, _batch_line(submitter, raw, base, limits)))
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
    rejected = sum(not r.stored for _, r in final)
    dead = sum(r.state == "dead" for _, r in final)
    refused = f" ({dead} of them refused by the platform)" if dead else ""
    print(f"kiosk submit: {len(final) - rejected} stored, {rejected} rejected{refused}",
          file=sys.stderr)
    return _exit_for([r for _, r in final])


def _batch_line(submitter: Submitter, raw: str, base: Path,
                limits: MaterialLimits) -> SubmissionResult:
    """One line's result; a bad line is a rejection with its reason, never an abort."""
    try:
        app = _from_line(safe_json.loads(raw), base, limits, submitter.device_id)
    except safe_json.JsonInputError as exc:
        return SubmissionResult(None, "invalid", False, str(exc), "INVALID")
    except InputError as exc:
        return SubmissionResult(None, "invalid", False, str(exc), "INVALID")
    return submitter.submit(app, sync=False)


def _fail(message: str, code: int = EXIT_NOT_STORED) -> int:
    print(f"kiosk submit: {message}", file=sys.stderr)
    return code


def _setup_error() -> type[Exception]:
    from kiosk.queue_transport import QueueSetupError

    return QueueSetupError
