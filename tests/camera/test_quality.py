"""Quality checks refuse what a citizen must fix, with a reason; auto-capture waits for a
still, good page and shoots once."""

from __future__ import annotations

import cv2
import numpy as np

from devices.camera.detect import detect_page
from devices.camera.quality import AutoCapture, OutlineSmoother, check_quality
from devices.camera.scenes import Scene
from devices.camera.types import PageDetection, QualityThresholds


def _codes(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [m["code"] for m in report.messages]


def test_good_page_passes_every_check(a4_on_dark_pad: Scene) -> None:
    d = detect_page(a4_on_dark_pad.image)
    r = check_quality(a4_on_dark_pad.image, d)
    assert r.ok, r.messages
    assert set(r.checks) == {"page", "sharpness", "glare", "edge", "size"}


def test_blurred_page_is_refused_as_blurred(a4_on_dark_pad: Scene) -> None:
    img = cv2.GaussianBlur(a4_on_dark_pad.image, (0, 0), 4)
    r = check_quality(img, detect_page(img))
    assert not r.ok
    assert "blurred" in _codes(r)
    msg = next(m for m in r.messages if m["code"] == "blurred")
    assert "模糊" in msg["zh"] and "blurred" in msg["en"]


def test_glare_spot_on_page_is_refused(a4_on_dark_pad: Scene) -> None:
    img = a4_on_dark_pad.image.copy()
    assert a4_on_dark_pad.corners is not None
    cx, cy = a4_on_dark_pad.corners.mean(0)
    cv2.circle(img, (int(cx), int(cy)), 60, (255, 255, 255), -1)
    d = PageDetection(a4_on_dark_pad.corners, 1.0, "", (1280, 720))
    r = check_quality(img, d)
    assert "glare" in _codes(r)


def test_page_running_off_the_frame_is_refused_as_cut_off(a4_on_dark_pad: Scene) -> None:
    shift = np.array([[1, 0, 500], [0, 1, 0]], np.float32)
    img = cv2.warpAffine(a4_on_dark_pad.image, shift, (1280, 720), borderMode=cv2.BORDER_REPLICATE)
    d = detect_page(img)
    # Either no outline, or one whose off-frame corner is extrapolated from two real edges.
    if d.corners is not None:
        assert d.corners[:, 0].max() > 1279
    r = check_quality(img, d)
    assert not r.ok and _codes(r) == ["touching_edge"]


def test_page_touching_the_frame_edge_is_refused(a4_on_dark_pad: Scene) -> None:
    assert a4_on_dark_pad.corners is not None
    c = a4_on_dark_pad.corners.copy()
    c[:, 1] -= c[:, 1].min() + 0.4  # top corner on the first pixel row
    r = check_quality(a4_on_dark_pad.image, PageDetection(c, 1.0, "", (1280, 720)))
    assert "touching_edge" in _codes(r)


def test_too_small_page_is_refused(a4_on_dark_pad: Scene) -> None:
    small = np.array([[600, 300], [660, 300], [660, 385], [600, 385]], float)
    r = check_quality(a4_on_dark_pad.image, PageDetection(small, 1.0, "", (1280, 720)))
    assert "too_small" in _codes(r)


def test_thresholds_come_from_options() -> None:
    t = QualityThresholds.from_options({"min_sharpness": 0.7, "still_seconds": 2})
    assert t.min_sharpness == 0.7 and t.still_seconds == 2.0 and t.max_glare == 0.015


def test_no_page_report_says_what_to_do() -> None:
    img = np.full((720, 1280, 3), 40, np.uint8)
    r = check_quality(img, detect_page(img))
    assert not r.ok and _codes(r) == ["no_page"]
    assert r.messages[0]["zh"] and r.messages[0]["en"]


def _feed(ac: AutoCapture, corners: np.ndarray | None, t: float, ok: bool = True) -> bool:
    from devices.camera.types import QualityReport

    d = PageDetection(corners, 1.0 if corners is not None else 0.0, "", (1280, 720))
    return ac.feed(d, QualityReport(ok, {}), t)


def test_auto_capture_shoots_once_when_still_long_enough() -> None:
    quad = np.array([[300, 100], [800, 100], [800, 650], [300, 650]], float)
    ac = AutoCapture(QualityThresholds(still_seconds=1.0))
    shots = [_feed(ac, quad + (0.3 if i % 2 else 0), i * 0.1) for i in range(30)]
    assert shots.count(True) == 1
    assert shots.index(True) == 11  # first still frame at 0.1 s, shot 1.0 s later


def test_auto_capture_waits_while_page_moves_or_a_check_fails() -> None:
    quad = np.array([[300, 100], [800, 100], [800, 650], [300, 650]], float)
    ac = AutoCapture(QualityThresholds(still_seconds=0.5))
    assert not any(_feed(ac, quad + i * 10, i * 0.1) for i in range(20))  # moving
    assert not any(_feed(ac, quad, 3 + i * 0.1, ok=False) for i in range(20))  # blurred
    assert any(_feed(ac, quad, 6 + i * 0.1) for i in range(20))


def test_auto_capture_rearms_when_the_page_is_taken_away() -> None:
    quad = np.array([[300, 100], [800, 100], [800, 650], [300, 650]], float)
    ac = AutoCapture(QualityThresholds(still_seconds=0.3))
    assert any(_feed(ac, quad, i * 0.1) for i in range(10))
    assert not any(_feed(ac, quad, 1 + i * 0.1) for i in range(20))  # same page: no 2nd shot
    _feed(ac, None, 3.5)  # page removed
    assert any(_feed(ac, quad, 4 + i * 0.1) for i in range(10))


def test_outline_smoother_damps_jitter_and_follows_moves() -> None:
    quad = np.array([[300, 100], [800, 100], [800, 650], [300, 650]], float)
    sm = OutlineSmoother()
    sm.update(PageDetection(quad, 1, "", (1280, 720)))
    out = sm.update(PageDetection(quad + 2, 1, "", (1280, 720)))
    assert out is not None and np.allclose(out, quad + 1)
    out = sm.update(PageDetection(quad + 200, 1, "", (1280, 720)))
    assert out is not None and np.allclose(out, quad + 200)
    for _ in range(3):
        assert sm.update(PageDetection(None, 0, "no_page", (1280, 720))) is not None
    assert sm.update(PageDetection(None, 0, "no_page", (1280, 720))) is None
