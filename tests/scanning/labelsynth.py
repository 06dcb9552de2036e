"""Labels made with zxing-cpp's writer and photographed badly in software (tests and bench/decode.py).

Every degradation is one a person meets in the field: the label at an angle (rotation), photographed
off-axis (perspective), out of focus or moving (blur), in poor light (sensor noise, low contrast), through
a meter's glass (glare), and saved by a phone (JPEG). Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

# symbology name -> (zxing-cpp writer format, sample payloads made from the row number)
WRITERS = {
    "QRCode": (zxingcpp.BarcodeFormat.QRCode, lambda i: f"Z:000D6FFFFE63{i:04X}$I:83FED3407A939723A5C639B26916D505C3B5"),
    "Code128": (zxingcpp.BarcodeFormat.Code128, lambda i: f"1AL{i:09d}0222R"),
    "Code39": (zxingcpp.BarcodeFormat.Code39, lambda i: f"SN{i:08d}"),
    "ITF": (zxingcpp.BarcodeFormat.ITF, lambda i: gs1_check(f"1073500123{i:03d}")),
    "DataMatrix": (zxingcpp.BarcodeFormat.DataMatrix, lambda i: f"MFG:LG;SN:{i:010d};KH:7.2"),
    "GS1-128": (zxingcpp.BarcodeFormat.Code128, lambda i: f"(01)09501101530003(10)LOT{i:04d}(21){i:08d}"),
}


def gs1_check(digits: str) -> str:
    """``digits`` with the GS1 mod-10 check digit appended (ITF-14, GTIN, SSCC)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Sample:
    symbology: str  # as a decoder reports it (GS1-128 reports Code128 with gs1=True)
    text: str  # the expected decoded text (Plain mode: GS1 without brackets, GS separators)
    image: np.ndarray  # 8-bit BGR frame
    degradations: tuple[str, ...]


