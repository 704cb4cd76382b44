"""Quality checks on a detected page, and auto-capture when the page is still and good.

Checks (each with a threshold from ``QualityThresholds`` / kiosk.toml ``[devices.document_camera]``):
- ``page``: a page was found with enough confidence (else "no page" / "cut off");
- ``sharpness``: focus score 0–1 from the steepness of the page outline relative to its
  contrast (content-independent: a blank page and a dense form score alike); roughly
  1/σ for an edge blurred by a Gaussian of σ pixels;
- ``glare``: share of the page that is blown out *and* much brighter than the page's own
  paper (a reflection spot, not a well-exposed white page);
- ``edge``: the page touches (or runs off) the frame edge;
- ``size``: the page covers too little of the frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from devices.camera.detect import as_bgr, outward_normal, side_profiles
from devices.camera.geometry import polygon_area
from devices.camera.types import PageDetection, QualityReport, QualityThresholds

MESSAGES: dict[str, tuple[str, str]] = {
    "no_page": ("请将材料平放在拍摄区域内", "Place the document flat in the capture area."),
    "touching_edge": ("材料超出拍摄区域，请移到中间", "The page runs off the picture; move it to the centre."),
    "blurred": ("画面模糊，请保持材料不动", "The picture is blurred; keep the page still."),
    "glare": ("反光太强，请调整材料角度或遮挡强光", "Too much glare; tilt the page or shade the light."),
    "too_small": ("材料太小，请放到拍摄区域中央", "The page is too small; place it in the middle of the area."),
    "low_confidence": ("未能准确识别材料边缘，请移开遮挡物", "The page edges are unclear; remove anything covering them."),
}


def focus_score(frame: NDArray[Any], corners: NDArray[Any]) -> float:
    """Sharpness of the page outline, 0 (blurred) – 1 (sharp), judged at preview scale
    (larger frames are scaled to 1280 px first so that a still scores like its preview)."""
    h, w = frame.shape[:2]
    if max(w, h) > 1280:
        s = 1280 / max(w, h)
        frame = cv2.resize(frame, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
        corners = (corners + 0.5) * s - 0.5
    ratios: list[NDArray[Any]] = []
    for k in range(4):
        p0, p1 = corners[k], corners[(k + 1) % 4]
        length = float(np.linalg.norm(p1 - p0))
        _, _, prof = side_profiles(frame, p0, p1, outward_normal(corners, k), 10.0,
                                   int(np.clip(length / 8, 8, 40)))
        contrast = np.abs(prof[:, -3:].mean(1) - prof[:, :3].mean(1))
        slope = np.abs(prof[:, 1:] - prof[:, :-1]).max(1)
        good = contrast > 12
        if good.any():
            ratios.append(slope[good] / contrast[good])
    if not ratios:
        return 0.0
    r = float(np.median(np.concatenate(ratios)))
    # An ideal step sampled at 1 px gives ~0.8; a Gaussian edge of σ px gives ≈ 0.4/σ.
    return float(np.clip(r / 0.4, 0.0, 1.0))


def glare_share(frame: NDArray[Any], corners: NDArray[Any]) -> float:
    h, w = frame.shape[:2]
    scale = min(1.0, 480 / max(w, h))
    small = cv2.resize(frame, (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    mask = np.zeros(grey.shape, np.uint8)
    cv2.fillConvexPoly(mask, np.round((corners + 0.5) * scale - 0.5).astype(np.int32), 255)
    inside = grey[mask > 0]
    if inside.size == 0:
        return 0.0
    paper = float(np.percentile(inside, 60))
    blown = (inside >= 248) & (inside > paper + 18)
    return float(blown.mean())


def check_quality(frame: NDArray[Any], detection: PageDetection,
                  thresholds: QualityThresholds | None = None) -> QualityReport:
    """All checks on one frame; ``ok`` only when every check passes. Pure; off-GUI-thread."""
    t = thresholds or QualityThresholds()
    frame = as_bgr(frame)
    h, w = frame.shape[:2]
    checks: dict[str, dict[str, object]] = {}
    failed: list[str] = []
    c = detection.corners
    found = c is not None and detection.confidence >= t.min_confidence
    checks["page"] = {"ok": found, "value": round(detection.confidence, 3),
                      "limit": t.min_confidence, "reason": detection.reason}
    if c is None:
        failed.append(detection.reason if detection.reason in MESSAGES else "no_page")
    elif not found:
        failed.append("low_confidence")
    if c is not None:
        sharp = focus_score(frame, c)
        checks["sharpness"] = {"ok": sharp >= t.min_sharpness, "value": round(sharp, 3),
                               "limit": t.min_sharpness}
        glare = glare_share(frame, c)
        checks["glare"] = {"ok": glare <= t.max_glare, "value": round(glare, 4),
                           "limit": t.max_glare}
        margin = float(min(c[:, 0].min() + 0.5, w - 0.5 - c[:, 0].max(),
                           c[:, 1].min() + 0.5, h - 0.5 - c[:, 1].max()))
        limit = t.edge_margin * max(w, h)
        checks["edge"] = {"ok": margin > limit, "value": round(margin, 1), "limit": round(limit, 1)}
        area = polygon_area(c) / (w * h)
        checks["size"] = {"ok": area >= t.min_area, "value": round(area, 4), "limit": t.min_area}
        for key, code in (("edge", "touching_edge"), ("sharpness", "blurred"),
                          ("glare", "glare"), ("size", "too_small")):
            if not checks[key]["ok"]:
                failed.append(code)
    messages = [{"code": code, "zh": MESSAGES[code][0], "en": MESSAGES[code][1]} for code in failed]
    return QualityReport(ok=not failed, checks=checks, messages=messages)


@dataclass
class AutoCaptureState:
    still_since: float | None = None
    armed: bool = True
    last: NDArray[Any] | None = None
    shot: NDArray[Any] | None = None


class AutoCapture:
    """Feed it every preview detection + quality report; ``feed`` returns True once when the
    page has been still (corners moving less than ``still_pixels`` × diagonal per frame) for
    ``still_seconds`` with every check passing. After a shot it re-arms only when the page is
    taken away or moved a lot, so one page is not captured twice."""

    REARM_MOVE = 0.08  # share of the diagonal

    def __init__(self, thresholds: QualityThresholds | None = None) -> None:
        self.t = thresholds or QualityThresholds()
        self.s = AutoCaptureState()

    def reset(self) -> None:
        self.s = AutoCaptureState()

    def progress(self, now: float) -> float:
        """0–1 toward the shot, for a countdown ring in the UI."""
        if self.s.still_since is None or not self.s.armed:
            return 0.0
        return float(min(1.0, (now - self.s.still_since) / max(self.t.still_seconds, 1e-6)))

    def feed(self, detection: PageDetection, report: QualityReport, now: float) -> bool:
        c = detection.corners
        if c is None:
            self.s.still_since, self.s.last, self.s.armed = None, None, True
            return False
        w, h = detection.frame_size
        diag = float(np.hypot(w, h))
        prev, self.s.last = self.s.last, c
        move = float(np.abs(c - prev).max()) / diag if prev is not None else 1.0
        if not self.s.armed:
            shot = self.s.shot
            if shot is not None and float(np.abs(c - shot).max()) / diag > self.REARM_MOVE:
                self.s.armed = True
            else:
                return False
        if move > self.t.still_pixels or not report.ok:
            self.s.still_since = None
            return False
        if self.s.still_since is None:
            self.s.still_since = now
            return False
        if now - self.s.still_since >= self.t.still_seconds:
            self.s.armed, self.s.still_since, self.s.shot = False, None, c
            return True
        return False


class OutlineSmoother:
    """Temporal smoothing of the preview outline: small jitter is averaged away, a real move
    is followed at once, and a few missed frames do not make the outline flicker."""

    def __init__(self, alpha: float = 0.5, jump: float = 0.02, hold_frames: int = 3) -> None:
        self.alpha, self.jump, self.hold = alpha, jump, hold_frames
        self.corners: NDArray[Any] | None = None
        self.missed = 0

    def update(self, detection: PageDetection) -> NDArray[Any] | None:
        c = detection.corners
        if c is None:
            self.missed += 1
            if self.missed > self.hold:
                self.corners = None
            return self.corners
        self.missed = 0
        w, h = detection.frame_size
        if self.corners is None or np.abs(c - self.corners).max() > self.jump * np.hypot(w, h):
            self.corners = c.copy()
        else:
            self.corners = self.alpha * c + (1 - self.alpha) * self.corners
        return self.corners
