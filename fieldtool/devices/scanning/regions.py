"""Where in a frame a symbol probably is, and how to straighten it.

Barcodes are areas of dense, strong edges: bars give a strong gradient across them, matrix codes in
both directions. The gradient magnitude is smoothed, thresholded and closed into blobs; each blob's
outline gives a quadrilateral (four corners when the outline is one, else its rotated bounding box).
Warping that quadrilateral to an upright rectangle undoes rotation and perspective in one step.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_AREA_SHARE = 0.002  # blobs smaller than this share of the frame are noise or text
TARGET_SIDE = 480  # straightened crops are scaled so their longer side has about this many pixels


def candidate_quads(gray: np.ndarray, limit: int = 6) -> list[np.ndarray]:
    """Up to ``limit`` quadrilaterals (4x2 float32, clockwise from top-left) likely to hold a symbol."""
    h, w = gray.shape[:2]
    f = 640 / max(h, w) if max(h, w) > 640 else 1.0
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.convertScaleAbs(cv2.magnitude(gx, gy))
    mag = cv2.blur(mag, (7, 7))
    _, edges = cv2.threshold(mag, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    min_area = MIN_AREA_SHARE * small.shape[0] * small.shape[1]
    scored = []
    # Three masks: a large closing joins the bars of a big or blurred symbol; a small one keeps a symbol
    # apart from printed text next to it; a large opening cuts the thin bridge where they still touch.
    side = min(small.shape[:2])
    for close_share, open_share in ((0.03, 0.0), (0.012, 0.0), (0.03, 0.06)):
        k = max(3, int(side * close_share))
        o = max(5, int(side * open_share))
        mask = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (o, o)))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            area = cv2.contourArea(c)
            if area < min_area:
                continue
            rect = cv2.minAreaRect(c)
            fill = area / max(rect[1][0] * rect[1][1], 1.0)
            if fill < 0.5:  # ragged blobs (text lines merging, clutter) are rarely a symbol
                continue
            if any(abs(rect[0][0] - r[0][0]) < 4 and abs(rect[0][1] - r[0][1]) < 4 for _, _, r in scored):
                continue  # the same blob in another mask
            scored.append((area * fill, c, rect))
    scored.sort(key=lambda t: -t[0])
    quads = []
    for _, c, rect in scored[:limit]:
        hull = cv2.convexHull(c)
        approx = cv2.approxPolyDP(hull, 0.04 * cv2.arcLength(hull, True), True)
        pts = approx.reshape(-1, 2) if len(approx) == 4 else cv2.boxPoints(rect)
        quads.append(order_corners(np.float32(pts) / f))
    return quads


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    pts = np.float32(pts)
    c = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, starting left-ish
    start = np.argmin(pts.sum(axis=1))
    return np.roll(pts, -start, axis=0)


def warp_quad(gray: np.ndarray, quad: np.ndarray, margin: float = 0.12):
    """The quadrilateral straightened to an upright crop with a quiet-zone margin, and the inverse map.

    Returns ``(crop, back)`` where ``back(points)`` maps crop coordinates to frame coordinates.
    """
    tl, tr, br, bl = quad
    wq = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl), 1.0)
    hq = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr), 1.0)
    s = TARGET_SIDE / max(wq, hq)
    s = min(max(s, 1.0), 4.0)  # enlarge small symbols, never shrink (the modules would merge)
    mx, my = margin * wq * s, margin * hq * s
    ow, oh = int(wq * s + 2 * mx), int(hq * s + 2 * my)
    dst = np.float32([[mx, my], [mx + wq * s, my], [mx + wq * s, my + hq * s], [mx, my + hq * s]])
    m = cv2.getPerspectiveTransform(np.float32(quad), dst)
    crop = cv2.warpPerspective(gray, m, (ow, oh), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    inv = np.linalg.inv(m)

    def back(p: np.ndarray) -> np.ndarray:
        return cv2.perspectiveTransform(np.float64(p).reshape(-1, 1, 2), inv).reshape(-1, 2)

    return crop, back


def bar_profiles(crop: np.ndarray, bands: int = 3) -> list[np.ndarray]:
    """For a crop of a linear symbol: its bars made exactly vertical, then averaged along their length.

    Averaging along the bars keeps every bar edge and takes sensor noise, JPEG blocks and speckle down by
    the square root of the rows averaged. The bar angle comes from the crop's structure tensor (the
    dominant gradient direction), which is finer than the region's outline. Each of ``bands`` stripes
    across the bars gives one profile (perspective makes bars converge, glare may cover one end). Empty
    when the crop has no dominant gradient direction (a matrix code, text), which must not be smeared.
    """
    gx = cv2.Sobel(crop, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(crop, cv2.CV_32F, 0, 1, ksize=3)
    jxx, jyy, jxy = float((gx * gx).sum()), float((gy * gy).sum()), float((gx * gy).sum())
    coherence = np.hypot(jxx - jyy, 2 * jxy) / max(jxx + jyy, 1e-6)
    if coherence < 0.5:
        return []
    theta = 0.5 * np.degrees(np.arctan2(2 * jxy, jxx - jyy))  # gradient direction; bars are across it
    h, w = crop.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), theta, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    upright = cv2.warpAffine(crop, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    out = []
    edges = np.linspace(0.15, 0.85, bands + 1)
    for lo_f, hi_f in zip(edges[:-1], edges[1:], strict=True):
        profile = upright[int(nh * lo_f) : int(nh * hi_f)].mean(axis=0)
        out.append(np.repeat(_stretch(profile)[None, :], 24, axis=0))
    return out


def _stretch(profile: np.ndarray) -> np.ndarray:
    """Contrast-stretch a profile against its local envelope (glare and shading vary along the symbol)."""
    n = len(profile)
    win = max(9, n // 20) | 1
    p = profile.astype(np.float32).reshape(1, -1)
    kernel = np.ones((1, win), np.uint8)
    hi = cv2.blur(cv2.dilate(p, kernel), (win, 1))
    lo = cv2.blur(cv2.erode(p, kernel), (win, 1))
    out = (p - lo) * 255.0 / np.maximum(hi - lo, 8.0)
    return np.clip(out, 0, 255).astype(np.uint8).reshape(-1)
