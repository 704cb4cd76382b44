"""告知承诺制: a material replaced by the applicant's signed promise (承诺书, ``EXEMPT_PROMISE``).

The citizen reads the 承诺书 on the touchscreen and signs with a finger; the strokes (points
0..1 of the pad, in order) stay in the session's memory. When the application is submitted,
on a worker, the strokes become a signature image and the 承诺书 a one-page PDF: the text, the
applicant (in full: it is their document), the time, the kiosk, the SHA-256 of the
application payload it belongs to, and the signature. The PDF is attached to the material
with ``EXEMPT_PROMISE`` and travels through the offline queue, sealed like page images: no
signature image is ever written anywhere in clear. No Qt here.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

Stroke = Sequence[tuple[float, float]]

# A signature must carry some ink: the strokes together at least this long (in pad widths)
# and spread over this share of the pad's width. A dot or a short dash is refused.
MIN_INK = 0.6
MIN_SPAN = 0.15
MIN_POINTS = 8


def ink_length(strokes: Sequence[Stroke]) -> float:
    return sum(math.dist(a, b) for s in strokes for a, b in zip(s, s[1:], strict=False))


def signature_problem(strokes: Sequence[Stroke]) -> str:
    """"" when the strokes look like a signature, else ``signature_empty`` /
    ``signature_too_small`` (a dot, a short line)."""
    points = [p for s in strokes for p in s]
    if not points:
        return "signature_empty"
    xs = [p[0] for p in points]
    if len(points) < MIN_POINTS or ink_length(strokes) < MIN_INK or \
            max(xs) - min(xs) < MIN_SPAN:
        return "signature_too_small"
    return ""


# A signature handed in as an image (``kiosk submit --promise CODE=SIGNATURE.png``) is held to
# the same rule, measured on the ink: the dark pixels' rows and columns count the strokes'
# extent (a line of length L crosses about L columns, whatever the pen), so
# ``(row runs + column runs) / width`` stands for ``ink_length`` and the columns holding ink
# for the span. A page that is mostly dark is not a signature on white either.
MAX_SIGNATURE_PIXELS = 20_000_000
MAX_DARK_SHARE = 0.5


def signature_image_problem(data: bytes) -> str:
    """"" when the image (PNG/JPEG; transparent = paper) holds a signature, else
    ``signature_unreadable``, ``signature_empty``, ``signature_too_small`` or
    ``signature_too_dark`` — the spirit of ``signature_problem`` for an image."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_SIGNATURE_PIXELS or min(img.size) < 1:
                return "signature_unreadable"
            rgba = img.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return "signature_unreadable"
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    gray = Image.alpha_composite(paper, rgba).convert("L")
    gray.thumbnail((900, 900))
    ink = np.asarray(gray) < 128
    if not ink.any():
        return "signature_empty"
    if ink.mean() > MAX_DARK_SHARE:
        return "signature_too_dark"
    width = ink.shape[1]
    # runs: a run starts where a pixel is ink and its predecessor is not
    row_runs = int(ink[:, 0].sum() + (ink[:, 1:] & ~ink[:, :-1]).sum())
    col_runs = int(ink[0, :].sum() + (ink[1:, :] & ~ink[:-1, :]).sum())
    columns = np.flatnonzero(ink.any(axis=0))
    if (row_runs + col_runs) / width < MIN_INK or \
            (columns[-1] - columns[0] + 1) / width < MIN_SPAN:
        return "signature_too_small"
    return ""


def signature_png(strokes: Sequence[Stroke], width: int = 900, height: int = 300) -> bytes:
    """The strokes drawn black on white (in memory only)."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    pen = max(3, width // 150)
    for s in strokes:
        pts = [(x * (width - 1), y * (height - 1)) for x, y in s]
        if len(pts) == 1:
            x, y = pts[0]
            draw.ellipse((x - pen, y - pen, x + pen, y + pen), fill=0)
        else:
            draw.line(pts, fill=0, width=pen, joint="curve")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def payload_digest(application: Mapping[str, Any]) -> str:
    """SHA-256 of the application as confirmed (canonical JSON, keys sorted), printed on the
    承诺书 so the promise and the application it belongs to can be matched."""
    raw = json.dumps(application, ensure_ascii=False, sort_keys=True,
                     separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def wrap_text(draw: Any, text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for ch in para:
            if draw.textlength(line + ch, font=font) > width:
                lines.append(line)
                line = ch
            else:
                line += ch
        lines.append(line)
    return lines


def promise_pdf(*, matter_name: str, material_name: str, text: str, applicant_name: str,
                cert_no: str, signed_at: str, device_id: str, payload_sha256: str,
                strokes: Sequence[Stroke] = (), signature_image: bytes | None = None) -> bytes:
    """The signed 承诺书 as a one-page A4 PDF (150 dpi image, in memory). The signature is
    drawn from the pad's ``strokes``, or is ``signature_image`` (PNG/JPEG bytes checked by
    ``signature_image_problem``; transparency is paper)."""
    import img2pdf

    png = promise_page(matter_name=matter_name, material_name=material_name, text=text,
                       applicant_name=applicant_name, cert_no=cert_no, signed_at=signed_at,
                       device_id=device_id, payload_sha256=payload_sha256, strokes=strokes,
                       signature_image=signature_image)
    layout = img2pdf.get_layout_fun((img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)))
    return bytes(img2pdf.convert(png, layout_fun=layout))


def promise_page(*, matter_name: str, material_name: str, text: str, applicant_name: str,
                 cert_no: str, signed_at: str, device_id: str, payload_sha256: str,
                 strokes: Sequence[Stroke] = (), signature_image: bytes | None = None) -> bytes:
    """The signed 承诺书 as one A4 page image (PNG at 150 dpi, in memory): the PDF's page,
    and a page of the citizen's A4 copy (kiosk.a4_documents)."""
    from PIL import Image, ImageDraw, ImageFont

    from devices.printer.cjk import CJK_FONT

    w, h, margin = 1240, 1754, 110  # A4 at 150 dpi
    page = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(page)
    title = ImageFont.truetype(str(CJK_FONT), 56)
    body = ImageFont.truetype(str(CJK_FONT), 32)
    small = ImageFont.truetype(str(CJK_FONT), 24)
    y = margin
    draw.text((w / 2, y), "告知承诺书", font=title, fill=0, anchor="mt")
    y += 110
    facts = [f"办理事项：{matter_name}", f"承诺代替的材料：{material_name}",
             f"承诺人：{applicant_name}    证件号码：{cert_no}"]
    for line in facts + [""] + wrap_text(draw, text, body, w - 2 * margin):
        draw.text((margin, y), line, font=body, fill=0)
        y += 50
    y += 40
    draw.text((margin, y), "承诺人签名：", font=body, fill=0)
    if signature_image is not None:
        with Image.open(io.BytesIO(signature_image)) as raw:
            rgba = raw.convert("RGBA")
        sig = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)),
                                    rgba).convert("L")
    else:
        sig = Image.open(io.BytesIO(signature_png(strokes))).convert("L")
    sig.thumbnail((w - 2 * margin - 220, 260))
    page.paste(sig, (margin + 220, y - 20))
    y += 300
    for line in (f"签署时间：{signed_at}", f"自助终端：{device_id}",
                 f"申请数据摘要（SHA-256）：{payload_sha256[:32]}",
                 f"{payload_sha256[32:]}"):
        draw.text((margin, y), line, font=small, fill=0)
        y += 36
    buf = io.BytesIO()
    page.save(buf, "PNG")
    return buf.getvalue()
