"""Attaching photos to a job: the file, its store row and its outbox event.

Order of writes (durability first): the JPEG is written to a temporary file, flushed to disk and renamed
to ``<photo id>.jpg``; only then are the photo row and its ``photo`` outbox event committed, in one
transaction. A crash before the commit leaves at worst an orphan file, never a row that points at
nothing, and a committed photo always has its bytes. The file is never rewritten: its SHA-256 is the
evidence's fingerprint.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices.photos import Jpeg, encode_jpeg
from fieldtool.domain.errors import InputError
from fieldtool.domain.model import Photo, Position
from fieldtool.store.outbox import OutboxEvent
from fieldtool.store.photos import Photos

CONTENT_TYPE = "image/jpeg"
ATTACHED_TO = ("as_found", "before", "after", "meter", "seal", "premise", "other")


@dataclass(frozen=True)
class AttachedPhoto:
    photo: Photo
    event_id: str
    size: int


class PhotoService:
    """Takes pictures into the store. ``photos_dir`` is where the files live (``<data_dir>/photos``)."""

    def __init__(self, store, photos_dir: Path, clock: Clock = SYSTEM_CLOCK):
        self.store = store
        self.photos = Photos(store)
        self.dir = Path(photos_dir)
        self.clock = clock

    def attach_image(self, job_id: str | None, image, *, position: Position | None = None, caption: str = "",
                     attached_to: str | None = None, taken_at: datetime | None = None) -> AttachedPhoto:  # fmt: skip
        """Encode a camera frame or still image (EXIF time and GPS) and attach it."""
        taken_at = taken_at or self.clock.now()
        return self.attach_jpeg(job_id, encode_jpeg(image, taken_at=taken_at, position=position),
                                taken_at=taken_at, position=position, caption=caption, attached_to=attached_to)  # fmt: skip

    def attach_jpeg(self, job_id: str | None, jpeg: Jpeg, *, taken_at: datetime, position: Position | None = None,
                    caption: str = "", attached_to: str | None = None) -> AttachedPhoto:  # fmt: skip
        if attached_to is not None and attached_to not in ATTACHED_TO:
            raise InputError(f"A photo cannot be attached to {attached_to!r}.", hint=f"Use one of {', '.join(ATTACHED_TO)}.")
        if len(caption) > 500:
            raise InputError("A photo caption has at most 500 characters.")
        photo_id = str(uuid.uuid4())
        path = self._write(photo_id, jpeg.data)
        photo = Photo(photo_id, jpeg.sha256, taken_at, str(path), caption, position)
        payload = {
            "photo_id": photo_id, "sha256": jpeg.sha256, "size": jpeg.size, "content_type": CONTENT_TYPE,
            "taken_at": taken_at.isoformat(), "caption": caption, "attached_to": attached_to,
            "position": None if position is None else {
                "lat": position.lat, "lon": position.lon, "accuracy_m": position.accuracy_m,
                "fix_time": position.fix_time.isoformat() if position.fix_time else None, "source": position.source,
            },
        }  # fmt: skip
        event = OutboxEvent.new("photo", payload, at=self.clock.now(), job_id=job_id)
        with self.store.transaction():
            self.photos.add(photo, job_id=job_id, size=jpeg.size, content_type=CONTENT_TYPE, attached_to=attached_to)
            self.store.outbox.enqueue([event])
        return AttachedPhoto(photo, event.id, jpeg.size)

    def _write(self, photo_id: str, data: bytes) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        final = self.dir / f"{photo_id}.jpg"
        tmp = self.dir / f".{photo_id}.jpg.part"
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
            _fsync_dir(self.dir)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise InputError(f"Cannot save the photo in {self.dir}: {e.strerror or e}.",
                             hint="Check the free disk space.") from e  # fmt: skip
        return final


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
