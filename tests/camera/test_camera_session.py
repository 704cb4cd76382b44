"""The materials screen's camera loop on the simulator: a page is taken once when it lies
still, and the page still lying there is not taken again (the preview says so)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2

from devices.base import Cancel, find_driver
from devices.camera import Camera
from devices.camera.scenes import Scene
from kiosk.camera_session import run_camera_session
from kiosk.services import PreviewFrame
from kiosk.session.model import Page


def _run(source: Path, seconds: float, capture_at: float | None = None
         ) -> tuple[list[Page | None], list[str]]:
    spec = find_driver("camera", "simulated")
    assert spec is not None
    cam = spec.factory("camera", {"source": str(source), "fps": 30, "hold_seconds": 1.0})
    assert isinstance(cam, Camera) and cam.open().ok
    pages: list[Page | None] = []
    problems: list[str] = []
    cancel = Cancel()
    started = time.monotonic()
    asked = [False]

    def capture_now() -> bool:
        if capture_at is not None and not asked[0] and time.monotonic() - started > capture_at:
            asked[0] = True
            return True
        return False

    def on_frame(f: PreviewFrame) -> None:
        problems.append(f.problem)

    def on_page(page: Page | None, problem: str) -> None:
        pages.append(page)

    worker = threading.Thread(target=run_camera_session,
                              args=(cam, cancel, capture_now, on_frame, on_page))
    worker.start()
    time.sleep(seconds)
    cancel.cancel()
    worker.join(10)
    cam.close()
    return pages, problems


def test_a_page_left_lying_is_taken_once_and_the_preview_says_it_is_done(
        tmp_path: Path, a4_on_dark_pad: Scene) -> None:
    # One picture, laid down again every second by the simulator (a little shake, then still).
    cv2.imwrite(str(tmp_path / "page.png"), a4_on_dark_pad.image)
    pages, problems = _run(tmp_path / "page.png", 4.0)
    assert len(pages) == 1 and pages[0] is not None
    taken_at = problems.index("same_page")
    assert problems[-1] == "same_page" and taken_at > 0


def test_a_tap_on_capture_takes_the_lying_page_again(tmp_path: Path, a4_on_dark_pad: Scene
                                                     ) -> None:
    """The citizen decides: 立即拍照 takes it even though it was taken (a retake)."""
    cv2.imwrite(str(tmp_path / "page.png"), a4_on_dark_pad.image)
    pages, _ = _run(tmp_path / "page.png", 4.0, capture_at=3.0)
    assert len(pages) == 2 and all(p is not None for p in pages)
