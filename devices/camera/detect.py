"""Page detection: the four corners of a document page (or card) in a camera frame.

How (and why):
1. Work on a copy downscaled to ~480 px (speed: the preview must keep up at 30 fps).
2. Propose candidate outlines from several cues, because no single one survives every
   scene: Otsu on lightness (dark pad), on "whiteness" = lightness − chroma (wood, skin,
   coloured mats), on illumination-flattened lightness (uneven light, shadows), and closed
   Canny edges (white page on a white desk). Each large region's convex hull is reduced to
   the largest-area quadrilateral on its vertices, which ignores a finger or a hand bulging
   out of one side.
3. Refine every plausible candidate on the full-resolution grey image: sample intensity
   profiles across each side, take the sub-pixel position of the strongest step of the
   side's polarity, fit a straight line robustly (outliers where a hand covers the edge are
   dropped), and intersect neighbouring lines. Two passes, narrowing the search band.
4. Score = share of the outline with a strong, straight edge (weakest side counts double);
   reject bad shapes (non-convex, tiny, sharp angles). Below the floor → "no page".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from devices.camera.geometry import (
    interior_angles,
    is_convex,
    line_intersection,
    order_clockwise,
    polygon_area,
)
from devices.camera.types import PageDetection

WORK_SIZE = 480  # long side of the detection image
MIN_AREA = 0.01  # page area share of the frame to be considered at all
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class _Side:
    point: NDArray[np.float64]
    direction: NDArray[np.float64]
    support: float  # share of samples that are inliers with a strong edge
    strength: float  # median step of the inliers (grey levels)


def _to_grey(frame: NDArray[np.uint8]) -> NDArray[np.uint8]:
    return frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def _quad_from_hull(hull: NDArray[np.float64]) -> NDArray[np.float64] | None:
    """Largest-area quadrilateral with vertices on the (simplified) hull."""
    peri = cv2.arcLength(hull.astype(np.float32), True)
    pts = hull
    for eps in (0.005, 0.01, 0.02, 0.04):
        approx = cv2.approxPolyDP(hull.astype(np.float32), eps * peri, True).reshape(-1, 2)
        pts = approx.astype(np.float64)
        if len(pts) <= 14:
            break
    n = len(pts)
    if n < 4:
        return None
    if n == 4:
        return pts
    combos = np.array(list(itertools.combinations(range(n), 4)))
    q = pts[combos]  # k×4×2, in hull order hence a simple polygon
    x, y = q[..., 0], q[..., 1]
    area = 0.5 * np.abs((x * np.roll(y, -1, 1) - y * np.roll(x, -1, 1)).sum(1))
    return np.asarray(q[int(np.argmax(area))], np.float64)


def _shape_ok(q: NDArray[np.float64], w: int, h: int) -> bool:
    if not is_convex(q):
        return False
    if polygon_area(q) < MIN_AREA * w * h:
        return False
    ang = interior_angles(q)
    if ang.min() < 45 or ang.max() > 135:
        return False
    sides = np.linalg.norm(np.roll(q, -1, 0) - q, axis=1)
    if sides.min() < 0.04 * max(w, h):
        return False
    # Opposite sides of a page seen from above have similar lengths.
    return bool(max(sides[0], sides[2]) < 1.6 * min(sides[0], sides[2])
                and max(sides[1], sides[3]) < 1.6 * min(sides[1], sides[3]))


def _candidate_masks(small: NDArray[np.uint8]) -> list[NDArray[np.uint8]]:
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2Lab)
    light = cv2.GaussianBlur(lab[..., 0], (5, 5), 0)
    chroma = (cv2.absdiff(lab[..., 1], 128).astype(np.int16)
              + cv2.absdiff(lab[..., 2], 128).astype(np.int16))
    white = np.clip(light.astype(np.int16) - 3 * chroma, 0, 255).astype(np.uint8)
    # Illumination estimate: a heavy blur of the lightness (big closing first, so text and the
    # page itself do not darken it much), then the ratio image flattens uneven light.
    masks: list[NDArray[np.uint8]] = []
    k5 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    for chan in (light, white):
        _, m = cv2.threshold(chan, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        masks.append(cv2.morphologyEx(m, cv2.MORPH_OPEN, k5))
    bg = cv2.GaussianBlur(cv2.morphologyEx(light, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (61, 61))), (0, 0), 15)
    flat = cv2.divide(light, np.maximum(bg, 1), scale=128)
    _, m = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(m, cv2.MORPH_OPEN, k5))
    # Edges: low thresholds so that a white page on a white desk still shows its outline.
    med = float(np.median(light))
    edges = cv2.Canny(light, max(6.0, 0.1 * med), max(18.0, 0.3 * med))
    edges |= cv2.Canny(cv2.GaussianBlur(white, (5, 5), 0), 20, 60)
    closed = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, k5, iterations=2)
    masks.append(closed)
    masks.append(_enclosed(closed))
    return masks


def _enclosed(walls: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Everything not reachable from the frame border without crossing an edge: a closed
    page outline encloses the page, while shadow lines and a hand (which touch the border)
    enclose nothing. Thin walls are opened away afterwards."""
    free = cv2.bitwise_not(walls)
    n, labels = cv2.connectedComponents(free, connectivity=4)
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    # Label 0 is the walls themselves; they count as inside unless a free region reaches out.
    lut = np.full(n, 255, np.uint8)
    lut[border[border > 0]] = 0
    m = lut[labels]
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    return cv2.morphologyEx(m, cv2.MORPH_OPEN, k)


