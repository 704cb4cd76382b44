"""Document camera (高拍仪): capture, page detection, quality checks, correction, PDF.

Device: ``Camera`` (open / close / poll_status / read_preview / capture_still / info), made
by the ``uvc`` or ``simulated`` driver (``drivers.py``). Pure, thread-safe processing:
``detect_page(frame) -> PageDetection``, ``check_quality(frame, detection, thresholds) ->
QualityReport``, ``PreviewDetector`` (live preview: tracks the last outline, ≈ 2 ms per
frame, full search every few frames), ``AutoCapture`` (feed detections, it says when to shoot),
``OutlineSmoother`` (steady outline in the preview), ``correct_page(still, corners, mode)
-> PageImage`` and ``build_pdf(pages) -> PdfFile``. Call them off the GUI thread.
"""

from devices.camera.correct import correct_page
from devices.camera.detect import PreviewDetector, detect_page
from devices.camera.device import Camera
from devices.camera.pdf import build_pdf
from devices.camera.quality import AutoCapture, OutlineSmoother, check_quality, focus_score
from devices.camera.types import (
    EnhanceMode,
    Frame,
    PageDetection,
    PageImage,
    PdfFile,
    QualityReport,
    QualityThresholds,
)

__all__ = [
    "AutoCapture", "Camera", "EnhanceMode", "Frame", "OutlineSmoother", "PageDetection",
    "PageImage", "PdfFile", "PreviewDetector", "QualityReport", "QualityThresholds", "build_pdf", "check_quality",
    "correct_page", "detect_page", "focus_score",
]
