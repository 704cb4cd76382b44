"""The face camera's simulator: a fictitious person in front of the kiosk, drawn live.

``FaceSceneSource`` is a ``FrameSource`` (sources.py), so demo mode and tests go through the
same ``Camera`` device, preview pacing and face pipeline as a real camera. What stands in
front of the camera is the ``subject``:

- ``match``: the demo portrait — the face the sandbox platform holds as the photo on file of
  every demo identity (``DEMO_PORTRAIT``); the person blinks and turns the head now and then,
  as people do, so a liveness challenge is met within a few seconds;
- ``stranger``: somebody else (another skin tone and eye spacing): alive, not the card's owner;
- ``photo``: the demo portrait printed on paper and held up — never blinks, never turns
  (fails liveness);
- ``portrait``: a real person's face — a public-domain photograph (``photos/astronaut.png``,
  NASA; see ``photos/PROVENANCE.md``) framed as a citizen at the kiosk; it is a picture, so it
  never blinks or turns (fails liveness) and matches no demo identity: it shows that the
  detector finds real faces, not only the drawn ones;
- ``none``: nobody (the wall behind the kiosk).

The drawing is deliberately simple (ellipses), but the pixels are a camera's: sensor noise,
a light gradient, and the person sways a little. Only ``portrait`` is a real person's face.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from devices.status import DeviceInfo, Result

SUBJECTS = ("match", "stranger", "photo", "portrait", "none")
PHOTO = Path(__file__).resolve().parent / "photos" / "astronaut.png"
# Where the face is in PHOTO (photos/PROVENANCE.md): centre and width in pixels.
PHOTO_FACE_CENTRE, PHOTO_FACE_WIDTH = (225.0, 128.0), 92.0
FRAME_SIZE = (640, 480)


@dataclass(frozen=True)
class Portrait:
    skin_bgr: tuple[int, int, int]
    eye_spacing: float  # share of the face width between the eye centres
    face_axes: tuple[float, float]  # half width, half height as a share of the frame height


# The photo on file of every demo identity (sandbox): fictitious, shared by all demo people.
DEMO_PORTRAIT = Portrait(skin_bgr=(140, 170, 215), eye_spacing=0.42, face_axes=(0.2, 0.27))
STRANGER = Portrait(skin_bgr=(92, 128, 178), eye_spacing=0.52, face_axes=(0.22, 0.26))

# One cycle of a live person's behaviour (seconds): still, blink, still, turn left, still,
# turn right. A liveness challenge is met within one cycle.
CYCLE_S = 4.0
_BLINKS = ((1.0, 1.4),)
_TURNS = ((1.8, 2.6, -1.0), (2.9, 3.7, 1.0))


def behaviour(t: float) -> tuple[float, float]:
    """(eyes open 0–1, yaw −1…1) of the live subject ``t`` seconds after it appeared."""
    phase = t % CYCLE_S
    eyes = 1.0
    for a, b in _BLINKS:
        if a <= phase < b:
            eyes = 0.0
    yaw = 0.0
    for a, b, direction in _TURNS:
        if a <= phase < b:
            yaw = direction * 0.6 * float(np.sin(np.pi * (phase - a) / (b - a)))
    return eyes, yaw


def _wall(w: int, h: int) -> NDArray[Any]:
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    light = 0.85 + 0.15 * (1 - np.abs(x - 0.5)) - 0.08 * y
    base = np.array([205, 195, 185], np.float32)  # a blue-grey wall (BGR)
    wall: NDArray[Any] = np.clip(light[..., None] * base, 0, 255).astype(np.uint8)
    return wall


def render_face(portrait: Portrait, eyes_open: float = 1.0, yaw: float = 0.0,
                size: tuple[int, int] = FRAME_SIZE, center: tuple[float, float] = (0.5, 0.48),
                background: NDArray[Any] | None = None) -> NDArray[Any]:
    """One BGR picture of ``portrait`` (no noise): ``yaw`` −1…1 shifts the features sideways
    as a turned head does; ``eyes_open`` 0 draws closed lids."""
    w, h = size
    img = _wall(w, h) if background is None else background.copy()
    cx, cy = center[0] * w, center[1] * h
    ax, ay = portrait.face_axes[0] * h * (1 - 0.15 * abs(yaw)), portrait.face_axes[1] * h
    c = (round(cx), round(cy))
    # hair behind and on top
    cv2.ellipse(img, (c[0], round(cy - 0.25 * ay)), (round(ax * 1.12), round(ay * 0.95)), 0, 180,
                360, (40, 45, 55), -1, cv2.LINE_AA)
    cv2.ellipse(img, c, (round(ax), round(ay)), 0, 0, 360, portrait.skin_bgr, -1, cv2.LINE_AA)
    cv2.ellipse(img, (c[0], round(cy - 0.78 * ay)), (round(ax * 0.95), round(ay * 0.3)), 0, 180,
                360, (40, 45, 55), -1, cv2.LINE_AA)
    shift = yaw * 0.45 * ax
    ex = portrait.eye_spacing * ax  # eye centre offset from the face's middle line
    ey = cy - 0.12 * ay
    eye_w, eye_h = 0.2 * ax, 0.09 * ay
    for side in (-1, 1):
        e = (round(cx + side * ex + shift), round(ey))
        if eyes_open > 0.5:
            cv2.ellipse(img, e, (round(eye_w), round(eye_h)), 0, 0, 360, (245, 245, 245), -1,
                        cv2.LINE_AA)
            cv2.circle(img, e, round(eye_h * 0.85), (50, 35, 30), -1, cv2.LINE_AA)
        else:
            cv2.line(img, (round(e[0] - eye_w), e[1]), (round(e[0] + eye_w), e[1]),
                     (60, 60, 80), max(1, round(eye_h * 0.25)), cv2.LINE_AA)
        brow = (round(e[0]), round(ey - 0.2 * ay))
        cv2.ellipse(img, brow, (round(eye_w * 1.1), round(eye_h * 0.5)), 0, 200, 340,
                    (50, 50, 60), max(2, round(eye_h * 0.3)), cv2.LINE_AA)
    nose_x = round(cx + 1.6 * shift)
    cv2.line(img, (nose_x, round(ey + 0.05 * ay)), (nose_x, round(cy + 0.22 * ay)),
             tuple(int(v * 0.8) for v in portrait.skin_bgr), max(2, round(0.02 * ax)),
             cv2.LINE_AA)
    cv2.ellipse(img, (round(cx + 1.2 * shift), round(cy + 0.45 * ay)),
                (round(0.28 * ax), round(0.07 * ay)), 0, 0, 360, (80, 80, 170), -1, cv2.LINE_AA)
    return img


def render_photo(size: tuple[int, int] = FRAME_SIZE) -> NDArray[Any]:
    """The demo portrait printed on paper, held up in front of the camera."""
    w, h = size
    pw, ph = round(0.56 * h), round(0.74 * h)
    paper = render_face(DEMO_PORTRAIT, size=(pw, ph), center=(0.5, 0.48),
                        background=np.full((ph, pw, 3), (215, 215, 210), np.uint8))
    paper = cv2.copyMakeBorder(paper, 14, 14, 14, 14, cv2.BORDER_CONSTANT, value=(250, 250, 250))
    paper = cv2.GaussianBlur(paper, (3, 3), 0)
    img = _wall(w, h)
    ph2, pw2 = paper.shape[:2]
    x0, y0 = (w - pw2) // 2, max(0, (h - ph2) // 2 - 10)
    img[y0:y0 + ph2, x0:x0 + pw2] = paper[:h - y0, :w - x0]
    return img


@cache
def _photo() -> NDArray[Any]:
    img = cv2.imread(str(PHOTO), cv2.IMREAD_COLOR)
    if img is None:
        raise FileNotFoundError(PHOTO)
    img.setflags(write=False)
    return img


def real_photo(size: tuple[int, int] = FRAME_SIZE, face_share: float = 0.3,
               angle: float = 0.0, centre: tuple[float, float] = (0.5, 0.45)) -> NDArray[Any]:
    """The real photograph framed in a ``size`` picture: the face ``face_share`` of the
    picture's width wide, its centre at ``centre`` (shares of the size), turned ``angle``
    degrees (the head tilted; positive = anticlockwise); the edges repeat the photo's."""
    w, h = size
    s = face_share * w / PHOTO_FACE_WIDTH
    m = cv2.getRotationMatrix2D(PHOTO_FACE_CENTRE, angle, s)
    m[0, 2] += centre[0] * w - PHOTO_FACE_CENTRE[0]
    m[1, 2] += centre[1] * h - PHOTO_FACE_CENTRE[1]
    out: NDArray[Any] = cv2.warpAffine(_photo(), m, (w, h), flags=cv2.INTER_AREA
                                       if s < 1 else cv2.INTER_LINEAR,
                                       borderMode=cv2.BORDER_REPLICATE)
    return out


