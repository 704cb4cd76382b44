"""Labelled document-camera scenes: rendered pages warped into a frame by a known homography.

There is no licensed, human-annotated document-photo set reachable from this project
(shared/corpus/docdetect/README.md), so detection is measured on scenes whose ground truth is
exact by construction: a page (Chinese text, tables, a red stamp; or an ID-card-sized card)
is rendered flat, warped into the frame with a random rotation and mild perspective, then
the camera's troubles are painted on top: dark pad / light desk / white-on-white / wood or
fabric texture, drop shadow, a cast shadow, uneven light, a hand at the edge, glare, blur,
sensor noise and JPEG compression. ``page=False`` scenes hold no page (the detector must say
so). Also used by the simulator's demo mode (``demo_scenes``).

Corners are in pixel-centre coordinates (pixel (0, 0) covers [-0.5, 0.5]²), clockwise from
the top-left corner of the page as printed.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
BACKGROUNDS = ("dark", "light", "white", "wood", "fabric")

_HANZI = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
          "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小"
          "物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形"
          "相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建"
          "月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长"
          "求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战")
_TITLES = ("不动产登记申请表", "居住证申领登记表", "营业执照变更申请书", "社会保险参保登记表",
           "公积金提取申请表", "户籍业务申请表", "医疗费用报销单", "婚姻登记声明书")


@dataclass(frozen=True)
class Scene:
    image: NDArray[Any]  # BGR frame
    corners: NDArray[Any] | None  # 4×2, clockwise from the page's top-left; None: no page
    attrs: dict[str, object] = field(default_factory=dict)


@functools.lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)


def _hanzi(rng: np.random.Generator, n: int) -> str:
    return "".join(_HANZI[i] for i in rng.integers(0, len(_HANZI), n))


def render_page(rng: np.random.Generator, kind: str = "a4", width: int = 900) -> NDArray[Any]:
    """A flat page (BGR). ``kind``: ``a4`` form/letter, ``blank`` (nearly empty A4), ``card``
    (ID-card-sized 85.6×54 mm card, fictitious test data)."""
    if kind == "card":
        return _render_card(rng, width)
    h = int(round(width * 297 / 210))
    tint = rng.uniform(236, 252)
    paper = (int(tint - rng.uniform(0, 6)), int(tint), int(min(255, tint + rng.uniform(0, 4))))
    img = Image.new("RGB", (width, h), paper[::-1])
    d = ImageDraw.Draw(img)
    m = int(width * rng.uniform(0.07, 0.11))
    if kind == "blank":
        d.text((m, m), "测试样张 " + _hanzi(rng, 6), fill=(60, 60, 60), font=_font(width // 40))
        return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)
    y = m
    if rng.random() < 0.3:  # coloured header band reaching the edges (hard for colour cues)
        band = tuple(int(v) for v in rng.integers(40, 200, 3))
        d.rectangle([0, 0, width, int(h * 0.06)], fill=band)
        y = int(h * 0.08)
    title = _TITLES[int(rng.integers(len(_TITLES)))] + "（测试样张）"
    tf = _font(width // 22)
    tw = d.textlength(title, font=tf)
    d.text(((width - tw) / 2, y), title, fill=(20, 20, 20), font=tf)
    y += int(width / 22 * 2.2)
    bf = _font(width // 38)
    line_h = int(width / 38 * 1.7)
    while y < h - m - line_h:
        r = rng.random()
        if r < 0.25:  # a table
            rows, cols = int(rng.integers(3, 7)), int(rng.integers(2, 5))
            th = rows * line_h * 1.3
            if y + th > h - m:
                break
            x0, x1 = m, width - m
            for i in range(rows + 1):
                yy = int(y + i * th / rows)
                d.line([x0, yy, x1, yy], fill=(30, 30, 30), width=2)
            for j in range(cols + 1):
                xx = int(x0 + j * (x1 - x0) / cols)
                d.line([xx, y, xx, int(y + th)], fill=(30, 30, 30), width=2)
            for i in range(rows):
                for j in range(cols):
                    if rng.random() < 0.8:
                        d.text((x0 + j * (x1 - x0) / cols + 6, y + i * th / rows + 4),
                               _hanzi(rng, int(rng.integers(2, 6))), fill=(25, 25, 25), font=bf)
            y += int(th + line_h)
        elif r < 0.32:
            y += line_h
        else:
            n = int((width - 2 * m) / (width / 38))
            text = _hanzi(rng, int(rng.integers(n // 3, n)))
            if rng.random() < 0.2:
                text = f"编号 TEST-{int(rng.integers(10000, 99999))}  2026-11-{int(rng.integers(1, 28)):02d}"
            d.text((m, y), text, fill=(int(rng.integers(0, 60)),) * 3, font=bf)
            y += line_h
    if rng.random() < 0.7:  # red stamp
        cx, cy, r0 = width * rng.uniform(0.55, 0.8), h * rng.uniform(0.7, 0.88), width * 0.11
        red = (200, 30, 30)
        d.ellipse([cx - r0, cy - r0, cx + r0, cy + r0], outline=red, width=max(3, width // 150))
        sf = _font(width // 36)
        d.text((cx - r0 * 0.55, cy - r0 * 0.15), "测试专用章", fill=red, font=sf)
        d.regular_polygon((cx, cy - r0 * 0.45, r0 * 0.18), 5, fill=red)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def _render_card(rng: np.random.Generator, width: int) -> NDArray[Any]:
    h = int(round(width * 54 / 85.6))
    base = np.array([rng.uniform(200, 240), rng.uniform(215, 245), rng.uniform(215, 245)])
    yy, xx = np.mgrid[0:h, 0:width].astype(np.float32)
    pattern = 10 * np.sin(xx / width * 9 + yy / h * 4) * np.cos(yy / h * 7)
    img = np.clip(base[None, None, :] + pattern[..., None], 0, 255).astype(np.uint8)
    pil = Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    d = ImageDraw.Draw(pil)
    f = _font(width // 24)
    lines = ["姓名  测试", "性别  男   民族  汉", "出生  2000 年 1 月 1 日",
             "住址  测试省测试市演示路 1 号", "公民身份号码  TEST DEMO 0000"]
    for i, t in enumerate(lines):
        d.text((width * 0.06, h * (0.1 + i * 0.16)), t, fill=(30, 30, 30), font=f)
    d.rectangle([width * 0.68, h * 0.12, width * 0.93, h * 0.7], fill=(185, 190, 200))
    out = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)
    return out


def _background(rng: np.random.Generator, kind: str, w: int, h: int) -> NDArray[Any]:
    if kind == "dark":
        base = rng.uniform(15, 70) + rng.uniform(-8, 8, 3)
        img: NDArray[Any] = np.ones((h, w, 3), np.float32) * base
        img += cv2.GaussianBlur(rng.normal(0, 6, (h, w, 1)).astype(np.float32), (0, 0), 3)[..., None]
    elif kind == "light":
        base = rng.uniform(150, 205) + rng.uniform(-12, 12, 3)
        img = np.ones((h, w, 3), np.float32) * base
        img += cv2.GaussianBlur(rng.normal(0, 8, (h, w)).astype(np.float32), (0, 0), 4)[..., None]
    elif kind == "white":
        base = rng.uniform(205, 232) + rng.uniform(-4, 4, 3)
        img = np.ones((h, w, 3), np.float32) * base
        img += cv2.GaussianBlur(rng.normal(0, 4, (h, w)).astype(np.float32), (0, 0), 4)[..., None]
    elif kind == "wood":
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ang = rng.uniform(0, math.pi)
        u = xx * math.cos(ang) + yy * math.sin(ang)
        warp = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 25) * 400
        grain = np.sin((u + warp) / rng.uniform(6, 18)) * 0.5 + 0.5
        dark = np.array([rng.uniform(30, 60), rng.uniform(60, 90), rng.uniform(100, 140)], np.float32)
        light = dark + np.array([40, 55, 65], np.float32) * rng.uniform(0.6, 1.3)
        img = dark[None, None] + grain[..., None] * (light - dark)[None, None]
        img += rng.normal(0, 4, (h, w, 1)).astype(np.float32)
    else:  # fabric / textured mat: coloured blotches
        col = rng.uniform(40, 200, 3)
        noise = cv2.GaussianBlur(rng.normal(0, 1, (h, w, 3)).astype(np.float32), (0, 0), 2) * 25
        img = col[None, None].astype(np.float32) + noise
    return img.astype(np.float32)


def _illumination(rng: np.random.Generator, w: int, h: int, strength: float) -> NDArray[Any]:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(-0.2, 1.2) * w, rng.uniform(-0.2, 1.2) * h
    r = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / math.hypot(w, h)
    ang = rng.uniform(0, 2 * math.pi)
    lin = ((xx / w - 0.5) * math.cos(ang) + (yy / h - 0.5) * math.sin(ang))
    field_ = 1.0 - strength * (0.6 * r + 0.4 * (lin + 0.5))
    shade: NDArray[Any] = np.clip(field_ + strength * 0.3, 0.45, 1.15).astype(np.float32)
    return shade


def _cast_shadow(rng: np.random.Generator, w: int, h: int) -> NDArray[Any]:
    """A soft polygonal shadow (camera arm, a leaning person) crossing part of the frame."""
    mask: NDArray[Any] = np.zeros((h, w), np.float32)
    side = int(rng.integers(4))
    pts = []
    for _ in range(int(rng.integers(3, 6))):
        pts.append([rng.uniform(0, w), rng.uniform(0, h)])
    edge = {0: [[0, 0], [w, 0]], 1: [[w, 0], [w, h]], 2: [[w, h], [0, h]], 3: [[0, h], [0, 0]]}[side]
    poly = np.array(edge + pts, np.float32)
    hull = cv2.convexHull(poly).astype(np.int32)
    cv2.fillConvexPoly(mask, hull, 1.0)
    mask = cv2.GaussianBlur(mask, (0, 0), rng.uniform(6, 30))
    return (1.0 - rng.uniform(0.25, 0.5) * mask).astype(np.float32)


def _hand(rng: np.random.Generator, img: NDArray[Any], target: NDArray[Any]) -> None:
    """A skin-coloured hand/finger reaching from the nearest frame edge to a page edge point."""
    h, w = img.shape[:2]
    i = int(rng.integers(4))
    t = rng.uniform(0.25, 0.75)
    p = target[i] * (1 - t) + target[(i + 1) % 4] * t
    dists = [p[0], w - p[0], p[1], h - p[1]]
    e = int(np.argmin(dists))
    start = {0: (0.0, p[1]), 1: (float(w), p[1]), 2: (p[0], 0.0), 3: (p[0], float(h))}[e]
    tip = p + (p - np.array(start)) / (np.linalg.norm(p - np.array(start)) + 1e-6) * rng.uniform(5, 30)
    mask: NDArray[Any] = np.zeros((h, w), np.float32)
    width = rng.uniform(0.025, 0.045) * min(w, h) * 2
    cv2.line(mask, (int(start[0]), int(start[1])), (int(tip[0]), int(tip[1])), 1.0,
             int(width), cv2.LINE_AA)
    cv2.circle(mask, (int(start[0]), int(start[1])), int(width * 1.8), 1.0, -1, cv2.LINE_AA)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.5)
    shadow = cv2.GaussianBlur(np.roll(mask, (int(width * 0.3), int(width * 0.3)), (0, 1)), (0, 0), 8)
    img *= (1 - 0.35 * shadow)[..., None]
    skin = np.array([rng.uniform(110, 150), rng.uniform(140, 175), rng.uniform(190, 230)], np.float32)
    shade = cv2.GaussianBlur(mask, (0, 0), width * 0.3)[..., None]
    col = skin[None, None] * (0.75 + 0.25 * shade)
    img[:] = img * (1 - mask[..., None]) + col * mask[..., None]




def make_scene(seed: int, size: tuple[int, int] = (1280, 720), page: bool = True,
               kind: str | None = None, background: str | None = None) -> Scene:
    """One labelled scene. Deterministic in ``seed`` (and the other arguments)."""
    rng = np.random.default_rng(seed)
    w, h = size
    bg = background or BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))]
    img = _background(rng, bg, w, h)
    attrs: dict[str, object] = {"seed": seed, "background": bg}
    corners: NDArray[Any] | None = None
    if page:
        kind = kind or str(rng.choice(["a4", "a4", "a4", "blank", "card"], p=[.3, .3, .2, .05, .15]))
        scale_ref = min(w, h)
        if kind == "card":
            pw = int(min(1000, max(400, scale_ref * 0.8)))
        else:
            pw = int(min(1400, max(500, scale_ref * 0.9)))
        flat = render_page(rng, kind, pw)
        ph, pw = flat.shape[:2]
        rot = rng.uniform(-25, 25) if rng.random() < 0.85 else rng.choice([90.0, -90.0]) + rng.uniform(-10, 10)
        if kind == "card":
            target = rng.uniform(0.28, 0.5) * w  # card width in frame
            s = target / pw
        else:
            target = rng.uniform(0.55, 0.95) * h  # page height in frame
            s = target / ph
        a = math.radians(rot)
        rx, ry = pw * s / 2, ph * s / 2
        local = np.array([[-rx, -ry], [rx, -ry], [rx, ry], [-rx, ry]])
        rotm = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        quad = local @ rotm.T
        quad += rng.normal(0, 0.012, (4, 2)) * np.array([pw * s, ph * s])  # mild perspective
        span = quad.max(0) - quad.min(0)
        margin = 6.0
        lo = -quad.min(0) + margin
        hi = np.array([w, h]) - quad.max(0) - margin
        if np.any(hi < lo):  # too big for the frame: shrink
            f = float(min((w - 2 * margin) / span[0], (h - 2 * margin) / span[1])) * 0.98
            quad *= f
            lo = -quad.min(0) + margin
            hi = np.array([w, h]) - quad.max(0) - margin
        quad += rng.uniform(lo, hi)
        src = np.array([[-0.5, -0.5], [pw - 0.5, -0.5], [pw - 0.5, ph - 0.5], [-0.5, ph - 0.5]],
                       np.float32)
        hm = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
        # Drop shadow: paper lifts slightly off the surface.
        sh_mask: NDArray[Any] = np.zeros((h, w), np.float32)
        off = rng.uniform(-3, 3, 2)
        cv2.fillConvexPoly(sh_mask, np.round((quad + off) * 16).astype(np.int32), 1.0,
                           cv2.LINE_AA, 4)
        sh_mask = cv2.GaussianBlur(sh_mask, (0, 0), rng.uniform(2, 6))
        img *= (1 - rng.uniform(0.1, 0.35) * sh_mask)[..., None]
        warped = cv2.warpPerspective(flat.astype(np.float32), hm, (w, h), flags=cv2.INTER_AREA
                                     if s < 1 else cv2.INTER_LINEAR)
        pmask = cv2.warpPerspective(np.ones((ph, pw), np.float32), hm, (w, h),
                                    flags=cv2.INTER_LINEAR)
        # Supersampled coverage for a faithful anti-aliased edge.
        cov: NDArray[Any] = np.zeros((h * 4, w * 4), np.float32)
        cv2.fillConvexPoly(cov, np.round((quad * 4 + 1.5) * 16).astype(np.int32), 1.0,
                           cv2.LINE_8, 4)
        cov = cv2.resize(cov, (w, h), interpolation=cv2.INTER_AREA)
        warped = np.where(pmask[..., None] > 1e-3, warped / np.maximum(pmask, 1e-3)[..., None], 0)
        img = img * (1 - cov[..., None]) + warped * cov[..., None]
        corners = quad.astype(np.float64)
        attrs.update(kind=kind, rotation=float(rot))
    shade = _illumination(rng, w, h, rng.uniform(0.0, 0.5))
    img *= shade[..., None]
    if rng.random() < 0.35:
        img *= _cast_shadow(rng, w, h)[..., None]
        attrs["shadow"] = True
    if rng.random() < 0.25:
        ref = corners if corners is not None else np.array(
            [[w * .3, h * .3], [w * .7, h * .3], [w * .7, h * .7], [w * .3, h * .7]])
        _hand(rng, img, ref)
        attrs["hand"] = True
    if rng.random() < 0.1:  # specular glare spot
        g: NDArray[Any] = np.zeros((h, w), np.float32)
        cv2.circle(g, (int(rng.uniform(0, w)), int(rng.uniform(0, h))), int(min(w, h) * 0.05), 1.0, -1)
        g = cv2.GaussianBlur(g, (0, 0), min(w, h) * 0.03)
        img = img + (255 - img) * g[..., None] * 0.9
        attrs["glare"] = True
    sigma = float(rng.choice([0, 0, 0.6, 1.0, 1.6]))
    if sigma:
        img = cv2.GaussianBlur(img, (0, 0), sigma * max(1.0, min(w, h) / 720))
    img += rng.normal(0, rng.uniform(1, 5), img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    q = int(rng.integers(55, 95))
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, q])
    assert ok
    out = np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR), np.uint8)
    attrs.update(blur=sigma, jpeg_quality=q)
    return Scene(out, corners, attrs)


def scene_set(n: int, seed: int = 1000, size: tuple[int, int] = (1280, 720),
              no_page_share: float = 0.1) -> list[Scene]:
    """``n`` scenes with a fixed seed; every ``1/no_page_share``-th holds no page."""
    step = max(1, int(round(1 / no_page_share))) if no_page_share > 0 else 0
    return [make_scene(seed + i, size, page=not (step and i % step == step - 1)) for i in range(n)]


def write_demo_scenes(directory: Path, count: int = 4, size: tuple[int, int] = (1920, 1440)) -> list[Path]:
    """Write a few demo scenes for the simulator (demo mode) as JPEG files; idempotent."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        p = directory / f"demo-scene-{i + 1}.jpg"
        if not p.exists():
            sc = make_scene(7000 + i, size, page=True, kind=("a4", "card", "a4", "a4")[i % 4],
                            background=("dark", "light", "wood", "dark")[i % 4])
            ok, buf = cv2.imencode(".jpg", sc.image, [cv2.IMWRITE_JPEG_QUALITY, 90])
            tmp = p.with_name(p.name + f".{os.getpid()}.tmp")
            tmp.write_bytes(buf.tobytes())
            os.replace(tmp, p)  # atomic: a second kiosk process never reads half a file
        paths.append(p)
    return paths
