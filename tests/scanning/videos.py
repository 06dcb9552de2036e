"""Short videos for the camera path (there is no camera on the build machines)."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np

from tests.scanning import labelsynth as ls


def write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened(), "OpenCV cannot write MJPG video here"
    for f in frames:
        writer.write(f if f.ndim == 3 else cv2.cvtColor(f, cv2.COLOR_GRAY2BGR))
    writer.release()
    return path


def scan_video(path: Path, plan: list[tuple[str | None, int]], size=(640, 360), seed: int = 1) -> list[str]:
    """A video where each (kind, n) of ``plan`` shows that kind's label (None: an empty meter face) for n
    frames, the camera shaking a little. Returns the texts shown, in order."""
    rng = random.Random(seed)
    frames, texts = [], []
    for i, (kind, n) in enumerate(plan):
        if kind is None:
            base = ls.place(np.full((10, 10), 200, np.uint8), np.zeros((10, 10), np.uint8), size, rng)[0]
            frames += [ls.noise(base, rng, 3) for _ in range(n)]
            continue
        payload = ls.WRITERS[kind][1](i)
        texts.append(ls.expected_text(kind, payload))
        patch, mask = ls.pose(ls.label_image(kind, payload, module_px=2), rng, 0.8, angle=rng.uniform(-8, 8))
        base, _ = ls.place(patch, mask, size, rng)
        for _ in range(n):
            dx, dy = rng.randint(-3, 3), rng.randint(-3, 3)
            frames.append(ls.noise(np.roll(np.roll(base, dx, axis=1), dy, axis=0), rng, 3))
    write_video(path, frames)
    return texts
