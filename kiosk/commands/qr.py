"""``kiosk qr decode IMAGE… [--json]``: find QR/barcodes in image files.

One JSON line per image: ``{"image": PATH, "codes": [{"text", "format", "corners", "kind"}]}``
(``kind`` = receipt | appointment | other, from kiosk.qr_payload); an unreadable image gives
``{"image": PATH, "error": {...}}`` and exit status 2 at the end. An image is refused by its
header when it declares more than ``[kiosk] max_image_pixels`` (50 MP) or a side over 20,000
pixels. Without ``--json`` a code's control characters are shown escaped (``\x1b``), so a
code cannot drive the terminal; JSON output carries the exact text.
"""

from __future__ import annotations

import argparse
import json

from kiosk.cli_text import printable


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("qr", help="decode QR codes and barcodes in images")
    s = p.add_subparsers(dest="qr_command", metavar="ACTION", required=True)
    d = s.add_parser("decode", help="decode the codes in image files")
    d.add_argument("images", nargs="+", metavar="IMAGE")
    d.add_argument("--json", action="store_true", help="one JSON line per image")
    d.set_defaults(func=run_decode)


def run_decode(args: argparse.Namespace) -> int:
    from devices.image_files import ImageError
    from devices.scanner.decode import decode_frame  # heavy: only when used
    from kiosk.config import load_settings
    from kiosk.qr_payload import classify

    max_pixels = load_settings(args.config).kiosk.max_image_pixels
    status = 0
    for path in args.images:
        try:
            codes = decode_frame(path, max_pixels=max_pixels)
        except ImageError as exc:
            status = 2
            if args.json:
                print(json.dumps({"image": path, "error": {"code": "BAD_IMAGE",
                                                           "message": str(exc)}},
                                 ensure_ascii=False))
            else:
                why = str(exc).removeprefix(f"{path}: ")
                print(printable(f"{path}: error: {why}"))
            continue
        items = [{**c.to_json(), "kind": classify(c.text).kind.value} for c in codes]
        if args.json:
            print(json.dumps({"image": path, "codes": items}, ensure_ascii=False))
        elif not items:
            print(printable(f"{path}: no code found"))
        else:
            for item in items:
                print(printable(f"{path}: {item['format']} [{item['kind']}] {item['text']}"))
    return status
