"""Perspective correction, enhancement and JPEG encoding of a page from a full-resolution still.

``correct_page(still, corners, mode)`` → ``PageImage``: the page cut out and straightened at
~200 dpi (A4 → 1654×2339; an ID-1 card at 300 dpi), enhanced, encoded as JPEG within a size
budget (quality stepped down until it fits), JFIF density set to the dpi (so img2pdf lays
the page out at its real size), sha256 of the bytes.

Enhancement modes:
- ``color``: background flattened (divide by a smooth estimate of the paper's brightness,
  computed on a small copy) and whitened, colours kept (red stamps stay red);
- ``grey``: the same on lightness only;
- ``bw``: black-and-white document: shadow removal by the same division, then a global
  Otsu threshold on the flattened page (a shadow is gone before thresholding).
"""

from __future__ import annotations

import hashlib
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from devices.camera.detect import as_bgr, refine
from devices.camera.geometry import order_clockwise
from devices.camera.types import EnhanceMode, PageImage

A4_MM = (210.0, 297.0)
ID1_MM = (85.6, 53.98)
MM_PER_INCH = 25.4
QUALITY_STEPS = (85, 78, 70, 62, 54, 46)


def _page_size_px(corners: NDArray[Any], dpi: int, card_dpi: int) -> tuple[int, int, int]:
    """Output width, height and dpi. A4 and ID-1 aspect ratios snap to their real size."""
    c = corners
    wpx = float(np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / 2
    hpx = float(np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])) / 2
    landscape = wpx > hpx
    ratio = max(wpx, hpx) / max(1.0, min(wpx, hpx))
    for (short, long), d in ((A4_MM, dpi), ((ID1_MM[1], ID1_MM[0]), card_dpi)):
        if abs(ratio / (long / short) - 1) < 0.06:
            s, lo = round(short / MM_PER_INCH * d), round(long / MM_PER_INCH * d)
            return (lo, s, d) if landscape else (s, lo, d)
    # Unknown format: keep the measured proportions, long side as an A4 long side at dpi.
    long_px = round(A4_MM[1] / MM_PER_INCH * dpi)
    k = long_px / max(wpx, hpx)
    return max(1, round(wpx * k)), max(1, round(hpx * k)), dpi


def _background(grey: NDArray[Any]) -> NDArray[Any]:
    """Smooth estimate of the paper's brightness (print and stamps removed by a closing),
    as uint8 at full size."""
    h, w = grey.shape
    small = cv2.resize(grey, (max(8, w // 8), max(8, h // 8)), interpolation=cv2.INTER_AREA)
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    bg = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, k), (0, 0), 3)
    bg = np.maximum(bg, 16)  # a black card border must not explode the gain
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


def enhance(page: NDArray[Any], mode: EnhanceMode) -> NDArray[Any]:
    """Integer OpenCV operations throughout: a 4-megapixel page in tens of milliseconds."""
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    bg = _background(grey)
    if mode is EnhanceMode.COLOR:
        # The same gain for B, G and R keeps hues (red stamps stay red); paper → ~242.
        out = cv2.divide(page, cv2.merge([bg, bg, bg]), scale=242)
        return cv2.LUT(out, _whiten_lut())
    flat = cv2.divide(grey, bg, scale=242)
    if mode is EnhanceMode.GREY:
        return cv2.LUT(flat, _whiten_lut())
    _, bw = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return bw


def _whiten_lut() -> NDArray[Any]:
    x = np.arange(256, dtype=np.float32)
    # Paper (≥ ~225 after flattening) to pure white, ink slightly darker: smaller JPEGs, clearer.
    y = np.clip((x - 12) * 255.0 / (225 - 12), 0, 255)
    return y.astype(np.uint8)


def encode_jpeg(img: NDArray[Any], dpi: int, max_bytes: int) -> bytes:
    """JPEG within ``max_bytes`` (quality stepped down), JFIF density = dpi."""
    data = b""
    for q in QUALITY_STEPS:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
        if not ok:
            raise RuntimeError("JPEG encoder failed")  # a bug or a broken OpenCV build
        data = buf.tobytes()
        if len(data) <= max_bytes:
            break
    return set_jfif_dpi(data, dpi)


def set_jfif_dpi(data: bytes, dpi: int) -> bytes:
    """Write the pixel density into the JFIF APP0 segment (libjpeg writes 0 = unknown)."""
    if data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\x00":
        d = dpi.to_bytes(2, "big")
        return data[:13] + b"\x01" + d + d + data[18:]
    return data


def correct_page(still: NDArray[Any], corners: NDArray[Any],
                 mode: EnhanceMode | str = EnhanceMode.COLOR, dpi: int = 200,
                 card_dpi: int = 300, max_bytes: int = 500_000,
                 snap: bool = True) -> PageImage:
    """Cut the page out of a full-resolution still. ``corners``: in the still's pixel
    coordinates (``PageDetection.scaled_to(still size)`` from a preview detection); with
    ``snap`` they are re-fitted to the still's own edges first (preview corners are a few
    still pixels off). Pure; call it off the GUI thread."""
    mode = EnhanceMode(mode)
    still = as_bgr(still)
    c = order_clockwise(np.asarray(corners, np.float64))
    if snap:
        scale = max(still.shape[:2]) / 1280.0
        r = refine(still, c, max(4.0, 3.0 * scale))
        if r is not None and not r[2]:
            c = order_clockwise(r[0])
    w, h, out_dpi = _page_size_px(c, dpi, card_dpi)
    dst = np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]],
                   np.float32)
    m = cv2.getPerspectiveTransform(c.astype(np.float32), dst)
    page = cv2.warpPerspective(still, m, (w, h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
    img = enhance(page, mode)
    data = encode_jpeg(img, out_dpi, max_bytes)
    return PageImage(jpeg=data, width=w, height=h, dpi=out_dpi,
                     sha256=hashlib.sha256(data).hexdigest(), mode=mode)
