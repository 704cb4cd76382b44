"""Camera drivers for the registry: ``uvc`` (OpenCV, explicit backend) and ``simulated``.

kiosk.toml options of a ``class = "camera"`` device (``[devices.document_camera]``; all
optional except as noted):

- ``uvc``: ``index`` (/dev/videoN, default 0), ``backend`` (``v4l2`` | ``dshow`` | ``msmf``
  | ``any``; default per OS), ``fourcc`` (``MJPG`` | ``YUYV``), ``preview_width`` /
  ``preview_height`` (1280×720), ``still_width`` / ``still_height`` (2592×1944);
- ``simulated``: ``source`` (an image, a directory of images or a video; default: demo
  scenes generated once into the cache directory), ``fps`` (15), ``hold_seconds`` (4);
  ``face`` (a face camera: who stands in front of it — ``match``, ``stranger``, ``photo``,
  ``none``; devices/camera/face_scenes.py) instead of ``source``;
- both: the quality thresholds of ``QualityThresholds`` (``min_sharpness``, ``max_glare``,
  ``min_area``, ``edge_margin``, ``min_confidence``, ``still_seconds``, ``still_pixels``),
  and output ``dpi`` (200), ``jpeg_max_kb`` (500), ``mode`` (``color`` | ``grey`` | ``bw``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2

from devices import options as opt
from devices.base import DeviceOptionError, DriverSpec, register_driver
from devices.camera.device import Camera
from devices.camera.sources import FileSource, Mode, UvcSource
from devices.camera.types import DEVICE_CLASS, EnhanceMode, QualityThresholds

_THRESHOLD_KEYS = frozenset(QualityThresholds.__dataclass_fields__)
_OUTPUT_KEYS = frozenset({"dpi", "jpeg_max_kb", "mode"})
_UVC_KEYS = frozenset({"index", "backend", "fourcc", "preview_width", "preview_height",
                       "still_width", "still_height"})
_SIM_KEYS = frozenset({"source", "fps", "hold_seconds", "preview_width", "preview_height",
                       "face"})
_BACKENDS = {"v4l2": cv2.CAP_V4L2, "dshow": cv2.CAP_DSHOW, "msmf": cv2.CAP_MSMF,
             "any": cv2.CAP_ANY}


@dataclass(frozen=True)
class CameraSettings:
    """What the pipeline around the device needs from the options."""

    thresholds: QualityThresholds
    dpi: int = 200
    max_bytes: int = 500_000
    mode: EnhanceMode = EnhanceMode.COLOR


def camera_settings(options: Mapping[str, Any]) -> CameraSettings:
    for key in _THRESHOLD_KEYS:
        if key in options:
            opt.number(options, key, 0.0, 0.0, 100.0)
    mode = opt.choice(options, "mode", "color", [m.value for m in EnhanceMode])
    return CameraSettings(QualityThresholds.from_options(options),
                          dpi=opt.integer(options, "dpi", 200, 72, 600),
                          max_bytes=opt.integer(options, "jpeg_max_kb", 500, 50, 20_000) * 1000,
                          mode=EnhanceMode(mode))


def make_uvc(name: str, options: Mapping[str, Any]) -> Camera:
    opt.only_known(options, _UVC_KEYS | _THRESHOLD_KEYS | _OUTPUT_KEYS)
    camera_settings(options)
    backend = opt.choice(options, "backend", None, _BACKENDS) if "backend" in options else None
    fourcc = opt.text(options, "fourcc", "MJPG", what="a four-letter code such as MJPG")
    if len(fourcc) != 4:
        raise DeviceOptionError("fourcc", fourcc, "a four-letter code such as MJPG")
    preview = Mode(opt.integer(options, "preview_width", 1280, 160, 8192),
                   opt.integer(options, "preview_height", 720, 120, 8192), fourcc)
    still = Mode(opt.integer(options, "still_width", 2592, 160, 10000),
                 opt.integer(options, "still_height", 1944, 120, 10000), fourcc)
    src = UvcSource(opt.integer(options, "index", 0, 0, 63), preview, still,
                    None if backend is None else int(_BACKENDS[backend]))
    return Camera(name, src)


def demo_source_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path(tempfile.gettempdir()))
    return base / "kiosk-camera-demo"


def make_simulated(name: str, options: Mapping[str, Any]) -> Camera:
    opt.only_known(options, _SIM_KEYS | _THRESHOLD_KEYS | _OUTPUT_KEYS | {"index"})
    camera_settings(options)
    if "face" in options:
        from devices.camera.face_scenes import SUBJECTS, FaceSceneSource

        subject = opt.choice(options, "face", "match", SUBJECTS)
        return Camera(name, FaceSceneSource(subject, fps=opt.number(options, "fps", 15.0, 1.0,
                                                                    60.0)))
    source = opt.text(options, "source", "", what="a path to images or a video", empty=True)
    if source:
        path = Path(source)
    else:  # demo mode: fictitious generated scenes (written once, reused)
        from devices.camera.scenes import write_demo_scenes

        path = demo_source_dir()
        write_demo_scenes(path)
    preview = Mode(opt.integer(options, "preview_width", 1280, 160, 8192),
                   opt.integer(options, "preview_height", 720, 120, 8192))
    src = FileSource(path, preview, fps=opt.number(options, "fps", 15.0, 0.0, 120.0),
                     hold_seconds=opt.number(options, "hold_seconds", 4.0, 0.1, 3600.0))
    return Camera(name, src)


register_driver(DriverSpec(DEVICE_CLASS, "uvc", make_uvc,
                           "UVC document camera through OpenCV (V4L2 / DirectShow)"))
register_driver(DriverSpec(DEVICE_CLASS, "simulated", make_simulated,
                           "plays image files or a video as a document camera"))
