"""Face analysis of one camera frame: is there one face, where, its eyes, and is the picture
good enough to compare (frontal, sharp, well lit, eyes open, big enough).

Two analysers, one protocol (``analyse(image) -> FaceAnalysis``):

- ``DetectorFaceAnalyser`` (the kiosk's): a trained detector finds the face and its key points
  (``face_detector.BlazeFaceDetector``: MediaPipe's BlazeFace model, shipped in the package and
  run by OpenCV 5 — the locked OpenCV wheel ships no face model of its own, and no library on
  the registries both ships one and installs next to PySide6; docs/identity.md has the
  comparison and the figures); pose from the key points, quality from the pixels, eyelids
  from the classical analyser when it sees the same face.
- ``SkinFaceAnalyser`` (classical, no model; the bench's baseline): skin-colour segmentation in
  YCrCb (Chai & Ngan's ranges), the largest skin region's ellipse as the face, the non-skin
  holes in its upper half as the eyes; pose from where the eyes sit in the face, eyes open
  from their height, sharpness from the Laplacian, exposure from the face's brightness. It
  finds the simulator's drawn faces, not real ones (3 of 35 frames of a real photograph).

A site that needs a certified detector plugs in its vendor's ``FaceAnalyser``.

Nothing here keeps or writes an image.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

# Chai & Ngan (1999) skin ranges in YCrCb
_CR = (133, 173)
_CB = (77, 127)


@dataclass(frozen=True)
class FaceQuality:
    pose: float  # |yaw| estimate, 0 frontal … 1 profile
    sharpness: float  # variance of the Laplacian on the face
    exposure: float  # mean brightness of the face, 0–255
    eyes_open: float  # 0 closed … 1 open
    size: float  # face width / frame width

    def to_json(self) -> dict[str, float]:
        return {"pose": round(self.pose, 3), "sharpness": round(self.sharpness, 1),
                "exposure": round(self.exposure, 1), "eyesOpen": round(self.eyes_open, 3),
                "size": round(self.size, 3)}


@dataclass(frozen=True)
class FaceThresholds:
    max_pose: float = 0.18
    min_sharpness: float = 15.0
    min_exposure: float = 70.0
    max_exposure: float = 235.0
    min_eyes_open: float = 0.5
    min_size: float = 0.18
    max_size: float = 0.75


@dataclass(frozen=True)
class FaceAnalysis:
    faces: int
    box: tuple[int, int, int, int] | None = None  # x, y, w, h in the frame
    eyes: tuple[tuple[float, float], ...] = ()  # centres, left to right in the image
    yaw: float = 0.0  # signed: < 0 the features moved to the image's left
    quality: FaceQuality | None = None
    reasons: tuple[str, ...] = ()  # why not usable: no_face, too_far, turn_to_camera, …
    ms: float = 0.0
    # eyes_open is measured (else assumed open: a blink cannot be seen, ask for a turn)
    blink_measurable: bool = True

    @property
    def usable(self) -> bool:
        return self.faces == 1 and not self.reasons

    def to_json(self) -> dict[str, Any]:
        return {"faces": self.faces, "box": list(self.box) if self.box else None,
                "quality": self.quality.to_json() if self.quality else None,
                "usable": self.usable, "reasons": list(self.reasons), "ms": round(self.ms, 1)}


class FaceAnalyser(Protocol):
    def analyse(self, image: NDArray[Any]) -> FaceAnalysis: ...


@dataclass
class SkinFaceAnalyser:
    """The built-in analyser (see the module doc)."""

    thresholds: FaceThresholds = field(default_factory=FaceThresholds)
    work_width: int = 320  # frames are analysed at this width (≈ 2 ms on one core)

    def analyse(self, image: NDArray[Any]) -> FaceAnalysis:
        started = time.perf_counter()
        result = self._analyse(image)
        ms = (time.perf_counter() - started) * 1000
        return FaceAnalysis(result.faces, result.box, result.eyes, result.yaw, result.quality,
                            result.reasons, ms)

    def _analyse(self, image: NDArray[Any]) -> FaceAnalysis:
        if image.ndim != 3 or image.shape[0] < 32 or image.shape[1] < 32:
            return FaceAnalysis(0, reasons=("no_face",))
        h0, w0 = image.shape[:2]
        scale = min(1.0, self.work_width / w0)
        small = cv2.resize(image, (round(w0 * scale), round(h0 * scale)),
                           interpolation=cv2.INTER_AREA) if scale < 1 else image
        h, w = small.shape[:2]
        ycc = cv2.cvtColor(small, cv2.COLOR_BGR2YCrCb)
        skin = cv2.inRange(ycc, (40, _CR[0], _CB[0]), (255, _CR[1], _CB[1]))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
        skin = cv2.morphologyEx(skin, cv2.MORPH_OPEN, kernel)
        contours, _ = cv2.findContours(skin, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        min_area = 0.01 * w * h
        blobs = [c for c in contours if cv2.contourArea(c) >= min_area and len(c) >= 5]
        faces = []
        for c in blobs:
            x, y, bw, bh = cv2.boundingRect(c)
            ratio = bh / max(bw, 1)
            hull = cv2.convexHull(c)
            solidity = cv2.contourArea(c) / max(cv2.contourArea(hull), 1.0)
            if 0.9 <= ratio <= 2.2 and solidity >= 0.75:
                faces.append((cv2.contourArea(c), c, hull, (x, y, bw, bh)))
        if not faces:
            return FaceAnalysis(0, reasons=("no_face",))
        faces.sort(key=lambda f: -f[0])
        _, contour, hull, (x, y, bw, bh) = faces[0]
        eyes, openness = self._eyes(skin, hull, (x, y, bw, bh))
        if len(eyes) != 2:
            # A face without two eye-shaped holes is a face with closed eyes — or no face.
            # A closed eye leaves a thin dark line: look for two in the eye band.
            eyes, openness = self._closed_eyes(small, skin, (x, y, bw, bh))
            if len(eyes) != 2:
                return FaceAnalysis(0, reasons=("no_face",))
        cx = x + bw / 2
        mid = (eyes[0][0] + eyes[1][0]) / 2
        yaw = (mid - cx) / (bw / 2) / 0.45 * 1.6  # the simulator's shift per unit yaw, rescaled
        yaw = float(np.clip(yaw, -1.0, 1.0))
        grey = cv2.cvtColor(small[y:y + bh, x:x + bw], cv2.COLOR_BGR2GRAY)
        sharp = float(cv2.Laplacian(grey, cv2.CV_64F).var())
        exposure = float(grey.mean())
        size = bw / w
        q = FaceQuality(abs(yaw), sharp, exposure, openness, size)
        t = self.thresholds
        reasons = quality_reasons(q, t)
        inv = 1 / scale
        box = (round(x * inv), round(y * inv), round(bw * inv), round(bh * inv))
        eyes_full = tuple((ex * inv, ey * inv) for ex, ey in eyes)
        return FaceAnalysis(len(faces), box, eyes_full, yaw, q,
                            tuple(reasons) + (("several_faces",) if len(faces) > 1 else ()))

    @staticmethod
    def _eyes(skin: NDArray[Any], hull: NDArray[Any], box: tuple[int, int, int, int]
              ) -> tuple[list[tuple[float, float]], float]:
        x, y, bw, bh = box
        inside = np.zeros_like(skin)
        cv2.fillConvexPoly(inside, hull, 255)
        holes = cv2.bitwise_and(inside, cv2.bitwise_not(skin))
        band = np.zeros_like(skin)
        band[y + round(0.2 * bh):y + round(0.55 * bh), x:x + bw] = 255
        holes = cv2.bitwise_and(holes, band)
        n, _, stats, cents = cv2.connectedComponentsWithStats(holes)
        cands = []
        for i in range(1, n):
            cw, ch, area = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT], \
                stats[i, cv2.CC_STAT_AREA]
            if area < 6 or cw > 0.45 * bw or cw < 0.06 * bw:
                continue
            cands.append((float(area), (float(cents[i][0]), float(cents[i][1])), ch / cw))
        # In each half of the face the lowest hole of the band is the eye (the brow is above).
        mid = x + bw / 2
        left = [c for c in cands if c[1][0] < mid]
        right = [c for c in cands if c[1][0] >= mid]
        if not left or not right:
            return [], 0.0
        pair = [max(left, key=lambda c: c[1][1]), max(right, key=lambda c: c[1][1])]
        if abs(pair[0][1][1] - pair[1][1][1]) > 0.12 * bh:
            return [], 0.0
        openness = float(np.clip(min(p[2] for p in pair) / 0.45, 0.0, 1.0))
        return [p[1] for p in pair], openness

    @staticmethod
    def _closed_eyes(small: NDArray[Any], skin: NDArray[Any], box: tuple[int, int, int, int]
                     ) -> tuple[list[tuple[float, float]], float]:
        x, y, bw, bh = box
        y0, y1 = y + round(0.2 * bh), y + round(0.55 * bh)
        grey = cv2.cvtColor(small[y0:y1, x:x + bw], cv2.COLOR_BGR2GRAY)
        skin_grey = float(np.median(grey[skin[y0:y1, x:x + bw] > 0])) if np.any(
            skin[y0:y1, x:x + bw]) else 128.0
        dark = (grey < skin_grey - 50).astype(np.uint8) * 255
        n, _, stats, cents = cv2.connectedComponentsWithStats(dark)
        lines = [((float(cents[i][0]) + x, float(cents[i][1]) + y0), stats[i])
                 for i in range(1, n)
                 if stats[i, cv2.CC_STAT_WIDTH] >= 0.1 * bw
                 and stats[i, cv2.CC_STAT_HEIGHT] <= 0.5 * stats[i, cv2.CC_STAT_WIDTH]]
        # the lowest two wide dark strokes of the band (the brows are above the lids)
        lines.sort(key=lambda li: -li[0][1])
        pair = sorted(lines[:2], key=lambda li: li[0][0])
        if len(pair) != 2 or abs(pair[0][0][1] - pair[1][0][1]) > 0.08 * bh \
                or abs(pair[0][0][0] - pair[1][0][0]) < 0.2 * bw:
            return [], 0.0
        return [p[0] for p in pair], 0.0


@dataclass
class DetectorFaceAnalyser:
    """The kiosk's analyser: a trained detector finds the face (``BlazeFaceDetector``: real
    faces at 15–60 % of the frame, tilted ±20°, none on pages, cards or desks — figures in
    bench/bench_face.py and docs/identity.md), its key points give the eyes and the pose
    (the nose between the ears), the pixels give sharpness, exposure and size.

    Eyes open/closed needs more than six key points. It comes from the classical analyser
    when that one sees the same face (the simulator's people, a cooperative citizen before a
    plain background); otherwise the eyes count as open, so a blink challenge is not met and
    ``kiosk.face.check`` asks for a head turn instead (``blink_measurable``)."""

    thresholds: FaceThresholds = field(default_factory=FaceThresholds)
    detector: Any = None  # a BlazeFaceDetector (built on first use: it loads the model)
    yaw_gain: float = 1.25  # nose offset between the ears (share of half their distance) → yaw

    def __post_init__(self) -> None:
        self._classical = SkinFaceAnalyser(self.thresholds)

    def analyse(self, image: NDArray[Any]) -> FaceAnalysis:
        started = time.perf_counter()
        result = self._analyse(image)
        ms = (time.perf_counter() - started) * 1000
        return FaceAnalysis(result.faces, result.box, result.eyes, result.yaw, result.quality,
                            result.reasons, ms, result.blink_measurable)

    def _analyse(self, image: NDArray[Any]) -> FaceAnalysis:
        if image.ndim != 3 or image.shape[0] < 32 or image.shape[1] < 32:
            return FaceAnalysis(0, reasons=("no_face",))
        if self.detector is None:
            from devices.camera.face_detector import BlazeFaceDetector

            self.detector = BlazeFaceDetector()
        found = self.detector.detect(image)
        if not found:
            return FaceAnalysis(0, reasons=("no_face",))
        best = max(found, key=lambda d: d.box[2] * d.box[3])
        h0, w0 = image.shape[:2]
        bx, by, bw, bh = best.box
        x, y = max(0, round(bx)), max(0, round(by))
        w, h = min(w0 - x, round(bw)), min(h0 - y, round(bh))
        if w < 8 or h < 8:
            return FaceAnalysis(0, reasons=("no_face",))
        right_eye, left_eye, nose, _mouth, right_ear, left_ear = best.keypoints
        eyes = tuple(sorted((right_eye, left_eye)))
        # in the face's own frame (eye line horizontal), so a tilted head is not a turned one
        roll = np.arctan2(left_eye[1] - right_eye[1], left_eye[0] - right_eye[0])
        c, sn = float(np.cos(-roll)), float(np.sin(-roll))

        def along(p: tuple[float, float]) -> float:  # x in the face's frame
            return p[0] * c - p[1] * sn

        half = max(abs(along(left_ear) - along(right_ear)) / 2, 1.0)
        centre = (along(right_ear) + along(left_ear)) / 2
        yaw = float(np.clip((along(nose) - centre) / half * self.yaw_gain, -1.0, 1.0))
        grey = cv2.cvtColor(image[y:y + h, x:x + w], cv2.COLOR_BGR2GRAY)
        scale = min(1.0, 160 / max(w, 1))  # sharpness at a fixed face size, like the baseline
        if scale < 1:
            grey = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))),
                              interpolation=cv2.INTER_AREA)
        sharp = float(cv2.Laplacian(grey, cv2.CV_64F).var())
        exposure = float(grey.mean())
        openness, measurable = 1.0, False
        classical = self._classical.analyse(image)
        if classical.box is not None and classical.quality is not None \
                and _overlap(classical.box, (x, y, w, h)) > 0.3:
            openness, measurable = classical.quality.eyes_open, True
        q = FaceQuality(abs(yaw), sharp, exposure, openness, w / w0)
        t = self.thresholds
        reasons = quality_reasons(q, t)
        if len(found) > 1:
            reasons.append("several_faces")
        return FaceAnalysis(len(found), (x, y, w, h), eyes, yaw, q, tuple(reasons),
                            blink_measurable=measurable)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over the smaller box."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter / max(1, min(a[2] * a[3], b[2] * b[3]))


def face_crop_jpeg(image: NDArray[Any], box: tuple[int, int, int, int], margin: float = 0.35,
                   quality: int = 90) -> bytearray:
    """The face with a margin, as JPEG bytes in memory (a bytearray the caller wipes)."""
    x, y, w, h = box
    H, W = image.shape[:2]
    mx, my = round(w * margin), round(h * margin)
    crop = image[max(0, y - my):min(H, y + h + my), max(0, x - mx):min(W, x + w + mx)]
    ok, buf = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return bytearray(buf.tobytes()) if ok else bytearray()


def quality_reasons(q: FaceQuality, t: FaceThresholds) -> list[str]:
    """What keeps a found face from being usable, against the ``thresholds``, in the order
    the citizen is told (distance, pose, light, focus, eyes)."""
    reasons = []
    if q.size < t.min_size:
        reasons.append("too_far")
    elif q.size > t.max_size:
        reasons.append("too_close")
    if q.pose > t.max_pose:
        reasons.append("turn_to_camera")
    if q.exposure < t.min_exposure:
        reasons.append("too_dark")
    elif q.exposure > t.max_exposure:
        reasons.append("too_bright")
    if q.sharpness < t.min_sharpness:
        reasons.append("blurred")
    if q.eyes_open < t.min_eyes_open:
        reasons.append("eyes_closed")
    return reasons
