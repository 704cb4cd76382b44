"""``kiosk camera preview|info``: the document camera for technicians, in plain text.

``kiosk camera preview --device N`` opens /dev/videoN (UVC), ``--simulate [PATH]`` the
simulator (default: the demo scenes), otherwise the camera configured in kiosk.toml. Once a
second it prints the delivered resolution, frames per second, the focus score of the page
outline (when a page is seen), a whole-frame sharpness figure, and detection time. No window
is opened, so it works over SSH on a kiosk.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import cv2
import numpy as np

from devices.base import find_driver
from devices.camera import Camera, detect_page, focus_score
from kiosk.config import load_settings
from kiosk.device_roles import DOCUMENT_CAMERA


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("camera", help="document camera diagnostics (preview figures, info)")
    p.add_argument("action", choices=("preview", "info"))
    g = p.add_mutually_exclusive_group()
    g.add_argument("--device", type=int, metavar="N", help="UVC camera /dev/videoN")
    g.add_argument("--simulate", nargs="?", const="", metavar="PATH",
                   help="simulator (images, directory or video; default demo scenes)")
    p.add_argument("--seconds", type=float, default=5.0, help="how long to preview (default 5)")
    p.add_argument("--json", action="store_true", help="JSON lines instead of text")
    p.set_defaults(func=run)


def frame_sharpness(image: np.ndarray[Any, Any]) -> float:
    """Whole-frame sharpness (variance of the Laplacian on a 640 px copy): a relative figure
    for focusing the lens, higher is sharper; depends on what is in view."""
    h, w = image.shape[:2]
    s = min(1.0, 640 / max(w, h))
    grey = cv2.cvtColor(cv2.resize(image, (int(w * s), int(h * s)),
                                   interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_32F).var())


def _make_camera(args: argparse.Namespace) -> Camera | str:
    if args.device is not None:
        driver, options = "uvc", {"index": args.device}
    elif args.simulate is not None:
        driver, options = "simulated", ({"source": args.simulate} if args.simulate else {})
    else:
        section = load_settings(args.config).device_for(DOCUMENT_CAMERA)
        if section is None or not section.configured:
            return "no document camera configured in kiosk.toml ([devices.document_camera] driver)"
        driver, options = section.driver, dict(section.options)
    spec = find_driver("camera", driver)
    if spec is None:
        return f"unknown camera driver {driver!r}"
    problem = spec.supported()
    if problem:
        return problem
    cam = spec.factory("camera", options)
    assert isinstance(cam, Camera)
    return cam


def run(args: argparse.Namespace) -> int:
    cam = _make_camera(args)
    if isinstance(cam, str):
        print(f"kiosk camera: {cam}", file=sys.stderr)
        return 1
    opened = cam.open()
    if not opened.ok:
        assert opened.fault is not None
        print(f"kiosk camera: {opened.fault.code}: {opened.fault.message}"
              f"{' (' + opened.fault.detail + ')' if opened.fault.detail else ''}", file=sys.stderr)
        return 1
    try:
        if args.action == "info":
            st = cam.poll_status()
            if args.json:
                print(json.dumps(st.to_json(), ensure_ascii=False))
            else:
                i = st.info
                print(f"{i.model} at {i.port}: {st.availability.value}; {i.firmware}")
            return 0
        return _preview(cam, args)
    finally:
        cam.close()


def _preview(cam: Camera, args: argparse.Namespace) -> int:
    end = time.monotonic() + args.seconds
    window_start, frames, errors = time.monotonic(), 0, 0
    det_ms: list[float] = []
    last = None
    while time.monotonic() < end:
        r = cam.read_preview()
        if not r.ok:
            assert r.fault is not None
            errors += 1
            print(f"{r.fault.code}: {r.fault.message}", file=sys.stderr)
            continue
        last = r.unwrap()
        frames += 1
        t0 = time.perf_counter()
        det = detect_page(last.image)
        det_ms.append((time.perf_counter() - t0) * 1000)
        now = time.monotonic()
        if now - window_start >= 1.0 or now >= end:
            fps = frames / (now - window_start)
            focus = focus_score(last.image, det.corners) if det.corners is not None else None
            row = {"fps": round(fps, 1), "width": last.size[0], "height": last.size[1],
                   "page": det.corners is not None, "confidence": round(det.confidence, 2),
                   "focus": None if focus is None else round(focus, 2),
                   "sharpness": round(frame_sharpness(last.image), 1),
                   "detect_ms": round(float(np.mean(det_ms)), 1), "errors": errors}
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(f"{row['width']}x{row['height']}  {row['fps']:5.1f} fps  "
                      f"page {'yes' if row['page'] else 'no '} ({row['confidence']:.2f})  "
                      f"focus {'-' if focus is None else f'{focus:.2f}'}  "
                      f"sharpness {row['sharpness']}  detect {row['detect_ms']} ms", flush=True)
            window_start, frames, det_ms = now, 0, []
    return 0 if last is not None else 1
