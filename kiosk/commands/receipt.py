"""``kiosk receipt sample|render``: write a sample receipt as ESC/POS bytes (fictitious demo
data), and render any ESC/POS file to a PNG for review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Receipt templates and the renderer (python-escpos, Pillow, segno) are imported by the
# handlers: every ``kiosk`` command imports this module to build its parser.

KINDS = ("intake", "reprint", "query", "test", "readiness")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("receipt", help="sample receipts and ESC/POS rendering")
    rs = p.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)

    s = rs.add_parser("sample", help="write a sample 收件回执 (fictitious data) as ESC/POS")
    s.add_argument("--out", required=True, metavar="FILE.bin")
    s.add_argument("--width", type=int, choices=(80, 58), default=80, help="paper width, mm")
    s.add_argument("--kind", choices=KINDS, default="intake",
                   help="intake (default), reprint, query, test or readiness")
    s.add_argument("--delivered", action="store_true",
                   help="the platform answered (已收件); default: queued offline (收件待上传)")
    s.add_argument("--raster-qr", action="store_true",
                   help="QR as a raster image instead of native GS ( k")
    s.add_argument("--charset", choices=("gb2312", "gbk"), default="gb2312")
    s.set_defaults(func=run_sample)

    r = rs.add_parser("render", help="render an ESC/POS file to PNG")
    r.add_argument("file", metavar="FILE.bin")
    r.add_argument("--out", required=True, metavar="FILE.png")
    r.add_argument("--width", type=int, choices=(80, 58), default=80, help="paper width, mm")
    r.add_argument("--text", action="store_true", help="also print the text dump")
    r.set_defaults(func=run_render)


def sample_bytes(kind: str, width: int, delivered: bool = False, native_qr: bool = True,
                 charset: str = "gb2312") -> bytes:
    from kiosk.receipts import (
        intake_receipt,
        readiness_report,
        samples,
        status_query_receipt,
        technician_test_page,
    )

    opts = {"paper": width, "charset": charset, "native_qr": native_qr}
    if kind == "intake":
        return intake_receipt(samples.sample_receipt(delivered=delivered), **opts)  # type: ignore[arg-type]
    if kind == "reprint":
        return intake_receipt(samples.sample_reprint(), **opts)  # type: ignore[arg-type]
    if kind == "query":
        return status_query_receipt(samples.sample_status_query(), **opts)  # type: ignore[arg-type]
    if kind == "test":
        return technician_test_page(samples.sample_test_page(), **opts)  # type: ignore[arg-type]
    return readiness_report(samples.sample_readiness(), **opts)  # type: ignore[arg-type]


def run_sample(args: argparse.Namespace) -> int:
    data = sample_bytes(args.kind, args.width, args.delivered, not args.raster_qr,
                        args.charset)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        print(f"kiosk receipt: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {len(data)} bytes, {args.kind} on {args.width} mm paper")
    return 0


def run_render(args: argparse.Namespace) -> int:
    from devices.printer.render import render
    from devices.printer.types import PaperWidth

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"kiosk receipt: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    result = render(data, PaperWidth(args.width).dots)
    try:
        result.image.save(args.out, format="PNG")
    except (OSError, ValueError) as exc:
        print(f"kiosk receipt: cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    if args.text:
        print(result.text)
    for w in result.warnings[:5]:
        print(f"warning: {w}", file=sys.stderr)
    if len(result.warnings) > 5:
        print(f"warning: … and {len(result.warnings) - 5} more", file=sys.stderr)
    print(f"wrote {args.out}: {result.image.width}x{result.image.height} px, "
          f"{len(result.qr_payloads)} QR, {result.cuts} cut(s)")
    return 0
