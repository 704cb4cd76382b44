"""One face-check attempt on the face camera, off the GUI thread: live preview with the
prompt of the moment, automatic capture when a usable face (frontal, sharp, lit, eyes open,
big enough) holds steady, an active liveness challenge (blink, or turn the head as asked),
a second capture once it is met, then the matcher's comparison.

Prompts (the preview frame's ``problem``; the screen words them): ``no_face``, ``too_far``,
``too_close``, ``turn_to_camera``, ``too_dark``, ``too_bright``, ``blurred``, ``eyes_closed``,
``several_faces``, ``hold_still``, ``BLINK``, ``TURN_LEFT``, ``TURN_RIGHT``, ``checking``.

Live images exist only as in-memory JPEG bytearrays inside the ``FaceProbe``; they are zeroed
as soon as the matcher answered, and nothing is written or logged.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2

from devices.base import Cancel
from devices.camera.face_analysis import FaceAnalyser, FaceAnalysis, face_crop_jpeg
from devices.interfaces import DocumentCamera
from devices.status import Result
from kiosk.face.matcher import FaceDecision, FaceMatcher, FaceProbe
from kiosk.services import PreviewFrame

CHALLENGES = ("BLINK", "TURN_LEFT", "TURN_RIGHT")
PREVIEW_WIDTH = 640
FRAME_INTERVAL_S = 1 / 30


@dataclass(frozen=True)
class FaceCheckTimes:
    face_s: float = 12.0  # no usable face this long: the attempt fails (NO_FACE)
    liveness_s: float = 8.0  # the challenge must be met within
    steady_s: float = 0.5  # a usable face holds this still before it is taken
    steady_share: float = 0.04  # "still": the face moved less than this share of the frame


class _Steady:
    def __init__(self, times: FaceCheckTimes) -> None:
        self.times = times
        self.seen: deque[tuple[float, float, float]] = deque()

    def feed(self, a: FaceAnalysis, now: float, width: int) -> bool:
        if not a.usable or a.box is None:
            self.seen.clear()
            return False
        x, y, w, h = a.box
        self.seen.append((now, x + w / 2, y + h / 2))
        while self.seen and now - self.seen[0][0] > self.times.steady_s:
            self.seen.popleft()
        if now - self.seen[0][0] < self.times.steady_s * 0.8:
            return False
        xs = [p[1] for p in self.seen]
        ys = [p[2] for p in self.seen]
        return max(max(xs) - min(xs), max(ys) - min(ys)) < self.times.steady_share * width


def _met(challenge: str, a: FaceAnalysis) -> bool:
    """Did this frame show the asked movement?"""
    if a.faces < 1 or a.quality is None:
        return False
    if challenge == "BLINK":
        return a.quality.eyes_open < 0.5 and abs(a.yaw) < 0.5
    # Left and right as the citizen sees it on the mirrored preview: their turn to the left
    # moves the features to the camera picture's right.
    if challenge == "TURN_LEFT":
        return a.yaw > 0.35
    return a.yaw < -0.35


def run_face_check(camera: DocumentCamera, cancel: Cancel, analyser: FaceAnalyser,
                   matcher: FaceMatcher, cert_type: str, cert_no: str,
                   on_frame: Callable[[PreviewFrame], None],
                   times: FaceCheckTimes | None = None, challenge: str = "",
                   clock: Callable[[], float] = time.monotonic) -> Result[FaceDecision]:
    """One attempt. The value is the decision (MATCH, NO_MATCH, NOT_LIVE, NO_FACE,
    NO_REFERENCE); faults: ``camera_unavailable``, ``cancelled``, the matcher's."""
    t = times or FaceCheckTimes()
    challenge = challenge or secrets.choice(CHALLENGES)
    steady = _Steady(t)
    images: list[bytearray] = []
    started = clock()
    phase_started = started
    met_at = 0.0
    frames = 0
    seen_face = False
    try:
        while True:
            if cancel.cancelled:
                return Result.failure("cancelled", "face check cancelled")
            tick = clock()
            r = camera.read_preview(cancel)
            if r.value is None:
                if cancel.cancelled:
                    return Result.failure("cancelled", "face check cancelled")
                return Result.failure("camera_unavailable", "the face camera delivers no picture")
            image = r.value.image
            a = analyser.analyse(image)
            frames += 1
            seen_face = seen_face or a.faces > 0
            now = clock()
            prompt = a.reasons[0] if a.reasons else ""
            if not images:  # framing: take the first picture when a good face holds still
                if steady.feed(a, now, image.shape[1]):
                    assert a.box is not None
                    images.append(face_crop_jpeg(image, a.box))
                    phase_started = now
                    if challenge == "BLINK" and not a.blink_measurable:
                        # the analyser cannot see this face's eyelids: ask for a turn
                        challenge = secrets.choice(CHALLENGES[1:])
                    prompt = challenge
                elif not prompt:
                    prompt = "hold_still"
                if not images and now - phase_started > t.face_s:
                    return Result.success(FaceDecision(
                        "NO_FACE", reasons=("POOR_QUALITY",) if seen_face else ("NO_FACE",)))
            else:  # the challenge: the asked movement, then a frontal face again
                if not met_at and _met(challenge, a):
                    met_at = now
                prompt = challenge if not met_at else (prompt or "hold_still")
                if met_at and a.usable and a.box is not None:
                    images.append(face_crop_jpeg(image, a.box))
                    _show(image, a, "checking", on_frame)
                    break
                if now - phase_started > t.liveness_s:
                    return Result.success(FaceDecision("NOT_LIVE",
                                                       reasons=("LIVENESS_TIMEOUT",)))
            _show(image, a, prompt, on_frame)
            rest = FRAME_INTERVAL_S - (clock() - tick)
            if rest > 0 and cancel.wait(rest):
                return Result.failure("cancelled", "face check cancelled")
        liveness = {"challenge": challenge, "passed": True, "framesAnalysed": frames,
                    "durationMs": round((met_at - phase_started) * 1000)}
        probe = FaceProbe(cert_type, cert_no, tuple(images), liveness)
        try:
            return matcher.verify(probe)
        finally:
            probe.wipe()
    finally:
        for img in images:  # zeroed whatever happened
            img[:] = b"\0" * len(img)


def _show(image: Any, a: FaceAnalysis, prompt: str,
          on_frame: Callable[[PreviewFrame], None]) -> None:
    h, w = image.shape[:2]
    scale = min(1.0, PREVIEW_WIDTH / w)
    small = cv2.resize(image, (round(w * scale), round(h * scale)),
                       interpolation=cv2.INTER_AREA) if scale < 1.0 else image
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    rgb = cv2.flip(rgb, 1)  # a mirror: the citizen moves the way they see themselves move
    corners = None
    if a.box is not None:
        x, y, bw, bh = (v * scale for v in a.box)
        mx = rgb.shape[1] - x - bw  # mirrored
        corners = [(mx, y), (mx + bw, y), (mx + bw, y + bh), (mx, y + bh)]
    on_frame(PreviewFrame(rgb.tobytes(), rgb.shape[1], rgb.shape[0], corners, prompt))
