"""``kiosk scan IMAGE… [--json] [--out DIR]``: find the page in photos of documents.

With ``--json`` one line per image, exactly
``{"image": PATH, "corners": [[x, y] ×4] | null, "checks": {...}, "ms": N}`` — corners
clockwise from the page's top-left in the input image's pixel coordinates (pixel centres),
``checks`` the quality checks (each ``{"ok", "value", "limit"}``), ``ms`` the detection time.
With ``--out DIR`` the corrected pages are written as ``DIR/<name>-page.jpg``.
An unreadable image gives ``corners: null`` and ``checks: {"image": {"ok": false, ...}}``;
the exit status is then 1 (the other images are still processed). An image declaring more
than ``[kiosk] max_image_pixels`` is refused by its header, before decoding.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from devices.camera import EnhanceMode, check_quality, correct_page, detect_page
from devices.camera.drivers import CameraSettings, camera_settings
from devices.image_files import ImageError, read_image
from kiosk.cli_text import printable
from kiosk.config import load_settings
from kiosk.device_roles import DOCUMENT_CAMERA


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("scan", help="detect the document page in image files")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--json", action="store_true", help="one JSON line per image")
    p.add_argument("--out", metavar="DIR", help="write the corrected pages here")
    p.add_argument("--mode", choices=[m.value for m in EnhanceMode], default=None,
                   help="enhancement of written pages (default from kiosk.toml, else color)")
    p.set_defaults(func=run)


def _settings(args: argparse.Namespace) -> tuple[CameraSettings, int]:
    settings = load_settings(args.config)
    section = settings.device_for(DOCUMENT_CAMERA)
    return (camera_settings(section.options if section is not None else {}),
            settings.kiosk.max_image_pixels)


def run(args: argparse.Namespace) -> int:
    cs, max_pixels = _settings(args)
    out_dir = Path(args.out) if args.out else None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"kiosk scan: cannot create {out_dir}: {exc.strerror}", file=sys.stderr)
            return 1
    mode = EnhanceMode(args.mode) if args.mode else cs.mode
    status = 0
    for name in args.images:
        try:
            img = read_image(name, grey=False, max_pixels=max_pixels)
        except ImageError as exc:
            status = 1
            if args.json:
                _emit(args, name, None, {"image": {
                    "ok": False, "value": str(exc),
                    "limit": f"a JPEG/PNG/BMP/TIFF/WebP image of at most {max_pixels} pixels"}},
                    0.0)
            else:
                print(printable(f"kiosk scan: {exc}"), file=sys.stderr)
            continue
        t0 = time.perf_counter()
        det = detect_page(img)
        ms = (time.perf_counter() - t0) * 1000
        report = check_quality(img, det, cs.thresholds)
        _emit(args, name, det.corners_list(), report.to_json(), ms, report.messages)
        if out_dir is not None and det.corners is not None:
            page = correct_page(img, det.corners, mode, dpi=cs.dpi, max_bytes=cs.max_bytes)
            target = out_dir / f"{Path(name).stem}-page.jpg"
            target.write_bytes(page.jpeg)
            if not args.json:
                print(f"  wrote {target} ({page.width}x{page.height}, {page.dpi} dpi, "
                      f"{len(page.jpeg) // 1024} KB, sha256 {page.sha256[:16]}…)")
    return status


def _emit(args: argparse.Namespace, name: str, corners: list[list[float]] | None,
          checks: dict[str, object], ms: float, messages: list[dict[str, str]] | None = None) -> None:
    if args.json:
        print(json.dumps({"image": name, "corners": corners, "checks": checks,
                          "ms": round(ms, 1)}, ensure_ascii=False), flush=True)
        return
    if corners is None:
        why = ", ".join(m["en"] for m in messages or []) or "no page"
        print(printable(f"{name}: no page ({why}) [{ms:.1f} ms]"))
        return
    pts = " ".join(f"({x:.1f},{y:.1f})" for x, y in np.asarray(corners))
    problems = "; ".join(m["en"] for m in messages or [])
    print(printable(f"{name}: page {pts} [{ms:.1f} ms]" + (f" — {problems}" if problems else " — OK")))