class FaceSceneSource:
    """A ``FrameSource`` filming ``subject`` (see the module doc) at ``fps``. ``subject`` may
    be changed while the camera runs (tests and the demo present another person)."""

    def __init__(self, subject: str = "match", fps: float = 15.0,
                 size: tuple[int, int] = FRAME_SIZE, seed: int = 0) -> None:
        if subject not in SUBJECTS:
            raise ValueError(f"subject must be one of {', '.join(SUBJECTS)}")
        self.subject, self.fps, self.size = subject, fps, size
        self._rng = np.random.default_rng(seed)
        self._started = 0.0
        self._open = False
        self._photo: NDArray[Any] | None = None

    @property
    def frame_interval(self) -> float:
        return 1.0 / self.fps if self.fps > 0 else 0.0

    def open(self) -> Result[tuple[int, int]]:
        self._open = True
        self._started = time.monotonic()
        return Result.success(self.size)

    def present(self, subject: str) -> None:
        """Somebody else steps in front of the camera (their behaviour starts anew)."""
        if subject not in SUBJECTS:
            raise ValueError(f"subject must be one of {', '.join(SUBJECTS)}")
        self.subject = subject
        self._started = time.monotonic()

    def frame_at(self, t: float) -> NDArray[Any]:
        """The picture ``t`` seconds after the subject appeared (with sensor noise)."""
        w, h = self.size
        if self.subject == "none":
            img = _wall(w, h)
        elif self.subject == "portrait":
            sway = (0.5 + 0.004 * np.sin(t * 1.3), 0.45 + 0.003 * np.sin(t * 0.9))
            img = real_photo(self.size, 0.3, 0.0, (float(sway[0]), float(sway[1])))
        elif self.subject == "photo":
            if self._photo is None:
                self._photo = render_photo(self.size)
            img = self._photo.copy()
        else:
            eyes, yaw = behaviour(t)
            sway = (0.5 + 0.004 * np.sin(t * 1.3), 0.48 + 0.003 * np.sin(t * 0.9))
            portrait = DEMO_PORTRAIT if self.subject == "match" else STRANGER
            img = render_face(portrait, eyes, yaw, self.size, (float(sway[0]), float(sway[1])))
        noise = self._rng.normal(0.0, 2.0, img.shape).astype(np.int16)
        out: NDArray[Any] = np.clip(img.astype(np.int16) + noise, 0, 255).astype(np.uint8)
        return out

    def read(self) -> Result[NDArray[Any]]:
        if not self._open:
            return Result.failure("DISCONNECTED", "simulated face camera not open")
        return Result.success(self.frame_at(time.monotonic() - self._started))

    def still(self) -> Result[NDArray[Any]]:
        return self.read()

    def close(self) -> None:
        self._open = False

    def info(self) -> DeviceInfo:
        return DeviceInfo(model="simulated face camera", vendor="kiosk simulator",
                          port="simulator", firmware=f"{self.size[0]}x{self.size[1]}, "
                                                     f"subject {self.subject}")