def _candidates(small: NDArray[np.uint8]) -> list[NDArray[np.float64]]:
    h, w = small.shape[:2]
    out: list[NDArray[np.float64]] = []
    for m in _candidate_masks(small):
        contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        contours = sorted(contours, key=cv2.contourArea, reverse=True)[:4]
        for c in contours:
            if cv2.contourArea(c) < MIN_AREA * w * h:
                break
            hull = cv2.convexHull(c).reshape(-1, 2).astype(np.float64)
            q = _quad_from_hull(hull)
            if q is None:
                continue
            q = order_clockwise(q)
            if _shape_ok(q, w, h) and not any(np.abs(q - o).max() < 1.5 for o in out):
                out.append(q)
    return out


def _fit_side(grey: NDArray[np.float32], p0: NDArray[np.float64], p1: NDArray[np.float64],
              outward: NDArray[np.float64], radius: float) -> _Side | None:
    length = float(np.linalg.norm(p1 - p0))
    n = int(np.clip(length / 6, 16, 80))
    ts = np.linspace(0.03, 0.97, n)
    pts = p0[None] + ts[:, None] * (p1 - p0)[None]
    offs = np.arange(-radius, radius + 1.0, 1.0)
    mx = (pts[:, 0:1] + offs[None] * outward[0]).astype(np.float32)
    my = (pts[:, 1:2] + offs[None] * outward[1]).astype(np.float32)
    prof = cv2.remap(grey, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    deriv = prof[:, 2:] - prof[:, :-2]  # along the outward normal, centred at offs[1:-1]
    if deriv.shape[1] < 3:
        return None
    # Polarity of this side: page brighter or darker than what lies outside it.
    peak_pos = deriv.max(1)
    peak_neg = -deriv.min(1)
    sign = -1.0 if np.median(peak_neg) >= np.median(peak_pos) else 1.0
    d = deriv * sign
    idx = np.argmax(d, axis=1)
    mag = d[np.arange(n), idx]
    # Sub-pixel peak by a parabola through the neighbours.
    i0 = np.clip(idx, 1, d.shape[1] - 2)
    a, b, c = d[np.arange(n), i0 - 1], d[np.arange(n), i0], d[np.arange(n), i0 + 1]
    den = a - 2 * b + c
    sub = np.where(np.abs(den) > 1e-6, 0.5 * (a - c) / np.where(den == 0, 1, den), 0.0)
    sub = np.clip(sub, -1, 1)
    pos = offs[1:-1][i0] + sub
    edge_pts = pts + pos[:, None] * outward[None]
    strong = mag > max(6.0, 0.25 * float(np.median(mag)))
    use = strong.copy()
    if use.sum() < 5:
        return None
    direction = (p1 - p0) / length
    point = p0.copy()
    for _ in range(4):
        sel = edge_pts[use]
        point = sel.mean(0)
        cov = np.cov((sel - point).T)
        evals, evecs = np.linalg.eigh(cov)
        direction = evecs[:, 1]
        normal = np.array([-direction[1], direction[0]])
        res = np.abs((edge_pts - point) @ normal)
        mad = float(np.median(res[use])) if use.any() else 1.0
        new = strong & (res < max(0.9, 3.0 * mad))
        if new.sum() < 5:
            return None
        if np.array_equal(new, use):
            break
        use = new
    return _Side(point, direction, float(use.mean()), float(np.median(mag[use])))


def refine(grey: NDArray[np.float32], quad: NDArray[np.float64],
           radius: float) -> tuple[NDArray[np.float64], float] | None:
    """Snap a rough outline to the strongest straight edges nearby; returns corners and
    confidence (0–1), or None when a side has no straight edge."""
    c = quad.mean(0)
    sides: list[_Side] = []
    for k in range(4):
        p0, p1 = quad[k], quad[(k + 1) % 4]
        d = (p1 - p0) / (np.linalg.norm(p1 - p0) + 1e-9)
        normal = np.array([-d[1], d[0]])
        if np.dot(normal, (p0 + p1) / 2 - c) < 0:
            normal = -normal
        s = _fit_side(grey, p0, p1, normal, radius)
        if s is None:
            return None
        sides.append(s)
    corners = []
    for k in range(4):
        s_prev, s_next = sides[k - 1], sides[k]
        p = line_intersection(s_prev.point, s_prev.direction, s_next.point, s_next.direction)
        if p is None:
            return None
        corners.append(p)
    q = np.array(corners)
    if np.abs(q - quad).max() > 2.5 * radius + 2:
        return None
    supports = np.array([s.support for s in sides])
    conf = float(0.5 * supports.mean() + 0.5 * supports.min())
    return q, conf


def detect_page(frame: NDArray[np.uint8], prior: NDArray[np.float64] | None = None,
                min_confidence: float = MIN_CONFIDENCE) -> PageDetection:
    """Find the page in a BGR frame (any size). ``prior``: last outline (same frame size),
    tried as an extra candidate during preview. Pure function; safe off the GUI thread."""
    h, w = frame.shape[:2]
    scale = WORK_SIZE / max(w, h)
    small = cv2.resize(frame, (max(1, round(w * scale)), max(1, round(h * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else frame
    sx, sy = w / small.shape[1], h / small.shape[0]
    cands = [(q + 0.5) * np.array([sx, sy]) - 0.5 for q in _candidates(small)]
    if prior is not None:
        cands.insert(0, np.asarray(prior, np.float64))
    if not cands:
        return PageDetection(None, 0.0, "no_page", (w, h))
    grey = _to_grey(frame).astype(np.float32)
    radius1 = max(6.0, 3.0 * max(sx, sy))
    best: tuple[float, NDArray[np.float64]] | None = None
    for q in cands[:8]:
        r = refine(grey, q, radius1)
        if r is None:
            continue
        r2 = refine(grey, r[0], max(3.0, 1.5 * max(sx, sy) / 2))
        if r2 is None:
            continue
        q2, conf = r2
        q2 = order_clockwise(q2)
        if not _shape_ok(q2, w, h):
            continue
        # Prefer the larger of two equally certain outlines (text blocks inside a page).
        score = conf + 0.05 * polygon_area(q2) / (w * h)
        if best is None or score > best[0]:
            best = (score, q2)
            best_conf = conf
    if best is None or best_conf < min_confidence:
        return PageDetection(None, 0.0 if best is None else best_conf, "no_page", (w, h))
    return PageDetection(best[1], best_conf, "", (w, h))
