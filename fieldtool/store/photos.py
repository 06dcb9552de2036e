"""The photos repository: one row per picture attached to a job (schema in ``schema/photos.py``)."""

from __future__ import annotations

from fieldtool.domain.model import Photo, Position
from fieldtool.store._rows import stamp, unstamp

_COLUMNS = "id, job_id, sha256, size, content_type, taken_at, path, caption, attached_to, lat, lon, accuracy_m, fix_time"


class Photos:
    """Joins an open ``store.transaction()`` like the other repositories."""

    def __init__(self, store):
        self.store = store

    def add(self, photo: Photo, *, job_id: str | None, size: int, content_type: str, attached_to: str | None) -> None:
        p = photo.position
        with self.store.transaction() as c:
            c.execute(
                f"INSERT INTO photos ({_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (photo.id, job_id, photo.sha256, size, content_type, stamp(photo.taken_at), photo.path,
                 photo.caption, attached_to, p.lat if p else None, p.lon if p else None,
                 p.accuracy_m if p else None, stamp(p.fix_time) if p else None,
                 stamp(self.store.clock.now())),
            )  # fmt: skip

    def get(self, photo_id: str) -> Photo | None:
        with self.store.reading() as c:
            row = c.execute(f"SELECT {_COLUMNS} FROM photos WHERE id = ?", (photo_id,)).fetchone()
        return _photo(row) if row else None

    def for_job(self, job_id: str) -> list[Photo]:
        with self.store.reading() as c:
            rows = c.execute(f"SELECT {_COLUMNS} FROM photos WHERE job_id = ? ORDER BY taken_at, id", (job_id,)).fetchall()
        return [_photo(r) for r in rows]


def _photo(row) -> Photo:
    pid, _job, sha, _size, _ctype, taken, path, caption, _attached, lat, lon, acc, fix = row
    pos = Position(lat, lon, acc, unstamp(fix)) if lat is not None and lon is not None else None
    return Photo(pid, sha, unstamp(taken), path, caption, pos)
