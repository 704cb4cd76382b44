"""``kiosk supplement ID --attach CODE=FILE… [--json]``: 补齐补正 from the command line.

The materials a department asked for (``kiosk status ID`` lists them) are sent to the case
``ID`` (applicationId or projId) the way the touchscreen sends them
(``Submitter.submit_supplement``): stored in the offline queue first (sealed at rest), files
uploaded before the supplement, exactly once under the supplement's own id, delivered later
when the platform is away. Exit status as ``kiosk submit``: 0 stored (delivered or queued),
1 nothing stored (bad input, queue or disk full), 2 the queue or the connection could not be
set up, 4 stored but the platform refused it (dead letter: a case not in
SUPPLEMENT_REQUIRED, or not found; ``kiosk queue list --state dead``).

Attachments follow ``kiosk submit``'s rules (type and size checked before reading).
``--api URL`` and ``--no-sync`` as for ``kiosk submit``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commands.submit import (
    EXIT_NOT_STORED,
    InputError,
    MaterialLimits,
    _attachment,
    _exit_for,
    _print,
    _runtime,
    _setup_error,
)
from kiosk.config import load_settings
from kiosk.submission import Attachment, Submitter


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("supplement", help="send the materials a case was asked for (补齐补正)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("id", metavar="ID", help="the case's applicationId or projId")
    p.add_argument("--attach", metavar="MATERIAL_CODE=FILE", action="append", default=[],
                   help="a file of an asked material (repeatable; at least one)")
    p.add_argument("--note", metavar="TEXT", default="",
                   help="a note to the department (at most 500 characters)")
    p.add_argument("--api", metavar="URL",
                   help="acceptance API base URL of a running gateway or sandbox "
                        "(default: api.base_url; 'embedded' starts the demo sandbox)")
    p.add_argument("--no-sync", action="store_true", help="store only; do not send now")
    p.add_argument("--json", action="store_true", help="print the result as one JSON line")
    p.set_defaults(func=run)


def _attachments(specs: list[str], limits: MaterialLimits) -> list[Attachment]:
    if not specs:
        raise InputError("give at least one --attach MATERIAL_CODE=FILE")
    out = []
    for spec in specs:
        code, sep, file = spec.partition("=")
        if not sep or not file:
            raise InputError(f"--attach {spec!r} must be MATERIAL_CODE=FILE")
        out.append(_attachment(limits, "", code.strip(), Path(file)))
    return out


def run(args: argparse.Namespace) -> int:
    ident = str(args.id).strip()
    if not ident or len(ident) > 64 or not ident.isprintable():
        return _fail("ID must be the case's applicationId or projId")
    if len(args.note) > 500:
        return _fail("--note is longer than 500 characters")
    settings = load_settings(args.config)
    try:
        attachments = _attachments(args.attach, MaterialLimits(settings))
    except InputError as exc:
        return _fail(str(exc))
    try:
        with _runtime(args) as rt:
            submitter = Submitter(rt.outbox, rt.worker, device_id=rt.settings.kiosk.device_id,
                                  hall_code=rt.settings.kiosk.hall_code)
            result = submitter.submit_supplement(ident, attachments, args.note,
                                                 sync=rt.worker is not None)
    except _setup_error() as exc:
        return _fail(str(exc), 2)
    _print(result, args.json)
    if not result.stored and not args.json:
        print(f"kiosk supplement: not stored: {result.message}", file=sys.stderr)
    return _exit_for([result])


def _fail(message: str, code: int = EXIT_NOT_STORED) -> int:
    print(f"kiosk supplement: {message}", file=sys.stderr)
    return code
