"""Values the document-camera pipeline passes around (all immutable apart from pixel arrays)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

DEVICE_CLASS = "camera"


@dataclass(frozen=True)
class Frame:
    """One picture from the camera: BGR pixels and when it was taken (``time.monotonic()``)."""

    image: NDArray[Any]
    timestamp: float
    index: int = 0  # frame counter since open, for fps and "is this a new frame"

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.image.shape[:2]
        return w, h


@dataclass(frozen=True)
class PageDetection:
    """Where the page is. ``corners``: 4×2 float array in the frame's pixel coordinates,
    clockwise from top-left, or None with ``reason`` (``no_page``, ``too_small``…);
    ``confidence`` 0–1 (share of the outline backed by a straight edge)."""

    corners: NDArray[Any] | None
    confidence: float
    reason: str = ""
    frame_size: tuple[int, int] = (0, 0)  # (w, h) the corners refer to

    @property
    def found(self) -> bool:
        return self.corners is not None

    def scaled_to(self, size: tuple[int, int]) -> NDArray[Any] | None:
        """Corners for the same scene at another resolution (preview → still)."""
        if self.corners is None:
            return None
        fw, fh = self.frame_size
        sx, sy = size[0] / fw, size[1] / fh
        # Pixel-centre coordinates: scale about the image corner (-0.5, -0.5).
        scaled: NDArray[Any] = (self.corners + 0.5) * np.array([sx, sy]) - 0.5
        return scaled

    def corners_list(self) -> list[list[float]] | None:
        if self.corners is None:
            return None
        return [[round(float(x), 2), round(float(y), 2)] for x, y in self.corners]


@dataclass(frozen=True)
class QualityThresholds:
    """Limits for the quality checks; set from the camera's ``[devices.ROLE]`` options."""

    min_sharpness: float = 0.4  # focus score 0–1 (outline steepness; ≈ 1/σ px at 1280 px)
    max_glare: float = 0.015  # share of the page that is blown-out white
    min_area: float = 0.03  # page area / frame area (an ID card under an A4 camera ≈ 0.05)
    edge_margin: float = 0.004  # page closer to the frame edge than this share of the width
    min_confidence: float = 0.6  # outline certainty
    still_seconds: float = 0.8  # auto-capture: page still for this long
    still_pixels: float = 0.006  # "still": corners move less than this share of the diagonal

    @staticmethod
    def from_options(options: Mapping[str, Any]) -> QualityThresholds:
        base = QualityThresholds()
        kw = {}
        for name in base.__dataclass_fields__:
            if name in options:
                kw[name] = float(options[name])
        return QualityThresholds(**kw)


@dataclass(frozen=True)
class QualityReport:
    """``checks``: code → {"ok": bool, "value": float, "limit": float}; ``messages``: one
    plain-language line per failed check, keyed by the same code: ``{"code", "zh", "en"}``."""

    ok: bool
    checks: Mapping[str, Mapping[str, Any]]
    messages: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: dict(v) for k, v in self.checks.items()}


class EnhanceMode(StrEnum):
    COLOR = "color"
    GREY = "grey"
    BW = "bw"  # black-and-white document with shadow removal


@dataclass(frozen=True)
class PageImage:
    """A corrected page: JPEG bytes (JFIF density = ``dpi``) and their sha256 (hex)."""

    jpeg: bytes
    width: int
    height: int
    dpi: int
    sha256: str
    mode: EnhanceMode = EnhanceMode.COLOR


@dataclass(frozen=True)
class PdfFile:
    data: bytes
    sha256: str
    pages: int
