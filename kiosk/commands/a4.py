"""``kiosk a4 status|test|print FILE.pdf``: the A4 document printer (``document_printer``
role, docs/devices.md): its state as the queue reports it, the technician's test page, or a
PDF file sent as one job. Exit 0 on success, 1 on a printer fault, 2 on a setup problem."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Settings, load_settings
from kiosk.device_roles import DOCUMENT_PRINTER

if TYPE_CHECKING:
    from devices.interfaces import DocumentPrinter


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("a4", help="A4 document printer: status, test page, print a PDF")
    ps = p.add_subparsers(dest="a4_command", metavar="ACTION", required=True)
    s = ps.add_parser("status", help="the printer's state as its queue reports it")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=run_status)
    t = ps.add_parser("test", help="print the A4 test page")
    t.add_argument("--json", action="store_true", help="print JSON")
    t.set_defaults(func=run_test)
    f = ps.add_parser("print", help="print a PDF file as one job")
    f.add_argument("file", metavar="FILE.pdf")
    f.add_argument("--title", default="", help="the job's title (default: the file name)")
    f.add_argument("--json", action="store_true", help="print JSON")
    f.set_defaults(func=run_print)


class _Fail(Exception):
    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def _open(settings: Settings) -> DocumentPrinter:
    from devices.base import DeviceOptionError, find_driver
    from devices.interfaces import DocumentPrinter

    section = settings.device_for(DOCUMENT_PRINTER)
    if section is None:
        raise _Fail(f"no [devices.{DOCUMENT_PRINTER}] in {settings.source}")
    if not section.configured:
        raise _Fail(f"{section.name!r} is not configured (driver = \"none\")")
    spec = find_driver(section.device_class, section.driver)
    if spec is None:
        raise _Fail(f"unknown A4 printer driver {section.driver!r} for {section.name!r}")
    problem = spec.supported()
    if problem:
        raise _Fail(f"A4 printer driver {section.driver!r} cannot run here: {problem}")
    try:
        device = spec.factory(section.name, dict(section.options))
    except DeviceOptionError as exc:
        raise _Fail(f"{settings.source}: [devices.{section.name}] {exc}") from None
    if not isinstance(device, DocumentPrinter):
        raise _Fail(f"{section.name!r} is not an A4 document printer")
    opened = device.open()
    if not opened.ok:
        assert opened.fault is not None
        raise _Fail(f"{opened.fault.code}: {opened.fault.message}", 1)
    return device


def _printer(args: argparse.Namespace) -> DocumentPrinter | int:
    try:
        return _open(load_settings(args.config))
    except _Fail as exc:
        print(f"kiosk a4: {exc}", file=sys.stderr)
        return exc.status


def run_status(args: argparse.Namespace) -> int:
    printer = _printer(args)
    if isinstance(printer, int):
        return printer
    try:
        status = printer.poll_status()
    finally:
        printer.close()
    if args.json:
        print(json.dumps(status.to_json(), ensure_ascii=False))
    else:
        media = ", ".join(f"{k}={v}" for k, v in status.media.items())
        print(f"{status.name}: {status.availability.value} ({status.severity.value}) {media}"
              f" [{status.info.port}]")
        if status.fault is not None:
            print(f"  {status.fault.code}: {status.fault.message} "
                  f"[action: {status.fault.action.value}]")
    return 0 if status.availability.usable else 1


def _send(args: argparse.Namespace, pdf: bytes, title: str) -> int:
    printer = _printer(args)
    if isinstance(printer, int):
        return printer
    try:
        r = printer.print_pdf(pdf, title)
    finally:
        printer.close()
    if r.value is None:
        assert r.fault is not None
        print(f"kiosk a4: {r.fault.code}: {r.fault.message}", file=sys.stderr)
        return 1
    job = r.value
    if args.json:
        print(json.dumps({"jobId": job.job_id, "title": job.title, "pages": job.pages,
                          "bytes": job.size}, ensure_ascii=False))
    else:
        print(f"job {job.job_id} on {printer.name}: {job.pages} page(s), {job.size} bytes")
    return 0


def run_test(args: argparse.Namespace) -> int:
    from kiosk import __version__
    from kiosk.a4_documents import a4_test_page_pdf

    settings = load_settings(args.config)
    k = settings.kiosk
    pdf = a4_test_page_pdf(hall_name=k.hall_name, device_id=k.device_id, software=__version__,
                        printed_at=datetime.now().astimezone().isoformat(timespec="seconds"))
    return _send(args, pdf, f"test page {k.device_id}")


def run_print(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        pdf = path.read_bytes()
    except OSError as exc:
        print(f"kiosk a4: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    if not pdf.startswith(b"%PDF-"):
        print(f"kiosk a4: {path} is not a PDF file", file=sys.stderr)
        return 2
    return _send(args, pdf, args.title or path.name)
