"""One PDF per material from its corrected pages, without re-encoding (img2pdf embeds the
JPEG bytes as they are: DCTDecode streams), with the sha256 of the file."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import img2pdf

from devices.camera.types import PageImage, PdfFile


def build_pdf(pages: Sequence[PageImage], title: str = "") -> PdfFile:
    """Pages in order; each page is laid out at its own dpi (A4 pages come out A4)."""
    if not pages:
        raise ValueError("build_pdf needs at least one page")  # caller's bug: no empty material
    kwargs: dict[str, object] = {}
    if title:
        kwargs["title"] = title
    data = img2pdf.convert([p.jpeg for p in pages], **kwargs)
    assert isinstance(data, bytes)
    return PdfFile(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages))
