"""Page detection: the four corners of a document page (or card) in a camera frame.

How (and why):
1. Work on a copy downscaled to ~480 px (speed: the preview must keep up at 30 fps).
2. Propose candidate outlines from several cues, because no single one survives every
   scene: Otsu on "whiteness" = lightness − chroma (dark pad, wood, skin, coloured mats),
   on illumination-flattened lightness (uneven light, shadows), and the regions enclosed
   by closed low-threshold Canny edges (white page on a white desk; shadow lines and a hand
   touching the frame border enclose nothing). Plain Otsu on lightness and the outer
   contour of the edge map were measured and added nothing. Each large, roughly
   quadrilateral region's convex hull gives the largest-area quadrilateral on its
   vertices, and straight lines fitted (Huber) through the region's outline along each of
   its sides, which ignore a finger, a hand or a shadow spike bulging out of one side.
3. Refine every plausible candidate (largest first) on the full-resolution frame: sample
   intensity profiles across each side (one remap for all four), take the sub-pixel
   position of the strongest step of the side's polarity, fit a straight line with
   trimming (samples where a hand covers the edge drop out), intersect neighbouring
   lines. Two passes, narrowing the search band. A side with no edge that runs along the
   frame border means the page is cut off ("touching_edge", no outline returned).
4. Confidence = mean of (share of each side backed by a straight edge) and the weakest
   side's share; bad shapes (non-convex, tiny, sharp angles, unequal opposite sides,
   the frame itself) are rejected; below MIN_CONFIDENCE → "no page". A smaller outline
   inside the chosen one (a table, a photo) never replaces the page.
5. Outer outline: when the chosen outline is really a box printed on the page (the photo
   box of a card on a white desk, whose own faint outline formed no closed region), the
   straight edges parallel to it farther out are looked for on the detection image
   (block-averaged profiles) and, refined like any candidate, replace it when well backed
   and clearly larger.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

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
TOP_CONTOURS = 3  # largest regions per cue
QUAD_LIKE = 0.7  # hull area / min-area-rectangle area below this: not a page
STRONG_STEP = 6.0  # grey-level step (over 2 px) that counts as an edge
INLIER_MAX = 1.5  # px: an edge sample farther than this from the side's line is not support
DEDUPE_PX = 1.5  # candidates closer than this (detection-image pixels) are one
FAINT_CANNY = 10  # low Canny threshold of the faint-outline cue (high = 3x)
MIN_AREA = 0.01  # page area share of the frame to be considered at all
MIN_CONFIDENCE = 0.45  # measured: 0.4 finds more pages but more of them badly
OUTER_START = 4.0  # px (detection image) beyond a found outline where the search starts
OUTER_REACH = 3.0  # how far out (times the outline's extent across that side)
OUTER_BLOCKS = 8  # blocks along a side; share of them with a step = an edge's support
OUTER_PER_BLOCK = 4  # profiles averaged per block (on the ~2.7x downscaled image)
OUTER_SUPPORT = 0.5
OUTER_MIN_CONF = 0.5  # an outer outline replaces the found one from this confidence on ...
OUTER_AREA = 0.5  # ... and only when the found one covers at most this share of it
BAND_REACH = 0.15  # a band along one side: this far out (times the extent across it)
BAND_CONF_LOSS = 0.05  # the band's outline replaces the found one when about as well backed
BAND_MIN_CONF = 0.8  # looked for only next to a well-backed outline (the band edge is sharp)


@dataclass(frozen=True)
class _Side:
    point: NDArray[Any]
    direction: NDArray[Any]
    support: float  # share of samples that are inliers with a strong edge
    strength: float  # median step of the inliers (grey levels)


def as_bgr(frame: NDArray[Any]) -> NDArray[Any]:
    """Any 8-bit picture as 3-channel BGR (grey scans and BGRA screenshots happen)."""
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    if frame.shape[2] == 1:
        return cv2.cvtColor(frame[..., 0], cv2.COLOR_GRAY2BGR)
    return frame


@functools.lru_cache(maxsize=32)
def _combos(n: int) -> NDArray[Any]:
    return np.array(list(itertools.combinations(range(n), 4)))


def _quad_from_hull(hull: NDArray[Any]) -> NDArray[Any] | None:
    """Largest-area quadrilateral with vertices on the (simplified) hull."""
    peri = cv2.arcLength(hull.astype(np.float32), True)
    pts = hull
    for eps in (0.005, 0.01, 0.02, 0.04):
        approx = cv2.approxPolyDP(hull.astype(np.float32), eps * peri, True).reshape(-1, 2)
        pts = approx.astype(np.float64)
        if len(pts) <= 10:
            break
    n = len(pts)
    if n < 4:
        return None
    if n == 4:
        return pts
    q = pts[_combos(n)]  # k×4×2, in hull order hence a simple polygon
    x, y = q[..., 0], q[..., 1]
    area = 0.5 * np.abs((x * np.roll(y, -1, 1) - y * np.roll(x, -1, 1)).sum(1))
    return np.asarray(q[int(np.argmax(area))], np.float64)


def _fit_quad_to_contour(pts: NDArray[Any], quad: NDArray[Any],
                         iters: int = 2) -> NDArray[Any] | None:
    """Straight lines through the contour points along each side of a rough quad (corners
    and outliers such as a spike of shadow or a finger are left out), intersected."""
    quad = order_clockwise(quad)
    sides = np.linalg.norm(quad[[1, 2, 3, 0]] - quad, axis=1)
    tol = max(3.0, 0.08 * float(sides.min()))
    for _ in range(iters):
        lines = []
        for k in range(4):
            a, b = quad[k], quad[(k + 1) % 4]
            length = float(np.linalg.norm(b - a))
            d = (b - a) / max(length, 1e-9)
            nrm = np.array([-d[1], d[0]])
            rel = pts - a
            t = rel @ d
            dist = np.abs(rel @ nrm)
            sel = (t > 0.12 * length) & (t < 0.88 * length) & (dist < tol)
            if sel.sum() < 6:
                return None
            # Huber M-estimator line: a finger or a spike on the side barely pulls it.
            vx, vy, x0, y0 = cv2.fitLine(pts[sel].astype(np.float32), cv2.DIST_HUBER, 0,
                                         0.01, 0.01).ravel()
            lines.append((np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)))
        new = []
        for k in range(4):
            x = line_intersection(lines[k - 1][0], lines[k - 1][1], lines[k][0], lines[k][1])
            if x is None:
                return None
            new.append(x)
        quad = order_clockwise(np.array(new))
        tol = max(2.0, tol / 2)
    return quad


def _shape_ok(q: NDArray[Any], w: int, h: int) -> bool:
    if not is_convex(q):
        return False
    if polygon_area(q) < MIN_AREA * w * h:
        return False
    ang = interior_angles(q)
    if ang.min() < 45 or ang.max() > 135:
        return False
    sides = np.linalg.norm(q[[1, 2, 3, 0]] - q, axis=1)
    if sides.min() < 0.04 * max(w, h):
        return False
    # Every corner in a frame corner: that is the frame (or vignetting), not a page.
    m = 0.015 * max(w, h)
    near_x = (q[:, 0] < m) | (q[:, 0] > w - 1 - m)
    near_y = (q[:, 1] < m) | (q[:, 1] > h - 1 - m)
    if bool(np.all(near_x & near_y)):
        return False
    # Opposite sides of a page seen from above have similar lengths.
    return bool(max(sides[0], sides[2]) < 1.6 * min(sides[0], sides[2])
                and max(sides[1], sides[3]) < 1.6 * min(sides[1], sides[3]))


def _candidate_masks(small: NDArray[Any]) -> list[NDArray[Any]]:
    light = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    # Chroma as max−min of B, G, R: cheap, and high for wood, skin and coloured mats.
    chroma = cv2.subtract(cv2.max(cv2.max(small[..., 0], small[..., 1]), small[..., 2]),
                          cv2.min(cv2.min(small[..., 0], small[..., 1]), small[..., 2]))
    white = cv2.subtract(light, cv2.add(chroma, chroma))
    masks: list[NDArray[Any]] = []
    k5 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    _, m = cv2.threshold(white, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(m, cv2.MORPH_OPEN, k5))
    # Illumination estimate: a big opening (text and small things vanish), blurred on a
    # 1/8 copy; the ratio image flattens uneven light and soft shadows.
    h, w = light.shape
    bg = cv2.morphologyEx(light, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (61, 61)))
    bg = cv2.resize(cv2.GaussianBlur(cv2.resize(bg, (w // 8, h // 8), interpolation=cv2.INTER_AREA),
                                     (0, 0), 2), (w, h), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(light, np.maximum(bg, 1), scale=128)
    _, m = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(m, cv2.MORPH_OPEN, k5))
    # Edges: low thresholds so that a white page on a white desk still shows its outline.
    med = float(np.median(light))
    edges = cv2.Canny(light, max(6.0, 0.1 * med), max(18.0, 0.3 * med))
    edges = cv2.bitwise_or(edges, cv2.Canny(cv2.GaussianBlur(white, (5, 5), 0), 20, 60))
    masks.append(_enclosed(cv2.morphologyEx(edges, cv2.MORPH_CLOSE, k5, iterations=2)))
    # Faint outlines (a light card on a light desk): fixed low thresholds; on smooth desks
    # only the outline and the print inside pass them.
    faint = cv2.Canny(light, FAINT_CANNY, 3 * FAINT_CANNY)
    masks.append(_enclosed(cv2.morphologyEx(faint, cv2.MORPH_CLOSE, k5, iterations=2)))
    return masks


def _enclosed(walls: NDArray[Any]) -> NDArray[Any]:
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


def _candidates(small: NDArray[Any]) -> list[NDArray[Any]]:
    h, w = small.shape[:2]
    out: list[NDArray[Any]] = []
    for m in _candidate_masks(small):
        contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        contours = sorted(contours, key=cv2.contourArea, reverse=True)[:TOP_CONTOURS]
        for c in contours:
            if cv2.contourArea(c) < MIN_AREA * w * h:
                break
            hull = cv2.convexHull(c)
            (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
            if cv2.contourArea(hull) < QUAD_LIKE * rw * rh:  # nothing like a quadrilateral
                continue
            q = _quad_from_hull(hull.reshape(-1, 2).astype(np.float64))
            if q is None:
                continue
            q = order_clockwise(q)
            pts = c.reshape(-1, 2)
            fitted = _fit_quad_to_contour(pts[:: max(1, len(pts) // 400)].astype(np.float64), q)
            for cand in (fitted, q):
                if cand is None or not _shape_ok(cand, w, h):
                    continue
                # Near-duplicates (< 2.5 px here, ~7 px full size) refine to the same outline.
                if not any(np.abs(cand - o).max() < DEDUPE_PX for o in out):
                    out.append(cand)
    return out


def side_profiles(image: NDArray[Any], p0: NDArray[Any], p1: NDArray[Any],
                  outward: NDArray[Any], radius: float,
                  n: int) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Grey-level profiles across a side: ``n`` sample points along p0→p1, offsets
    −radius…radius (1 px steps) along the outward normal. Returns points, offsets, profiles."""
    ts = np.linspace(0.03, 0.97, n)
    pts = p0[None] + ts[:, None] * (p1 - p0)[None]
    offs = np.arange(-radius, radius + 1.0, 1.0)
    mx = (pts[:, 0:1] + offs[None] * outward[0]).astype(np.float32)
    my = (pts[:, 1:2] + offs[None] * outward[1]).astype(np.float32)
    prof = cv2.remap(image, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if prof.ndim == 3:  # sampled straight from BGR: cheaper than converting the whole frame
        return pts, offs, prof.astype(np.float32) @ np.array([0.114, 0.587, 0.299], np.float32)
    return pts, offs, prof.astype(np.float32)


def outward_normal(quad: NDArray[Any], k: int) -> NDArray[Any]:
    p0, p1 = quad[k], quad[(k + 1) % 4]
    d = (p1 - p0) / (np.linalg.norm(p1 - p0) + 1e-9)
    normal = np.array([-d[1], d[0]])
    return normal if np.dot(normal, (p0 + p1) / 2 - quad.mean(0)) >= 0 else -normal


def _fit_side(pts: NDArray[Any], offs: NDArray[Any], prof: NDArray[Any], p0: NDArray[Any],
              p1: NDArray[Any], outward: NDArray[Any]) -> _Side | None:
    """The straight edge across which the profiles step most, in the side's polarity."""
    length = float(np.linalg.norm(p1 - p0))
    n = len(pts)
    deriv = prof[:, 2:] - prof[:, :-2]  # along the outward normal, centred at offs[1:-1]
    if deriv.shape[1] < 3:
        return None
    # Polarity of this side: page brighter or darker than what lies outside it.
    sign = -1.0 if -deriv.min(1).sum() >= deriv.max(1).sum() else 1.0
    d = deriv * sign
    rows = np.arange(n)
    idx = np.argmax(d, axis=1)
    mag = d[rows, idx]
    # Sub-pixel peak by a parabola through the neighbours.
    i0 = np.clip(idx, 1, d.shape[1] - 2)
    a, b, c = d[rows, i0 - 1], d[rows, i0], d[rows, i0 + 1]
    den = a - 2 * b + c
    sub = np.clip(np.where(np.abs(den) > 1e-6, 0.5 * (a - c) / np.where(den == 0, 1, den), 0.0),
                  -1, 1)
    pos = offs[1:-1][i0] + sub
    strong = mag > max(STRONG_STEP, 0.25 * float(np.median(mag)))
    use = strong
    if use.sum() < 5:
        return None
    # The edge as offset = alpha + beta * s along the rough side (s in pixels): a straight
    # line, fitted by least squares with trimming (a hand over part of the side drops out).
    s_along = (pts - p0) @ ((p1 - p0) / length)
    alpha = beta = 0.0
    for _ in range(4):
        su, pu = s_along[use], pos[use]
        sm, pm = su.mean(), pu.mean()
        var = float(((su - sm) ** 2).sum())
        beta = float(((su - sm) * (pu - pm)).sum() / var) if var > 0 else 0.0
        alpha = float(pm - beta * sm)
        res = np.abs(pos - (alpha + beta * s_along))
        ru = np.sort(res[use])
        # Sub-pixel positions on a straight paper edge scatter well under INLIER_MAX px;
        # peaks in texture or noise scatter over the whole band.
        tol = min(INLIER_MAX, max(0.9, 3.0 * float(ru[: max(1, len(ru) // 2)].mean())))
        new = strong & (res < tol)
        if new.sum() < 5:
            return None
        if np.array_equal(new, use):
            break
        use = new
    u = (p1 - p0) / length
    point = p0 + alpha * outward
    direction = u + beta * outward
    direction = direction / np.linalg.norm(direction)
    return _Side(point, direction, float(use.mean()), float(np.median(mag[use])))


def _border_line(p0: NDArray[Any], p1: NDArray[Any], w: int, h: int,
                 tol: float) -> _Side | None:
    """The frame border as a side, when a rough side runs along it (page cut off)."""
    for axis, value in ((0, -0.5), (0, w - 0.5), (1, -0.5), (1, h - 0.5)):
        if abs(p0[axis] - value) <= tol and abs(p1[axis] - value) <= tol:
            point = np.array([value, 0.0]) if axis == 0 else np.array([0.0, value])
            direction = np.array([0.0, 1.0]) if axis == 0 else np.array([1.0, 0.0])
            return _Side(point, direction, 0.0, 0.0)
    return None


def refine(grey: NDArray[Any], quad: NDArray[Any],
           radius: float) -> tuple[NDArray[Any], float, int] | None:
    """Snap a rough outline to the strongest straight edges nearby. Returns corners,
    confidence (0–1, from the sides that have an edge) and how many sides are the frame
    border (page cut off); None when a side has no straight edge."""
    h, w = grey.shape[:2]
    # All four sides' profiles in one remap call (per-call overhead dominates otherwise).
    offs = np.arange(-radius, radius + 1.0, 1.0)
    geo = []
    for k in range(4):
        p0, p1 = quad[k], quad[(k + 1) % 4]
        n = int(np.clip(float(np.linalg.norm(p1 - p0)) / 6, 16, 80))
        ts = np.linspace(0.03, 0.97, n)
        geo.append((p0, p1, outward_normal(quad, k), p0[None] + ts[:, None] * (p1 - p0)[None]))
    mx = np.concatenate([g[3][:, 0:1] + offs[None] * g[2][0] for g in geo]).astype(np.float32)
    my = np.concatenate([g[3][:, 1:2] + offs[None] * g[2][1] for g in geo]).astype(np.float32)
    prof = cv2.remap(grey, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if prof.ndim == 3:
        prof = prof.astype(np.float32) @ np.array([0.114, 0.587, 0.299], np.float32)
    else:
        prof = prof.astype(np.float32)
    sides: list[_Side] = []
    cut = 0
    row = 0
    for p0, p1, outward, pts in geo:
        s = _fit_side(pts, offs, prof[row:row + len(pts)], p0, p1, outward)
        row += len(pts)
        if s is None:
            s = _border_line(p0, p1, w, h, radius + 2)
            if s is None:
                return None
            cut += 1
        sides.append(s)
    if cut > 2:
        return None
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
    supports = np.array([s.support for s in sides if s.strength > 0])
    conf = float(0.5 * supports.mean() + 0.5 * supports.min())
    return q, conf, cut


def _room(p: NDArray[Any], d: NDArray[Any], w: int, h: int) -> float:
    """How far from p along the unit vector d the frame goes on."""
    out = np.inf
    for v, dv, lim in ((p[0], d[0], w), (p[1], d[1], h)):
        if dv > 1e-6:
            out = min(out, (lim - 0.5 - v) / dv)
        elif dv < -1e-6:
            out = min(out, (v + 0.5) / -dv)
    return float(max(out, 0.0))


def _outward_support(grey: NDArray[Any], q: NDArray[Any]
                     ) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
    """How well a straight edge parallel to each side of ``q`` is backed at each distance
    outside it (detection-image pixels), for all four sides in one remap. Profiles are
    averaged in blocks along each side (a real edge is coherent along the side, sensor noise
    is not); support = share of blocks with a step there. Returns offsets, support (4×n),
    each side's extent across the outline and its outward normal (4×2)."""
    h, w = grey.shape[:2]
    normals = np.array([outward_normal(q, k) for k in range(4)])
    extent = np.array([abs(float(np.dot(0.5 * (q[(k + 2) % 4] + q[(k + 3) % 4]) - q[k],
                                         normals[k]))) for k in range(4)])
    # Not beyond the frame (there every sample would be the border pixel).
    room = np.array([max(_room(q[k], normals[k], w, h), _room(q[(k + 1) % 4], normals[k], w, h))
                     for k in range(4)])
    reach = np.minimum(OUTER_REACH * extent, room)
    offs = np.arange(OUTER_START, max(OUTER_START + 4.0, float(reach.max())), 1.0)
    ts = np.linspace(0.08, 0.92, OUTER_BLOCKS * OUTER_PER_BLOCK)
    pts = (q[:, None] + ts[None, :, None] * (q[[1, 2, 3, 0]] - q)[:, None]).reshape(-1, 2)
    nrm = np.repeat(normals, len(ts), axis=0)
    mx = (pts[:, 0:1] + offs[None] * nrm[:, 0:1]).astype(np.float32)
    my = (pts[:, 1:2] + offs[None] * nrm[:, 1:2]).astype(np.float32)
    prof = cv2.remap(grey, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    blocks = prof.reshape(4, OUTER_BLOCKS, OUTER_PER_BLOCK, -1).astype(np.float32).mean(2)
    step = np.abs(blocks[..., 2:] - blocks[..., :-2])
    # One pixel of slack across the side: the outer edge is nearly, not exactly, parallel.
    step[..., 1:-1] = np.maximum(step[..., 1:-1], np.maximum(step[..., 2:], step[..., :-2]))
    support = (step > STRONG_STEP).mean(1)
    support[offs[None, 1:-1] > reach[:, None]] = 0.0
    return offs[1:-1], support, extent, normals


def _shifted_quad(q: NDArray[Any], normals: NDArray[Any],
                  shifts: list[float]) -> NDArray[Any] | None:
    """``q`` with each side moved outward by its shift (parallel lines, intersected)."""
    lines = [(q[k] + shifts[k] * normals[k], q[(k + 1) % 4] - q[k]) for k in range(4)]
    corners = []
    for k in range(4):
        x = line_intersection(lines[k - 1][0], lines[k - 1][1], lines[k][0], lines[k][1])
        if x is None:
            return None
        corners.append(x)
    return order_clockwise(np.array(corners))


def _snap(frame: NDArray[Any], rough: NDArray[Any], radii: tuple[float, float],
          need: float) -> tuple[NDArray[Any], float] | None:
    """Refine a rough outline in two passes; None unless it ends with confidence >= need,
    inside the frame and of a page's shape (the coarse pass already tells a hopeless one)."""
    h, w = frame.shape[:2]
    r = refine(frame, rough, radii[0])
    if r is None or r[2] or r[1] < need - 0.1:
        return None
    r2 = refine(frame, r[0], radii[1])
    if r2 is None or r2[2] or r2[1] < need:
        return None
    q = order_clockwise(r2[0])
    return (q, r2[1]) if _shape_ok(q, w, h) else None


def _outer_outline(frame: NDArray[Any], small: NDArray[Any], q: NDArray[Any], conf: float,
                   min_confidence: float,
                   radii: tuple[float, float]) -> tuple[NDArray[Any], float]:
    """The found outline, or the outline around it when that is what the page really is:
    a card around its printed photo box, or a page around the coloured band printed to its
    edge (the band's outer edge lies a little farther out on one side)."""
    h, w = frame.shape[:2]
    k = np.array([w / small.shape[1], h / small.shape[0]])
    area = polygon_area(q)
    qs = (q + 0.5) / k - 0.5
    offs, support, extent, normals = _outward_support(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), qs)
    if area <= OUTER_AREA * w * h:
        # Outermost backed edge on each side; at least two sides must move.
        shifts = [float(offs[np.nonzero(sup >= OUTER_SUPPORT)[0][-1]])
                  if (sup >= OUTER_SUPPORT).any() else 0.0 for sup in support]
        rough = _shifted_quad(qs, normals, shifts) if sum(x > 0 for x in shifts) >= 2 else None
        if rough is not None:
            rough = (rough + 0.5) * k - 0.5
            # Only a clearly larger outline (the inner one a photo box or table on it): a
            # slightly larger one is as likely desk texture beside the page.
            if area <= OUTER_AREA * 1.2 * polygon_area(rough):
                got = _snap(frame, rough, radii, max(min_confidence, OUTER_MIN_CONF))
                if got is not None and _inside(q, got[0]) and area <= OUTER_AREA * polygon_area(got[0]):
                    return got
    if conf >= BAND_MIN_CONF:
        # One side only: the best-backed first edge within a band's width.
        near = support * (offs[None] <= BAND_REACH * extent[:, None])
        side = int(np.argmax(near.max(1)))
        hits = np.nonzero(near[side] >= OUTER_SUPPORT)[0]
        if len(hits):
            run = hits[: int(np.argmax(np.diff(np.append(hits, 10**9)) > 1)) + 1]
            shifts = [0.0] * 4
            shifts[side] = float(offs[run[int(np.argmax(near[side][run]))]])
            rough = _shifted_quad(qs, normals, shifts)
            if rough is not None:
                rough = (rough + 0.5) * k - 0.5
                got = _snap(frame, rough, radii, max(min_confidence, conf - BAND_CONF_LOSS))
                if got is not None and polygon_area(got[0]) > 1.02 * area:
                    return got
    return q, conf


def _inside(small_q: NDArray[Any], big_q: NDArray[Any]) -> bool:
    c = small_q.mean(0).astype(np.float32)
    return bool(cv2.pointPolygonTest(big_q.astype(np.float32), (float(c[0]), float(c[1])), False) > 0
                and polygon_area(small_q) < 0.9 * polygon_area(big_q))


def _downscale(frame: NDArray[Any], scale: float) -> NDArray[Any]:
    """INTER_AREA quality at INTER_LINEAR cost: integer-factor area step, then linear."""
    if scale >= 1:
        return frame
    h, w = frame.shape[:2]
    k = int(1 / scale)
    if k >= 2:
        frame = cv2.resize(frame, (w // k, h // k), interpolation=cv2.INTER_AREA)
    return cv2.resize(frame, (max(1, round(w * scale)), max(1, round(h * scale))),
                      interpolation=cv2.INTER_LINEAR)


def detect_page(frame: NDArray[Any], prior: NDArray[Any] | None = None,
                min_confidence: float = MIN_CONFIDENCE, track: bool = False) -> PageDetection:
    """Find the page in a BGR frame (any size). Pure function; safe off the GUI thread.

    ``prior``: the last outline in the same frame size (live preview), tried as one more
    candidate. With ``track=True`` a prior that still snaps to strong edges is returned
    without the candidate search (≈ 2 ms instead of ≈ 15); ``PreviewDetector`` does that
    with a full search every few frames so that a wrong lock cannot persist."""
    frame = as_bgr(frame)
    h, w = frame.shape[:2]
    scale = WORK_SIZE / max(w, h)
    if min(w, h) * min(scale, 1.0) < 32:  # a sliver or a thumbnail: nothing to find
        return PageDetection(None, 0.0, "no_page", (w, h))
    sx = sy = 1 / min(scale, 1.0)
    radius1 = max(6.0, 3.0 * max(sx, sy))
    radius2 = max(3.0, 0.75 * max(sx, sy))
    if prior is not None and track:
        r = refine(frame, np.asarray(prior, np.float64), radius1)
        r2 = refine(frame, r[0], radius2) if r is not None and not r[2] else None
        if r2 is not None and not r2[2] and r2[1] >= 0.85:
            q = order_clockwise(r2[0])
            if _shape_ok(q, w, h):
                return PageDetection(q, r2[1], "", (w, h))
    small = _downscale(frame, scale)
    sx, sy = w / small.shape[1], h / small.shape[0]
    cands = [(q + 0.5) * np.array([sx, sy]) - 0.5 for q in _candidates(small)]
    if prior is not None and not track:
        cands.append(np.asarray(prior, np.float64))
    if not cands:
        return PageDetection(None, 0.0, "no_page", (w, h))
    # Largest first: the first outline that is clearly backed by edges wins; a smaller one
    # (a table or text block inside the page) is only taken when it is clearly better.
    cands.sort(key=polygon_area, reverse=True)
    best_conf, best_q = 0.0, None
    cut_conf = 0.0
    seen: list[NDArray[Any]] = []
    for q in cands[:10]:
        r = refine(frame, q, radius1)
        if r is None or any(np.abs(r[0] - o).max() < 1.0 for o in seen):
            continue
        if r[1] < min_confidence - 0.2:  # hopeless; the fine pass changes little
            continue
        seen.append(r[0])
        r2 = refine(frame, r[0], radius2)
        if r2 is None:
            continue
        q2 = order_clockwise(r2[0])
        if not _shape_ok(q2, w, h):
            continue
        if r2[2]:  # runs off the frame: remember, but never return a guessed outline
            cut_conf = max(cut_conf, r2[1])
            continue
        # A smaller outline inside the chosen one is a photo, table or text block on the
        # page: never preferred over the page itself.
        if best_q is None or (r2[1] > best_conf + 0.1 and not (
                best_conf >= min_confidence and _inside(q2, best_q))):
            best_conf, best_q = r2[1], q2
        if best_conf >= 0.85:
            break
    if best_q is not None and best_conf >= min_confidence:
        best_q, best_conf = _outer_outline(frame, small, best_q, best_conf, min_confidence,
                                           (radius1, radius2))
    if best_q is None or best_conf < min_confidence:
        if cut_conf >= max(min_confidence, 0.7):
            return PageDetection(None, cut_conf, "touching_edge", (w, h))
        return PageDetection(None, best_conf, "no_page", (w, h))
    return PageDetection(best_q, best_conf, "", (w, h))


class PreviewDetector:
    """Detection for the live preview: tracks the last outline (fast path) and runs the
    full search at least every ``full_every`` frames, so a wrong lock cannot persist."""

    def __init__(self, full_every: int = 5) -> None:
        self.full_every = full_every
        self._last: NDArray[Any] | None = None
        self._since_full = 0

    def detect(self, frame: NDArray[Any]) -> PageDetection:
        use_prior = self._last is not None and self._since_full < self.full_every
        d = detect_page(frame, prior=self._last if use_prior else None, track=True)
        self._since_full = self._since_full + 1 if use_prior else 0
        self._last = d.corners
        return d
