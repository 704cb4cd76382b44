"""Image files from outside (a QR picture, a photo to scan), checked by their header before a
pixel is decoded: a PNG of 439 KB can declare 20000×20000 pixels (1.6 GB once decoded),
OpenCV aborts with an assertion past 2^30 pixels and zxing-cpp refuses a 1,000,000×1 strip
with ``ValueError``. Here each of those is an ``ImageError`` with one plain line."""

from __future__ import annotations

import os
import stat
import warnings
from typing import Any

DEFAULT_MAX_PIXELS = 50_000_000      # 50 MP: twice a 24 MP document camera's frame
MAX_SIDE = 20_000                    # pixels along either side
MAX_FILE_BYTES = 64 * 1024**2


class ImageError(Exception):
    """The file is missing, not an image, or too large to decode; ``str()`` is one line."""


def check_image_file(path: str | os.PathLike[str],
                     max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[int, int]:
    """(width, height) from the header of a regular image file within the limits, else
    ``ImageError``. Reads the header only (Pillow opens lazily)."""
    from PIL import Image

    name = os.fspath(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise ImageError(f"{name}: no such file") from None
    except OSError as exc:
        raise ImageError(f"{name}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ImageError(f"{name}: not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise ImageError(f"{name}: {st.st_size} bytes; the limit is {MAX_FILE_BYTES}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(name) as im:
                width, height = im.size
    except Image.DecompressionBombError:
        raise ImageError(f"{name}: declares more than {max_pixels} pixels (the limit)") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad files
        raise ImageError(f"{name}: not a readable image ({exc.__class__.__name__})") from None
    if width < 1 or height < 1 or width > MAX_SIDE or height > MAX_SIDE:
        raise ImageError(f"{name}: declares {width}×{height} pixels; each side must be "
                         f"1 to {MAX_SIDE}")
    if width * height > max_pixels:
        raise ImageError(f"{name}: declares {width}×{height} = {width * height} pixels; "
                         f"the limit is {max_pixels}")
    return width, height


def read_image(path: str | os.PathLike[str], *, grey: bool,
               max_pixels: int = DEFAULT_MAX_PIXELS) -> Any:
    """The decoded image (numpy, BGR or grey) of a file that passed ``check_image_file``."""
    import cv2
    import numpy as np

    check_image_file(path, max_pixels)
    name = os.fspath(path)
    img = cv2.imread(name, cv2.IMREAD_GRAYSCALE if grey else cv2.IMREAD_COLOR)
    if img is None:  # formats OpenCV lacks (GIF): Pillow, within the same limits
        from PIL import Image

        try:
            with Image.open(name) as im:
                img = np.array(im.convert("L")) if grey else \
                    cv2.cvtColor(np.array(im.convert("RGB")), cv2.COLOR_RGB2BGR)
        except Exception as exc:  # noqa: BLE001
            raise ImageError(f"{name}: not a readable image ({exc.__class__.__name__})") from None
    return img
