"""Chinese text for ESC/POS printers: which characters the printer's resident font can print,
their bytes in two-byte (``FS &``) mode, their width in columns, and a raster rendering with
a CJK font for everything else (生僻字 in names, emoji, symbols outside the font).

Printers sold in China have a GB2312 font at least (many GBK or GB18030, not reliably:
python-escpos #678), so the safe default repertoire is GB2312; ``charset="gbk"`` widens it
for printers known to hold a GBK font. GB2312/GBK characters have the same two bytes in
GB18030, so the bytes sent are always ``str.encode("gb18030")``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Fonts tried in order for each character drawn as an image: fonts-wqy-microhei (the
# project's dependency: GB18030 BMP hanzi) first, then fonts that also cover CJK extensions
# A/B (生僻字 in names) if the kiosk has them installed (fonts-hanazono, fonts-noto-cjk).
FONT_CANDIDATES: tuple[tuple[Path, int], ...] = (
    (CJK_FONT, 0),
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"), 0),
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"), 0),
)
CHARSETS = ("gb2312", "gbk")
NO_LINE_START = set("，。、；：？！）》」』】〕”’…·,.;:?!)]}")
NO_LINE_END = set("（《「『【〔“‘([{")


def printable_natively(ch: str, charset: str = "gb2312") -> bool:
    """ASCII printable, or a two-byte code of the printer's font repertoire."""
    o = ord(ch)
    if 0x20 <= o < 0x7F:
        return True
    if o < 0x80:
        return False  # control characters are never text
    try:
        raw = ch.encode("gb18030")
    except UnicodeEncodeError:
        return False
    if len(raw) != 2:
        return False  # four-byte GB18030: not in any printer font we can rely on
    if charset == "gbk":
        return True
    # GB2312 = EUC-CN zone: both bytes A1..FE; Python's codec knows the assigned cells.
    if not (0xA1 <= raw[0] <= 0xF7 and 0xA1 <= raw[1] <= 0xFE):
        return False
    try:
        raw.decode("gb2312")
    except UnicodeDecodeError:
        return False
    return True


def needs_raster(text: str, charset: str = "gb2312") -> bool:
    return not all(printable_natively(c, charset) for c in text)


def char_width(ch: str) -> int:
    """Columns on the printer: ASCII takes one, every two-byte code (and anything we draw as
    an image) takes two — in Chinese mode even ``·`` and ``é`` print full width."""
    return 1 if ord(ch) < 0x80 else 2


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def encode(text: str) -> bytes:
    """Bytes for two-byte mode. Caller checks ``needs_raster`` first."""
    return text.encode("gb18030")


def clip(text: str, columns: int) -> str:
    out, used = [], 0
    for c in text:
        w = char_width(c)
        if used + w > columns:
            break
        out.append(c)
        used += w
    return "".join(out)


def wrap(text: str, columns: int) -> list[str]:
    """Break into lines of at most ``columns``; never splits a character, prefers breaking
    after a space when the line holds Latin words."""
    lines: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for c in para:
            w = char_width(c)
            if used + w > columns:
                cut = line.rfind(" ")
                if c != " " and cut > 0 and text_width(line[cut:]) < columns // 2 \
                        and line[cut + 1:].isascii():
                    lines.append(line[:cut])
                    line = line[cut + 1:]
                    used = text_width(line)
                else:
                    # 避头尾: no closing punctuation at a line start, no opening one at an end.
                    carry = ""
                    if c in NO_LINE_START and len(line) > 1:
                        line, carry = line[:-1], line[-1]
                    while len(line) > 1 and line[-1] in NO_LINE_END:
                        line, carry = line[:-1], line[-1] + carry
                    lines.append(line)
                    line, used = carry, text_width(carry)
                if c == " " and not line:
                    continue
            line += c
            used += w
        lines.append(line)
    return lines


@functools.lru_cache(maxsize=32)
def _load(path: Path, index: int, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), px, index=index)


def _installed_fonts() -> list[tuple[Path, int]]:
    return [(p, i) for p, i in FONT_CANDIDATES if p.is_file()]


@functools.lru_cache(maxsize=4096)
def _has_glyph(path: Path, index: int, ch: str) -> bool:
    """Whether the font draws ``ch`` itself rather than its "missing glyph" box: compare with
    the rendering of a code point no font has (U+10FFFD, private use)."""
    font = _load(path, index, 24)

    def bitmap(c: str) -> bytes:
        img = Image.new("L", (48, 32), 255)
        ImageDraw.Draw(img).text((4, 2), c, font=font, fill=0)
        return img.tobytes()

    return bitmap(ch) != bitmap("\U0010fffd")


def has_glyph(ch: str) -> bool:
    """Some installed CJK font can draw ``ch`` (else it prints as a box)."""
    return any(_has_glyph(p, i, ch) for p, i in _installed_fonts())


def _font_for(ch: str, px: int) -> ImageFont.FreeTypeFont:
    fonts = _installed_fonts() or [(CJK_FONT, 0)]
    for path, index in fonts:
        if ord(ch) < 0x80 or _has_glyph(path, index, ch):
            return _load(path, index, px)
    return _load(*fonts[0], px)


def _font(px: int) -> ImageFont.FreeTypeFont:
    return _load(CJK_FONT, 0, px)


def render_line(text: str, dots: int, scale: int = 1, align: str = "left",
                cell_w: int = 12, cell_h: int = 24) -> Image.Image:
    """A one-line raster (mode "1", black on white) of ``text`` laid out on the printer's
    grid: each character in its own cell (12 or 24 dots wide × 24, times ``scale``), so
    columns line up with natively printed lines."""
    cw, ch = cell_w * scale, cell_h * scale
    width = text_width(text) * cw
    x0 = {"left": 0, "center": max(0, (dots - width) // 2),
          "right": max(0, dots - width)}[align]
    img = Image.new("L", (dots, ch), 255)
    x = x0
    for c in text:
        w = char_width(c) * cw
        if c != " ":
            glyph = draw_glyph(c, w // scale, cell_h).resize((w, ch), Image.Resampling.NEAREST)
            img.paste(glyph, (x, 0))
        x += w
    return img.point(lambda v: 0 if v < 128 else 255, mode="1")


@functools.lru_cache(maxsize=4096)
def draw_glyph(c: str, cell_w: int, cell_h: int, bold: bool = False) -> Image.Image:
    """One character in a ``cell_w`` × ``cell_h`` cell (mode "L"), on a common baseline;
    glyphs wider than the cell (m, W in a 12-dot cell) are squeezed, as printer fonts are."""
    font = _font_for(c, cell_h - 2)
    ascent, descent = _font(cell_h - 2).getmetrics()  # one baseline whatever the font
    advance = max(int(font.getlength(c)) + (2 if bold else 0), 1)
    canvas_w = max(advance, cell_w)
    img = Image.new("L", (canvas_w, cell_h), 255)
    draw = ImageDraw.Draw(img)
    gy = (cell_h - ascent - descent) // 2
    draw.text(((canvas_w - advance) // 2, gy), c, font=font, fill=0,
              stroke_width=1 if bold else 0, stroke_fill=0)
    if canvas_w != cell_w:
        img = img.resize((cell_w, cell_h), Image.Resampling.LANCZOS)
    return img
