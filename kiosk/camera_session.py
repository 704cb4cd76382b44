"""The live document-camera loop behind the materials screen: preview frames with the page
outline, quality checks, auto-capture when the page is still and sharp (or a capture on
request), then the corrected page from a full-resolution still. Runs off the GUI thread."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from devices.base import Cancel
from devices.interfaces import DocumentCamera
from kiosk.services import PreviewFrame
from kiosk.session.model import Page

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from devices.camera.types import PageDetection, PageImage, QualityReport

log = logging.getLogger("kiosk.camera_session")

PREVIEW_WIDTH = 640  # what the screen shows; detection runs on the camera's preview frame
FRAME_INTERVAL_S = 1 / 30


def _problem(report: QualityReport) -> str:
    """The first failed check's code (blur, glare, no_page…), "" when all pass."""
    if report.ok:
        return ""
    for msg in report.messages:
        return str(msg.get("code", "capture_failed"))
    for code, check in report.checks.items():
        if not check.get("ok", True):
            return str(code)
    return "capture_failed"


def run_camera_session(camera: DocumentCamera, cancel: Cancel, capture_now: Callable[[], bool],
                       on_frame: Callable[[PreviewFrame], None],
                       on_page: Callable[[Page | None, str], None],
                       options: Mapping[str, Any] | None = None) -> None:
    from devices.camera.correct import correct_page
    from devices.camera.detect import PreviewDetector
    from devices.camera.drivers import camera_settings
    from devices.camera.quality import AutoCapture, OutlineSmoother, check_quality

    cs = camera_settings(options or {})
    thresholds = cs.thresholds
    auto = AutoCapture(thresholds)
    smoother = OutlineSmoother()
    # Tracks the last outline (≈ 9 ms/frame) with a full search every 5th frame (≈ 20 ms).
    detector = PreviewDetector()
    taken: NDArray[Any] | None = None  # corners of the last auto-captured page: no second shot of it
    while not cancel.cancelled:
        started = time.monotonic()
        r = camera.read_preview(cancel)
        if r.value is None:
            if cancel.cancelled:
                return
            on_page(None, "camera_unavailable")
            if cancel.wait(1.0):
                return
            continue
        frame = r.value
        image = frame.image
        detection = detector.detect(image)
        report = check_quality(image, detection, thresholds)
        outline = smoother.update(detection)
        wanted = capture_now()
        if taken is not None and _moved(taken, detection, image.shape):
            taken = None  # a new page (or none): auto-capture is armed again
        fire = (auto.feed(detection, report, time.monotonic()) and taken is None) or wanted
        h, w = image.shape[:2]
        scale = min(1.0, PREVIEW_WIDTH / w)
        small = cv2.resize(image, (round(w * scale), round(h * scale)),
                           interpolation=cv2.INTER_AREA) if scale < 1.0 else image
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        corners = None if outline is None else [(float(x) * scale, float(y) * scale)
                                                 for x, y in np.asarray(outline)]
        # The page just taken still lies there: say so instead of taking it again.
        problem = "same_page" if taken is not None and not wanted else _problem(report)
        on_frame(PreviewFrame(rgb.tobytes(), rgb.shape[1], rgb.shape[0], corners, problem))
        if fire:
            if not detection.found:
                on_page(None, "no_page")
            elif not report.ok and not wanted:
                pass
            else:
                on_page(*_take(camera, detection, lambda still, c: correct_page(
                    still, c, cs.mode, cs.dpi, max_bytes=cs.max_bytes)))
                taken = detection.corners
                auto.reset()
        rest = FRAME_INTERVAL_S - (time.monotonic() - started)
        if rest > 0 and cancel.wait(rest):
            return


def _moved(taken: NDArray[Any], detection: PageDetection, shape: tuple[int, ...]) -> bool:
    if not detection.found:
        return True
    diagonal = float(np.hypot(shape[0], shape[1]))
    shift = float(np.mean(np.linalg.norm(np.asarray(detection.corners) - taken, axis=1)))
    return shift > 0.05 * diagonal


def _take(camera: DocumentCamera, detection: PageDetection,
          correct_page: Callable[[NDArray[Any], NDArray[Any]], PageImage]
          ) -> tuple[Page | None, str]:
    r = camera.capture_still()
    if r.value is None:
        return None, "capture_failed"
    still = r.value.image
    h, w = still.shape[:2]
    corners = detection.scaled_to((w, h))
    if corners is None:
        return None, "no_page"
    page = correct_page(still, corners)
    return Page(page.jpeg, page.width, page.height, thumbnail(page.jpeg)), ""


def thumbnail(jpeg: bytes, height: int = 120) -> bytes:
    img = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_REDUCED_COLOR_4)
    if img is None:
        return b""
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(1, round(w * height / h)), height), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return bytes(buf) if ok else b""
