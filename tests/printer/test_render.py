"""The renderer against our receipts (QR decodes from the PNG) and against independent
ESC/POS bytes from escpos-php with escpos-tools' expected text (corpus/escpos)."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from devices.printer.builder import ReceiptBuilder
from devices.printer.render import render
from devices.printer.types import PaperWidth
from kiosk.qr_payload import PayloadKind, classify
from kiosk.receipts import intake_receipt, samples
from tests.conftest import ROOT, SHARED

# ../shared beside the checkout (main), or two levels up from a helper worktree.
CORPUS = next((p / "corpus" / "escpos" for p in (SHARED, ROOT.parent.parent / "shared")
               if (p / "corpus" / "escpos").is_dir()), SHARED / "corpus" / "escpos")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")


def decode_png(path: Path) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("width", [80, 58])
def test_qr_decodes_from_the_rendered_receipt_png(tmp_path: Path, width: int,
                                                 native: bool) -> None:
    data = intake_receipt(samples.sample_receipt(), width, native_qr=native)
    png = tmp_path / "receipt.png"
    render(data, PaperWidth(width).dots).image.save(png)
    texts = decode_png(png)
    assert len(texts) == 1
    scanned = classify(texts[0])
    assert scanned.kind is PayloadKind.RECEIPT
    assert (scanned.ref, scanned.password) == (samples.DEMO_REFERENCE, samples.DEMO_PASSWORD)


def test_native_qr_uses_module_and_ec_for_the_paper() -> None:
    for paper, module in ((PaperWidth.MM80, 6), (PaperWidth.MM58, 5)):
        data = ReceiptBuilder(paper).qr("https://zwfw.example.gov.cn/uap/q/ABCDEF?pw=1234").bytes()
        assert b"\x1d(k\x03\x001C" + bytes([module]) in data  # module size
        assert b"\x1d(k\x03\x001E1" in data  # error correction M
        assert b"1P0https://zwfw.example.gov.cn/uap/q/ABCDEF?pw=1234" in data


def test_barcode_of_the_reference_decodes_when_it_fits() -> None:
    b = ReceiptBuilder()
    assert b.barcode("ZJ2026-000123")
    assert not ReceiptBuilder(PaperWidth.MM58).barcode(samples.DEMO_REFERENCE)  # too long
    got = zxingcpp.read_barcodes(render(b.bytes()).image)
    assert [r.text for r in got] == ["ZJ2026-000123"]


def test_chinese_text_renders_back_to_the_same_characters() -> None:
    text = "收件回执：张*，材料 3 页（￥0.00）"
    assert render(ReceiptBuilder().line(text).bytes()).lines == [text]


def test_truncated_stream_renders_what_is_complete() -> None:
    data = ReceiptBuilder().line("完整的一行").bytes() + b"\x1dv0\x00\x48\x00"
    r = render(data)
    assert r.lines == ["完整的一行"] and r.warnings


@needs_corpus
def test_escpos_php_receipt_text_matches_escpos_tools_dump() -> None:
    r = render((CORPUS / "escpos-php" / "receipt-with-logo.bin").read_bytes())
    expected = (CORPUS / "escpos-tools" / "receipt-with-logo.expected-text.txt").read_text()

    def meaningful(lines: list[str]) -> list[str]:
        return [ln.rstrip() for ln in lines if ln.strip() and not ln.startswith("[")]

    assert meaningful(r.lines) == meaningful(expected.splitlines())
    assert "[image 300x236]" in r.lines and r.cuts == 1


@needs_corpus
def test_escpos_php_logo_matches_escimages_extraction() -> None:
    r = render((CORPUS / "escpos-php" / "receipt-with-logo.bin").read_bytes())
    logo = Image.open(CORPUS / "escpos-tools" / "receipt-with-logo.embedded-logo.png")
    assert logo.size == (150, 118)  # the documentation copy is half size
    margin, x0 = 16, (576 - 300) // 2  # our page margin; the logo is centered (ESC a 1)
    ours = r.image.crop((margin + x0, margin, margin + x0 + 300, margin + 236))
    ours = ours.resize(logo.size, Image.Resampling.BOX).point(lambda v: 0 if v < 128 else 255)
    theirs = logo.convert("L").point(lambda v: 0 if v < 128 else 255)
    diff = sum(1 for a, b in zip(ours.tobytes(), theirs.tobytes(), strict=True) if a != b)
    assert diff < 0.03 * logo.width * logo.height


@needs_corpus
def test_escpos_php_qr_samples_decode() -> None:
    r = render((CORPUS / "escpos-php" / "qr-code.bin").read_bytes())
    assert b"Testing 123" in r.qr_payloads
    decoded = {x.text for x in zxingcpp.read_barcodes(r.image)}
    assert "Testing 123" in decoded


@needs_corpus
@pytest.mark.parametrize("name", ["demo", "barcode", "bit-image", "graphics", "text-size",
                                  "margins-and-spacing", "character-encodings",
                                  "character-tables", "pdf417-code", "unifont-print-buffer"])
def test_every_corpus_stream_renders_without_losing_sync(name: str) -> None:
    r = render((CORPUS / "escpos-php" / f"{name}.bin").read_bytes())
    assert r.image.height > 40
    assert not any("trailing bytes" in w for w in r.warnings)


def test_four_byte_gb18030_and_single_byte_mode_render_correctly() -> None:
    data = b"\x1c&" + "中𠀀".encode("gb18030") + b"\n\x1c.caf\x82\n"
    assert render(data).lines == ["中𠀀", "café"]
