"""``kiosk face analyse IMAGE|VIDEO… [--json]``: the face camera's analysis on files.

One JSON line per input: ``{"input": PATH, "faces": N, "box": [x, y, w, h] | null,
"quality": {"pose", "sharpness", "exposure", "eyesOpen", "size"} | null, "usable": bool,
"reasons": [...], "ms": …}`` (a video: its first frame with a usable face, else its first
frame). An unreadable input gives ``{"input": PATH, "error": {...}}`` and exit status 1 at the
end. Nothing is written; no image is kept.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.cli_text import printable

VIDEO_FRAMES = 150  # a video is looked at for its first five seconds


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("face", help="face analysis of the face camera (人证比对) on files")
    s = p.add_subparsers(dest="face_command", metavar="ACTION", required=True)
    a = s.add_parser("analyse", help="find the face and its quality in images or videos")
    a.add_argument("inputs", nargs="+", metavar="IMAGE|VIDEO")
    a.add_argument("--json", action="store_true", help="one JSON line per input")
    a.set_defaults(func=run_analyse)


def _frames(path: str, max_pixels: int) -> list[Any]:
    import cv2

    from devices.camera.sources import VIDEO_SUFFIXES
    from devices.image_files import read_image

    if path.lower().endswith(VIDEO_SUFFIXES):
        cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG)
        frames: list[Any] = []
        try:
            while len(frames) < VIDEO_FRAMES:
                ok, frame = cap.read()
                if not ok or frame is None:
                    break
                frames.append(frame)
        finally:
            cap.release()
        if not frames:
            raise ValueError("not a readable video")
        return frames
    return [read_image(path, grey=False, max_pixels=max_pixels)]


def run_analyse(args: argparse.Namespace) -> int:
    from devices.camera.face_analysis import DetectorFaceAnalyser
    from kiosk.config import load_settings

    max_pixels = load_settings(args.config).kiosk.max_image_pixels
    analyser = DetectorFaceAnalyser()
    status = 0
    for path in args.inputs:
        try:
            frames = _frames(path, max_pixels)
        except Exception as exc:  # unreadable input: one line, no traceback
            status = 1
            err = {"input": path, "error": {"code": "BAD_INPUT", "message": str(exc)[:200]}}
            print(json.dumps(err, ensure_ascii=False) if args.json
                  else printable(f"{path}: error: {err['error']['message']}"))
            continue
        first = None
        for frame in frames:
            result = analyser.analyse(frame)
            first = first or result
            if result.usable:
                first = result
                break
        assert first is not None
        line = {"input": path, **first.to_json()}
        if args.json:
            print(json.dumps(line, ensure_ascii=False))
        else:
            print(printable(f"{path}: {first.faces} face(s), "
                            f"{'usable' if first.usable else 'not usable: ' + ', '.join(first.reasons)}"
                            f" ({first.ms:.1f} ms)"))
    return status
