"""Where frames come from: a UVC camera through OpenCV, or the simulator's files.

Both implement ``FrameSource``; the ``Camera`` device (device.py) does the rest (preview
pacing, stills, status, reconnect) the same way for both, so demo mode and tests exercise
the real capture path.

UVC recipe (research/devices.md §4.2): explicit backend (V4L2 on Linux, DirectShow on
Windows), FOURCC MJPG *before* the frame size (high resolutions exist only as MJPG), buffer
of one frame for a low-latency preview, discard the first frames after a mode change (auto
exposure settles), and always check the size actually delivered — drivers accept a size
and deliver another.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from devices.status import DeviceInfo, RequiredAction, Result

# OpenCV's own warnings ("can't open camera by index") would reach the console and the
# citizen-facing log unformatted; failures are reported as Results instead.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")
VIDEO_SUFFIXES = (".mp4", ".avi", ".mkv", ".mov", ".mjpeg", ".webm")


@dataclass(frozen=True)
class Mode:
    width: int
    height: int
    fourcc: str = "MJPG"


class FrameSource(Protocol):
    def open(self) -> Result[tuple[int, int]]:
        """Start delivering preview frames; the value is the preview size actually delivered."""
        ...

    def read(self) -> Result[NDArray[Any]]:
        """The next preview frame (BGR). Failure ``READ_FAILED``/``DISCONNECTED``."""
        ...

    def still(self) -> Result[NDArray[Any]]:
        """One full-resolution frame; the preview resumes afterwards."""
        ...

    def close(self) -> None: ...

    def info(self) -> DeviceInfo: ...

    @property
    def frame_interval(self) -> float:
        """Seconds between frames the source wants to be read at (0: as fast as it delivers)."""
        ...


def _fourcc(code: str) -> int:
    return int(cv2.VideoWriter.fourcc(*code))


def default_backend() -> int:
    if sys.platform.startswith("linux"):
        return int(cv2.CAP_V4L2)
    if sys.platform == "win32":
        return int(cv2.CAP_DSHOW)
    return int(cv2.CAP_ANY)


class UvcSource:
    """A UVC document camera (``/dev/video<index>``)."""

    SETTLE_FRAMES = 3

    def __init__(self, index: int, preview: Mode, still: Mode, backend: int | None = None) -> None:
        self.index, self.preview_mode, self.still_mode = index, preview, still
        self.backend = default_backend() if backend is None else backend
        self.cap: cv2.VideoCapture | None = None
        self.delivered: tuple[int, int] = (0, 0)
        self.still_delivered: tuple[int, int] = (0, 0)

    @property
    def frame_interval(self) -> float:
        return 0.0  # the driver paces us: read() blocks until the next frame

    def _configure(self, mode: Mode) -> Result[tuple[int, int]]:
        cap = self.cap
        assert cap is not None
        # Order matters: FOURCC first, else V4L2 picks YUYV and caps the size (OpenCV #9540).
        cap.set(cv2.CAP_PROP_FOURCC, _fourcc(mode.fourcc))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, mode.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, mode.height)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        frame = None
        for _ in range(self.SETTLE_FRAMES):
            ok, frame = cap.read()
            if not ok:
                frame = None
        if frame is None:
            return Result.failure("READ_FAILED", "camera delivers no picture",
                                  RequiredAction.RESET, f"index {self.index}")
        h, w = frame.shape[:2]
        return Result.success((w, h))

    def open(self) -> Result[tuple[int, int]]:
        self.close()
        cap = cv2.VideoCapture(self.index, self.backend)
        if not cap.isOpened():
            cap.release()
            return Result.failure("DISCONNECTED", "document camera not found",
                                  RequiredAction.MAINTENANCE, f"/dev/video{self.index}")
        self.cap = cap
        r = self._configure(self.preview_mode)
        if r.ok:
            self.delivered = r.unwrap()
        return r

    def read(self) -> Result[NDArray[Any]]:
        if self.cap is None:
            return Result.failure("DISCONNECTED", "camera not open", RequiredAction.RESET)
        ok, frame = self.cap.read()
        if not ok or frame is None:
            return Result.failure("READ_FAILED", "camera stopped delivering pictures",
                                  RequiredAction.RESET)
        return Result.success(frame)

    def still(self) -> Result[NDArray[Any]]:
        if self.cap is None:
            return Result.failure("DISCONNECTED", "camera not open", RequiredAction.RESET)
        r = self._configure(self.still_mode)
        frame = None
        if r.ok:
            self.still_delivered = r.unwrap()
            ok, frame = self.cap.read()
        back = self._configure(self.preview_mode)
        if back.ok:
            self.delivered = back.unwrap()
        if frame is None:
            return Result.failure("READ_FAILED", "camera could not take a full picture",
                                  RequiredAction.RESET)
        return Result.success(frame)

    def close(self) -> None:
        if self.cap is not None:
            self.cap.release()
            self.cap = None

    def info(self) -> DeviceInfo:
        backend = self.cap.getBackendName() if self.cap is not None else ""
        return DeviceInfo(model=f"UVC camera ({backend or 'not open'})",
                          port=f"/dev/video{self.index}",
                          firmware=f"preview {self.delivered[0]}x{self.delivered[1]}, "
                                   f"still {self.still_delivered[0]}x{self.still_delivered[1]}")


class FileSource:
    """The simulator: plays image files (a file, a directory of images) or a video file as
    if a camera were filming them. Each image is held for ``hold_seconds``; during the first
    part of the hold the picture shakes a little (a page being laid down), then it is still,
    so auto-capture triggers as with a real page. Preview frames are the picture scaled to
    ``preview`` size; ``still()`` returns the file at full resolution. When the path
    disappears (unplugged), reads fail until it is back."""

    def __init__(self, path: Path, preview: Mode, fps: float = 15.0, hold_seconds: float = 4.0,
                 shake_seconds: float = 0.8, loop: bool = True) -> None:
        self.path, self.preview_mode, self.fps = path, preview, fps
        self.hold, self.shake, self.loop = hold_seconds, shake_seconds, loop
        self._files: list[Path] = []
        self._video: cv2.VideoCapture | None = None
        self._current: NDArray[Any] | None = None
        self._current_small: NDArray[Any] | None = None
        self._item = -1
        self._item_started = 0.0
        self._rng = np.random.default_rng(0)
        self.delivered: tuple[int, int] = (0, 0)

    @property
    def frame_interval(self) -> float:
        return 1.0 / self.fps if self.fps > 0 else 0.0

    def open(self) -> Result[tuple[int, int]]:
        self.close()
        p = self.path
        if not p.exists():
            return Result.failure("DISCONNECTED", "simulated camera source is missing",
                                  RequiredAction.RESET, str(p.name))
        if p.is_dir():
            self._files = sorted(f for f in p.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        elif p.suffix.lower() in VIDEO_SUFFIXES:
            cap = cv2.VideoCapture(str(p), cv2.CAP_FFMPEG)
            if not cap.isOpened():
                return Result.failure("READ_FAILED", "cannot play the simulator video",
                                      RequiredAction.CONFIGURATION, p.name)
            self._video = cap
        else:
            self._files = [p]
        if self._video is None and not self._files:
            return Result.failure("DISCONNECTED", "simulated camera has no pictures",
                                  RequiredAction.CONFIGURATION, str(p.name))
        self._item = -1
        first = self.read()
        if not first.ok:
            return Result(fault=first.fault)
        h, w = first.unwrap().shape[:2]
        self.delivered = (w, h)
        return Result.success((w, h))

    def _load(self, index: int) -> bool:
        f = self._files[index % len(self._files)]
        img = cv2.imread(str(f), cv2.IMREAD_COLOR)
        if img is None:
            return False
        self._current = img
        h, w = img.shape[:2]
        s = min(self.preview_mode.width / w, self.preview_mode.height / h, 1.0)
        self._current_small = cv2.resize(img, (max(1, round(w * s)), max(1, round(h * s))),
                                         interpolation=cv2.INTER_AREA)
        self._item = index
        self._item_started = time.monotonic()
        return True

    def read(self) -> Result[NDArray[Any]]:
        if not self.path.exists():
            self.close()
            return Result.failure("DISCONNECTED", "simulated camera unplugged",
                                  RequiredAction.RESET)
        if self._video is not None:
            ok, frame = self._video.read()
            if not ok and self.loop:
                self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = self._video.read()
            if not ok or frame is None:
                return Result.failure("READ_FAILED", "simulator video ended", RequiredAction.RESET)
            self._current = frame
            h, w = frame.shape[:2]
            s = min(self.preview_mode.width / w, self.preview_mode.height / h, 1.0)
            small = cv2.resize(frame, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
            return Result.success(small)
        if not self._files:
            return Result.failure("DISCONNECTED", "simulated camera not open", RequiredAction.RESET)
        now = time.monotonic()
        if self._item < 0 or (now - self._item_started >= self.hold
                              and (self.loop or self._item + 1 < len(self._files))):
            nxt = self._item + 1
            if not self._load(nxt):
                return Result.failure("READ_FAILED", "simulator picture unreadable",
                                      RequiredAction.CONFIGURATION,
                                      self._files[nxt % len(self._files)].name)
        assert self._current_small is not None
        age = now - self._item_started
        if age < self.shake:
            amp = 6.0 * (1 - age / self.shake)
            dx, dy = self._rng.uniform(-amp, amp, 2)
            m = np.array([[1, 0, dx], [0, 1, dy]], np.float32)
            h, w = self._current_small.shape[:2]
            return Result.success(cv2.warpAffine(self._current_small, m, (w, h),
                                                 borderMode=cv2.BORDER_REPLICATE))
        return Result.success(self._current_small.copy())

    def still(self) -> Result[NDArray[Any]]:
        if not self.path.exists() or self._current is None:
            return Result.failure("DISCONNECTED", "simulated camera unplugged",
                                  RequiredAction.RESET)
        return Result.success(self._current.copy())

    def close(self) -> None:
        if self._video is not None:
            self._video.release()
            self._video = None
        self._files = []
        self._current = self._current_small = None

    def info(self) -> DeviceInfo:
        return DeviceInfo(model="simulated document camera", vendor="kiosk simulator",
                          port="simulator", firmware=f"preview {self.delivered[0]}x{self.delivered[1]}")
