"""Finding and decoding barcodes in camera frames or image files.

zxing-cpp was chosen over pyzbar after measuring both on the ZXing and zxing-cpp corpora
(bench/bench_qr.py): it decodes at least as many codes in every folder, about twice as fast,
keeps the raw bytes (pyzbar's zbar guesses Shift-JIS for short UTF-8 Chinese, env-probe §8)
and reads inverted and Model 1 codes. pyzbar is used only when zxing-cpp is missing.

``decode_frame(image)`` takes a numpy array (grayscale or BGR, as OpenCV gives it) or a path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from devices.image_files import DEFAULT_MAX_PIXELS, MAX_SIDE, ImageError, read_image
from devices.scanner.payload import decode_payload
from devices.scanner.types import DecodedCode

try:
    import zxingcpp
except ImportError:  # pragma: no cover - depends on the installation
    zxingcpp = None  # type: ignore[assignment]


def load_image(path: str | os.PathLike[str], max_pixels: int = DEFAULT_MAX_PIXELS) -> Any:
    """Grayscale numpy array of an image file (PNG, JPEG, WebP, GIF via Pillow), refused by
    its header when it is too large (``devices.image_files``)."""
    return read_image(path, grey=True, max_pixels=max_pixels)


def backend() -> str:
    return "zxing-cpp" if zxingcpp is not None else "pyzbar"


def decode_frame(image: Any, formats: Sequence[str] | None = None,
                 max_pixels: int = DEFAULT_MAX_PIXELS) -> list[DecodedCode]:
    """All codes in ``image`` (numpy array or path). ``formats`` limits the symbologies
    (zxing-cpp names: "QRCode", "EAN13", …); None = every readable format."""
    if isinstance(image, str | os.PathLike):
        image = load_image(image, max_pixels)
    h, w = image.shape[:2]
    if w > MAX_SIDE or h > MAX_SIDE or w * h > max_pixels:
        raise ImageError(f"a {w}×{h} image is over the decoding limit")
    if zxingcpp is None:
        return _decode_pyzbar(image)
    kwargs: dict[str, Any] = {"text_mode": zxingcpp.TextMode.Plain}
    if formats:
        kwargs["formats"] = zxingcpp.barcode_formats_from_str(",".join(formats))
    out = []
    for b in zxingcpp.read_barcodes(image, **kwargs):
        raw = bytes(b.bytes)
        has_eci = b.content_type == zxingcpp.ContentType.UnknownECI or \
            b.symbology_identifier[-1:] in ("2", "4", "6")  # ]Q2/]Q4/]Q6: ECI present
        text = decode_payload(raw, b.text, has_eci)
        p = b.position
        corners = tuple((int(c.x), int(c.y)) for c in (p.top_left, p.top_right,
                                                       p.bottom_right, p.bottom_left))
        out.append(DecodedCode(text, b.format.name, corners, raw))
    return out


def _decode_pyzbar(image: Any) -> list[DecodedCode]:
    from pyzbar import pyzbar

    out = []
    for r in pyzbar.decode(image):
        pts = tuple((int(p.x), int(p.y)) for p in r.polygon[:4])
        out.append(DecodedCode(decode_payload(r.data), str(r.type), pts, r.data))
    return out
