"""Quadrilateral helpers: corner order, sanity, area, and the Jaccard index used for scoring.

The Jaccard index (intersection over union) of two quadrilaterals is computed exactly with a
Sutherland–Hodgman clip of convex polygons and the shoelace area (no shapely dependency);
non-convex inputs are replaced by their convex hull, which is what a page outline is.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Quad = NDArray[Any]  # 4×2


def _next(p: NDArray[Any]) -> NDArray[Any]:
    """The following vertex of each vertex (cheaper than np.roll for tiny arrays)."""
    return np.concatenate((p[1:], p[:1]))


def _prev(p: NDArray[Any]) -> NDArray[Any]:
    return np.concatenate((p[-1:], p[:-1]))


def order_clockwise(pts: NDArray[Any]) -> Quad:
    """Corners clockwise (image coordinates, y down) starting from the top-left one
    (the smallest x + y)."""
    p = np.asarray(pts, np.float64).reshape(4, 2)
    c = p.mean(axis=0)
    ang = np.arctan2(p[:, 1] - c[1], p[:, 0] - c[0])
    p = p[np.argsort(ang)]  # increasing angle = clockwise on screen (y down)
    start = int(np.argmin(p.sum(axis=1)))
    return np.concatenate((p[start:], p[:start]))


def polygon_area(p: NDArray[Any]) -> float:
    x, y = p[:, 0], p[:, 1]
    return float(0.5 * abs(np.dot(x, _next(y)) - np.dot(y, _next(x))))


def _ccw(p: NDArray[Any]) -> NDArray[Any]:
    x, y = p[:, 0], p[:, 1]
    s = np.dot(x, _next(y)) - np.dot(y, _next(x))
    return p if s > 0 else p[::-1]


def _hull(p: NDArray[Any]) -> NDArray[Any]:
    import cv2

    return np.asarray(cv2.convexHull(p.astype(np.float32)), np.float64).reshape(-1, 2)


def _clip(subject: list[NDArray[Any]], clip: NDArray[Any]) -> list[NDArray[Any]]:
    out = subject
    n = len(clip)
    for i in range(n):
        a, b = clip[i], clip[(i + 1) % n]
        inp, out = out, []
        if not inp:
            break

        def inside(p: NDArray[Any], a: NDArray[Any] = a,
                   b: NDArray[Any] = b) -> bool:
            return bool((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0)

        def cross(p: NDArray[Any], q: NDArray[Any], a: NDArray[Any] = a,
                  b: NDArray[Any] = b) -> NDArray[Any]:
            d1, d2 = q - p, b - a
            den = d1[0] * d2[1] - d1[1] * d2[0]
            if abs(den) < 1e-12:
                return q
            t = ((a[0] - p[0]) * d2[1] - (a[1] - p[1]) * d2[0]) / den
            at: NDArray[Any] = p + t * d1
            return at

        s = inp[-1]
        for e in inp:
            if inside(e):
                if not inside(s):
                    out.append(cross(s, e))
                out.append(e)
            elif inside(s):
                out.append(cross(s, e))
            s = e
    return out


def jaccard(q1: NDArray[Any] | None, q2: NDArray[Any] | None) -> float:
    """Intersection over union of two quadrilaterals; 0 when either is missing."""
    if q1 is None or q2 is None:
        return 0.0
    a = _ccw(_hull(np.asarray(q1, np.float64)))
    b = _ccw(_hull(np.asarray(q2, np.float64)))
    inter = _clip(list(a), b)
    ia = polygon_area(np.array(inter)) if len(inter) >= 3 else 0.0
    union = polygon_area(a) + polygon_area(b) - ia
    return ia / union if union > 0 else 0.0


def interior_angles(q: Quad) -> NDArray[Any]:
    v_prev = q - _prev(q)
    v_next = _next(q) - q
    cosang = -(v_prev * v_next).sum(1) / (np.linalg.norm(v_prev, axis=1)
                                          * np.linalg.norm(v_next, axis=1) + 1e-12)
    degrees: NDArray[Any] = np.degrees(np.arccos(np.clip(cosang, -1, 1)))
    return degrees


def is_convex(q: Quad) -> bool:
    d = _next(q) - q
    dn = _next(d)
    cross = d[:, 0] * dn[:, 1] - d[:, 1] * dn[:, 0]
    return bool(np.all(cross > 0) or np.all(cross < 0))


def line_intersection(p1: NDArray[Any], d1: NDArray[Any],
                      p2: NDArray[Any], d2: NDArray[Any]) -> NDArray[Any] | None:
    den = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(den) < 1e-9:
        return None
    t = ((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / den
    at: NDArray[Any] = p1 + t * d1
    return at
