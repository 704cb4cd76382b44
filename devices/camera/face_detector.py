"""A trained face detector for the face camera: MediaPipe's BlazeFace short-range model run by
the OpenCV we already have (``cv2.dnn`` reads TensorFlow Lite), no new dependency.

The model file (``models/face_detection_short_range.tflite``, 229 KB, Apache-2.0, see
``models/PROVENANCE.md``) ships in our package; nothing is downloaded at run time. It finds
faces filling roughly 10–80 % of a square picture — a citizen within two metres of the kiosk —
and gives six key points per face: the two eyes, the nose tip, the mouth and the two ear
tragions, which is what the quality checks (pose) need.

The decoding follows MediaPipe's ``TfLiteTensorsToDetectionsCalculator`` and
``SsdAnchorsCalculator`` for this model (128×128 input, strides 8, 16, 16, 16, two anchors
per cell and layer, fixed anchor size), with a plain non-maximum suppression.

Nothing here keeps or writes an image.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

MODEL = Path(__file__).resolve().parent / "models" / "face_detection_short_range.tflite"
INPUT = 128
MIN_SCORE = 0.7  # MediaPipe says 0.5; 0.7 gives no false face on our no-face scenes (bench)
NMS_IOU = 0.3


def _anchors() -> NDArray[np.float32]:
    out: list[tuple[float, float]] = []
    for stride, repeats in ((8, 2), (16, 6)):  # strides 8, 16, 16, 16: the 16s merge
        cells = INPUT // stride
        for y in range(cells):
            for x in range(cells):
                out.extend([((x + 0.5) / cells, (y + 0.5) / cells)] * repeats)
    return np.array(out, np.float32)


@dataclass(frozen=True)
class Detection:
    score: float
    box: tuple[float, float, float, float]  # x, y, w, h in the frame's pixels
    # (x, y) in the frame: right eye, left eye (the person's; image left, then right),
    # nose tip, mouth, right ear, left ear
    keypoints: tuple[tuple[float, float], ...]


class BlazeFaceDetector:
    """``detect(bgr) -> [Detection]``, best first. One network per detector; calls are
    serialised (``cv2.dnn.Net`` is not re-entrant), which suits one camera loop."""

    def __init__(self, model: Path = MODEL, min_score: float = MIN_SCORE) -> None:
        self.net = cv2.dnn.readNetFromTFLite(str(model))
        self.names = self.net.getUnconnectedOutLayersNames()
        self.anchors = _anchors()
        self.min_score = min_score
        self._lock = threading.Lock()

    def detect(self, image: NDArray[Any]) -> list[Detection]:
        h, w = image.shape[:2]
        side = max(h, w)  # letterbox to a square: the model sees undistorted faces
        top, left = (side - h) // 2, (side - w) // 2
        square = cv2.copyMakeBorder(image, top, side - h - top, left, side - w - left,
                                    cv2.BORDER_CONSTANT, value=(0, 0, 0))
        blob = cv2.dnn.blobFromImage(square, 1 / 127.5, (INPUT, INPUT),
                                     (127.5, 127.5, 127.5), swapRB=True)
        with self._lock:
            self.net.setInput(blob)
            outs = self.net.forward(self.names)
        regs, raw = (outs[0], outs[1]) if outs[0].shape[-1] == 16 else (outs[1], outs[0])
        scores = 1 / (1 + np.exp(-np.clip(raw.reshape(-1), -80, 80)))
        keep = np.flatnonzero(scores >= self.min_score)
        if keep.size == 0:
            return []
        r = regs.reshape(-1, 8, 2)[keep] / INPUT
        anchors = self.anchors[keep]
        centres = r[:, 0] + anchors
        sizes = r[:, 1]
        points = r[:, 2:] + anchors[:, None, :]
        boxes = np.concatenate([centres - sizes / 2, sizes], axis=1) * side
        boxes[:, 0] -= left
        boxes[:, 1] -= top
        points = points * side - np.array([left, top], np.float32)
        order = _nms(boxes, scores[keep])
        return [Detection(float(scores[keep][i]),
                          (float(boxes[i, 0]), float(boxes[i, 1]), float(boxes[i, 2]),
                           float(boxes[i, 3])),
                          tuple((float(px), float(py)) for px, py in points[i]))
                for i in order if boxes[i, 2] > 0 and boxes[i, 3] > 0]


def _nms(boxes: NDArray[Any], scores: NDArray[Any]) -> list[int]:
    order = list(np.argsort(-scores))
    kept: list[int] = []
    while order:
        i = order.pop(0)
        kept.append(int(i))
        order = [j for j in order if _iou(boxes[i], boxes[j]) < NMS_IOU]
    return kept


def _iou(a: NDArray[Any], b: NDArray[Any]) -> float:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return float(inter / union) if union > 0 else 0.0
