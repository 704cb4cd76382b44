"""Chinese text in two-byte mode, the raster fallback, sizes and column alignment."""

from __future__ import annotations

import pytest

from devices.printer import cjk
from devices.printer.builder import ReceiptBuilder
from devices.printer.render import render
from devices.printer.stream import tokenize
from devices.printer.types import PaperWidth


def kinds(data: bytes) -> list[str]:
    return [t.kind for t in tokenize(data)[0]]


def test_job_starts_with_init_and_two_byte_mode() -> None:
    assert ReceiptBuilder().bytes() == b"\x1b@\x1c&"


def test_chinese_is_sent_as_gb18030_bytes() -> None:
    data = ReceiptBuilder().line("请将身份证放在感应区").bytes()
    assert "请将身份证放在感应区".encode("gb18030") + b"\n" in data


def test_full_width_punctuation_alone_is_not_replaced_by_question_marks() -> None:
    data = ReceiptBuilder().line("，：（）。￥").bytes()
    assert b"?" not in data
    assert "，：（）。￥".encode("gb18030") in data


@pytest.mark.parametrize("ch", ["䶮", "𠀀", "喆", "✓"])
def test_characters_outside_gb2312_print_as_a_raster_line(ch: str) -> None:
    data = ReceiptBuilder().line(f"申请人：王{ch}").bytes()
    assert "GS v0" in kinds(data)
    assert "申请人".encode("gb18030") not in data  # the whole line is the image
    assert not cjk.printable_natively(ch)


def test_gbk_printer_prints_gbk_characters_natively() -> None:
    data = ReceiptBuilder(charset="gbk").line("王喆").bytes()
    assert "GS v0" not in kinds(data) and "王喆".encode("gb18030") in data


def test_unknown_charset_is_refused() -> None:
    with pytest.raises(ValueError):
        ReceiptBuilder(charset="big5")


def test_double_size_uses_gs_exclamation_which_scales_chinese() -> None:
    data = ReceiptBuilder().size(2).line("收件回执").size(1).bytes()
    assert b"\x1d!\x11" + "收件回执".encode("gb18030") in data
    assert data.endswith(b"\x1d!\x00")


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("中文", 4), ("No.1 号", 7),
                                             ("，", 2), ("·", 2), ("é", 2)])
def test_columns_count_cjk_as_two(text: str, width: int) -> None:
    assert cjk.text_width(text) == width


def test_wrap_keeps_closing_punctuation_off_the_line_start() -> None:
    lines = cjk.wrap("婚姻状况证明（告知承诺免交）", 26)
    assert all(not line.startswith(("）", "，", "。")) for line in lines)
    assert "".join(lines) == "婚姻状况证明（告知承诺免交）"


def test_wrap_never_exceeds_the_width() -> None:
    text = "城乡居民基本医疗保险参保登记（含 No.12 附加说明）mixed Latin words here 很长"
    for cols in (10, 16, 22, 32, 48):
        assert all(cjk.text_width(line) <= cols for line in cjk.wrap(text, cols))


@pytest.mark.parametrize("paper", [PaperWidth.MM80, PaperWidth.MM58])
def test_label_value_columns_line_up_with_mixed_chinese_and_latin(paper: PaperWidth) -> None:
    b = ReceiptBuilder(paper)
    b.kv("终端编号", "DEMO-0001").kv("ID", "张*").kv("事项 No.", "城乡居民医保参保登记")
    b.columns2("身份证复印件", "3页").columns2("Latin item", "12 pages")
    lines = render(b.bytes(), paper.dots).lines
    kv = lines[:3]
    value_cols = [cjk.text_width(line[:line.index(v)]) for line, v in
                  zip(kv, ("DEMO-0001", "张*", "城乡"), strict=True)]
    assert value_cols == [10, 10, 10]
    right = lines[3:5]
    assert all(cjk.text_width(line) == paper.columns for line in right)


def test_overlong_lines_are_clipped_to_the_paper() -> None:
    data = ReceiptBuilder(PaperWidth.MM58).line("中" * 40).bytes()
    assert data.count("中".encode("gb18030")) == 16


def test_character_no_installed_font_has_is_counted_not_hidden() -> None:
    b = ReceiptBuilder().line("姓名：王\U000f0001")
    assert b.missing_glyphs == 1
    assert cjk.has_glyph("中") and cjk.has_glyph("喆")
    assert ReceiptBuilder().line("王喆").missing_glyphs == 0


def test_partial_cut_when_configured() -> None:
    assert ReceiptBuilder(cut="partial").cut().bytes().endswith(b"\x1bd\x06\x1dV\x01")
    assert ReceiptBuilder().cut().bytes().endswith(b"\x1bd\x06\x1dV\x00")


def test_label_as_wide_as_the_label_column_still_gets_a_gap() -> None:
    lines = render(ReceiptBuilder().kv("失败待处理", "0").bytes()).lines
    assert lines == ["失败待处理 0"]
