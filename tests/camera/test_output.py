"""Corrected pages (size, dpi, budget, hashes) and the per-material PDF (no re-encoding)."""

from __future__ import annotations

import hashlib
import re

import cv2
import numpy as np
import pytest

from devices.camera import EnhanceMode, PageImage, build_pdf, correct_page, detect_page
from devices.camera.scenes import Scene, make_scene


def _decode(page: PageImage, flags: int = cv2.IMREAD_COLOR) -> np.ndarray:
    img = cv2.imdecode(np.frombuffer(page.jpeg, np.uint8), flags)
    assert img is not None
    return np.asarray(img)


@pytest.fixture(scope="module")
def still() -> Scene:
    return make_scene(4242, size=(2592, 1944), kind="a4", background="dark")


def test_a4_page_comes_out_a4_at_200_dpi_within_budget(still: Scene) -> None:
    d = detect_page(still.image)
    assert d.corners is not None
    page = correct_page(still.image, d.corners, EnhanceMode.COLOR)
    assert (page.width, page.height, page.dpi) == (1654, 2339, 200)
    assert len(page.jpeg) <= 500_000
    assert page.sha256 == hashlib.sha256(page.jpeg).hexdigest()
    assert page.jpeg[13:18] == b"\x01\x00\xc8\x00\xc8"  # JFIF density 200 dpi
    img = _decode(page)
    assert img.shape == (2339, 1654, 3)
    # Paper whitened: the page's median is near white.
    assert float(np.median(img)) > 235


def test_preview_corners_scaled_to_the_still_are_snapped_to_its_edges(still: Scene) -> None:
    preview = cv2.resize(still.image, (1280, 960), interpolation=cv2.INTER_AREA)
    d = detect_page(preview)
    corners = d.scaled_to((2592, 1944))
    assert corners is not None and still.corners is not None
    page = correct_page(still.image, corners + 4.0, "grey")  # preview error of a few px
    img = _decode(page, cv2.IMREAD_GRAYSCALE)
    # No dark background strip along the borders after snapping.
    assert img[:, :4].mean() > 200 and img[-4:, :].mean() > 200


def test_black_and_white_mode_is_two_level_and_removes_shadow(still: Scene) -> None:
    d = detect_page(still.image)
    assert d.corners is not None
    page = correct_page(still.image, d.corners, EnhanceMode.BW)
    img = _decode(page, cv2.IMREAD_GRAYSCALE)
    mid = float(np.mean((img > 60) & (img < 195)))
    assert mid < 0.03  # only JPEG ringing between black and white
    assert float(np.mean(img > 195)) > 0.8  # paper is white everywhere, shadows included


def test_id_card_snaps_to_card_size(card_on_wood: Scene) -> None:
    d = detect_page(card_on_wood.image)
    assert d.corners is not None
    page = correct_page(card_on_wood.image, d.corners)
    assert page.dpi == 300
    assert {page.width, page.height} == {1011, 638}


def test_pdf_holds_every_page_with_the_jpeg_bytes_unchanged(still: Scene, card_on_wood: Scene) -> None:
    d = detect_page(still.image)
    dc = detect_page(card_on_wood.image)
    assert d.corners is not None and dc.corners is not None
    pages = [correct_page(still.image, d.corners, m) for m in ("color", "grey", "bw")]
    pages.append(correct_page(card_on_wood.image, dc.corners))
    pdf = build_pdf(pages, title="测试材料")
    assert pdf.pages == 4
    assert pdf.data.startswith(b"%PDF-")
    assert pdf.sha256 == hashlib.sha256(pdf.data).hexdigest()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.data)) == 4
    for p in pages:  # embedded as-is (DCTDecode), not decoded and re-encoded
        assert p.jpeg in pdf.data
    # Pages are laid out at their dpi: A4 is 595x842 pt.
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+595\.\d*\s+842\.\d*", pdf.data)


def test_empty_material_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        build_pdf([])