def label_image(kind: str, payload: str, module_px: int = 3) -> np.ndarray:
    """A clean label: the symbol with its quiet zone on white paper, 8-bit gray."""
    fmt, _ = WRITERS[kind]
    opts = {"gs1": True} if kind == "GS1-128" else {}
    b = zxingcpp.create_barcode(payload, fmt, **opts)
    img = np.array(b.to_image(scale=module_px, add_quiet_zones=True))
    if kind not in ("QRCode", "DataMatrix"):
        img = cv2.resize(img, (img.shape[1], max(img.shape[0], img.shape[1] // 4)), interpolation=cv2.INTER_NEAREST)
    pad = 6 * module_px
    return cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def expected_text(kind: str, payload: str) -> str:
    if kind != "GS1-128":
        return payload
    # (01)...(10)LOT(21)SER -> 01...10LOT<GS>21SER : a GS ends each variable-length field but the last
    parts = payload.replace("(", ")").split(")")[1:]
    out = ""
    prev_variable = False
    for ai, value in zip(parts[0::2], parts[1::2], strict=True):
        if prev_variable:
            out += "\x1d"
        out += ai + value
        prev_variable = ai not in ("00", "01", "02", "11", "17")
    return out


def _warp_patch(label: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Warp the label by the 3x3 matrix ``m`` onto a canvas that holds all of it; returns (patch, mask)."""
    h, w = label.shape[:2]
    corners = cv2.perspectiveTransform(np.float32([[[0, 0], [w, 0], [w, h], [0, h]]]), m)[0]
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64)
    size = (int(np.ceil(x1 - x0)) + 1, int(np.ceil(y1 - y0)) + 1)
    mm = shift @ m
    patch = cv2.warpPerspective(label, mm, size, flags=cv2.INTER_AREA, borderValue=255)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), mm, size, flags=cv2.INTER_LINEAR, borderValue=0)
    return patch, mask


def pose(label: np.ndarray, rng: random.Random, scale: float, angle: float = 0.0, tilt: float = 0.0):
    """Scale, rotate by ``angle`` degrees and tilt (perspective, share of the size) the label."""
    h, w = label.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    d = tilt * min(w, h)
    jitter = np.float32([[rng.uniform(0, d), rng.uniform(0, d)] for _ in range(4)])
    dst = src + jitter * np.float32([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    m = cv2.getPerspectiveTransform(src, dst).astype(np.float64)
    r = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    return _warp_patch(label, np.vstack([r, [0, 0, 1]]) @ m)


def place(patch: np.ndarray, mask: np.ndarray, size: tuple[int, int], rng: random.Random) -> tuple[np.ndarray, float]:
    """The posed label on a cluttered background (a meter face) of ``size`` (w, h), gray, and the factor
    by which the label had to be shrunk to fit (1.0 when it fitted)."""
    w, h = size
    bg = np.full((h, w), rng.randint(90, 200), np.uint8)
    noise_ = cv2.resize(np.array([[rng.randint(0, 60) for _ in range(8)] for _ in range(6)], np.uint8), (w, h))
    bg = cv2.add(bg, noise_)
    for _ in range(6):  # printed text, bolts and edges that are not barcodes
        x, y = rng.randint(0, w - 1), rng.randint(0, h - 1)
        cv2.putText(bg, "kWh CL200 240V", (x, y), cv2.FONT_HERSHEY_SIMPLEX, rng.uniform(0.6, 1.4), rng.randint(0, 80), 2)
    lh, lw = patch.shape[:2]
    f = 1.0
    if lw >= w or lh >= h:
        f = min((w - 4) / lw, (h - 4) / lh)
        patch = cv2.resize(patch, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask, (patch.shape[1], patch.shape[0]), interpolation=cv2.INTER_AREA)
        lh, lw = patch.shape[:2]
    x, y = rng.randint(0, w - lw), rng.randint(0, h - lh)
    a = mask.astype(np.float32) / 255
    roi = bg[y : y + lh, x : x + lw].astype(np.float32)
    bg[y : y + lh, x : x + lw] = (patch * a + roi * (1 - a)).astype(np.uint8)
    return bg, f


def blur(img, sigma):
    return cv2.GaussianBlur(img, (0, 0), sigma)


def motion_blur(img, length):
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1.0 / length
    return cv2.filter2D(img, -1, k)


def noise(img, rng, sigma):
    n = np.random.default_rng(rng.randint(0, 2**31)).normal(0, sigma, img.shape)
    return np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)


def low_contrast(img, lo=70, hi=150):
    return (lo + img.astype(np.float32) * (hi - lo) / 255).astype(np.uint8)


def glare(img, rng, strength=170):
    h, w = img.shape[:2]
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    r = rng.uniform(0.08, 0.18) * min(w, h)
    yy, xx = np.mgrid[0:h, 0:w]
    g = strength * np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)))
    return np.clip(img.astype(np.float32) + g, 0, 255).astype(np.uint8)


def jpeg(img, quality):
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)


DEGRADATIONS = ("rotation", "perspective", "blur", "noise", "low_contrast", "glare", "jpeg")


def degrade(img: np.ndarray, names, rng: random.Random, module: float = 3.0) -> np.ndarray:
    """Apply the named photometric degradations in the order a camera would: optics, light, sensor, codec.

    Geometry (rotation, perspective) is applied to the label before it is placed (``pose``), so that the
    whole label stays in the frame, as a person holds the camera. Blur is bounded by the module size in
    the frame (``module`` pixels): a Gaussian blur of sigma 0.2-0.4 module or a motion blur of about one
    module; beyond that the modules merge and no person (or decoder) tells them apart."""
    if "blur" in names:
        if rng.random() < 0.6:
            img = blur(img, rng.uniform(0.2, 0.4) * module)
        else:
            img = motion_blur(img, max(2, int(round(rng.uniform(0.8, 1.2) * module))))
    if "low_contrast" in names:
        lo = rng.randint(50, 110)
        img = low_contrast(img, lo, lo + rng.randint(45, 70))
    if "glare" in names:
        img = glare(img, rng)
    if "noise" in names:
        img = noise(img, rng, rng.uniform(6, 14))
    if "jpeg" in names:
        img = jpeg(img, rng.randint(35, 65))
    return img


def sample(kind: str, i: int, rng: random.Random, size=(1280, 720), degradations=None) -> Sample:
    """One badly photographed label of ``kind`` in a frame of ``size``."""
    payload = WRITERS[kind][1](i)
    module_px = 4 if kind in ("QRCode", "DataMatrix") else 3
    label = label_image(kind, payload, module_px=module_px)
    if degradations is None:
        degradations = tuple(d for d in DEGRADATIONS if rng.random() < 0.45) or ("jpeg",)
    scale = rng.uniform(0.8, 1.3) * size[0] / 1280
    angle = rng.uniform(-180, 180) if "rotation" in degradations else rng.choice((0, 90, 180, 270))
    tilt = rng.uniform(0.05, 0.15) if "perspective" in degradations else 0.0
    patch, mask = pose(label, rng, scale, angle, tilt)
    frame, fit = place(patch, mask, size, rng)
    frame = degrade(frame, degradations, rng, module=module_px * scale * fit)
    symbology = "Code128" if kind == "GS1-128" else kind
    return Sample(symbology, expected_text(kind, payload), cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), tuple(degradations))


def corpus(n_per_kind: int, seed: int = 1, size=(1280, 720)) -> list[Sample]:
    rng = random.Random(seed)
    return [sample(kind, i, rng, size) for kind in WRITERS for i in range(n_per_kind)]
