"""Photos as evidence: a frame from the camera (or a still image), saved as JPEG with the time and the GPS
position in its EXIF, and its SHA-256 -- the fingerprint the back office checks on upload.

Evidence must not be altered after the fact, so the bytes hashed are exactly the bytes written and
uploaded; the EXIF is written once, here. Times go in as UTC with ``OffsetTimeOriginal`` +00:00.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from PIL.TiffImagePlugin import IFDRational

from fieldtool.domain.errors import InputError
from fieldtool.domain.model import Position

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
TAG_DATETIME, TAG_SOFTWARE = 0x0132, 0x0131
TAG_DATETIME_ORIGINAL, TAG_OFFSET_TIME_ORIGINAL = 0x9003, 0x9011


@dataclass(frozen=True)
class Jpeg:
    data: bytes
    sha256: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    deg = int(value)
    minutes_f = (value - deg) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60 * 10000)
    return IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 10000)


def exif_for(taken_at: datetime, position: Position | None, software: str = "fieldtool") -> Image.Exif:
    """EXIF with the capture time (UTC) and, when known, the position, its fix time and accuracy."""
    if taken_at.tzinfo is None:
        raise ValueError("taken_at needs a time zone")
    t = taken_at.astimezone(UTC)
    exif = Image.Exif()
    stamp = t.strftime("%Y:%m:%d %H:%M:%S")
    exif[TAG_DATETIME] = stamp
    exif[TAG_SOFTWARE] = software
    sub = exif.get_ifd(EXIF_IFD)
    sub[TAG_DATETIME_ORIGINAL] = stamp
    sub[TAG_OFFSET_TIME_ORIGINAL] = "+00:00"
    if position is not None:
        gps = exif.get_ifd(GPS_IFD)
        gps[0] = b"\x02\x03\x00\x00"  # GPSVersionID 2.3
        gps[1] = "N" if position.lat >= 0 else "S"
        gps[2] = _dms(position.lat)
        gps[3] = "E" if position.lon >= 0 else "W"
        gps[4] = _dms(position.lon)
        gps[18] = "WGS-84"
        fix = (position.fix_time or t).astimezone(UTC)
        gps[7] = (IFDRational(fix.hour, 1), IFDRational(fix.minute, 1), IFDRational(round(fix.second * 100 + fix.microsecond / 1e4), 100))
        gps[29] = fix.strftime("%Y:%m:%d")
        if position.accuracy_m is not None:
            gps[31] = IFDRational(round(position.accuracy_m * 100), 100)  # GPSHPositioningError, metres
    return exif


def encode_jpeg(image: np.ndarray | Image.Image, *, taken_at: datetime, position: Position | None = None,
                quality: int = 88, max_side: int | None = None) -> Jpeg:  # fmt: skip
    """A JPEG of ``image`` (BGR or gray array as OpenCV gives, or a PIL image) with EXIF time and GPS."""
    if isinstance(image, np.ndarray):
        if image.ndim == 3 and image.shape[2] == 3:
            pil = Image.fromarray(image[:, :, ::-1].copy())  # BGR -> RGB
        elif image.ndim == 2:
            pil = Image.fromarray(image)
        else:
            raise InputError("The picture is not an 8-bit gray or colour image.")
    else:
        pil = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    if max_side and max(pil.size) > max_side:
        pil.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=quality, exif=exif_for(taken_at, position), optimize=True)
    data = buf.getvalue()
    return Jpeg(data, hashlib.sha256(data).hexdigest(), pil.size[0], pil.size[1])


def load_still(path: str | Path) -> Image.Image:
    """A still image from a file (what tests and the CLI feed instead of a camera)."""
    try:
        img = Image.open(path)
        img.load()
        return img
    except FileNotFoundError as e:
        raise InputError(f"There is no picture {path}.") from e
    except (UnidentifiedImageError, OSError) as e:
        raise InputError(f"{path} is not a picture this tool can read: {e}") from e


def capture_frame(camera, timeout_s: float = 2.0) -> np.ndarray:
    """The next frame from a started ``scanning.camera.Camera`` (the same path the scanner uses)."""
    frame = camera.next_frame(timeout=timeout_s)
    if frame is None:
        raise InputError("The camera gave no picture.", hint="Check the camera and try again.")
    return frame.image


def read_exif(data: bytes) -> dict:
    """Time and position back out of a JPEG's EXIF (for checks and for showing a photo's details)."""
    exif = Image.open(io.BytesIO(data)).getexif()
    sub, gps = exif.get_ifd(EXIF_IFD), exif.get_ifd(GPS_IFD)
    out: dict = {"taken_at": sub.get(TAG_DATETIME_ORIGINAL), "offset": sub.get(TAG_OFFSET_TIME_ORIGINAL)}
    if 2 in gps and 4 in gps:
        lat = sum(float(v) / 60**i for i, v in enumerate(gps[2])) * (1 if gps.get(1) == "N" else -1)
        lon = sum(float(v) / 60**i for i, v in enumerate(gps[4])) * (1 if gps.get(3) == "E" else -1)
        out.update(lat=lat, lon=lon, accuracy_m=float(gps[31]) if 31 in gps else None, gps_date=gps.get(29))
    return out
